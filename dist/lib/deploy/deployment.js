"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.stopWithRollback = exports.primaryTaskDefinition = exports.deploymentDescription = exports.createCanaryDeployment = exports.assertDeployable = exports.appSpecFor = exports.activeDeployments = exports.ACTIVE_STATUSES = void 0;
exports.planImageRevision = planImageRevision;
exports.registerRevision = registerRevision;
exports.ciCommit = ciCommit;
/**
 * The CLI's half of the deploy path: register a revision with only the image changed. The
 * shared half (refuse when frozen or busy, create with the ecs-canary AppSpec, stop) is
 * `lambdas/aws/deployments.ts`, re-exported here so `canary deploy` and the cdk-deploy custom
 * resource run the same code.
 */
const client_ecs_1 = require("@aws-sdk/client-ecs");
const deploy_errors_1 = require("../../lambdas/aws/deploy-errors");
const task_definition_1 = require("./task-definition");
var deployments_1 = require("../../lambdas/aws/deployments");
Object.defineProperty(exports, "ACTIVE_STATUSES", { enumerable: true, get: function () { return deployments_1.ACTIVE_STATUSES; } });
Object.defineProperty(exports, "activeDeployments", { enumerable: true, get: function () { return deployments_1.activeDeployments; } });
Object.defineProperty(exports, "appSpecFor", { enumerable: true, get: function () { return deployments_1.appSpecFor; } });
Object.defineProperty(exports, "assertDeployable", { enumerable: true, get: function () { return deployments_1.assertDeployable; } });
Object.defineProperty(exports, "createCanaryDeployment", { enumerable: true, get: function () { return deployments_1.createCanaryDeployment; } });
Object.defineProperty(exports, "deploymentDescription", { enumerable: true, get: function () { return deployments_1.deploymentDescription; } });
Object.defineProperty(exports, "primaryTaskDefinition", { enumerable: true, get: function () { return deployments_1.primaryTaskDefinition; } });
Object.defineProperty(exports, "stopWithRollback", { enumerable: true, get: function () { return deployments_1.stopWithRollback; } });
/**
 * Describes the family's latest revision and derives the next one with `image` in
 * `containerName`. Changes nothing.
 */
async function planImageRevision(ecs, target) {
    const described = await (0, deploy_errors_1.awsCall)('ecs:DescribeTaskDefinition', () => ecs.send(new client_ecs_1.DescribeTaskDefinitionCommand({ taskDefinition: target.family, include: ['TAGS'] })));
    const current = described.taskDefinition;
    if (!current)
        throw new deploy_errors_1.DeployConfigError(`ecs:DescribeTaskDefinition returned no task definition for family ${target.family}`, 'taskDefinitionFamily');
    try {
        const input = (0, task_definition_1.deriveTaskDefinition)(current, target.containerName, target.image, described.tags);
        return { current, input, changes: (0, task_definition_1.diffTaskDefinitions)(current, input) };
    }
    catch (error) {
        if (error instanceof task_definition_1.TaskDefinitionError)
            throw new deploy_errors_1.DeployConfigError(error.message, error.field, { cause: error });
        throw error;
    }
}
/** Registers the planned revision; returns its ARN. */
async function registerRevision(ecs, plan) {
    const registered = await (0, deploy_errors_1.awsCall)('ecs:RegisterTaskDefinition', () => ecs.send(new client_ecs_1.RegisterTaskDefinitionCommand(plan.input)));
    const arn = registered.taskDefinition?.taskDefinitionArn;
    if (!arn)
        throw new deploy_errors_1.DeployConfigError('ecs:RegisterTaskDefinition returned no task definition ARN', 'taskDefinitionArn');
    return arn;
}
/** The CI commit from the environment: GitHub Actions, GitLab CI, or none. */
function ciCommit(env) {
    return env.GITHUB_SHA || env.CI_COMMIT_SHA || undefined;
}
