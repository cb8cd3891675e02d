"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.executionName = void 0;
exports.executionArn = executionArn;
exports.startRollout = startRollout;
exports.rolloutStatus = rolloutStatus;
exports.stopRollouts = stopRollouts;
/** Step Functions adapter: start a window's rollout execution (idempotent by name) and stop them. */
const client_sfn_1 = require("@aws-sdk/client-sfn");
const plan_1 = require("../core/plan");
/** `<deploymentId>-<hook>`: a duplicate hook invocation starts nothing new. */
const executionName = (deploymentId, hook) => `${deploymentId}-${hook}`;
exports.executionName = executionName;
/** `arn:…:stateMachine:<name>` → `arn:…:execution:<name>:<executionName>`. */
function executionArn(stateMachineArn, name) {
    return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
/**
 * Starts the rollout execution for a hook. Starting the same name with the same input returns the
 * running execution; with another input Step Functions answers ExecutionAlreadyExists, which means
 * a duplicate hook invocation, so it counts as started too.
 */
async function startRollout(client, stateMachineArn, input) {
    const name = (0, exports.executionName)(input.deploymentId, input.hook);
    try {
        const result = await client.send(new client_sfn_1.StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
        return { executionArn: result.executionArn ?? executionArn(stateMachineArn, name), alreadyStarted: false };
    }
    catch (error) {
        if (error instanceof client_sfn_1.ExecutionAlreadyExists)
            return { executionArn: executionArn(stateMachineArn, name), alreadyStarted: true };
        throw error;
    }
}
/** The status of a hook's rollout execution, or undefined when it was never started. */
async function rolloutStatus(client, stateMachineArn, deploymentId, hook) {
    try {
        const { status } = await client.send(new client_sfn_1.DescribeExecutionCommand({ executionArn: executionArn(stateMachineArn, (0, exports.executionName)(deploymentId, hook)) }));
        return status ?? 'UNKNOWN';
    }
    catch (error) {
        if (error instanceof client_sfn_1.ExecutionDoesNotExist)
            return undefined;
        throw error;
    }
}
/** Stops the deployment's rollout executions; returns the names it stopped (absent ones are skipped). */
async function stopRollouts(client, stateMachineArn, deploymentId, cause) {
    const stopped = [];
    for (const hook of plan_1.HOOKS) {
        const name = (0, exports.executionName)(deploymentId, hook);
        try {
            await client.send(new client_sfn_1.StopExecutionCommand({ executionArn: executionArn(stateMachineArn, name), error: 'DeploymentStopped', cause: cause.slice(0, 32_000) }));
            stopped.push(name);
        }
        catch (error) {
            if (!(error instanceof client_sfn_1.ExecutionDoesNotExist))
                throw error;
        }
    }
    return stopped;
}
