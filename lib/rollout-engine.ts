import { ArnFormat, Aspects, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
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
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, type IConstruct } from 'constructs';
import { HOOKS, type HookName } from '../lambdas/core/plan';
import { ENGINE_NAMESPACE } from '../lambdas/aws/cloudwatch';
import { handlerEntry } from './handler-entry';

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
   * The KMS key the topic is encrypted with: publishers need `kms:GenerateDataKey*` and `kms:Decrypt` on it.
   * @default - the topic is not encrypted with a customer managed key; no KMS permission is granted
   */
  readonly topicKey?: kms.IKey;
  /** Name of the SSM parameter holding the deployment metadata (`/ecs-canary/<name>/deployment`). */
  readonly metadataParameterName: string;
  /** Name of the SSM parameter of the freeze switch (`/ecs-canary/<name>/freeze`). */
  readonly freezeParameterName: string;
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
  public readonly stateMachine: sfn.StateMachine;
  public readonly hookFunctions: Readonly<Record<HookName, nodejs.NodejsFunction>>;
  public readonly tickFunction: nodejs.NodejsFunction;
  public readonly guardFunction: nodejs.NodejsFunction;
  public readonly guardRule: events.Rule;
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
    const fn = (name: string, entry: string, handler: string, functionName?: string, network?: Partial<nodejs.NodejsFunctionProps>) => {
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
        timeout: Duration.minutes(1),
        environment,
        logGroup,
        bundling: { minify: true, sourceMap: true, target: 'node22' },
        ...network,
      });
    };

    this.tickFunction = fn('Tick', 'tick.ts', 'handler');
    this.guardFunction = fn('Guard', 'guard.ts', 'handler');
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

    this.stateMachine = this.rolloutLoop(logRetention);
    for (const hook of HOOKS) hooks[hook].addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
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
  private explainWildcards(): void {
    for (const fn of [this.tickFunction, this.guardFunction, ...Object.values(this.hookFunctions)]) {
      Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: 'The engine targets the nodejs22.x runtime (arm64) it is built and tested for; a newer runtime is a deliberate upgrade.' });
    }
    if (this.smokeCheckConnections) {
      Validations.of(this.hookFunctions.AfterAllowTestTraffic.role!).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason: 'A Lambda function in a VPC needs the ENI permissions of AWSLambdaVPCAccessExecutionRole, which AWS maintains for exactly this use.',
      });
    }
    Aspects.of(this).add({
      visit: (node: IConstruct) => {
        if (!(node instanceof iam.CfnPolicy)) return;
        const document = Stack.of(node).resolve(node.policyDocument) as { Statement?: Array<{ Resource?: unknown; Action?: string | string[] }> };
        for (const statement of document.Statement ?? []) {
          for (const action of [statement.Action ?? []].flat()) {
            const reason = ACTION_WILDCARD_REASONS[action];
            if (reason) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
          }
          for (const resource of [statement.Resource ?? []].flat()) {
            const flat = flattenReference(resource);
            const reason = WILDCARD_REASONS.find(([pattern]) => pattern.test(flat))?.[1];
            if (flat.includes('*') && reason) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
          }
        }
      },
    });
  }

  /** What the engine publishes into the deployment metadata (`EngineAttachment` of the service stack). */
  public get attachment(): { hooks: Record<HookName, string>; auditTableName: string; stateMachineArn: string } {
    const hooks = {} as Record<HookName, string>;
    for (const hook of HOOKS) hooks[hook] = this.hookFunctions[hook].functionName;
    return { hooks, auditTableName: this.auditTable.tableName, stateMachineArn: this.stateMachine.stateMachineArn };
  }

  private rolloutLoop(logRetention: logs.RetentionDays): sfn.StateMachine {
    const tick = new tasks.LambdaInvoke(this, 'Observe, decide, act', {
      lambdaFunction: this.tickFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    tick.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
    // A tick that keeps failing must not leave production half-shifted until CodeDeploy's hook
    // timeout: the same function, given the error, restores the original and reports Failed.
    const failSafe = new tasks.LambdaInvoke(this, 'Restore and report Failed', {
      lambdaFunction: this.tickFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    failSafe.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
    tick.addCatch(failSafe.next(new sfn.Fail(this, 'Tick failed', { error: 'TickFailed', cause: 'the tick kept failing; the original was restored and the hook reported Failed' })), { errors: ['States.ALL'], resultPath: '$.error' });
    const wait = new sfn.Wait(this, 'Wait', { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
    const done = new sfn.Choice(this, 'Done?')
      .when(sfn.Condition.booleanEquals('$.done', true), new sfn.Succeed(this, 'Hook answered'))
      .otherwise(wait.next(tick));
    return new sfn.StateMachine(this, 'RolloutLoop', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(tick.next(done)),
      // One hook window: CodeDeploy's one-hour hook limit plus the time to restore and report.
      timeout: Duration.minutes(65),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'RolloutLoopLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY }),
        level: sfn.LogLevel.ALL,
      },
    });
  }

  private grant(props: RolloutEngineProps): void {
    const stack = Stack.of(this);
    const deploymentGroupArn = props.deploymentGroup.deploymentGroupArn;
    const listenerArn = props.productionListenerArn;
    const parameterArn = (name: string) => stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, ''), arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const ruleArns = listenerRuleArnPattern(listenerArn);
    const executionsArn = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${this.stateMachine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

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
        conditions: { StringEquals: { 'cloudwatch:namespace': ENGINE_NAMESPACE } },
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
    for (const hook of HOOKS) {
      const extra = hook === 'AfterAllowTestTraffic' ? [statements.freeze] : [];
      attach(this.hookFunctions[hook], [...common, statements.reportHook, statements.start, statements.describeExecution, ...extra]);
    }
    attach(this.tickFunction, [...common, statements.reportHook, statements.createRule, statements.readMetrics]);
    attach(this.guardFunction, [...common, statements.stop]);
  }
}

/** Why each wildcard of the engine's policies is needed, by the flattened resource it appears in. */
const WILDCARD_REASONS: ReadonlyArray<[RegExp, string]> = [
  [/^\*$/, 'Resource * only for elasticloadbalancing:Describe*, cloudwatch:GetMetricData/PutMetricData (no resource-level permissions; PutMetricData limited to the EcsCanary namespace) and X-Ray tracing of the state machine.'],
  [/:listener-rule\/.*\/\*$/, 'The canary-header rule is created at run time, so its ARN is only known as a rule of this production listener.'],
  [/:execution:.*:\*$/, 'Rollout executions are named per deployment (<deploymentId>-<hook>) of this state machine.'],
  [/^<.*Logs[0-9A-F]{8}\.Arn>:\*$|^<.*Logs[0-9A-F]{8}\.Arn>$/, 'Log streams of the function\'s own log group.'],
  [/^<.*Tick[0-9A-F]{8}\.Arn>:\*$/, 'Step Functions may invoke the tick function\'s versions.'],
];

const ACTION_WILDCARD_REASONS: Readonly<Record<string, string>> = {
  'kms:GenerateDataKey*': 'Publishing to a KMS-encrypted topic needs GenerateDataKey*, granted on the topic key only.',
};

/** A CloudFormation value as cdk-nag flattens it into a finding id (Ref → <Id>, GetAtt → <Id.Attr>, Join). */
function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenReference(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenReference(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenReference(node.Ref)}>`;
  return JSON.stringify(value);
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
      throw new Error(`${where}: serviceName ${JSON.stringify(props.serviceName)} is not accepted; use letters, digits, - and _, at most ${MAX_FUNCTION_NAME - longest + props.serviceName.length} characters (hook functions are named ${hookFunctionName(props.serviceName, 'AfterAllowTestTraffic')})`);
    }
  }
  if (!(Number.isInteger(retentionDays) && retentionDays >= 1)) {
    throw new Error(`${where}: auditRetentionDays is ${retentionDays}; accepted: a whole number of days ≥ 1`);
  }
  const arns = props.targetGroups.map((tg) => tg.targetGroupArn);
  if (props.targetGroups.length !== 2 || (!Token.isUnresolved(arns[0]) && arns[0] === arns[1])) {
    throw new Error(`${where}: targetGroups must be the service's two distinct target groups (blue and green)`);
  }
}
