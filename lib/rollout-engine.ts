import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';

import { RECHECK_AFTER_FENCE_MS, RECHECK_RESERVE_MS, TICK_TIMEOUT_MS } from '../lambdas/core/guard';
import { GUARD_EVENT_STATES } from '../lambdas/core/lambda-events';
import { type HookName, HOOKS } from '../lambdas/core/rollout-plan';
import { AuditAnchorBucket } from './audit-anchor-bucket';
import { AuditSigningKey } from './audit-signing-key';
import { CanaryServiceError } from './canary-service-error';
import { protectAuditTable } from './private/audit-table-policy';
import { engineFunction, type EngineFunctionOptions } from './private/engine-function';
import { grantEngineCalls, listenerRuleArnPattern } from './private/rollout-engine-grants';
import { explainPolicyWildcards } from './private/rollout-engine-wildcards';
import { rolloutLoop } from './private/rollout-loop';
import { StartCheck } from './start-check';

export interface RolloutEngineProps {
  /** The service name: the audit chain's partition key, the `Service` dimension, part of resource names. */
  readonly serviceName: string;
  /** ARN of the production listener whose weighted forward the engine rewrites. */
  readonly productionListenerArn: string;
  /**
   * ARN of the deployment group's test listener: the guard puts it back on the original target group
   * after a stop without CodeDeploy's rollback (else the group's next deployment fails at its start).
   * @default - the guard may not write the test listener
   */
  readonly testListenerArn?: string;
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
/**
 * How long Lambda keeps a hook's event before it gives up and sends it to the on-failure
 * destination. Three attempts take about 6 minutes (60 s each, 1 and 2 minutes apart); 15 minutes
 * leave room for throttling while the hook is still answered long before CodeDeploy's one-hour timeout.
 */
export const HOOK_MAX_EVENT_AGE = Duration.minutes(15);
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
  /** The hook functions' on-failure destination: answers `Failed` for a hook invocation Lambda gave up on. */
  public readonly hookFailureFunction: nodejs.NodejsFunction;
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
    this.auditSigningKey = new AuditSigningKey(this, 'AuditSigningKey', {
      serviceName: props.serviceName,
      removalPolicy: props.auditRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.auditAnchors = new AuditAnchorBucket(this, 'AuditAnchors', {
      retentionDays,
      removalPolicy: props.auditRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

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
    const fn = (id: string, options: Omit<EngineFunctionOptions, 'environment' | 'logRetention'>) =>
      engineFunction(this, id, { ...options, environment, logRetention });

    this.tickFunction = fn('Tick', { entry: 'tick.ts', handler: 'handler', timeout: Duration.millis(TICK_TIMEOUT_MS) });
    // The guard waits for every tick in flight to end before it re-checks the listener
    // (RECHECK_AFTER_FENCE_MS after its fence), then restores again if needed: it needs that long and a reserve.
    this.guardFunction = fn('Guard', {
      entry: 'guard.ts',
      handler: 'handler',
      timeout: Duration.millis(RECHECK_AFTER_FENCE_MS + 2 * RECHECK_RESERVE_MS),
    });
    const hooks = {} as Record<HookName, nodejs.NodejsFunction>;
    const smokeNetwork: Partial<nodejs.NodejsFunctionProps> | undefined = props.smokeCheckVpc && {
      vpc: props.smokeCheckVpc.vpc,
      vpcSubnets: props.smokeCheckVpc.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      allowAllOutbound: true,
    };
    for (const hook of HOOKS) {
      const network = hook === 'AfterAllowTestTraffic' ? smokeNetwork : undefined;
      hooks[hook] = fn(`${hook}Hook`, {
        entry: 'hooks.ts',
        handler: HOOK_EXPORTS[hook],
        functionName: hookFunctionName(props.serviceName, hook),
        network,
        timeout: Duration.millis(TICK_TIMEOUT_MS),
      });
    }
    this.hookFunctions = hooks;
    // A hook invocation that fails on every attempt, or waits in Lambda's queue longer than
    // HOOK_MAX_EVENT_AGE, is answered Failed by this function instead of CodeDeploy's one-hour timeout.
    this.hookFailureFunction = fn('HookFailure', {
      entry: 'hook-failure.ts',
      handler: 'handler',
      timeout: Duration.millis(TICK_TIMEOUT_MS),
    });
    const onFailure = new destinations.LambdaDestination(this.hookFailureFunction, { responseOnly: false });
    for (const hook of HOOKS) hooks[hook].configureAsyncInvoke({ retryAttempts: 2, maxEventAge: HOOK_MAX_EVENT_AGE, onFailure });
    if (props.smokeCheckVpc) {
      hooks.AfterAllowTestTraffic.addEnvironment('SMOKE_CHECK_MODE', props.smokeCheckVpc.target ?? 'replacement-targets');
      this.smokeCheckConnections = hooks.AfterAllowTestTraffic.connections;
    }

    this.stateMachine = rolloutLoop(this, this.tickFunction, logRetention);
    for (const hook of HOOKS) hooks[hook].addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    this.guardFunction.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    if (props.rollbackAlarms?.length)
      this.guardFunction.addEnvironment(
        'ALARM_NAMES',
        Fn.join(
          ',',
          props.rollbackAlarms.map((a) => a.alarmName),
        ),
      );

    this.guardRule = new events.Rule(this, 'GuardRule', {
      description: `ecs-canary ${props.serviceName}: deployment FAILURE/STOP → restore the original`,
      eventPattern: {
        source: ['aws.codedeploy'],
        detailType: ['CodeDeploy Deployment State-change Notification'],
        detail: {
          state: [...GUARD_EVENT_STATES],
          application: [props.deploymentGroup.application.applicationName],
          deploymentGroup: [props.deploymentGroup.deploymentGroupName],
        },
      },
      targets: [new eventTargets.LambdaFunction(this.guardFunction, { retryAttempts: 4 })],
    });

    this.startCheck = new StartCheck(this, 'StartCheck', {
      serviceName: props.serviceName,
      deploymentGroup: props.deploymentGroup,
      environment,
      metadataParameterName: props.metadataParameterName,
      freezeParameterName: props.freezeParameterName,
      auditTable: this.auditTable,
      topic: props.topic,
      logRetention,
      ...(props.topicKey ? { topicKey: props.topicKey } : {}),
    });

    grantEngineCalls(this, props);
    this.protectTrail(
      props.serviceName,
      props.auditBreakGlassRoleArns ?? [
        Stack.of(this).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'cdk-*-cfn-exec-role-*' }),
      ],
    );
    // What `canary history --trust-root` pins: kept by whoever deploys, apart from the SSM parameter anyone with
    // ssm:PutParameter can rewrite.
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
    for (const fn of [this.tickFunction, this.guardFunction, this.hookFailureFunction, ...Object.values(this.hookFunctions)]) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'The engine targets the nodejs22.x runtime (arm64) it is built and tested for; a newer runtime is a deliberate upgrade.',
      });
    }
    explainPolicyWildcards(this);
  }

  /** What the engine publishes into the deployment metadata (`EngineAttachment` of the service stack). */
  public get attachment(): {
    hooks: Record<HookName, string>;
    auditTableName: string;
    stateMachineArn: string;
    auditKeyArn: string;
    auditAnchorBucket: string;
  } {
    const hooks = {} as Record<HookName, string>;
    for (const hook of HOOKS) hooks[hook] = this.hookFunctions[hook].functionName;
    return {
      hooks,
      auditTableName: this.auditTable.tableName,
      stateMachineArn: this.stateMachine.stateMachineArn,
      auditKeyArn: this.auditSigningKey.key.keyArn,
      auditAnchorBucket: this.auditAnchors.bucket.bucketName,
    };
  }

  /**
   * Only the engine writes the trail (docs/audit.md): every function that appends signs
   * (kms:Sign, denied to everyone else in the key policy) and anchors (the bucket policy), and the
   * table's resource policy (`protectAuditTable`) keeps every other writer out.
   */
  private protectTrail(serviceName: string, breakGlass: readonly string[]): void {
    const writers = [
      this.tickFunction,
      this.guardFunction,
      this.hookFailureFunction,
      ...Object.values(this.hookFunctions),
      this.startCheck.function,
    ].map((fn) => fn.role!);
    this.auditSigningKey.restrictSigningTo(writers);
    this.auditAnchors.restrictWritesTo(writers, `${serviceName}/`, breakGlass);
    protectAuditTable(this.auditTable, writers, breakGlass);
  }
}

/** `CodeDeployHook_<service>-<hook>`, the function-name prefix CodeDeploy's managed role policies expect. */
export function hookFunctionName(service: string, hook: HookName): string {
  return `CodeDeployHook_${service}-${hook}`;
}

/** Fails with the construct path, the field, the value and what is accepted. */
function validate(scope: Construct, props: RolloutEngineProps, retentionDays: number): void {
  const where = `RolloutEngine ${scope.node.path}`;
  if (!Token.isUnresolved(props.serviceName)) {
    const longest = Math.max(...HOOKS.map((hook) => hookFunctionName(props.serviceName, hook).length));
    if (!/^[A-Za-z0-9-_]+$/.test(props.serviceName) || longest > MAX_FUNCTION_NAME) {
      throw new CanaryServiceError(
        `${where}: serviceName ${JSON.stringify(props.serviceName)} is not accepted; use letters, digits, - and _, at most ${MAX_FUNCTION_NAME - longest + props.serviceName.length} characters (hook functions are named ${hookFunctionName(props.serviceName, 'AfterAllowTestTraffic')})`,
      );
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

export { listenerRuleArnPattern };
