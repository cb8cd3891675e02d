"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.deploymentStatus = deploymentStatus;
exports.assertInProgress = assertInProgress;
exports.deploymentTargets = deploymentTargets;
exports.reportHookStatus = reportHookStatus;
/** CodeDeploy adapter: deployment status, which target group is the replacement, hook status. */
const client_codedeploy_1 = require("@aws-sdk/client-codedeploy");
const errors_1 = require("./errors");
async function deploymentStatus(client, deploymentId) {
    const { deploymentInfo } = await client.send(new client_codedeploy_1.GetDeploymentCommand({ deploymentId }));
    return deploymentInfo?.status ?? 'Unknown';
}
/** Throws `DeploymentNotInProgressError` unless the deployment is InProgress: call right before a listener write. */
async function assertInProgress(client, deploymentId) {
    const status = await deploymentStatus(client, deploymentId);
    if (status !== 'InProgress')
        throw new errors_1.DeploymentNotInProgressError(deploymentId, status);
}
/**
 * Which of the service's target groups serves the replacement (task set label `Green`) and which
 * the original (`Blue`) in this deployment; blue and green swap roles on every deployment.
 */
async function deploymentTargets(client, deploymentId, targetGroups) {
    const { targetIds = [] } = await client.send(new client_codedeploy_1.ListDeploymentTargetsCommand({ deploymentId }));
    if (targetIds.length !== 1)
        throw new errors_1.DeploymentTargetError(`deployment ${deploymentId} has ${targetIds.length} targets; an ECS deployment has exactly one`);
    const { deploymentTarget } = await client.send(new client_codedeploy_1.GetDeploymentTargetCommand({ deploymentId, targetId: targetIds[0] }));
    const taskSets = deploymentTarget?.ecsTarget?.taskSetsInfo ?? [];
    const byLabel = (label) => {
        const taskSet = taskSets.find((t) => t.taskSetLabel === label);
        const name = taskSet?.targetGroup?.name;
        const ref = targetGroups.find((tg) => tg.name === name);
        if (!ref) {
            throw new errors_1.DeploymentTargetError(`deployment ${deploymentId}: the ${label} task set's target group is ${JSON.stringify(name)}; expected one of ${targetGroups.map((t) => t.name).join(', ')}`);
        }
        return ref;
    };
    const pair = { replacement: byLabel('Green'), original: byLabel('Blue') };
    if (pair.replacement.arn === pair.original.arn)
        throw new errors_1.DeploymentTargetError(`deployment ${deploymentId}: both task sets use target group ${pair.original.name}`);
    return pair;
}
/**
 * Reports the hook's status. Returns false when CodeDeploy says the hook was already answered
 * (a retried tick after a report that did reach CodeDeploy): nothing is left to do then.
 */
async function reportHookStatus(client, deploymentId, lifecycleEventHookExecutionId, status) {
    try {
        await client.send(new client_codedeploy_1.PutLifecycleEventHookExecutionStatusCommand({ deploymentId, lifecycleEventHookExecutionId, status }));
        return true;
    }
    catch (error) {
        if (error instanceof client_codedeploy_1.LifecycleEventAlreadyCompletedException)
            return false;
        throw error;
    }
}
