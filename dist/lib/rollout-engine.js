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
exports.RolloutEngine = void 0;
exports.hookFunctionName = hookFunctionName;
exports.listenerRuleArnPattern = listenerRuleArnPattern;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const dynamodb = __importStar(require("aws-cdk-lib/aws-dynamodb"));
const ec2 = __importStar(require("aws-cdk-lib/aws-ec2"));
const events = __importStar(require("aws-cdk-lib/aws-events"));
const eventTargets = __importStar(require("aws-cdk-lib/aws-events-targets"));
const iam = __importStar(require("aws-cdk-lib/aws-iam"));
const lambda = __importStar(require("aws-cdk-lib/aws-lambda"));
const nodejs = __importStar(require("aws-cdk-lib/aws-lambda-nodejs"));
const logs = __importStar(require("aws-cdk-lib/aws-logs"));
const sfn = __importStar(require("aws-cdk-lib/aws-stepfunctions"));
const tasks = __importStar(require("aws-cdk-lib/aws-stepfunctions-tasks"));
const constructs_1 = require("constructs");
const plan_1 = require("../lambdas/core/plan");
const cloudwatch_1 = require("../lambdas/aws/cloudwatch");
const handler_entry_1 = require("./handler-entry");
const HOOK_EXPORTS = {
    AfterAllowTestTraffic: 'afterAllowTestTraffic',
    BeforeAllowTraffic: 'beforeAllowTraffic',
    AfterAllowTraffic: 'afterAllowTraffic',
};
/** Lambda function names are at most 64 characters. */
const MAX_FUNCTION_NAME = 64;
/**
 * The rollout engine of one service: three CodeDeploy hook Lambdas, the Step Functions rollout
 * loop (Tick → Done? → Wait → Tick) with its Tick Lambda, the guard Lambda on this deployment
 * group's FAILURE/STOP events, and the audit table. Every role names its exact resources.
 *
 * Hook functions are named `CodeDeployHook_<service>-<hook>`, the prefix CodeDeploy's managed
 * role policies expect (AWSCodeDeployRoleForLambda/-CloudFormation invoke only `CodeDeployHook_*`;
 * AWSCodeDeployRoleForECS, which the ECS deployment group uses, invokes any function).
 */
class RolloutEngine extends constructs_1.Construct {
    auditTable;
    stateMachine;
    hookFunctions;
    tickFunction;
    guardFunction;
    guardRule;
    /** The smoke-checking hook's network connections, when it runs in a VPC (`smokeCheckVpc`). */
    smokeCheckConnections;
    constructor(scope, id, props) {
        super(scope, id);
        const retentionDays = props.auditRetentionDays ?? 90;
        const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
        validate(this, props, retentionDays);
        this.auditTable = new dynamodb.Table(this, 'AuditTable', {
            partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
            sortKey: { name: 'sk', type: dynamodb.AttributeType.NUMBER },
            billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption: dynamodb.TableEncryption.AWS_MANAGED,
            pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
            timeToLiveAttribute: 'expiresAt',
            removalPolicy: props.auditRemovalPolicy ?? aws_cdk_lib_1.RemovalPolicy.RETAIN,
        });
        const environment = {
            SERVICE_NAME: props.serviceName,
            METADATA_PARAMETER: props.metadataParameterName,
            FREEZE_PARAMETER: props.freezeParameterName,
            AUDIT_TABLE_NAME: this.auditTable.tableName,
            AUDIT_RETENTION_DAYS: String(retentionDays),
            TOPIC_ARN: props.topic.topicArn,
            POWERTOOLS_SERVICE_NAME: `ecs-canary-${props.serviceName}`,
            NODE_OPTIONS: '--enable-source-maps',
        };
        const fn = (name, entry, handler, functionName, network) => {
            const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention: logRetention, removalPolicy: aws_cdk_lib_1.RemovalPolicy.DESTROY });
            // An own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
            const role = new iam.Role(this, `${name}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
            logGroup.grantWrite(role);
            return new nodejs.NodejsFunction(this, name, {
                entry: (0, handler_entry_1.handlerEntry)(entry),
                handler,
                ...(functionName ? { functionName } : {}),
                role,
                runtime: lambda.Runtime.NODEJS_22_X,
                architecture: lambda.Architecture.ARM_64,
                memorySize: 512,
                timeout: aws_cdk_lib_1.Duration.minutes(1),
                environment,
                logGroup,
                bundling: { minify: true, sourceMap: true, target: 'node22' },
                ...network,
            });
        };
        this.tickFunction = fn('Tick', 'tick.ts', 'handler');
        this.guardFunction = fn('Guard', 'guard.ts', 'handler');
        const hooks = {};
        const smokeNetwork = props.smokeCheckVpc && {
            vpc: props.smokeCheckVpc.vpc,
            vpcSubnets: props.smokeCheckVpc.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
            allowAllOutbound: true,
        };
        for (const hook of plan_1.HOOKS) {
            const network = hook === 'AfterAllowTestTraffic' ? smokeNetwork : undefined;
            hooks[hook] = fn(`${hook}Hook`, 'hooks.ts', HOOK_EXPORTS[hook], hookFunctionName(props.serviceName, hook), network);
        }
        this.hookFunctions = hooks;
        if (props.smokeCheckVpc) {
            hooks.AfterAllowTestTraffic.addEnvironment('SMOKE_CHECK_MODE', props.smokeCheckVpc.target ?? 'replacement-targets');
            this.smokeCheckConnections = hooks.AfterAllowTestTraffic.connections;
        }
        this.stateMachine = this.rolloutLoop(logRetention);
        for (const hook of plan_1.HOOKS)
            hooks[hook].addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
        this.guardFunction.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
        this.guardRule = new events.Rule(this, 'GuardRule', {
            description: `ecs-canary ${props.serviceName}: deployment FAILURE/STOP → restore the original`,
            eventPattern: {
                source: ['aws.codedeploy'],
                detailType: ['CodeDeploy Deployment State-change Notification'],
                detail: {
                    state: ['FAILURE', 'STOP'],
                    application: [props.deploymentGroup.application.applicationName],
                    deploymentGroup: [props.deploymentGroup.deploymentGroupName],
                },
            },
            targets: [new eventTargets.LambdaFunction(this.guardFunction, { retryAttempts: 4 })],
        });
        this.grant(props);
        this.explainWildcards();
    }
    /**
     * Explains to cdk-nag (AwsSolutions, through `Validations.acknowledge`) each wildcard this
     * construct's own policies need, after every grant is in place. A wildcard that matches none of
     * these reasons stays a finding.
     */
    explainWildcards() {
        for (const fn of [this.tickFunction, this.guardFunction, ...Object.values(this.hookFunctions)]) {
            aws_cdk_lib_1.Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: 'The engine targets the nodejs22.x runtime (arm64) it is built and tested for; a newer runtime is a deliberate upgrade.' });
        }
        if (this.smokeCheckConnections) {
            aws_cdk_lib_1.Validations.of(this.hookFunctions.AfterAllowTestTraffic.role).acknowledge({
                id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
                reason: 'A Lambda function in a VPC needs the ENI permissions of AWSLambdaVPCAccessExecutionRole, which AWS maintains for exactly this use.',
            });
        }
        aws_cdk_lib_1.Aspects.of(this).add({
            visit: (node) => {
                if (!(node instanceof iam.CfnPolicy))
                    return;
                const document = aws_cdk_lib_1.Stack.of(node).resolve(node.policyDocument);
                for (const statement of document.Statement ?? []) {
                    for (const action of [statement.Action ?? []].flat()) {
                        const reason = ACTION_WILDCARD_REASONS[action];
                        if (reason)
                            aws_cdk_lib_1.Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
                    }
                    for (const resource of [statement.Resource ?? []].flat()) {
                        const flat = flattenReference(resource);
                        const reason = WILDCARD_REASONS.find(([pattern]) => pattern.test(flat))?.[1];
                        if (flat.includes('*') && reason)
                            aws_cdk_lib_1.Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
                    }
                }
            },
        });
    }
    /** What the engine publishes into the deployment metadata (`EngineAttachment` of the service stack). */
    get attachment() {
        const hooks = {};
        for (const hook of plan_1.HOOKS)
            hooks[hook] = this.hookFunctions[hook].functionName;
        return { hooks, auditTableName: this.auditTable.tableName, stateMachineArn: this.stateMachine.stateMachineArn };
    }
    rolloutLoop(logRetention) {
        const tick = new tasks.LambdaInvoke(this, 'Observe, decide, act', {
            lambdaFunction: this.tickFunction,
            payloadResponseOnly: true,
            retryOnServiceExceptions: true,
        });
        tick.addRetry({ errors: ['States.ALL'], interval: aws_cdk_lib_1.Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
        // A tick that keeps failing must not leave production half-shifted until CodeDeploy's hook
        // timeout: the same function, given the error, restores the original and reports Failed.
        const failSafe = new tasks.LambdaInvoke(this, 'Restore and report Failed', {
            lambdaFunction: this.tickFunction,
            payloadResponseOnly: true,
            retryOnServiceExceptions: true,
        });
        failSafe.addRetry({ errors: ['States.ALL'], interval: aws_cdk_lib_1.Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
        tick.addCatch(failSafe.next(new sfn.Fail(this, 'Tick failed', { error: 'TickFailed', cause: 'the tick kept failing; the original was restored and the hook reported Failed' })), { errors: ['States.ALL'], resultPath: '$.error' });
        const wait = new sfn.Wait(this, 'Wait', { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
        const done = new sfn.Choice(this, 'Done?')
            .when(sfn.Condition.booleanEquals('$.done', true), new sfn.Succeed(this, 'Hook answered'))
            .otherwise(wait.next(tick));
        return new sfn.StateMachine(this, 'RolloutLoop', {
            stateMachineType: sfn.StateMachineType.STANDARD,
            definitionBody: sfn.DefinitionBody.fromChainable(tick.next(done)),
            // One hook window: CodeDeploy's one-hour hook limit plus the time to restore and report.
            timeout: aws_cdk_lib_1.Duration.minutes(65),
            tracingEnabled: true,
            logs: {
                destination: new logs.LogGroup(this, 'RolloutLoopLogs', { retention: logRetention, removalPolicy: aws_cdk_lib_1.RemovalPolicy.DESTROY }),
                level: sfn.LogLevel.ALL,
            },
        });
    }
    grant(props) {
        const stack = aws_cdk_lib_1.Stack.of(this);
        const deploymentGroupArn = props.deploymentGroup.deploymentGroupArn;
        const listenerArn = props.productionListenerArn;
        const parameterArn = (name) => stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, ''), arnFormat: aws_cdk_lib_1.ArnFormat.SLASH_RESOURCE_NAME });
        const ruleArns = listenerRuleArnPattern(listenerArn);
        const executionsArn = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${this.stateMachine.stateMachineName}:*`, arnFormat: aws_cdk_lib_1.ArnFormat.COLON_RESOURCE_NAME });
        const statements = {
            deployment: new iam.PolicyStatement({
                actions: ['codedeploy:GetDeployment', 'codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget'],
                resources: [deploymentGroupArn],
            }),
            reportHook: new iam.PolicyStatement({ actions: ['codedeploy:PutLifecycleEventHookExecutionStatus'], resources: [deploymentGroupArn] }),
            // Describe* of Elastic Load Balancing do not support resource-level permissions, so target
            // groups cannot be named in IAM; the adapters refuse any target group but the service's two.
            describe: new iam.PolicyStatement({
                actions: ['elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetHealth'],
                resources: ['*'],
            }),
            modifyListener: new iam.PolicyStatement({ actions: ['elasticloadbalancing:ModifyListener'], resources: [listenerArn] }),
            createRule: new iam.PolicyStatement({ actions: ['elasticloadbalancing:CreateRule'], resources: [listenerArn] }),
            deleteRule: new iam.PolicyStatement({ actions: ['elasticloadbalancing:DeleteRule'], resources: [ruleArns] }),
            // GetMetricData and PutMetricData do not support resource-level permissions; PutMetricData is limited to the engine's namespace.
            readMetrics: new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
            putMetric: new iam.PolicyStatement({
                actions: ['cloudwatch:PutMetricData'], resources: ['*'],
                conditions: { StringEquals: { 'cloudwatch:namespace': cloudwatch_1.ENGINE_NAMESPACE } },
            }),
            audit: new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:GetItem'], resources: [this.auditTable.tableArn] }),
            publish: new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [props.topic.topicArn] }),
            topicKey: props.topicKey ? new iam.PolicyStatement({ actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: [props.topicKey.keyArn] }) : undefined,
            metadata: new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn(props.metadataParameterName)] }),
            freeze: new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn(props.freezeParameterName)] }),
            start: new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
            stop: new iam.PolicyStatement({ actions: ['states:StopExecution'], resources: [executionsArn] }),
            describeExecution: new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executionsArn] }),
        };
        const common = [statements.deployment, statements.describe, statements.modifyListener, statements.deleteRule, statements.putMetric, statements.audit, statements.publish, statements.metadata]
            .concat(statements.topicKey ? [statements.topicKey] : []);
        for (const hook of plan_1.HOOKS) {
            const extra = hook === 'AfterAllowTestTraffic' ? [statements.freeze] : [];
            attach(this.hookFunctions[hook], [...common, statements.reportHook, statements.start, statements.describeExecution, ...extra]);
        }
        attach(this.tickFunction, [...common, statements.reportHook, statements.createRule, statements.readMetrics]);
        attach(this.guardFunction, [...common, statements.stop]);
    }
}
exports.RolloutEngine = RolloutEngine;
/** Why each wildcard of the engine's policies is needed, by the flattened resource it appears in. */
const WILDCARD_REASONS = [
    [/^\*$/, 'Resource * only for elasticloadbalancing:Describe*, cloudwatch:GetMetricData/PutMetricData (no resource-level permissions; PutMetricData limited to the EcsCanary namespace) and X-Ray tracing of the state machine.'],
    [/:listener-rule\/.*\/\*$/, 'The canary-header rule is created at run time, so its ARN is only known as a rule of this production listener.'],
    [/:execution:.*:\*$/, 'Rollout executions are named per deployment (<deploymentId>-<hook>) of this state machine.'],
    [/^<.*Logs[0-9A-F]{8}\.Arn>:\*$|^<.*Logs[0-9A-F]{8}\.Arn>$/, 'Log streams of the function\'s own log group.'],
    [/^<.*Tick[0-9A-F]{8}\.Arn>:\*$/, 'Step Functions may invoke the tick function\'s versions.'],
];
const ACTION_WILDCARD_REASONS = {
    'kms:GenerateDataKey*': 'Publishing to a KMS-encrypted topic needs GenerateDataKey*, granted on the topic key only.',
};
/** A CloudFormation value as cdk-nag flattens it into a finding id (Ref → <Id>, GetAtt → <Id.Attr>, Join). */
function flattenReference(value) {
    if (value === undefined)
        return '';
    if (typeof value === 'string')
        return value.replace(/\$\{/g, '<').replace(/}/g, '>');
    const node = value;
    if (node['Fn::Join']) {
        const [delimiter, items] = node['Fn::Join'];
        return items.map(flattenReference).join(delimiter);
    }
    if (node['Fn::Sub'])
        return flattenReference(node['Fn::Sub']);
    if (node['Fn::GetAtt']) {
        const [resource, attribute] = node['Fn::GetAtt'];
        return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (node['Fn::ImportValue'])
        return flattenReference(node['Fn::ImportValue']);
    if (node.Ref)
        return `<${flattenReference(node.Ref)}>`;
    return JSON.stringify(value);
}
function attach(fn, statements) {
    for (const statement of statements)
        fn.addToRolePolicy(statement);
}
/** `CodeDeployHook_<service>-<hook>`, the function-name prefix CodeDeploy's managed role policies expect. */
function hookFunctionName(service, hook) {
    return `CodeDeployHook_${service}-${hook}`;
}
/**
 * Listener rule ARNs of a listener: `…:listener/app/<lb>/<id>/<listener-id>` →
 * `…:listener-rule/app/<lb>/<id>/<listener-id>/*`. Works on tokens (Fn::Split/Join).
 */
function listenerRuleArnPattern(listenerArn) {
    if (!aws_cdk_lib_1.Token.isUnresolved(listenerArn))
        return `${listenerArn.replace(':listener/', ':listener-rule/')}/*`;
    const parts = aws_cdk_lib_1.Fn.split(':listener/', listenerArn);
    return aws_cdk_lib_1.Fn.join('', [aws_cdk_lib_1.Fn.select(0, parts), ':listener-rule/', aws_cdk_lib_1.Fn.select(1, parts), '/*']);
}
/** Fails with the construct path, the field, the value and what is accepted. */
function validate(scope, props, retentionDays) {
    const where = `RolloutEngine ${scope.node.path}`;
    if (!aws_cdk_lib_1.Token.isUnresolved(props.serviceName)) {
        const longest = Math.max(...plan_1.HOOKS.map((hook) => hookFunctionName(props.serviceName, hook).length));
        if (!/^[A-Za-z0-9-_]+$/.test(props.serviceName) || longest > MAX_FUNCTION_NAME) {
            throw new Error(`${where}: serviceName ${JSON.stringify(props.serviceName)} is not accepted; use letters, digits, - and _, at most ${MAX_FUNCTION_NAME - longest + props.serviceName.length} characters (hook functions are named ${hookFunctionName(props.serviceName, 'AfterAllowTestTraffic')})`);
        }
    }
    if (!(Number.isInteger(retentionDays) && retentionDays >= 1)) {
        throw new Error(`${where}: auditRetentionDays is ${retentionDays}; accepted: a whole number of days ≥ 1`);
    }
    const arns = props.targetGroups.map((tg) => tg.targetGroupArn);
    if (props.targetGroups.length !== 2 || (!aws_cdk_lib_1.Token.isUnresolved(arns[0]) && arns[0] === arns[1])) {
        throw new Error(`${where}: targetGroups must be the service's two distinct target groups (blue and green)`);
    }
}
