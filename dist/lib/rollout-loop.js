"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.rolloutLoop = rolloutLoop;
/**
 * The rollout loop of one hook window: Tick → Wait (the seconds the tick asks for) → … until the
 * tick has answered the hook; a tick that keeps failing is called once more with its error, to
 * restore the original and report Failed. Built in the RolloutEngine's scope (its construct ids).
 */
const aws_cdk_lib_1 = require("aws-cdk-lib");
const logs = __importStar(require("aws-cdk-lib/aws-logs"));
const sfn = __importStar(require("aws-cdk-lib/aws-stepfunctions"));
const tasks = __importStar(require("aws-cdk-lib/aws-stepfunctions-tasks"));
function rolloutLoop(scope, tickFunction, logRetention) {
    const tick = new tasks.LambdaInvoke(scope, 'Observe, decide, act', {
        lambdaFunction: tickFunction,
        payloadResponseOnly: true,
        retryOnServiceExceptions: true,
    });
    tick.addRetry({ errors: ['States.ALL'], interval: aws_cdk_lib_1.Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
    // A tick that keeps failing must not leave production half-shifted until CodeDeploy's hook
    // timeout: the same function, given the error, restores the original and reports Failed.
    const failSafe = new tasks.LambdaInvoke(scope, 'Restore and report Failed', {
        lambdaFunction: tickFunction,
        payloadResponseOnly: true,
        retryOnServiceExceptions: true,
    });
    failSafe.addRetry({ errors: ['States.ALL'], interval: aws_cdk_lib_1.Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
    tick.addCatch(failSafe.next(new sfn.Fail(scope, 'Tick failed', { error: 'TickFailed', cause: 'the tick kept failing; the original was restored and the hook reported Failed' })), { errors: ['States.ALL'], resultPath: '$.error' });
    const wait = new sfn.Wait(scope, 'Wait', { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
    const done = new sfn.Choice(scope, 'Done?')
        .when(sfn.Condition.booleanEquals('$.done', true), new sfn.Succeed(scope, 'Hook answered'))
        .otherwise(wait.next(tick));
    return new sfn.StateMachine(scope, 'RolloutLoop', {
        stateMachineType: sfn.StateMachineType.STANDARD,
        definitionBody: sfn.DefinitionBody.fromChainable(tick.next(done)),
        // One hook window: CodeDeploy's one-hour hook limit plus the time to restore and report.
        timeout: aws_cdk_lib_1.Duration.minutes(65),
        tracingEnabled: true,
        logs: {
            destination: new logs.LogGroup(scope, 'RolloutLoopLogs', { retention: logRetention, removalPolicy: aws_cdk_lib_1.RemovalPolicy.DESTROY }),
            level: sfn.LogLevel.ALL,
        },
    });
}
