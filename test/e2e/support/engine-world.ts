/**
 * The rollout engine installed in the stateful fake of AWS (test/support): the real hook, tick and
 * guard handlers registered as the fake's Lambda functions, the state machine definition taken
 * from the synthesized RolloutEngine construct, traffic from sim following the production
 * listener's weights, and the safety invariants checked after every tick.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';

import type { AuditRecord } from '../../../lambdas/core/audit-chain';
import type { CustomMetricSpec } from '../../../lambdas/core/custom-metrics';
import type { HookName } from '../../../lambdas/core/rollout-plan';
import { READY_WAIT_MINUTES } from '../../../lambdas/core/start-check';
import { type DeploymentStateChange, guard } from '../../../lambdas/handlers/guard';
import { hookInvocationFailed } from '../../../lambdas/handlers/hook-failure';
import { runHook } from '../../../lambdas/handlers/hooks';
import { auditTable, createClients, logger, type Runtime } from '../../../lambdas/handlers/runtime';
import { startCheck, type StartCheckResult, sweepReady } from '../../../lambdas/handlers/start-check';
import { tick, type TickEvent } from '../../../lambdas/handlers/tick';
import { RolloutEngine } from '../../../lib/rollout-engine';
import { DEFAULT_LATENCY, type Regression, TrafficWorld } from '../../../sim';
import {
  type AsyncInvokeConfig,
  checkInvariants,
  FakeAws,
  type FakeService,
  type InvariantViolation,
  type ListenerWrite,
  onBehalfOf,
  type ServiceSpec,
} from '../../support';
import { incrementalChainVerifier, storedChain } from '../../support/chain-verifier';

logger.setLogLevel('SILENT');

const TICK_FUNCTION = 'arn:aws:lambda:us-east-1:111111111111:function:engine-tick';
/** The hook functions' on-failure destination (RolloutEngine.hookFailureFunction), by its fake name. */
export const HOOK_FAILURE_FUNCTION = 'engine-hook-failure';
let cachedDefinition: unknown;
let cachedHookAsyncInvoke: Partial<Record<HookName, AsyncInvokeConfig>> = {};

/** The rollout loop exactly as the RolloutEngine construct synthesizes it, with the tick's ARN resolved. */
export function rolloutDefinition(): unknown {
  if (cachedDefinition) return cachedDefinition;
  // Only the definition is read: no bundling, and no CloudFormation validation (seconds of WebAssembly per process).
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'E2E', { env: { account: '111111111111', region: 'us-east-1' } });
  const engine = new RolloutEngine(stack, 'Engine', {
    serviceName: 'svc',
    productionListenerArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/svc/1/2',
    targetGroups: [
      elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'A', {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/a/1',
      }),
      elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'B', {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/b/2',
      }),
    ],
    deploymentGroup: codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(stack, 'G', {
      application: codedeploy.EcsApplication.fromEcsApplicationName(stack, 'App', 'svc-app'),
      deploymentGroupName: 'svc-dg',
    }),
    topic: sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:us-east-1:111111111111:svc'),
    metadataParameterName: '/ecs-canary/svc/deployment',
    freezeParameterName: '/ecs-canary/svc/freeze',
  });
  const tickId = stack.getLogicalId(engine.tickFunction.node.defaultChild as never);
  const template = Template.fromStack(stack);
  cachedHookAsyncInvoke = hookAsyncInvoke(template, (fn) => stack.getLogicalId(fn.node.defaultChild as never), engine);
  const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as {
    Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } };
  };
  const text = machine.Properties.DefinitionString['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (getAtt?.[0] === tickId) return TICK_FUNCTION;
      throw new Error(`unexpected token in the state machine definition: ${JSON.stringify(part)}`);
    })
    .join('');
  cachedDefinition = JSON.parse(text);
  return cachedDefinition;
}

/** The synthesized hook functions' asynchronous invocation settings (retries, event age, the on-failure destination). */
export function hookAsyncInvokeConfigs(): Partial<Record<HookName, AsyncInvokeConfig>> {
  rolloutDefinition();
  return cachedHookAsyncInvoke;
}

/** Each hook's AWS::Lambda::EventInvokeConfig, its destination resolved to HOOK_FAILURE_FUNCTION. */
function hookAsyncInvoke(
  template: Template,
  idOf: (fn: RolloutEngine['tickFunction']) => string,
  engine: RolloutEngine,
): Partial<Record<HookName, AsyncInvokeConfig>> {
  type Config = {
    Properties: {
      FunctionName: { Ref: string };
      MaximumRetryAttempts?: number;
      MaximumEventAgeInSeconds?: number;
      DestinationConfig?: { OnFailure?: { Destination: { 'Fn::GetAtt': [string, string] } } };
    };
  };
  const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')) as Config[];
  const destinationId = idOf(engine.hookFailureFunction);
  const out: Partial<Record<HookName, AsyncInvokeConfig>> = {};
  for (const [hook, fn] of Object.entries(engine.hookFunctions) as Array<[HookName, RolloutEngine['tickFunction']]>) {
    const config = configs.find((c) => c.Properties.FunctionName.Ref === idOf(fn))?.Properties;
    if (!config) continue;
    const destination = config.DestinationConfig?.OnFailure?.Destination['Fn::GetAtt']?.[0];
    if (destination !== undefined && destination !== destinationId)
      throw new Error(`unexpected on-failure destination of the ${hook} hook: ${destination}`);
    out[hook] = {
      ...(config.MaximumRetryAttempts !== undefined ? { retryAttempts: config.MaximumRetryAttempts } : {}),
      ...(config.MaximumEventAgeInSeconds !== undefined ? { maxEventAgeMs: config.MaximumEventAgeInSeconds * 1000 } : {}),
      ...(destination ? { onFailure: HOOK_FAILURE_FUNCTION } : {}),
    };
  }
  return out;
}

export interface EngineWorldOptions {
  readonly spec?: Partial<ServiceSpec>;
  readonly totalRps?: number;
  readonly baselineErrorRate?: number;
  readonly regression?: Regression | null;
  readonly seed?: number;
  /**
   * Wire the start check to this group's START state changes (RolloutEngine's start-check rule).
   * @default false
   */
  readonly startCheck?: boolean;
  /**
   * The group waits in Ready before production is rerouted (as the StartCheck construct configures
   * it), before the named lifecycle event; the start check then also receives READY, unless
   * `startCheckEvents` says otherwise. @default - no ready wait
   */
  readonly readyWait?: 'BeforeAllowTraffic' | 'AllowTraffic';
  /** The state changes the start-check rule delivers (with `startCheck`). @default ['START', 'READY'] */
  readonly startCheckEvents?: ReadonlyArray<'START' | 'READY'>;
  /** The start check's minute sweep of deployments waiting in Ready. @default false */
  readonly sweep?: boolean;
  /** The service's own metrics in its deployment metadata (`metrics:`), served by `world.cloudwatch.customProvider`. @default - none */
  readonly metrics?: readonly CustomMetricSpec[];
}

/** One service with the engine installed, its traffic, and the checks made after every tick. */
/**
 * Feeds the production listener's default-action writes from index `from` on to the simulated
 * traffic as the replacement's share (rule writes do not carry production traffic); returns the
 * index to continue from.
 */
export function followCanaryWeight(
  writes: readonly ListenerWrite[],
  from: number,
  productionListenerArn: string,
  replacementArn: string,
  setCanaryWeight: (at: number, weight: number) => void,
): number {
  for (const write of writes.slice(from)) {
    if (write.listenerArn !== productionListenerArn || write.operation === 'DeleteRule' || write.ruleArn) continue;
    const total = Object.values(write.forward).reduce((sum, weight) => sum + weight, 0) || 1;
    setCanaryWeight(write.at, Math.round((100 * (write.forward[replacementArn] ?? 0)) / total));
  }
  return writes.length;
}

export class EngineWorld {
  readonly world: FakeAws;
  readonly service: FakeService;
  readonly runtime: Runtime;
  readonly violations: InvariantViolation[] = [];
  readonly ticks: Array<{ at: number; weight: number; status: string; done: boolean }> = [];
  /** What the start check decided on each START it received (with `startCheck`). */
  readonly startChecks: Array<StartCheckResult & { deploymentId: string; at: number; sweep?: boolean }> = [];
  traffic: TrafficWorld | undefined;
  private processedWrites = 0;
  private syncedTo = 0;
  private deploymentId: string | undefined;
  private awaitingDeployment = false;
  private readonly chainVerifiers = new Map<string, (items: readonly unknown[]) => string[]>();

  constructor(private readonly options: EngineWorldOptions = {}) {
    this.world = new FakeAws({ onHandlerError: 'record' }).install();
    this.service = this.world.addService({
      name: 'svc',
      stateMachine: rolloutDefinition() as never,
      ...(options.readyWait ? { readyWaitMinutes: READY_WAIT_MINUTES, readyWaitBefore: options.readyWait } : {}),
      ...options.spec,
    });
    const metadata = options.metrics
      ? {
          ...this.service.metadata,
          metrics: options.metrics,
          ecsService: { cluster: this.service.ecsService.clusterName, service: this.service.ecsService.serviceName },
        }
      : this.service.metadata;
    // What the engine's functions read at cold start (the deployment metadata parameter) says the same.
    if (options.metrics)
      this.world.ssm.putParameter({ Name: '/ecs-canary/svc/deployment', Value: JSON.stringify(metadata), Type: 'String', Overwrite: true });
    this.runtime = {
      clients: createClients(async () => ({ status: 200 })),
      env: {
        service: 'svc',
        metadataParameter: '/ecs-canary/svc/deployment',
        freezeParameter: metadata.freezeParameterName,
        auditTableName: metadata.auditTableName!,
        auditRetentionDays: 30,
        topicArn: metadata.topicArn,
        stateMachineArn: metadata.stateMachineArn!,
        smokeCheckMode: 'test-listener',
        // The audit trail as the RolloutEngine wires it: signed, anchored, operator commands in SSM.
        auditKeyArn: metadata.auditKeyArn!,
        auditAnchorBucket: metadata.auditAnchorBucket!,
        controlParameter: metadata.controlParameterName!,
        alarmNames: this.service.alarms,
      },
      metadata,
      audit: undefined as never,
      logger,
      clock: () => this.world.clock.now(),
      sleep: (ms) => this.world.clock.sleep(ms),
    };
    (this.runtime as { audit: Runtime['audit'] }).audit = auditTable(this.runtime.clients, this.runtime.env);
    const hooks: HookName[] = ['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'];
    for (const hook of hooks) this.world.lambda.register(metadata.hooks![hook], (event) => runHook(this.runtime, hook, event as never));
    // The hooks' EventInvokeConfig as synthesized: a hook event Lambda gives up on goes to the destination.
    this.world.lambda.register(HOOK_FAILURE_FUNCTION, (record) => hookInvocationFailed(this.runtime, record));
    for (const [hook, config] of Object.entries(hookAsyncInvokeConfigs()))
      this.world.lambda.configureAsyncInvoke(metadata.hooks![hook], config);
    this.world.lambda.register(TICK_FUNCTION, async (event) => {
      const out = await tick(this.runtime, event as TickEvent);
      this.ticks.push({ at: this.world.clock.now(), weight: out.state.weight, status: out.state.status, done: out.done });
      this.violations.push(...this.invariants());
      return out;
    });
    // The RolloutEngine's EventBridge rule: this deployment group's FAILURE and STOP → guard.
    this.world.codedeploy.onStateChange(async (event) => {
      const change = event as DeploymentStateChange & { detail: { application: string; deploymentGroup: string } };
      if (!['FAILURE', 'STOP'].includes(change.detail.state)) return;
      if (change.detail.application !== metadata.applicationName || change.detail.deploymentGroup !== metadata.deploymentGroupName) return;
      // The guard's invocation acts for the deployment its event names (invariant 7 checks that).
      await onBehalfOf(change.detail.deploymentId, () => guard(this.runtime, change, { sleep: (ms) => this.world.clock.sleep(ms) }));
      this.violations.push(...this.invariants());
    });
    if (options.startCheck) {
      // The RolloutEngine's start-check rule: this deployment group's START and READY → start check.
      const states: readonly string[] = options.startCheckEvents ?? ['START', 'READY'];
      this.world.codedeploy.onStateChange(async (event) => {
        const change = event as DeploymentStateChange & { detail: { application: string; deploymentGroup: string } };
        if (!states.includes(change.detail.state)) return;
        if (change.detail.application !== metadata.applicationName || change.detail.deploymentGroup !== metadata.deploymentGroupName)
          return;
        const result = await startCheck(this.runtime, change);
        this.startChecks.push({ ...result, deploymentId: change.detail.deploymentId, at: this.world.clock.now() });
        this.violations.push(...this.invariants());
      });
    }
    if (options.sweep) {
      const sweep = async () => {
        this.world.clock.schedule(60_000, sweep, 'start check sweep');
        const results = await sweepReady(this.runtime).catch((error: Error) => [
          { deploymentId: '', verdict: 'error', reason: error.message },
        ]);
        for (const result of results)
          this.startChecks.push({ ...(result as StartCheckResult & { deploymentId: string }), at: this.world.clock.now(), sweep: true });
        this.violations.push(...this.invariants());
      };
      this.world.clock.schedule(30_000, sweep, 'start check sweep');
    }
    this.world.cloudwatch.provider = (fullName, minute) => this.minute(fullName, minute);
    this.world.clock.onTimeChange(() => this.syncTraffic());
  }

  /**
   * Starts a deployment (what `canary deploy` does) with traffic from sim; call it again
   * after one completes for deployments in a row (blue and green swap), each with its own
   * regression (@default the world's).
   */
  deploy(options: { readonly regression?: Regression | null } = {}): string {
    this.startTraffic(options.regression);
    this.deploymentId = this.world.deploy('svc');
    return this.deploymentId;
  }

  /**
   * Starts the sim traffic for a deployment someone else creates (the real `canary deploy` in
   * the CLI tests). The deployment's id is learned from the fake CodeDeploy at the first clock
   * step or metric read after its CreateDeployment; from then on traffic follows its weights.
   */
  expectDeployment(): void {
    this.startTraffic();
    this.awaitingDeployment = true;
  }

  private startTraffic(regression?: Regression | null): void {
    const start = this.world.clock.now();
    this.traffic = new TrafficWorld({
      seed: this.options.seed ?? 7,
      totalRps: this.options.totalRps ?? 50,
      baselineErrorRate: this.options.baselineErrorRate ?? 0.005,
      regression: regression === undefined ? (this.options.regression ?? null) : regression,
      startTime: start - 70 * 60_000,
      latency: { ...DEFAULT_LATENCY, slowThresholdMs: this.service.metadata.thresholds.maxP95Ms },
      coldStart: false,
    });
    this.syncedTo = start;
    this.processedWrites = this.world.elbv2.writes.length;
  }

  /** The id of the one user deployment created since `expectDeployment` (CodeDeploy's automatic rollbacks excluded). */
  private learnDeploymentId(): void {
    if (this.deploymentId || !this.awaitingDeployment) return;
    const { applicationName, deploymentGroupName } = this.service.metadata;
    const created = this.world.codedeploy
      .listDeployments({ applicationName, deploymentGroupName })
      .deployments.filter((id) => this.world.codedeploy.deployment(id).kind === 'user');
    if (created.length > 1) throw new Error(`EngineWorld.expectDeployment: expected one deployment, found ${created.join(', ')}`);
    if (created.length === 1) {
      this.deploymentId = created[0];
      this.awaitingDeployment = false;
    }
  }

  get deployment() {
    this.learnDeploymentId();
    return this.world.codedeploy.deployment(this.deploymentId);
  }

  /** Runs the clock until the deployment completes (or `maxMinutes` pass). */
  async runToCompletion(maxMinutes = 200): Promise<void> {
    await this.world.clock.advanceUntil(
      () => ['Succeeded', 'Failed', 'Stopped'].includes(this.deployment.status),
      maxMinutes * 60_000,
      10_000,
    );
    await this.world.clock.advance(3 * 60_000);
  }

  /** Replacement weight of production now, percent. */
  replacementPercent(): number {
    return this.world.elbv2.percents(this.service.metadata.productionListenerArn)[this.deployment.replacementTargetGroupArn] ?? 0;
  }

  auditRecords(): AuditRecord[] {
    return this.world.dynamodb
      .items(this.service.metadata.auditTableName!)
      .filter((i) => (i.sk as number) >= 1)
      .sort((a, b) => (a.sk as number) - (b.sk as number)) as unknown as AuditRecord[];
  }

  /** The six invariants (5 is the judge's, tested in the controller tables) and the audit chain. */
  invariants(): InvariantViolation[] {
    const at = new Date(this.world.clock.now()).toISOString();
    return [...this.world.services.values()].flatMap((service) => {
      const { service: name, auditTableName } = service.metadata;
      const chain = auditTableName ? this.chainVerifier(name)(storedChain(this.world, name, auditTableName)) : [];
      return [
        ...checkInvariants(this.world, { services: [name] }),
        ...chain.map((message) => ({ invariant: 6 as const, service: name, at, message })),
      ];
    });
  }

  /** Each service's audit chain is verified after every step at the cost of its new records only. */
  private chainVerifier(service: string): (items: readonly unknown[]) => string[] {
    let verifier = this.chainVerifiers.get(service);
    if (!verifier) this.chainVerifiers.set(service, (verifier = incrementalChainVerifier()));
    return verifier;
  }

  restore(): void {
    this.world.restore();
  }

  private syncTraffic(): void {
    this.learnDeploymentId();
    if (!this.traffic || !this.deploymentId) return;
    const traffic = this.traffic;
    this.processedWrites = followCanaryWeight(
      this.world.elbv2.writes,
      this.processedWrites,
      this.service.metadata.productionListenerArn,
      this.deployment.replacementTargetGroupArn,
      (at, weight) => traffic.setCanaryWeight(Math.max(at, this.syncedTo), weight),
    );
    this.syncedTo = Math.max(this.syncedTo, this.world.clock.now());
    this.traffic.advanceTo(this.syncedTo);
  }

  private minute(fullName: string, minute: number) {
    this.syncTraffic();
    const simMinute = this.traffic?.minutes.find((m) => m.start === minute);
    if (!simMinute || !this.deploymentId) return undefined;
    const replacement = this.world.elbv2.targetGroups.get(this.deployment.replacementTargetGroupArn)!;
    const group = fullName === replacement.fullName ? simMinute.canary : simMinute.baseline;
    if (group.requests === 0) return undefined;
    return {
      requests: group.requests,
      errors5xx: group.errors5xx,
      connectionErrors: group.connectionErrors,
      p95Ms: group.p95Ms ?? 0,
      slowRequests: () => group.slowRequests,
      healthyHosts: group.healthyHosts,
      unhealthyHosts: group.unhealthyHosts,
    };
  }
}
