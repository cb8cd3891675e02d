"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AppSpecError = void 0;
exports.renderAppSpec = renderAppSpec;
exports.appSpecRevision = appSpecRevision;
/**
 * The AppSpec of an ecs-canary deployment: the new task definition revision, the container and
 * port the load balancer routes to, and the three lifecycle hooks that run the gated rollout.
 *
 * Pure: no AWS imports. Shared by `canary deploy` and the cdk-deploy custom resource, so both
 * create exactly the same deployment.
 *
 * Format: https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html
 * (`Resources[0].TargetService` of type `AWS::ECS::Service`) and the ECS `Hooks` section, a list of
 * one-key objects `{ <LifecycleEvent>: <Lambda function name or ARN> }`.
 */
const node_crypto_1 = require("node:crypto");
const plan_1 = require("./plan");
/** Invalid input to the renderer; `field` names what is wrong. */
class AppSpecError extends Error {
    field;
    constructor(message, field, options) {
        super(message, options);
        this.field = field;
        this.name = 'AppSpecError';
    }
}
exports.AppSpecError = AppSpecError;
const TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;
/** Renders the AppSpec; throws `AppSpecError` naming the field, the value and what is accepted. */
function renderAppSpec(input) {
    if (!TASK_DEFINITION_ARN.test(input.taskDefinitionArn)) {
        throw new AppSpecError(`taskDefinitionArn is ${JSON.stringify(input.taskDefinitionArn)}; accepted: a task definition revision ARN such as arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42`, 'taskDefinitionArn');
    }
    if (input.containerName.trim() === '') {
        throw new AppSpecError('containerName is empty; accepted: the name of the container the load balancer routes to', 'containerName');
    }
    if (!Number.isInteger(input.containerPort) || input.containerPort < 1 || input.containerPort > 65535) {
        throw new AppSpecError(`containerPort is ${input.containerPort}; accepted: a whole number from 1 to 65535`, 'containerPort');
    }
    const missing = plan_1.HOOKS.filter((hook) => !input.hooks[hook]);
    if (missing.length > 0) {
        throw new AppSpecError(`hooks lacks ${missing.join(', ')} (got ${JSON.stringify(input.hooks)}); accepted: a Lambda function name for each of ${plan_1.HOOKS.join(', ')}; is the rollout engine deployed for this service?`, 'hooks');
    }
    return {
        version: '0.0',
        Resources: [
            {
                TargetService: {
                    Type: 'AWS::ECS::Service',
                    Properties: {
                        TaskDefinition: input.taskDefinitionArn,
                        LoadBalancerInfo: { ContainerName: input.containerName, ContainerPort: input.containerPort },
                    },
                },
            },
        ],
        Hooks: plan_1.HOOKS.map((hook) => ({ [hook]: input.hooks[hook] })),
    };
}
/** The `revision` of `CreateDeployment` for an AppSpec: `AppSpecContent` with its SHA-256. */
function appSpecRevision(appSpec) {
    const content = JSON.stringify(appSpec);
    return {
        revisionType: 'AppSpecContent',
        appSpecContent: { content, sha256: (0, node_crypto_1.createHash)('sha256').update(content).digest('hex') },
    };
}
