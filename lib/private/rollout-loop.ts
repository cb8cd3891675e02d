/**
 * The rollout loop of one hook window: Tick → Wait (the seconds the tick asks for) → … until the
 * tick has answered the hook; a tick that keeps failing is called once more with its error, to
 * restore the original and report Failed. Built in the RolloutEngine's scope (its construct ids).
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Duration, RemovalPolicy } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';

export function rolloutLoop(scope: Construct, tickFunction: lambda.IFunction, logRetention: logs.RetentionDays): sfn.StateMachine {
  const tick = new tasks.LambdaInvoke(scope, 'Observe, decide, act', {
    lambdaFunction: tickFunction,
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
  });
  tick.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
  // A tick that keeps failing must not leave production half-shifted until CodeDeploy's hook
  // timeout: the same function, given the error, restores the original and reports Failed.
  const failSafe = new tasks.LambdaInvoke(scope, 'Restore and report Failed', {
    lambdaFunction: tickFunction,
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
  });
  failSafe.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
  const wait = new sfn.Wait(scope, 'Wait', { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
  // A failure that is recent holds the stage (the fail-safe asks for the next tick); one that
  // lasts fails safe and ends the execution.
  const failedFor = new sfn.Choice(scope, 'Restored?')
    .when(
      sfn.Condition.booleanEquals('$.done', true),
      new sfn.Fail(scope, 'Tick failed', {
        error: 'TickFailed',
        cause: 'the tick kept failing; the original was restored and the hook reported Failed',
      }),
    )
    .otherwise(wait);
  tick.addCatch(failSafe.next(failedFor), { errors: ['States.ALL'], resultPath: '$.error' });
  const done = new sfn.Choice(scope, 'Done?')
    .when(sfn.Condition.booleanEquals('$.done', true), new sfn.Succeed(scope, 'Hook answered'))
    .otherwise(wait.next(tick));
  return new sfn.StateMachine(scope, 'RolloutLoop', {
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(tick.next(done)),
    // One hook window: CodeDeploy's one-hour hook limit plus the time to restore and report.
    timeout: Duration.minutes(65),
    tracingEnabled: true,
    logs: {
      destination: new logs.LogGroup(scope, 'RolloutLoopLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY }),
      level: sfn.LogLevel.ALL,
    },
  });
}
