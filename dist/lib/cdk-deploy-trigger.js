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
exports.CdkDeployTrigger = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const iam = __importStar(require("aws-cdk-lib/aws-iam"));
const lambda = __importStar(require("aws-cdk-lib/aws-lambda"));
const nodejs = __importStar(require("aws-cdk-lib/aws-lambda-nodejs"));
const logs = __importStar(require("aws-cdk-lib/aws-logs"));
const sfn = __importStar(require("aws-cdk-lib/aws-stepfunctions"));
const cr = __importStar(require("aws-cdk-lib/custom-resources"));
const constructs_1 = require("constructs");
const cdk_deploy_1 = require("../lambdas/core/cdk-deploy");
const canary_service_error_1 = require("./canary-service-error");
const handler_entry_1 = require("./handler-entry");
const HANDLER_ENTRY = (0, handler_entry_1.handlerEntry)('cdk-deploy.ts');
/**
 * Ships a new image through the canary rollout on `cdk deploy`: a custom resource (CDK provider
 * framework, `lambdas/handlers/cdk-deploy.ts`) whose properties name the task definition
 * revision. When CloudFormation registers a new revision, the resource creates the CodeDeploy
 * deployment with the ecs-canary AppSpec (same path as `canary deploy`) and, in `wait` mode,
 * polls it every minute until it ends. It never deploys a revision the primary task set already
 * runs (or an older one: CloudFormation's rollback re-sends the old properties), refuses while
 * frozen or while another deployment runs, and does nothing on delete.
 */
class CdkDeployTrigger extends constructs_1.Construct {
    /** The custom resource; `getAttString('DeploymentId' | 'Message')`. */
    resource;
    /** The role of the handler functions (onEvent and isComplete). */
    role;
    /** The deployment started by the last create/update ('' when none was needed). */
    deploymentId;
    mode;
    constructor(scope, id, props) {
        super(scope, id);
        const waitLimit = props.waitLimit ?? aws_cdk_lib_1.Duration.minutes(cdk_deploy_1.CDK_DEPLOY_WAIT_LIMIT_MINUTES);
        if (!waitLimit.isUnresolved() && (waitLimit.toMinutes({ integral: false }) <= 0 || waitLimit.toMinutes({ integral: false }) > cdk_deploy_1.CDK_DEPLOY_WAIT_LIMIT_MINUTES)) {
            throw new canary_service_error_1.CanaryServiceError(`${this.node.path}: waitLimit is ${waitLimit.toHumanString()}; accepted: more than 0 and at most ${cdk_deploy_1.CDK_DEPLOY_WAIT_LIMIT_MINUTES} minutes (the provider gives up after ${cdk_deploy_1.PROVIDER_TOTAL_TIMEOUT_MINUTES}, CloudFormation after ${cdk_deploy_1.CUSTOM_RESOURCE_TIMEOUT_MINUTES})`);
        }
        const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
        const wait = props.mode === 'wait';
        this.mode = props.mode;
        const logGroup = new logs.LogGroup(this, 'Logs', { retention: logRetention, removalPolicy: aws_cdk_lib_1.RemovalPolicy.DESTROY });
        // An own role instead of AWSLambdaBasicExecutionRole: it writes to its own log group only.
        this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
        logGroup.grantWrite(this.role);
        this.grantDeployPath(props);
        const handler = (name, exportName, timeout) => new nodejs.NodejsFunction(this, name, {
            entry: HANDLER_ENTRY,
            handler: exportName,
            role: this.role,
            runtime: lambda.Runtime.NODEJS_22_X,
            architecture: lambda.Architecture.ARM_64,
            memorySize: 256,
            timeout,
            logGroup,
            environment: {
                CDK_DEPLOY_MODE: props.mode,
                WAIT_LIMIT_MINUTES: String(waitLimit.toMinutes({ integral: false })),
                POWERTOOLS_SERVICE_NAME: 'ecs-canary-cdk-deploy',
                NODE_OPTIONS: '--enable-source-maps',
            },
            bundling: { minify: true, sourceMap: true, target: 'node22' },
        });
        const onEvent = handler('OnEvent', 'onEvent', aws_cdk_lib_1.Duration.minutes(2));
        const isComplete = wait ? handler('IsComplete', 'isComplete', aws_cdk_lib_1.Duration.minutes(1)) : undefined;
        const frameworkLogs = new logs.LogGroup(this, 'ProviderLogs', { retention: logRetention, removalPolicy: aws_cdk_lib_1.RemovalPolicy.DESTROY });
        const frameworkRole = (roleId) => {
            const role = new iam.Role(this, roleId, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
            frameworkLogs.grantWrite(role);
            return role;
        };
        const provider = new cr.Provider(this, 'Provider', {
            onEventHandler: onEvent,
            isCompleteHandler: isComplete,
            ...(wait ? { queryInterval: aws_cdk_lib_1.Duration.minutes(1), totalTimeout: aws_cdk_lib_1.Duration.minutes(cdk_deploy_1.PROVIDER_TOTAL_TIMEOUT_MINUTES) } : {}),
            logGroup: frameworkLogs,
            frameworkOnEventRole: frameworkRole('ProviderOnEventRole'),
            ...(wait ? { frameworkCompleteAndTimeoutRole: frameworkRole('ProviderCompleteRole') } : {}),
            ...(wait ? { waiterStateMachineLogOptions: { destination: frameworkLogs, level: sfn.LogLevel.ALL }, disableWaiterStateMachineLogging: false } : {}),
        });
        this.resource = new aws_cdk_lib_1.CustomResource(this, 'Resource', {
            serviceToken: provider.serviceToken,
            resourceType: 'Custom::EcsCanaryCdkDeploy',
            serviceTimeout: wait ? aws_cdk_lib_1.Duration.minutes(cdk_deploy_1.CUSTOM_RESOURCE_TIMEOUT_MINUTES) : aws_cdk_lib_1.Duration.minutes(15),
            // Exactly what changes with the revision: the revision ARN and its image; the rest is constant.
            properties: {
                TaskDefinitionArn: props.taskDefinition.taskDefinitionArn,
                Image: props.image,
                MetadataParameterName: props.metadataParameter.parameterName,
                Cluster: props.service.cluster.clusterName,
                Service: props.service.serviceName,
            },
        });
        // The service (its primary task set), the deployment group and the parameters it reads must
        // be in place, and updated, before a deployment starts.
        this.resource.node.addDependency(props.service, props.deploymentGroup, props.metadataParameter, props.freezeParameter);
        this.deploymentId = this.resource.getAttString('DeploymentId');
        new aws_cdk_lib_1.CfnOutput(this, 'Message', {
            description: 'What the last cdk deploy did with the image (deployment started, finished, or nothing to deploy)',
            value: this.resource.getAttString('Message'),
        });
        this.acknowledgeFindings(provider, [onEvent, ...(isComplete ? [isComplete] : [])]);
    }
    /**
     * Lets the `wait` handler quote the judge's newest reason from the audit table (read-only Query)
     * when a deployment fails. Without it a failure quotes CodeDeploy's error only; `start` never
     * reads the table, so nothing is granted there.
     */
    grantAuditRead(auditTableName) {
        if (this.mode !== 'wait')
            return;
        this.role.addToPrincipalPolicy(new iam.PolicyStatement({
            actions: ['dynamodb:Query'],
            resources: [aws_cdk_lib_1.Stack.of(this).formatArn({ service: 'dynamodb', resource: 'table', resourceName: auditTableName })],
        }));
    }
    /**
     * The deploy path's calls (lambdas/handlers/cdk-deploy.ts), each on this service's resources
     * where IAM allows: `start` reads the parameters and the service and creates the deployment;
     * `wait` also follows it and stops it when its own wait runs out. No iam:PassRole: CodeDeploy
     * uses its own role. ListDeploymentTargets, GetDeploymentTarget and StopDeployment have no
     * resource type in the Service Authorization Reference, so IAM accepts only "*" for them.
     */
    grantDeployPath(props) {
        const group = props.deploymentGroup.deploymentGroupArn;
        const statements = [
            { actions: ['ssm:GetParameter'], resources: [props.metadataParameter.parameterArn, props.freezeParameter.parameterArn] },
            { actions: ['ecs:DescribeServices'], resources: [props.service.serviceArn] },
            { actions: ['codedeploy:ListDeployments', 'codedeploy:CreateDeployment'], resources: [group] },
            ...(this.mode === 'wait'
                ? [
                    { actions: ['codedeploy:GetDeployment'], resources: [group] },
                    { actions: ['codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget', 'codedeploy:StopDeployment'], resources: ['*'] },
                ]
                : []),
        ];
        for (const statement of statements)
            this.role.addToPrincipalPolicy(new iam.PolicyStatement(statement));
    }
    /**
     * Explains to cdk-nag the findings the provider framework cannot avoid, each on its exact
     * resource: invoking a function's versions and aliases (`<arn>:*`), the log delivery actions of
     * its waiter state machine (IAM accepts only "*"), and that state machine's missing X-Ray.
     */
    acknowledgeFindings(provider, handlers) {
        for (const fn of handlers) {
            aws_cdk_lib_1.Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: 'The cdk-deploy handler targets the nodejs22.x runtime (arm64) it is built and tested for, like the engine; a newer runtime is a deliberate upgrade.' });
        }
        const frameworkFunctions = provider.node.children.filter((c) => c instanceof lambda.Function);
        const versionsOf = (fns) => fns.map((fn) => `AwsSolutions-IAM5[Resource::<${aws_cdk_lib_1.Stack.of(this).resolve(fn.node.defaultChild.logicalId)}.Arn>:*]`);
        const handlerPolicy = this.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
        if (handlerPolicy && this.mode === 'wait') {
            aws_cdk_lib_1.Validations.of(handlerPolicy).acknowledge({
                id: 'AwsSolutions-IAM5[Resource::*]',
                reason: 'Resource * only for codedeploy:ListDeploymentTargets, codedeploy:GetDeploymentTarget and codedeploy:StopDeployment: the Service Authorization Reference gives these actions no resource type, so IAM accepts no narrower resource.',
            });
        }
        const invokeReason = 'The provider framework invokes this construct\'s own function and may name its versions and aliases (<function ARN>:*); no other function is reachable.';
        for (const roleId of ['ProviderOnEventRole', 'ProviderCompleteRole']) {
            const policy = this.node.tryFindChild(roleId)?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
            if (!policy)
                continue;
            for (const id of versionsOf(handlers))
                aws_cdk_lib_1.Validations.of(policy).acknowledge({ id, reason: invokeReason });
        }
        const waiter = provider.node.tryFindChild('waiter-state-machine');
        if (!waiter)
            return;
        const waiterPolicy = waiter.node.tryFindChild('Role')?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
        if (waiterPolicy) {
            for (const id of versionsOf(frameworkFunctions))
                aws_cdk_lib_1.Validations.of(waiterPolicy).acknowledge({ id, reason: invokeReason });
            aws_cdk_lib_1.Validations.of(waiterPolicy).acknowledge({
                id: 'AwsSolutions-IAM5[Resource::*]',
                reason: 'Step Functions logging to CloudWatch Logs needs logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies and DescribeLogGroups, which IAM accepts on "*" only.',
            });
        }
        const machine = waiter.node.tryFindChild('Resource');
        if (machine) {
            aws_cdk_lib_1.Validations.of(machine).acknowledge({
                id: 'AwsSolutions-SF2',
                reason: 'The provider framework\'s waiter state machine only polls the cdk-deploy handler once a minute; the framework offers no tracing option, and its executions are logged (level ALL) to the provider log group.',
            });
        }
    }
}
exports.CdkDeployTrigger = CdkDeployTrigger;
