"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.logger = void 0;
exports.onEvent = onEvent;
exports.isComplete = isComplete;
/**
 * The cdk-deploy custom resource (`lib/cdk-deploy-trigger.ts`), behind the CDK provider
 * framework: `onEvent` starts the canary deployment of the task definition revision
 * CloudFormation registered, `isComplete` (mode `wait` only) follows it until CodeDeploy reports
 * an end. Same deploy path as `canary deploy` (`lambdas/aws/deployments.ts`): one AppSpec, one
 * freeze/in-progress check. Delete does nothing: deleting the resource never deploys or stops.
 *
 * The decisions are `core/cdk-deploy.ts`; this file reads, calls the core, and acts.
 */
const logger_1 = require("@aws-lambda-powertools/logger");
const client_codedeploy_1 = require("@aws-sdk/client-codedeploy");
const client_dynamodb_1 = require("@aws-sdk/client-dynamodb");
const client_ecs_1 = require("@aws-sdk/client-ecs");
const client_ssm_1 = require("@aws-sdk/client-ssm");
const lib_dynamodb_1 = require("@aws-sdk/lib-dynamodb");
const audit_records_1 = require("../aws/audit-records");
const deploy_errors_1 = require("../aws/deploy-errors");
const deployment_snapshot_1 = require("../aws/deployment-snapshot");
const deployments_1 = require("../aws/deployments");
const service_parameters_1 = require("../aws/service-parameters");
const cdk_deploy_1 = require("../core/cdk-deploy");
const clients = {
    codedeploy: new client_codedeploy_1.CodeDeployClient({}),
    ecs: new client_ecs_1.ECSClient({}),
    ssm: new client_ssm_1.SSMClient({}),
    dynamo: lib_dynamodb_1.DynamoDBDocumentClient.from(new client_dynamodb_1.DynamoDBClient({})),
};
exports.logger = new logger_1.Logger({ serviceName: 'ecs-canary-cdk-deploy' });
/** `CDK_DEPLOY_MODE` and `WAIT_LIMIT_MINUTES`, set by the construct. */
function settings(env = process.env) {
    const mode = env.CDK_DEPLOY_MODE;
    if (mode !== 'wait' && mode !== 'start') {
        throw new deploy_errors_1.DeployConfigError(`environment CDK_DEPLOY_MODE is ${JSON.stringify(mode)}; accepted: wait or start`, 'CDK_DEPLOY_MODE');
    }
    const waitLimitMinutes = Number(env.WAIT_LIMIT_MINUTES ?? cdk_deploy_1.CDK_DEPLOY_WAIT_LIMIT_MINUTES);
    if (!(waitLimitMinutes > 0 && waitLimitMinutes <= cdk_deploy_1.CDK_DEPLOY_WAIT_LIMIT_MINUTES)) {
        throw new deploy_errors_1.DeployConfigError(`environment WAIT_LIMIT_MINUTES is ${JSON.stringify(env.WAIT_LIMIT_MINUTES)}; accepted: minutes above 0 and at most ${cdk_deploy_1.CDK_DEPLOY_WAIT_LIMIT_MINUTES}`, 'WAIT_LIMIT_MINUTES');
    }
    return { mode, waitLimitMinutes };
}
function properties(event) {
    const props = event.ResourceProperties;
    const names = ['TaskDefinitionArn', 'Image', 'MetadataParameterName', 'Cluster', 'Service'];
    for (const name of names) {
        if (typeof props[name] !== 'string' || props[name] === '') {
            throw new deploy_errors_1.DeployConfigError(`resource property ${name} is ${JSON.stringify(props[name])}; accepted: a non-empty string (set by CdkDeployTrigger)`, name);
        }
    }
    return props;
}
/** Create/Update: deploy the requested revision unless it already runs; Delete: nothing. */
async function onEvent(event) {
    if (event.RequestType === 'Delete') {
        exports.logger.info('delete: nothing to do (deleting this resource never deploys or stops a deployment)');
        return { PhysicalResourceId: event.PhysicalResourceId ?? 'ecs-canary-cdk-deploy' };
    }
    const { mode, waitLimitMinutes } = settings();
    const props = properties(event);
    const physicalId = event.PhysicalResourceId ?? `ecs-canary-cdk-deploy:${props.Service}`;
    const metadata = await (0, service_parameters_1.readDeploymentMetadataParameter)(clients.ssm, props.MetadataParameterName);
    const primary = await (0, deployments_1.primaryTaskDefinition)(clients.ecs, { cluster: props.Cluster, service: props.Service });
    const decision = (0, cdk_deploy_1.decideStart)({ requestedTaskDefinitionArn: props.TaskDefinitionArn, primaryTaskDefinitionArn: primary });
    if (decision.action === 'skip') {
        exports.logger.info('no deployment needed', { requestType: event.RequestType, taskDefinitionArn: props.TaskDefinitionArn, primary, reason: decision.reason });
        return { PhysicalResourceId: physicalId, Data: { DeploymentId: '', Message: `${metadata.service}: ${decision.reason}` } };
    }
    try {
        await (0, deployments_1.assertDeployable)(clients, metadata);
    }
    catch (error) {
        if (error instanceof deploy_errors_1.DeploymentBlockedError) {
            throw new deploy_errors_1.DeploymentBlockedError(`cdk deploy cannot ship ${props.Image}: ${error.message}`, error.blockedBy, error.activeDeploymentIds, { cause: error });
        }
        throw error;
    }
    const deploymentId = await (0, deployments_1.createCanaryDeployment)(clients.codedeploy, {
        metadata,
        taskDefinitionArn: props.TaskDefinitionArn,
        description: (0, cdk_deploy_1.cdkDeployDescription)(props.Image),
    });
    exports.logger.appendKeys({ deploymentId });
    const now = Date.now();
    const message = mode === 'start'
        ? `${metadata.service}: started deployment ${deploymentId} of ${props.Image}; follow it with canary status ${metadata.service}`
        : `${metadata.service}: deployment ${deploymentId} of ${props.Image} started; waiting for it (at most ${waitLimitMinutes} min)`;
    exports.logger.info(message, { taskDefinitionArn: props.TaskDefinitionArn, primary, mode });
    return {
        PhysicalResourceId: physicalId,
        Data: {
            DeploymentId: deploymentId,
            Message: message,
            ...(mode === 'wait' ? { WaitDeadline: new Date(now + waitLimitMinutes * 60_000).toISOString() } : {}),
        },
    };
}
/** `wait`: complete when CodeDeploy reports Succeeded; fail with the judge's reason otherwise. */
async function isComplete(event) {
    const deploymentId = event.Data?.DeploymentId;
    if (event.RequestType === 'Delete' || !deploymentId)
        return { IsComplete: true };
    exports.logger.appendKeys({ deploymentId });
    const { waitLimitMinutes } = settings();
    const props = properties(event);
    const deadline = Date.parse(event.Data?.WaitDeadline ?? '');
    if (Number.isNaN(deadline)) {
        throw new deploy_errors_1.DeployConfigError(`Data.WaitDeadline is ${JSON.stringify(event.Data?.WaitDeadline)}; accepted: the ISO time onEvent returned`, 'WaitDeadline');
    }
    let snapshot;
    try {
        snapshot = await (0, deployment_snapshot_1.getDeploymentSnapshot)(clients.codedeploy, deploymentId);
    }
    catch (error) {
        // A throttled or failed read is retried at the next poll; a missing permission is not.
        if (!(error instanceof deploy_errors_1.AwsCallError) || error.missingAction !== undefined || Date.now() >= deadline)
            throw error;
        exports.logger.warn('could not read the deployment; trying again at the next poll', { error: error.message });
        return { IsComplete: false };
    }
    const decision = (0, cdk_deploy_1.decideCompletion)(snapshot, Date.now(), deadline);
    exports.logger.info('deployment polled', { status: snapshot.status, currentEvent: snapshot.currentEvent, decision: decision.action });
    switch (decision.action) {
        case 'keep-waiting':
            return { IsComplete: false };
        case 'succeeded':
            return { IsComplete: true, Data: { Message: `deployment ${deploymentId} of ${props.Image} succeeded` } };
        case 'failed':
            throw await failure(props, snapshot);
        case 'stop-and-fail':
            return stopAfterTimeout(props, deploymentId, waitLimitMinutes);
    }
}
/** The failure CloudFormation shows: the judge's newest reason, else CodeDeploy's error. */
async function failure(props, snapshot) {
    let auditReason;
    let metadata;
    try {
        metadata = await (0, service_parameters_1.readDeploymentMetadataParameter)(clients.ssm, props.MetadataParameterName);
        auditReason = await (0, audit_records_1.newestAuditReason)(clients.dynamo, { tableName: metadata.auditTableName, service: metadata.service, deploymentId: snapshot.deploymentId });
    }
    catch (error) {
        // The reason is a courtesy: CodeDeploy's own error still explains the failure.
        exports.logger.warn('could not read the audit reason', { error: error.message });
    }
    const outcome = (0, deployment_snapshot_1.deploymentOutcome)(snapshot, auditReason);
    const follow = metadata ? ` (canary history ${metadata.service} shows every decision)` : '';
    exports.logger.error('deployment did not succeed', { status: snapshot.status, reason: outcome.reason });
    return new deploy_errors_1.DeploymentFailedError(`cdk deploy of ${props.Image}: ${outcome.reason}${follow}`, snapshot.deploymentId, snapshot.status);
}
/** Own deadline reached: stop with rollback (production back to the original), then fail saying so. */
async function stopAfterTimeout(props, deploymentId, waitLimitMinutes) {
    try {
        await (0, deployments_1.stopWithRollback)(clients.codedeploy, deploymentId);
    }
    catch (error) {
        if (error instanceof deploy_errors_1.AwsCallError && error.code === 'DeploymentAlreadyCompletedException') {
            // It ended between the poll and the stop: report how.
            const snapshot = await (0, deployment_snapshot_1.getDeploymentSnapshot)(clients.codedeploy, deploymentId);
            if (snapshot.status === 'Succeeded') {
                return { IsComplete: true, Data: { Message: `deployment ${deploymentId} of ${props.Image} succeeded` } };
            }
            throw await failure(props, snapshot);
        }
        throw error;
    }
    exports.logger.error('wait limit reached: deployment stopped with rollback', { waitLimitMinutes });
    throw new deploy_errors_1.DeploymentFailedError(`cdk deploy of ${props.Image}: deployment ${deploymentId} did not finish within ${waitLimitMinutes} min, the longest a stack update can wait; stopped it with rollback (production returns to the original task set). Shorten the rollout plan, or set deployOnCdkDeploy: start and follow with canary status`, deploymentId, 'Stopped');
}
