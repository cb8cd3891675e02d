/**
 * FakeAws: one simulated AWS account. It owns the fake clock, every fake service, the record of
 * SDK calls, and installs/uninstalls the fake in place of the SDK clients' `send`.
 *
 *   const world = new FakeAws();
 *   world.install();
 *   const web = world.addService({ name: 'web' });
 *   …
 *   world.restore();
 */
import { type DeploymentMetadata, parameterNames, type ThresholdsMetadata } from '../../lambdas/core/metadata';
import { type CompiledPlan, compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../lambdas/core/rollout-plan';
import { FakeClock, type HandlerErrorMode } from './clock';
import { FakeCloudWatch } from './cloudwatch';
import { FakeCodeDeploy } from './codedeploy';
import type { DeploymentGroup } from './codedeploy-lifecycle';
import type { CodeDeployTimings } from './codedeploy-runner';
import { FakeDynamoDb } from './dynamodb';
import { type EcsService, FakeEcs, type TaskHealth, type TaskSet } from './ecs';
import { FakeElbv2, type TargetGroup } from './elbv2';
import { FakeHttp } from './http';
import { FakeKms } from './kms';
import { FakeLambda } from './lambda';
import { type ApiCall, type CallInterceptor, installMocks } from './mocks';
import { FakeS3 } from './s3';
import { FakeStepFunctions } from './sfn';
import type { AslDefinition } from './sfn-asl';
import { FakeSns } from './sns';
import { FakeSsm } from './ssm';
import { FakeSts } from './sts';

export interface FakeAwsProps {
  /** @default - a new FakeClock at 2026-01-05T10:00:00Z */
  readonly clock?: FakeClock;
  /** @default 'throw' (see FakeClock) */
  readonly onHandlerError?: HandlerErrorMode;
  /** @default DEFAULT_TIMINGS in codedeploy-runner.ts */
  readonly codedeployTimings?: Partial<CodeDeployTimings>;
}

export interface ServiceSpec {
  readonly name: string;
  /** @default 2 */
  readonly desiredCount?: number;
  /** @default 8080 */
  readonly containerPort?: number;
  /** @default 'app' */
  readonly containerName?: string;
  /** @default the seeds' plan: 5% 5 min, 25% 10 min, 50% 15 min, hold limit 10, post-traffic bake 15 */
  readonly plan?: CompiledPlan;
  /** @default 5% max error rate, p95 1000 ms, 300 requests, +1 pp, latency ratio 1.5 */
  readonly thresholds?: ThresholdsMetadata;
  /** @default [] */
  readonly smokeChecks?: DeploymentMetadata['smokeChecks'];
  /** @default - no header rule */
  readonly canaryHeader?: DeploymentMetadata['canaryHeader'];
  /** @default - no cookie rule */
  readonly canaryCookie?: DeploymentMetadata['canaryCookie'];
  /** Rollback alarm names attached to the deployment group (created in the fake, state OK). @default [`<name>-5xx`] */
  readonly alarms?: readonly string[];
  /** @default 0 */
  readonly terminationWaitMinutes?: number;
  /** Roll back on StopDeployment without autoRollbackEnabled. @default false */
  readonly rollbackOnStop?: boolean;
  /** The group's ready wait (DeploymentReadyOption STOP_DEPLOYMENT), minutes. @default - none */
  readonly readyWaitMinutes?: number;
  /** Where the ready wait sits in the lifecycle. @default 'BeforeAllowTraffic' */
  readonly readyWaitBefore?: 'BeforeAllowTraffic' | 'AllowTraffic';
  /** The rollout state machine; when given, `stateMachineArn` is set in the metadata. @default - none */
  readonly stateMachine?: AslDefinition | string;
}

/** Everything `addService` created, for the test to use. */
export interface FakeService {
  readonly metadata: DeploymentMetadata;
  readonly blue: TargetGroup;
  readonly green: TargetGroup;
  readonly ecsService: EcsService;
  readonly group: DeploymentGroup;
  readonly alarms: readonly string[];
  /** The task definition the service runs before any deployment. */
  readonly initialTaskDefinitionArn: string;
}

export const DEFAULT_THRESHOLDS: ThresholdsMetadata = {
  maxErrorRatePercent: 5,
  maxP95Ms: 1000,
  minRequests: 300,
  maxErrorIncreasePp: 1,
  maxLatencyRatio: 1.5,
};

export class FakeAws {
  readonly clock: FakeClock;
  readonly lambda: FakeLambda;
  readonly ecs: FakeEcs;
  readonly elbv2: FakeElbv2;
  readonly cloudwatch: FakeCloudWatch;
  readonly codedeploy: FakeCodeDeploy;
  readonly sfn: FakeStepFunctions;
  readonly dynamodb: FakeDynamoDb;
  readonly sns: FakeSns;
  readonly ssm: FakeSsm;
  /** The audit trail's signing keys (addService creates one per service). */
  readonly kms: FakeKms;
  /** The audit anchors' Object Lock buckets (addService creates one per service). */
  readonly s3: FakeS3;
  /** Who the CLI is (GetCallerIdentity): `world.sts.as(arn)`. */
  readonly sts: FakeSts;
  /** HTTP through the fake load balancers: `world.http.get` has the shape of the hooks' HttpGet. */
  readonly http: FakeHttp;
  /** Every SDK call answered by the fake, in order (failed ones carry `error`). */
  readonly calls: ApiCall[] = [];
  /** Sees every SDK call before the fake answers it (fault injection, test/fault). @default none */
  interceptor: CallInterceptor | undefined;
  readonly services = new Map<string, FakeService>();
  private uninstall: (() => void) | undefined;

  constructor(props: FakeAwsProps = {}) {
    this.clock = props.clock ?? new FakeClock({ onHandlerError: props.onHandlerError });
    this.lambda = new FakeLambda(this.clock);
    this.ecs = new FakeEcs(this.clock);
    this.elbv2 = new FakeElbv2(this.clock, this.ecs);
    this.cloudwatch = new FakeCloudWatch(this.clock, (fullName) => {
      const group = [...this.elbv2.targetGroups.values()].find((g) => g.fullName === fullName);
      return group && group.loadBalancerArn.split(':loadbalancer/')[1];
    });
    this.codedeploy = new FakeCodeDeploy(this.clock, this.ecs, this.elbv2, this.cloudwatch, this.lambda, props.codedeployTimings);
    this.sfn = new FakeStepFunctions(this.clock, this.lambda);
    this.dynamodb = new FakeDynamoDb();
    this.sns = new FakeSns(this.clock);
    this.ssm = new FakeSsm(this.clock, () => this.sts.callerArn);
    this.kms = new FakeKms();
    this.s3 = new FakeS3(this.clock);
    this.sts = new FakeSts();
    this.http = new FakeHttp(this.elbv2, this.ecs);
  }

  /**
   * Routes every SDK client of the modelled services to the fake. With `patchDate` (default),
   * `Date.now()` and `new Date()` follow the fake clock until `restore`.
   */
  install(options: { patchDate?: boolean } = {}): this {
    if (this.uninstall) throw new Error('FakeAws.install: already installed (call restore first)');
    const restoreMocks = installMocks(
      [
        this.codedeploy.handlers(),
        this.elbv2.handlers(),
        this.cloudwatch.handlers(),
        this.sfn.handlers(),
        ...this.dynamodb.handlers(),
        this.sns.handlers(),
        this.ssm.handlers(),
        this.ecs.handlers(),
        this.kms.handlers(),
        this.s3.handlers(),
        this.sts.handlers(),
      ],
      (call) => this.calls.push({ at: this.clock.now(), ...call }),
      () => this.interceptor,
    );
    const restoreDate = options.patchDate === false ? () => undefined : patchDate(this.clock);
    this.uninstall = () => {
      restoreMocks();
      restoreDate();
    };
    return this;
  }

  restore(): void {
    this.uninstall?.();
    this.uninstall = undefined;
  }

  /**
   * Creates a service as its CDK stack would: an ALB with a production (80) and test (8080)
   * listener on the blue target group, a green target group, an ECS service under the CODE_DEPLOY
   * controller, a CodeDeploy application and deployment group with rollback alarms, an SNS topic,
   * the audit table (pk S, sk N), its KMS signing key and Object Lock anchor bucket, and the SSM
   * parameters `/ecs-canary/<name>/deployment` and `/ecs-canary/<name>/freeze` (`{"frozen":false}`);
   * the control parameter `/ecs-canary/<name>/control` is written by the first operator command.
   */
  addService(spec: ServiceSpec): FakeService {
    const name = spec.name;
    const containerName = spec.containerName ?? 'app';
    const containerPort = spec.containerPort ?? 8080;
    const lb = this.elbv2.addLoadBalancer(`${name}-alb`);
    const blue = this.elbv2.addTargetGroup(`${name}-blue`, lb.arn, containerPort);
    const green = this.elbv2.addTargetGroup(`${name}-green`, lb.arn, containerPort);
    const production = this.elbv2.addListener(lb.arn, 80, blue.arn);
    const test = this.elbv2.addListener(lb.arn, 8080, blue.arn);
    const { taskDefinition } = this.ecs.registerTaskDefinition({
      family: name,
      containerDefinitions: [{ name: containerName, image: `${name}:initial`, portMappings: [{ containerPort }] }],
    });
    const ecsService = this.ecs.addService({
      clusterName: `${name}-cluster`,
      serviceName: name,
      containerName,
      containerPort,
      taskDefinitionArn: taskDefinition.taskDefinitionArn!,
      targetGroupArn: blue.arn,
      desiredCount: spec.desiredCount ?? 2,
    });
    const alarms = spec.alarms ?? [`${name}-5xx`];
    for (const alarm of alarms) this.cloudwatch.addAlarm(alarm);
    const group = this.codedeploy.addDeploymentGroup({
      applicationName: `${name}-app`,
      deploymentGroupName: `${name}-dg`,
      clusterName: ecsService.clusterName,
      serviceName: name,
      productionListenerArn: production.arn,
      testListenerArn: test.arn,
      targetGroupArns: [blue.arn, green.arn],
      alarms,
      terminationWaitMinutes: spec.terminationWaitMinutes ?? 0,
      rollbackOnStop: spec.rollbackOnStop ?? false,
      ...(spec.readyWaitMinutes !== undefined ? { readyWaitMinutes: spec.readyWaitMinutes } : {}),
      ...(spec.readyWaitBefore ? { readyWaitBefore: spec.readyWaitBefore } : {}),
    });
    const topicArn = this.sns.addTopic(`${name}-rollouts`);
    const auditTableName = `${name}-audit`;
    this.dynamodb.createTable(auditTableName, { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'N' } });
    // The audit trail's signing key and Object Lock anchor bucket (lib/audit-signing-key.ts, lib/audit-anchor-bucket.ts).
    const auditKeyArn = this.kms.addSigningKey();
    const auditAnchorBucket = this.s3.createBucket(`${name}-audit-anchors`, { objectLock: true }).name;
    const stateMachineArn = spec.stateMachine ? this.sfn.addStateMachine(`${name}-rollout`, spec.stateMachine) : undefined;
    const names = parameterNames(name);
    const metadata: DeploymentMetadata = {
      version: 1,
      service: name,
      applicationName: group.applicationName,
      deploymentGroupName: group.deploymentGroupName,
      taskDefinitionFamily: name,
      containerName,
      containerPort,
      productionListenerArn: production.arn,
      testListenerArn: test.arn,
      testListenerPort: 8080,
      loadBalancerDnsName: lb.dnsName,
      loadBalancerFullName: lb.fullName,
      targetGroups: [blue, green].map((g) => ({
        arn: g.arn,
        fullName: g.fullName,
        name: g.name,
      })) as unknown as DeploymentMetadata['targetGroups'],
      topicArn,
      plan: spec.plan ?? defaultPlan(),
      thresholds: spec.thresholds ?? DEFAULT_THRESHOLDS,
      smokeChecks: spec.smokeChecks ?? [],
      ...(spec.canaryHeader ? { canaryHeader: spec.canaryHeader } : {}),
      ...(spec.canaryCookie ? { canaryCookie: spec.canaryCookie } : {}),
      hooks: {
        AfterAllowTestTraffic: `${name}-after-allow-test-traffic`,
        BeforeAllowTraffic: `${name}-before-allow-traffic`,
        AfterAllowTraffic: `${name}-after-allow-traffic`,
      },
      auditTableName,
      auditKeyArn,
      auditAnchorBucket,
      controlParameterName: names.control,
      ...(stateMachineArn ? { stateMachineArn } : {}),
      freezeParameterName: names.freeze,
    };
    this.ssm.putParameter({ Name: names.deployment, Value: JSON.stringify(metadata), Type: 'String' });
    this.ssm.putParameter({ Name: names.freeze, Value: JSON.stringify({ frozen: false }), Type: 'String' });
    const service: FakeService = {
      metadata,
      blue,
      green,
      ecsService,
      group,
      alarms,
      initialTaskDefinitionArn: taskDefinition.taskDefinitionArn!,
    };
    this.services.set(name, service);
    return service;
  }

  /**
   * What `canary deploy` does, for tests of the engine: registers a new task definition revision
   * (image `image`) and creates a deployment whose AppSpec names the service's hook functions.
   * Returns the deployment id.
   */
  deploy(serviceName: string, options: { image?: string; hooks?: boolean } = {}): string {
    const service = this.service(serviceName);
    const { taskDefinition } = this.ecs.registerTaskDefinition({
      family: service.metadata.taskDefinitionFamily,
      containerDefinitions: [
        {
          name: service.metadata.containerName,
          image: options.image ?? `${serviceName}:next`,
          portMappings: [{ containerPort: service.metadata.containerPort }],
        },
      ],
    });
    const hooks = options.hooks === false ? {} : (service.metadata.hooks ?? {});
    const { deploymentId } = this.codedeploy.createDeployment({
      applicationName: service.metadata.applicationName,
      deploymentGroupName: service.metadata.deploymentGroupName,
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content: renderAppSpec(service.metadata, taskDefinition.taskDefinitionArn!, hooks) },
      },
    });
    return deploymentId;
  }

  service(name: string): FakeService {
    const service = this.services.get(name);
    if (!service) throw new Error(`FakeAws: no service '${name}' (add it with addService)`);
    return service;
  }

  /** The replacement task set of a deployment (after Install). */
  replacementTaskSet(deploymentId: string): TaskSet {
    const taskSet = this.codedeploy.deployment(deploymentId).replacementTaskSet;
    if (!taskSet) throw new Error(`FakeAws: deployment ${deploymentId} has no replacement task set yet (Install has not run)`);
    return taskSet;
  }

  /**
   * Test control: the replacement's tasks become `health` (e.g. 'unhealthy' for a crash loop);
   * with 'healthy', `unhealthyTasks` of them still fail health checks (a partial crash loop).
   */
  setReplacementHealth(deploymentId: string, health: TaskHealth, unhealthyTasks = 0): void {
    this.ecs.setTaskSetHealth(this.replacementTaskSet(deploymentId), health, unhealthyTasks);
  }

  /** Number of SDK calls per command so far (e.g. `{ ModifyListenerCommand: 4, … }`), for cost figures. */
  callCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.calls) counts[call.command] = (counts[call.command] ?? 0) + 1;
    return counts;
  }

  /** SDK calls answered so far, optionally only those of one command (e.g. 'ModifyListenerCommand'). */
  callsOf(command?: string): ApiCall[] {
    return command ? this.calls.filter((c) => c.command === command) : [...this.calls];
  }
}

/** The AppSpec `canary deploy` renders (JSON is valid YAML; CodeDeploy accepts either). */
export function renderAppSpec(metadata: DeploymentMetadata, taskDefinitionArn: string, hooks: Readonly<Record<string, string>>): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinitionArn,
            LoadBalancerInfo: { ContainerName: metadata.containerName, ContainerPort: metadata.containerPort },
          },
        },
      },
    ],
    Hooks: Object.entries(hooks).map(([hook, fn]) => ({ [hook]: fn })),
  });
}

function defaultPlan(): CompiledPlan {
  return compilePlan(DEFAULT_ROLLOUT_PLAN);
}

/** Makes `Date.now()` and `new Date()` read the fake clock; returns the undo. */
function patchDate(clock: FakeClock): () => void {
  const RealDate = Date;
  class ClockDate extends RealDate {
    constructor(...args: unknown[]) {
      // The one-argument form (a time or a text) without spreading: it is nearly every Date made.
      if (args.length === 0) super(clock.now());
      else if (args.length === 1) super(args[0] as string | number);
      else super(...(args as [string | number]));
    }
    static now(): number {
      return clock.now();
    }
  }
  globalThis.Date = ClockDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
  };
}
