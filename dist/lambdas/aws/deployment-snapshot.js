"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TERMINAL_STATUSES = void 0;
exports.toSnapshot = toSnapshot;
exports.getDeploymentSnapshot = getDeploymentSnapshot;
exports.deploymentOutcome = deploymentOutcome;
/**
 * What a deployment is doing, as CodeDeploy reports it, and how it ended: read by `canary
 * status`/`deploy` (through `lib/deploy`) and by the cdk-deploy custom resource. The adapter
 * reads; `toSnapshot` and `deploymentOutcome` interpret (pure).
 */
const client_codedeploy_1 = require("@aws-sdk/client-codedeploy");
const deploy_errors_1 = require("./deploy-errors");
/** CodeDeploy statuses after which nothing more happens. */
exports.TERMINAL_STATUSES = ['Succeeded', 'Failed', 'Stopped'];
/** Interprets `GetDeployment` and the ECS target (pure). */
function toSnapshot(deploymentId, info, target) {
    const status = info?.status ?? 'Unknown';
    const lifecycleEvents = (target?.lifecycleEvents ?? []).map((e) => ({
        name: e.lifecycleEventName ?? '?',
        status: e.status ?? 'Pending',
        startedAt: e.startTime,
        endedAt: e.endTime,
    }));
    const running = lifecycleEvents.find((e) => e.status === 'InProgress');
    // Skipped events never ran: after a failure or stop every event not yet run is reported Skipped.
    const started = lifecycleEvents.filter((e) => e.status !== 'Pending' && e.status !== 'Skipped');
    const green = target?.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green');
    const blue = target?.taskSetsInfo?.find((t) => t.taskSetLabel === 'Blue');
    const codeDeployWeights = green?.trafficWeight !== undefined && blue?.trafficWeight !== undefined
        ? { original: blue.trafficWeight, replacement: green.trafficWeight }
        : undefined;
    return {
        deploymentId,
        status,
        terminal: exports.TERMINAL_STATUSES.includes(status),
        description: info?.description,
        createdAt: info?.createTime,
        completedAt: info?.completeTime,
        lifecycleEvents,
        currentEvent: running?.name ?? started[started.length - 1]?.name,
        replacementTargetGroup: green?.targetGroup?.name,
        originalTargetGroup: blue?.targetGroup?.name,
        codeDeployWeights,
        errorCode: info?.errorInformation?.code,
        errorMessage: info?.errorInformation?.message,
        rollbackMessage: info?.rollbackInfo?.rollbackMessage,
        rollbackOf: info?.rollbackInfo?.rollbackTriggeringDeploymentId,
        terminationWait: !exports.TERMINAL_STATUSES.includes(status) &&
            (info?.instanceTerminationWaitTimeStarted === true || lifecycleEvents.some((e) => e.name === 'AfterAllowTraffic' && e.status === 'Succeeded')),
    };
}
/** Reads the deployment and its ECS target (`GetDeployment`, `ListDeploymentTargets`, `GetDeploymentTarget`). */
async function getDeploymentSnapshot(codedeploy, deploymentId) {
    const deployment = await (0, deploy_errors_1.awsCall)('codedeploy:GetDeployment', () => codedeploy.send(new client_codedeploy_1.GetDeploymentCommand({ deploymentId })));
    const targets = await (0, deploy_errors_1.awsCall)('codedeploy:ListDeploymentTargets', () => codedeploy.send(new client_codedeploy_1.ListDeploymentTargetsCommand({ deploymentId })));
    const targetId = targets.targetIds?.[0];
    const target = targetId
        ? (await (0, deploy_errors_1.awsCall)('codedeploy:GetDeploymentTarget', () => codedeploy.send(new client_codedeploy_1.GetDeploymentTargetCommand({ deploymentId, targetId }))))
            .deploymentTarget?.ecsTarget
        : undefined;
    return toSnapshot(deploymentId, deployment.deploymentInfo, target);
}
/**
 * The outcome of a terminal deployment (pure). `auditReason` is the newest audit record's reason
 * for this deployment (the judge's words), which explains a rollback better than CodeDeploy does.
 */
function deploymentOutcome(snapshot, auditReason) {
    if (snapshot.status === 'Succeeded')
        return { succeeded: true, reason: `deployment ${snapshot.deploymentId} succeeded` };
    const verb = snapshot.status === 'Stopped' ? 'stopped' : snapshot.status === 'Failed' ? 'failed' : `ended ${snapshot.status}`;
    const rolledBack = snapshot.rollbackMessage || /roll(ed)?\s*back/i.test(snapshot.errorMessage ?? '') ? ' and rolled back' : '';
    const codeDeploy = [snapshot.errorCode, snapshot.errorMessage].filter(Boolean).join(': ');
    // The judge's sentence ends in a full stop; joined with CodeDeploy's words it would read "571.;".
    const parts = [auditReason?.replace(/\.\s*$/, ''), codeDeploy && `CodeDeploy: ${codeDeploy}`].filter(Boolean);
    return {
        succeeded: false,
        reason: `deployment ${snapshot.deploymentId} ${verb}${rolledBack}: ${parts.join('; ') || 'no reason reported'}`,
    };
}
