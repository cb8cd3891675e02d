import { ArnFormat, CfnOutput, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { explainPolicyWildcards } from './private/rollout-engine-wildcards';
import { HOOKS, type HookName } from '../lambdas/core/rollout-plan';
import { RECHECK_AFTER_FENCE_MS, RECHECK_RESERVE_MS, TICK_TIMEOUT_MS } from '../lambdas/core/guard';
import { ENGINE_NAMESPACE } from '../lambdas/aws/cloudwatch';
import { HANDLER_BUNDLING, handlerEntry } from './private/handler-entry';
import { rolloutLoop } from './private/rollout-loop';
import { AuditSigningKey } from './audit-signing-key';
import { AuditAnchorBucket } from './audit-anchor-bucket';
import { CanaryServiceError } from './canary-service-error';
import { StartCheck } from './start-check';
import { protectAuditTable } from './private/audit-table-policy';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

export interface RolloutEngineProps {
  /** The service name: the audit chain's partition key, the `Service` dimension, part of resource names. */
  readonly serviceName: string;
  /** ARN of the production listener whose weighted forward the engine rewrites. */
  readonly productionListenerArn: string;
  /** The service's two target groups (blue and green); which one is the replacement is discovered per deployment. */
  readonly targetGroups: readonly [elbv2.ITargetGroup, elbv2.ITargetGroup];
  /** The service's CodeDeploy ECS deployment group. */
  readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
  /** The topic rollout events are published to. */
  readonly topic: sns.ITopic;
  /**
   * The KMS key the topic is encrypted with: publishers need `kms:GenerateDataKey` and `kms:Decrypt` on it.
   * @default - the topic is not encrypted with a customer managed key; no KMS permission is granted
   */
  readonly topicKey?: kms.IKey;
  /** Name of the SSM parameter holding the deployment metadata (`/ecs-canary/<name>/deployment`). */
  readonly metadataParameterName: string;
  /** Name of the SSM parameter of the freeze switch (`/ecs-canary/<name>/freeze`). */
  readonly freezeParameterName: string;
  /**
   * Name of the SSM parameter operators write promote/pause/resume/abort to (`/ecs-canary/<name>/control`);
   * the tick acts on it and the guard names who aborted. Written by the CLI, not by the stack.
   * @default - operator commands are not read
   */
  readonly controlParameterName?: string;
  /**
   * The deployment group's rollback alarms: the guard records which were in ALARM when a deployment stopped.
   * @default - no alarm states are recorded
   */
  readonly rollbackAlarms?: readonly cloudwatch.IAlarm[];
  /**
   * The ECS service, when the service file has `metrics:` with a version dimension: the tick reads
   * its task sets (DescribeServices) to tell each version's task definition revision.
   * @default - no ECS read: the metrics are read service-wide
   */
  readonly ecsServiceArn?: string;
  /**
   * Days an audit record is kept before DynamoDB's TTL removes it.
   * @default 90
   */
  readonly auditRetentionDays?: number;
  /**
   * What happens to the audit table when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly auditRemovalPolicy?: RemovalPolicy;
  /**
   * The break-glass path (docs/audit.md): IAM role ARNs (wildcards allowed) that may still change
   * the audit table's TTL and resource policy and the anchor bucket's lifecycle and policy, which
   * are denied to every other principal. CloudFormation needs them to deploy changes to those.
   * @default - CDK's CloudFormation execution roles of the account (`cdk-*-cfn-exec-role-*`)
   */
  readonly auditBreakGlassRoleArns?: readonly string[];
  /**
   * Run the AfterAllowTestTraffic hook inside this VPC. With `target: 'replacement-targets'` its
   * smoke checks go to each healthy replacement task directly (allow `smokeCheckConnections` to
   * reach the tasks' port); with `'test-listener'` through the test listener, which must admit the
   * VPC's egress addresses.
   * @default - the hook runs outside any VPC and checks through the test listener
   *   (`http://<alb>:<test port><path>`), which must then be reachable from the Lambda
   */
  readonly smokeCheckVpc?: {
    readonly vpc: ec2.IVpc;
    /** @default - the private subnets with egress */
    readonly subnets?: ec2.SubnetSelection;
    /** @default 'replacement-targets' */
    readonly target?: 'replacement-targets' | 'test-listener';
  };
  /**
   * Retention of the engine's Lambda and state machine logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

const HOOK_EXPORTS: Record<HookName, string> = {
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
export class RolloutEngine extends Construct {
  public readonly auditTable: dynamodb.Table;
  /** The KMS key the engine signs audit records with (verifiers: kms:GetPublicKey). */
  public readonly auditSigningKey: AuditSigningKey;
  /** The Object Lock bucket of the chain's anchors. */
  public readonly auditAnchors: AuditAnchorBucket;
  public readonly stateMachine: sfn.StateMachine;
  public readonly hookFunctions: Readonly<Record<HookName, nodejs.NodejsFunction>>;
  public readonly tickFunction: nodejs.NodejsFunction;
  public readonly guardFunction: nodejs.NodejsFunction;
  public readonly guardRule: events.Rule;
  /** Stops, at its start, any deployment of the group whose AppSpec does not name the hooks. */
  public readonly startCheck: StartCheck;
  /** The smoke-checking hook's network connections, when it runs in a VPC (`smokeCheckVpc`). */
  public readonly smokeCheckConnections?: ec2.Connections;

  constructor(scope: Construct, id: string, props: RolloutEngineProps) {
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
      removalPolicy: props.auditRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.auditSigningKey = new AuditSigningKey(this, 'AuditSigningKey', { serviceName: props.serviceName, removalPolicy: props.auditRemovalPolicy ?? RemovalPolicy.RETAIN });
    this.auditAnchors = new AuditAnchorBucket(this, 'AuditAnchors', { retentionDays, removalPolicy: props.auditRemovalPolicy ?? RemovalPolicy.RETAIN });

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
    const fn = (name: string, entry: string, handler: string, functionName?: string, network?: Partial<nodejs.NodejsFunctionProps>, timeout = Duration.millis(TICK_TIMEOUT_MS)) => {
      const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
      // An own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
      const role = new iam.Role(this, `${name}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      logGroup.grantWrite(role);
      return new nodejs.NodejsFunction(this, name, {
        entry: handlerEntry(entry),
        handler,
        ...(functionName ? { functionName } : {}),
        role,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 512,
        timeout,
        environment,
        logGroup,
        bundling: HANDLER_BUNDLING,
        ...network,
      });
    };

    this.tickFunction = fn('Tick', 'tick.ts', 'handler');
    // The guard waits for every tick in flight to end before it re-checks the listener
    // (RECHECK_AFTER_FENCE_MS after its fence), then restores again if needed: it needs that long and a reserve.
    this.guardFunction = fn('Guard', 'guard.ts', 'handler', undefined, undefined, Duration.millis(RECHECK_AFTER_FENCE_MS + 2 * RECHECK_RESERVE_MS));
    const hooks = {} as Record<HookName, nodejs.NodejsFunction>;
    const smokeNetwork: Partial<nodejs.NodejsFunctionProps> | undefined = props.smokeCheckVpc && {
      vpc: props.smokeCheckVpc.vpc,
      vpcSubnets: props.smokeCheckVpc.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      allowAllOutbound: true,
    };
    for (const hook of HOOKS) {
      const network = hook === 'AfterAllowTestTraffic' ? smokeNetwork : undefined;
      hooks[hook] = fn(`${hook}Hook`, 'hooks.ts', HOOK_EXPORTS[hook], hookFunctionName(props.serviceName, hook), network);
    }
    this.hookFunctions = hooks;
    if (props.smokeCheckVpc) {
      hooks.AfterAllowTestTraffic.addEnvironment('SMOKE_CHECK_MODE', props.smokeCheckVpc.target ?? 'replacement-targets');
      this.smokeCheckConnections = hooks.AfterAllowTestTraffic.connections;
    }

    this.stateMachine = rolloutLoop(this, this.tickFunction, logRetention);
    for (const hook of HOOKS) hooks[hook].addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    this.guardFunction.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    if (props.rollbackAlarms?.length) this.guardFunction.addEnvironment('ALARM_NAMES', Fn.join(',', props.rollbackAlarms.map((a) => a.alarmName)));

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

    this.startCheck = new StartCheck(this, 'StartCheck', {
      serviceName: props.serviceName, deploymentGroup: props.deploymentGroup, environment, metadataParameterName: props.metadataParameterName,
      freezeParameterName: props.freezeParameterName, auditTable: this.auditTable, topic: props.topic, logRetention,
      ...(props.topicKey ? { topicKey: props.topicKey } : {}),
    });

    this.grant(props);
    this.protectTrail(props.serviceName, props.auditBreakGlassRoleArns ?? [Stack.of(this).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'cdk-*-cfn-exec-role-*' })]);
    // What `canary history --trust-root` pins: kept by whoever deploys, apart from the SSM parameter anyone with ssm:PutParameter can rewrite.
    new CfnOutput(this, 'AuditTrustRoot', {
      description: `ecs-canary ${props.serviceName}: the audit trail's signing key and anchor bucket (canary history --trust-root)`,
      value: Fn.join(',', [this.auditSigningKey.key.keyArn, this.auditAnchors.bucket.bucketName]),
    });
    this.explainWildcards();
  }

  /**
   * Explains to cdk-nag (AwsSolutions, through `Validations.acknowledge`) each wildcard this
   * construct's own policies need, after every grant is in place. A `Resource: "*"` is explained
   * only when every action of its statements is in WILDCARD_ONLY_ACTIONS, and the reason names
   * them; any other wildcard stays a finding.
   */
  private explainWildcards(): void {
    for (const fn of [this.tickFunction, this.guardFunction, ...Object.values(this.hookFunctions)]) {
      Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: 'The engine targets the nodejs22.x runtime (arm64) it is built and tested for; a newer runtime is a deliberate upgrade.' });
    }
    explainPolicyWildcards(this);
  }

  /** What the engine publishes into the deployment metadata (`EngineAttachment` of the service stack). */
  public get attachment(): { hooks: Record<HookName, string>; auditTableName: string; stateMachineArn: string; auditKeyArn: string; auditAnchorBucket: string } {
    const hooks = {} as Record<HookName, string>;
    for (const hook of HOOKS) hooks[hook] = this.hookFunctions[hook].functionName;
    return {
      hooks, auditTableName: this.auditTable.tableName, stateMachineArn: this.stateMachine.stateMachineArn,
      auditKeyArn: this.auditSigningKey.key.keyArn, auditAnchorBucket: this.auditAnchors.bucket.bucketName,
    };
  }

  /**
   * Only the engine writes the trail (docs/audit.md): every function that appends signs
   * (kms:Sign, denied to everyone else in the key policy) and anchors (the bucket policy), and the
   * table's resource policy (`protectAuditTable`) keeps every other writer out.
   */
  private protectTrail(serviceName: string, breakGlass: readonly string[]): void {
    const writers = [this.tickFunction, this.guardFunction, ...Object.values(this.hookFunctions), this.startCheck.function].map((fn) => fn.role!);
    this.auditSigningKey.restrictSigningTo(writers);
    this.auditAnchors.restrictWritesTo(writers, `${serviceName}/`, breakGlass);
    protectAuditTable(this.auditTable, writers, breakGlass);
  }

  /**
   * One role per function, each holding only the calls its handler makes (docs/iam.md lists them;
   * test/iam simulates every call of the end-to-end scenarios against these policies and fails on
   * a grant no call uses). Actions without a resource type get `*`, everything else exact ARNs.
   */
  private grant(props: RolloutEngineProps): void {
    const stack = Stack.of(this);
    const parameterArn = (name: string) => stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, ''), arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const executionsArn = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${this.stateMachine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const statement = (actions: string[], resources: string[]) => new iam.PolicyStatement({ actions, resources });
    const s = {
      // Cold start of every function (runtime.ts): the deployment metadata.
      metadata: statement(['ssm:GetParameter'], [parameterArn(props.metadataParameterName)]),
      freeze: statement(['ssm:GetParameter'], [parameterArn(props.freezeParameterName)]),
      control: props.controlParameterName ? statement(['ssm:GetParameter'], [parameterArn(props.controlParameterName)]) : undefined,
      alarms: props.rollbackAlarms?.length ? statement(['cloudwatch:DescribeAlarms'], props.rollbackAlarms.map((a) => a.alarmArn)) : undefined,
      versions: props.ecsServiceArn ? statement(['ecs:DescribeServices'], [props.ecsServiceArn]) : undefined,
      // No resource type in the Service Authorization Reference: IAM accepts only "*". Which
      // deployment the call names is checked by the handlers (only this group's deployments reach them).
      targets: statement(['codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget'], ['*']),
      reportHook: statement(['codedeploy:PutLifecycleEventHookExecutionStatus'], ['*']),
      getDeployment: statement(['codedeploy:GetDeployment'], [props.deploymentGroup.deploymentGroupArn]),
      // Whether a deployment is still its group's current one, before a restore (core/currency.ts).
      listDeployments: statement(['codedeploy:ListDeployments'], [props.deploymentGroup.deploymentGroupArn]),
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
      putMetric: new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': ENGINE_NAMESPACE } } }),
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
    // check answers CodeDeploy itself and notifies; the restore reads and writes the weights, once it
    // has checked that the deployment is its group's current one and the original has a healthy target.
    const answers = [s.reportHook, ...notify, s.describeListener, s.modifyListener, s.getDeployment, s.listDeployments];
    attach(this.hookFunctions.AfterAllowTestTraffic, [...hook, ...answers, s.freeze, s.targetHealth]);
    attach(this.hookFunctions.BeforeAllowTraffic, [...hook, ...answers, s.targetHealth]);
    // AfterAllowTraffic fails when its targets stay unreadable or its execution cannot be started:
    // no tick runs then, so the hook itself records, answers Failed and notifies (and restores when
    // it knows the target groups).
    attach(this.hookFunctions.AfterAllowTraffic, [...hook, ...answers, s.targetHealth]);
    // The tick re-reads the freeze switch on every tick (a freeze holds a running rollout).
    const control = s.control ? [s.control] : [];
    attach(this.tickFunction, [
      ...control, s.metadata, s.freeze, s.getDeployment, s.listDeployments, s.targets, s.readItem, s.describeListener, s.targetHealth, s.readMetrics, s.appendAudit,
      s.modifyListener, s.describeRules, s.createRule, s.deleteRule, s.reportHook, s.putMetric, ...notify, ...(s.versions ? [s.versions] : []),
    ]);
    // The guard writes and reads its fence (GetItem after a conditional put that found one), checks
    // that the event's deployment is its group's current one and the original's health before it restores.
    // The guard also records why: the control parameter (who aborted) and the rollback alarms' states.
    attach(this.guardFunction, [
      ...control, ...(s.alarms ? [s.alarms] : []), s.metadata, s.getDeployment, s.listDeployments, s.targets, s.describeListener, s.targetHealth,
      s.appendAudit, s.readItem, s.stop, s.describeRules, s.deleteRule, s.modifyListener, s.putMetric, ...notify,
    ]);
    if (props.smokeCheckVpc) this.grantNetworkInterfaces(this.hookFunctions.AfterAllowTestTraffic, props.smokeCheckVpc);
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
  private grantNetworkInterfaces(fn: nodejs.NodejsFunction, network: NonNullable<RolloutEngineProps['smokeCheckVpc']>): void {
    const stack = Stack.of(this);
    const ec2Arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
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

function attach(fn: lambda.Function, statements: iam.PolicyStatement[]): void {
  for (const statement of statements) fn.addToRolePolicy(statement);
}

/** `CodeDeployHook_<service>-<hook>`, the function-name prefix CodeDeploy's managed role policies expect. */
export function hookFunctionName(service: string, hook: HookName): string {
  return `CodeDeployHook_${service}-${hook}`;
}

/**
 * Listener rule ARNs of a listener: `…:listener/app/<lb>/<id>/<listener-id>` →
 * `…:listener-rule/app/<lb>/<id>/<listener-id>/*`. Works on tokens (Fn::Split/Join).
 */
export function listenerRuleArnPattern(listenerArn: string): string {
  if (!Token.isUnresolved(listenerArn)) return `${listenerArn.replace(':listener/', ':listener-rule/')}/*`;
  const parts = Fn.split(':listener/', listenerArn);
  return Fn.join('', [Fn.select(0, parts), ':listener-rule/', Fn.select(1, parts), '/*']);
}

/** Fails with the construct path, the field, the value and what is accepted. */
function validate(scope: Construct, props: RolloutEngineProps, retentionDays: number): void {
  const where = `RolloutEngine ${scope.node.path}`;
  if (!Token.isUnresolved(props.serviceName)) {
    const longest = Math.max(...HOOKS.map((hook) => hookFunctionName(props.serviceName, hook).length));
    if (!/^[A-Za-z0-9-_]+$/.test(props.serviceName) || longest > MAX_FUNCTION_NAME) {
      throw new CanaryServiceError(`${where}: serviceName ${JSON.stringify(props.serviceName)} is not accepted; use letters, digits, - and _, at most ${MAX_FUNCTION_NAME - longest + props.serviceName.length} characters (hook functions are named ${hookFunctionName(props.serviceName, 'AfterAllowTestTraffic')})`);
    }
  }
  if (!(Number.isInteger(retentionDays) && retentionDays >= 1)) {
    throw new CanaryServiceError(`${where}: auditRetentionDays is ${retentionDays}; accepted: a whole number of days ≥ 1`);
  }
  const arns = props.targetGroups.map((tg) => tg.targetGroupArn);
  if (props.targetGroups.length !== 2 || (!Token.isUnresolved(arns[0]) && arns[0] === arns[1])) {
    throw new CanaryServiceError(`${where}: targetGroups must be the service's two distinct target groups (blue and green)`);
  }
}
