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
const constructs_1 = require("constructs");
const rollout_engine_wildcards_1 = require("./rollout-engine-wildcards");
const plan_1 = require("../lambdas/core/plan");
const guard_1 = require("../lambdas/core/guard");
const cloudwatch_1 = require("../lambdas/aws/cloudwatch");
const handler_entry_1 = require("./handler-entry");
const rollout_loop_1 = require("./rollout-loop");
const audit_signing_key_1 = require("./audit-signing-key");
const audit_anchor_bucket_1 = require("./audit-anchor-bucket");
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
    /** The KMS key the engine signs audit records with (verifiers: kms:GetPublicKey). */
    auditSigningKey;
    /** The Object Lock bucket of the chain's anchors. */
    auditAnchors;
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
        this.auditSigningKey = new audit_signing_key_1.AuditSigningKey(this, 'AuditSigningKey', { serviceName: props.serviceName, removalPolicy: props.auditRemovalPolicy ?? aws_cdk_lib_1.RemovalPolicy.RETAIN });
        this.auditAnchors = new audit_anchor_bucket_1.AuditAnchorBucket(this, 'AuditAnchors', { retentionDays, removalPolicy: props.auditRemovalPolicy ?? aws_cdk_lib_1.RemovalPolicy.RETAIN });
        const environment = {
            SERVICE_NAME: props.serviceName,
            METADATA_PARAMETER: props.metadataParameterName,
            FREEZE_PARAMETER: props.freezeParameterName,
            AUDIT_TABLE_NAME: this.auditTable.tableName,
            AUDIT_RETENTION_DAYS: String(retentionDays),
            AUDIT_KEY_ARN: this.auditSigningKey.key.keyArn,
            AUDIT_ANCHOR_BUCKET: this.auditAnchors.bucket.bucketName,
            ...(props.controlParameterName ? { CONTROL_PARAMETER: props.controlParameterName } : {}),
            TOPIC_ARN: props.topic.topicArn,
            POWERTOOLS_SERVICE_NAME: `ecs-canary-${props.serviceName}`,
            NODE_OPTIONS: '--enable-source-maps',
        };
        const fn = (name, entry, handler, functionName, network, timeout = aws_cdk_lib_1.Duration.millis(guard_1.TICK_TIMEOUT_MS)) => {
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
                timeout,
                environment,
                logGroup,
                bundling: { minify: true, sourceMap: true, target: 'node22' },
                ...network,
            });
        };
        this.tickFunction = fn('Tick', 'tick.ts', 'handler');
        // The guard waits for every tick in flight to end before it re-checks the listener
        // (RECHECK_AFTER_FENCE_MS after its fence), then restores again if needed: it needs that long and a reserve.
        this.guardFunction = fn('Guard', 'guard.ts', 'handler', undefined, undefined, aws_cdk_lib_1.Duration.millis(guard_1.RECHECK_AFTER_FENCE_MS + 2 * guard_1.RECHECK_RESERVE_MS));
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
        this.stateMachine = (0, rollout_loop_1.rolloutLoop)(this, this.tickFunction, logRetention);
        for (const hook of plan_1.HOOKS)
            hooks[hook].addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
        this.guardFunction.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
        if (props.rollbackAlarms?.length)
            this.guardFunction.addEnvironment('ALARM_NAMES', aws_cdk_lib_1.Fn.join(',', props.rollbackAlarms.map((a) => a.alarmName)));
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
        this.protectTrail(props.serviceName);
        this.explainWildcards();
    }
    /**
     * Explains to cdk-nag (AwsSolutions, through `Validations.acknowledge`) each wildcard this
     * construct's own policies need, after every grant is in place. A `Resource: "*"` is explained
     * only when every action of its statements is in WILDCARD_ONLY_ACTIONS, and the reason names
     * them; any other wildcard stays a finding.
     */
    explainWildcards() {
        for (const fn of [this.tickFunction, this.guardFunction, ...Object.values(this.hookFunctions)]) {
            aws_cdk_lib_1.Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: 'The engine targets the nodejs22.x runtime (arm64) it is built and tested for; a newer runtime is a deliberate upgrade.' });
        }
        (0, rollout_engine_wildcards_1.explainPolicyWildcards)(this);
    }
    /** What the engine publishes into the deployment metadata (`EngineAttachment` of the service stack). */
    get attachment() {
        const hooks = {};
        for (const hook of plan_1.HOOKS)
            hooks[hook] = this.hookFunctions[hook].functionName;
        return {
            hooks, auditTableName: this.auditTable.tableName, stateMachineArn: this.stateMachine.stateMachineArn,
            auditKeyArn: this.auditSigningKey.key.keyArn, auditAnchorBucket: this.auditAnchors.bucket.bucketName,
        };
    }
    /**
     * Only the engine writes the trail (docs/audit.md): every function that appends signs
     * (kms:Sign, denied to everyone else in the key policy) and anchors, and the audit table's
     * resource policy denies item writes to every other IAM principal. The Deny applies only to
     * requests that carry a principal ARN: DynamoDB's TTL deletes are made by the service itself,
     * not by a principal (whether a resource policy is evaluated for them at all can only be
     * confirmed on a live account; either way this statement cannot match them).
     */
    protectTrail(serviceName) {
        const writers = [this.tickFunction, this.guardFunction, ...Object.values(this.hookFunctions)].map((fn) => fn.role);
        this.auditSigningKey.restrictSigningTo(writers);
        this.auditAnchors.restrictWritesTo(writers, `${serviceName}/`);
        this.auditTable.addToResourcePolicy(new iam.PolicyStatement({
            sid: 'OnlyTheRolloutEngineWritesTheTrail',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
            resources: ['*'],
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': writers.map((role) => role.roleArn) }, Null: { 'aws:PrincipalArn': 'false' } },
        }));
    }
    /**
     * One role per function, each holding only the calls its handler makes (docs/iam.md lists them;
     * test/iam simulates every call of the end-to-end scenarios against these policies and fails on
     * a grant no call uses). Actions without a resource type get `*`, everything else exact ARNs.
     */
    grant(props) {
        const stack = aws_cdk_lib_1.Stack.of(this);
        const parameterArn = (name) => stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, ''), arnFormat: aws_cdk_lib_1.ArnFormat.SLASH_RESOURCE_NAME });
        const executionsArn = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${this.stateMachine.stateMachineName}:*`, arnFormat: aws_cdk_lib_1.ArnFormat.COLON_RESOURCE_NAME });
        const statement = (actions, resources) => new iam.PolicyStatement({ actions, resources });
        const s = {
            // Cold start of every function (runtime.ts): the deployment metadata.
            metadata: statement(['ssm:GetParameter'], [parameterArn(props.metadataParameterName)]),
            freeze: statement(['ssm:GetParameter'], [parameterArn(props.freezeParameterName)]),
            control: props.controlParameterName ? statement(['ssm:GetParameter'], [parameterArn(props.controlParameterName)]) : undefined,
            alarms: props.rollbackAlarms?.length ? statement(['cloudwatch:DescribeAlarms'], props.rollbackAlarms.map((a) => a.alarmArn)) : undefined,
            // No resource type in the Service Authorization Reference: IAM accepts only "*". Which
            // deployment the call names is checked by the handlers (only this group's deployments reach them).
            targets: statement(['codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget'], ['*']),
            reportHook: statement(['codedeploy:PutLifecycleEventHookExecutionStatus'], ['*']),
            getDeployment: statement(['codedeploy:GetDeployment'], [props.deploymentGroup.deploymentGroupArn]),
            // Describe* of Elastic Load Balancing have no resource type either; the adapters refuse any
            // listener and target group but the service's own.
            describeListener: statement(['elasticloadbalancing:DescribeListeners'], ['*']),
            describeRules: statement(['elasticloadbalancing:DescribeRules'], ['*']),
            targetHealth: statement(['elasticloadbalancing:DescribeTargetHealth'], ['*']),
            modifyListener: statement(['elasticloadbalancing:ModifyListener'], [props.productionListenerArn]),
            createRule: statement(['elasticloadbalancing:CreateRule'], [props.productionListenerArn]),
            deleteRule: statement(['elasticloadbalancing:DeleteRule'], [listenerRuleArnPattern(props.productionListenerArn)]),
            // GetMetricData and PutMetricData name no resource; PutMetricData is limited to the engine's namespace.
            readMetrics: statement(['cloudwatch:GetMetricData'], ['*']),
            putMetric: new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': cloudwatch_1.ENGINE_NAMESPACE } } }),
            appendAudit: statement(['dynamodb:Query', 'dynamodb:PutItem'], [this.auditTable.tableArn]),
            readItem: statement(['dynamodb:GetItem'], [this.auditTable.tableArn]),
            publish: statement(['sns:Publish'], [props.topic.topicArn]),
            // SNS encrypts each published message with a data key it asks KMS for on the publisher's behalf.
            topicKey: props.topicKey ? statement(['kms:GenerateDataKey', 'kms:Decrypt'], [props.topicKey.keyArn]) : undefined,
            start: statement(['states:StartExecution'], [this.stateMachine.stateMachineArn]),
            describeExecution: statement(['states:DescribeExecution'], [executionsArn]),
            stop: statement(['states:StopExecution'], [executionsArn]),
        };
        const notify = [s.publish, ...(s.topicKey ? [s.topicKey] : [])];
        // Every hook checks for a duplicate invocation, reads its targets, records its decision and starts
        // its window's execution; a failed check removes the header rule (and restores the weights).
        const hook = [s.metadata, s.describeExecution, s.targets, s.appendAudit, s.start, s.describeRules, s.deleteRule];
        // A window without work (BeforeAllowTraffic only: every plan has a post-traffic bake) or a failed
        // check answers CodeDeploy itself and notifies; the restore reads and writes the weights.
        const answers = [s.reportHook, ...notify, s.describeListener, s.modifyListener];
        attach(this.hookFunctions.AfterAllowTestTraffic, [...hook, ...answers, s.freeze, s.targetHealth]);
        attach(this.hookFunctions.BeforeAllowTraffic, [...hook, ...answers, s.targetHealth]);
        // AfterAllowTraffic always has the post-traffic bake, and can fail only when its targets cannot be
        // read, which stops it before it restores or reports: the tick answers for it.
        attach(this.hookFunctions.AfterAllowTraffic, hook);
        // The tick re-reads the freeze switch on every tick (a freeze holds a running rollout).
        const control = s.control ? [s.control] : [];
        attach(this.tickFunction, [
            ...control, s.metadata, s.freeze, s.getDeployment, s.targets, s.readItem, s.describeListener, s.targetHealth, s.readMetrics, s.appendAudit,
            s.modifyListener, s.describeRules, s.createRule, s.deleteRule, s.reportHook, s.putMetric, ...notify,
        ]);
        // The guard writes and reads its fence (GetItem after a conditional put that found one).
        // The guard also records why: the control parameter (who aborted) and the rollback alarms' states.
        attach(this.guardFunction, [
            ...control, ...(s.alarms ? [s.alarms] : []), s.metadata, s.targets, s.describeListener, s.appendAudit, s.readItem, s.stop, s.describeRules, s.deleteRule, s.modifyListener, s.putMetric, ...notify,
        ]);
        if (props.smokeCheckVpc)
            this.grantNetworkInterfaces(this.hookFunctions.AfterAllowTestTraffic, props.smokeCheckVpc);
    }
    /**
     * What Lambda needs to attach a VPC function: it creates, describes and deletes the function's
     * network interfaces with the function's own role (Lambda Developer Guide, "Giving Lambda
     * functions access to resources in an Amazon VPC"; the EC2 actions of the managed policy
     * AWSLambdaVPCAccessExecutionRole v3, granted inline because the CDK attaches that policy only
     * to roles it creates). Describe* have no resource type; the rest name this account's and
     * region's network interfaces, and CreateNetworkInterface also the function's subnets and
     * security groups. Whether Lambda's own check accepts the scoped ARNs can only be confirmed on
     * a live account (docs/iam.md).
     */
    grantNetworkInterfaces(fn, network) {
        const stack = aws_cdk_lib_1.Stack.of(this);
        const ec2Arn = (resource, name) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
        const interfaces = ec2Arn('network-interface', '*');
        const subnets = network.vpc.selectSubnets(network.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds.map((id) => ec2Arn('subnet', id));
        const groups = fn.connections.securityGroups.map((group) => ec2Arn('security-group', group.securityGroupId));
        attach(fn, [
            new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], resources: ['*'] }),
            new iam.PolicyStatement({ actions: ['ec2:CreateNetworkInterface'], resources: [interfaces, ...subnets, ...groups] }),
            new iam.PolicyStatement({ actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'], resources: [interfaces] }),
        ]);
    }
}
exports.RolloutEngine = RolloutEngine;
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
