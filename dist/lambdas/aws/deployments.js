"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ACTIVE_STATUSES = void 0;
exports.activeDeployments = activeDeployments;
exports.assertDeployable = assertDeployable;
exports.deploymentDescription = deploymentDescription;
exports.appSpecFor = appSpecFor;
exports.createCanaryDeployment = createCanaryDeployment;
exports.primaryTaskDefinition = primaryTaskDefinition;
exports.stopWithRollback = stopWithRollback;
/**
 * Creating, refusing and stopping ecs-canary deployments: the one path shared by `canary deploy`
 * (through `lib/deploy`) and the cdk-deploy custom resource. Thin adapters over the SDK; the
 * AppSpec is the pure renderer of `core/appspec.ts`.
 */
const client_codedeploy_1 = require("@aws-sdk/client-codedeploy");
const client_ecs_1 = require("@aws-sdk/client-ecs");
const appspec_1 = require("../core/appspec");
const deploy_errors_1 = require("./deploy-errors");
const service_parameters_1 = require("./service-parameters");
/** Deployment statuses during which another deployment must not start. */
exports.ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Ready'];
/** Deployments of the service's deployment group that are still active, newest first as listed. */
async function activeDeployments(codedeploy, metadata) {
    const ids = [];
    let nextToken;
    do {
        const page = await (0, deploy_errors_1.awsCall)('codedeploy:ListDeployments', () => codedeploy.send(new client_codedeploy_1.ListDeploymentsCommand({
            applicationName: metadata.applicationName,
            deploymentGroupName: metadata.deploymentGroupName,
            includeOnlyStatuses: [...exports.ACTIVE_STATUSES],
            nextToken,
        })));
        ids.push(...(page.deployments ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    return ids;
}
/**
 * Throws `DeploymentBlockedError` when the freeze switch is on or a deployment of the group is
 * still active; the message says what to do.
 */
async function assertDeployable(clients, metadata) {
    const freeze = await (0, service_parameters_1.readFreeze)(clients.ssm, metadata.freezeParameterName);
    if (freeze.frozen) {
        const who = [freeze.by && `by ${freeze.by}`, freeze.at && `at ${freeze.at}`].filter(Boolean).join(' ');
        throw new deploy_errors_1.DeploymentBlockedError(`${metadata.service} is frozen${who ? ` ${who}` : ''}: ${freeze.reason ?? 'no reason given'}. Run canary unfreeze ${metadata.service} when deployments may resume`, 'frozen');
    }
    const active = await activeDeployments(clients.codedeploy, metadata);
    if (active.length > 0) {
        throw new deploy_errors_1.DeploymentBlockedError(`${metadata.service} already has a deployment in progress (${active.join(', ')}); wait for it (canary status ${metadata.service}) or stop it (canary rollback ${metadata.service})`, 'in-progress', active);
    }
}
/** The deployment description: the image and, when known, the commit that produced it. */
function deploymentDescription(image, commit) {
    const text = commit ? `ecs-canary: ${image} (commit ${commit})` : `ecs-canary: ${image}`;
    return text.slice(0, 1024);
}
/** The AppSpec for a revision of this service; a metadata without hooks is a `DeployConfigError`. */
function appSpecFor(metadata, taskDefinitionArn) {
    if (!metadata.hooks) {
        throw new deploy_errors_1.DeployConfigError(`the deployment metadata of ${metadata.service} has no hooks: the rollout engine is not wired into its stack, so CodeDeploy would shift all traffic at once; deploy the engine first`, 'hooks');
    }
    return (0, appspec_1.renderAppSpec)({
        taskDefinitionArn,
        containerName: metadata.containerName,
        containerPort: metadata.containerPort,
        hooks: metadata.hooks,
    });
}
/** Creates the CodeDeploy deployment of `taskDefinitionArn`; returns the deployment id. */
async function createCanaryDeployment(codedeploy, request) {
    const appSpec = appSpecFor(request.metadata, request.taskDefinitionArn);
    const created = await (0, deploy_errors_1.awsCall)('codedeploy:CreateDeployment', () => codedeploy.send(new client_codedeploy_1.CreateDeploymentCommand({
        applicationName: request.metadata.applicationName,
        deploymentGroupName: request.metadata.deploymentGroupName,
        revision: (0, appspec_1.appSpecRevision)(appSpec),
        description: request.description,
    })));
    if (!created.deploymentId)
        throw new deploy_errors_1.DeployConfigError('codedeploy:CreateDeployment returned no deployment id', 'deploymentId');
    return created.deploymentId;
}
/**
 * The task definition the service's primary task set runs (under the CODE_DEPLOY controller the
 * service's own `taskDefinition` follows it too). For the cdk-deploy resource: a revision that
 * already runs needs no deployment.
 */
async function primaryTaskDefinition(ecs, target) {
    const described = await (0, deploy_errors_1.awsCall)('ecs:DescribeServices', () => ecs.send(new client_ecs_1.DescribeServicesCommand({ cluster: target.cluster, services: [target.service] })));
    const service = described.services?.[0];
    if (!service)
        throw new deploy_errors_1.DeployConfigError(`ecs:DescribeServices found no service ${target.service} in cluster ${target.cluster}`, 'service');
    return service.taskSets?.find((t) => t.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition;
}
/** Stops a deployment and has CodeDeploy roll it back (production back to the original). */
async function stopWithRollback(codedeploy, deploymentId) {
    await (0, deploy_errors_1.awsCall)('codedeploy:StopDeployment', () => codedeploy.send(new client_codedeploy_1.StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true })));
}
