/**
 * The end-to-end world of test/e2e (EngineWorld: the fake AWS, sim traffic, the invariants)
 * with every function of the synthesized stack registered under its own name, so the fake records
 * which function made each SDK call (FakeLambda runs each invocation under its name, see
 * test/support/mocks.ts asCaller):
 * - the three hooks, the tick and the guard run the real handlers, each with its own cold start
 *   (the metadata read of runtime.ts) and the environment its template gives it, resolved to the
 *   fake's names (so the VPC hook smoke-checks the replacement targets, as deployed);
 * - a hook event Lambda gives up on goes to the hook-failure function (the hooks' EventInvokeConfig);
 * - EventBridge's guard rule invokes the guard function and its start-check rule the start check
 *   (EngineWorld's direct calls are replaced);
 * - the cdk-deploy resource runs onEvent and isComplete as the provider framework would;
 * - the CLI runs under the caller name 'cli'.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IConstruct } from 'constructs';

import { readDeploymentMetadataParameter } from '../../lambdas/aws/service-parameters';
import { type HookName, HOOKS } from '../../lambdas/core/rollout-plan';
import {
  type CdkDeployEvent,
  type CdkDeployResult,
  isComplete,
  logger as cdkDeployLogger,
  onEvent,
} from '../../lambdas/handlers/cdk-deploy';
import { type DeploymentStateChange, guard } from '../../lambdas/handlers/guard';
import { hookInvocationFailed } from '../../lambdas/handlers/hook-failure';
import { runHook } from '../../lambdas/handlers/hooks';
import { auditTable, logger, readEnv, type Runtime } from '../../lambdas/handlers/runtime';
import { isSweep, startCheck, sweepReady } from '../../lambdas/handlers/start-check';
import { tick, type TickEvent } from '../../lambdas/handlers/tick';
import { EngineWorld, type EngineWorldOptions, HOOK_FAILURE_FUNCTION } from '../e2e/support/engine-world';
import { ACCOUNT, type ApiCall, REGION } from '../support';
import { runCliOn } from '../support/cli';
import { logicalId, type Physical, Resolver, type SynthesizedStacks } from './template';

logger.setLogLevel('SILENT');
cdkDeployLogger.setLogLevel('SILENT');

const MINUTE = 60_000;
const TICK = 'engine-tick';
export const GUARD = 'engine-guard';
export const START_CHECK = 'engine-start-check';
export const CDK_ON_EVENT = 'cdk-deploy-on-event';
export const CDK_IS_COMPLETE = 'cdk-deploy-is-complete';
export const CLI = 'cli';
/** The fake's KMS key of the topic (the fake models no KMS; SNS's use of it is an implied request). */
export const TOPIC_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/svc-topic-key`;
const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

export interface IamWorldOptions extends EngineWorldOptions {
  /** Test control run inside a function's invocation, before its handler (e.g. a crash as a hook starts). */
  readonly beforeInvoke?: (functionName: string, world: IamWorld) => void;
}

export class IamWorld {
  readonly env: EngineWorld;
  readonly physical: Physical;
  /** Fake function name → the construct whose role it runs with. */
  readonly functions = new Map<string, IConstruct>();

  constructor(
    readonly synth: SynthesizedStacks,
    private readonly options: IamWorldOptions = {},
  ) {
    // The group as synthesized: it waits in Ready for the start check (whose sweep this harness runs itself, through its role).
    this.env = new EngineWorld({ ...options, readyWait: options.readyWait ?? 'BeforeAllowTraffic', sweep: false });
    this.physical = physicalMap(synth, this.env);
    const { engine } = synth;
    const metadata = this.env.service.metadata;
    for (const hook of HOOKS)
      this.register(metadata.hooks![hook], engine.hookFunctions[hook], (runtime, event) =>
        runHook(runtime, hook as HookName, event as never),
      );
    this.register(TICK, engine.tickFunction, async (runtime, event) => {
      const out = await tick(runtime, event as TickEvent);
      this.env.ticks.push({ at: this.world.clock.now(), weight: out.state.weight, status: out.state.status, done: out.done });
      this.env.violations.push(...this.env.invariants());
      return out;
    });
    this.register(GUARD, engine.guardFunction, async (runtime, event) => {
      const result = await guard(runtime, event as DeploymentStateChange, { sleep: (ms) => this.world.clock.sleep(ms) });
      this.env.violations.push(...this.env.invariants());
      return result;
    });
    // The hooks' on-failure destination (EngineWorld configures the hooks' EventInvokeConfig).
    this.register(HOOK_FAILURE_FUNCTION, engine.hookFailureFunction, async (runtime, record) => {
      const result = await hookInvocationFailed(runtime, record);
      this.env.violations.push(...this.env.invariants());
      return result;
    });
    this.register(START_CHECK, engine.startCheck.function, async (runtime, event) => {
      const result = isSweep(event as never) ? await sweepReady(runtime) : await startCheck(runtime, event as DeploymentStateChange);
      this.env.violations.push(...this.env.invariants());
      return result;
    });
    // The RolloutEngine's EventBridge rules: this group's FAILURE and STOP invoke the guard, its START and READY the start check.
    const startStates: readonly string[] = options.startCheckEvents ?? ['START', 'READY'];
    const listeners = this.world.codedeploy.lifecycle.stateListeners;
    listeners.splice(0, listeners.length, async (event) => {
      const change = event as DeploymentStateChange & { detail: { application: string; deploymentGroup: string } };
      if (change.detail.application !== metadata.applicationName || change.detail.deploymentGroup !== metadata.deploymentGroupName) return;
      if (startStates.includes(change.detail.state)) await this.world.lambda.invoke(START_CHECK, change);
      if (['FAILURE', 'STOP'].includes(change.detail.state)) await this.world.lambda.invoke(GUARD, change);
    });
    // The start check's minute schedule (its sweep of deployments waiting in Ready).
    if (options.sweep) {
      const sweep = async () => {
        this.world.clock.schedule(60_000, sweep, 'start check sweep');
        await this.world.lambda.invoke(START_CHECK, { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} });
      };
      this.world.clock.schedule(30_000, sweep, 'start check sweep');
    }
  }

  get world() {
    return this.env.world;
  }

  /** Every SDK call the fake answered (or refused), with the caller that made it. */
  get calls(): readonly ApiCall[] {
    return this.world.calls;
  }

  /** Resolves a template value (Ref, Fn::GetAtt, …) to the fake's names. */
  resolve(value: unknown): unknown {
    return new Resolver(this.synth, this.physical).resolve(value);
  }

  /** The function's environment as its template sets it, resolved. */
  environment(fn: IConstruct): Record<string, string> {
    const resource = this.synth.template.toJSON().Resources[logicalId(fn)] as { Properties: { Environment?: { Variables?: unknown } } };
    return this.resolve(resource.Properties.Environment?.Variables ?? {}) as Record<string, string>;
  }

  /** A function with its own cold start (runtime.ts: clients, environment, the metadata read) and test control. */
  private register(name: string, fn: IConstruct, handler: (runtime: Runtime, event: unknown) => Promise<unknown>): void {
    this.functions.set(name, fn);
    let runtime: Promise<Runtime> | undefined;
    this.world.lambda.register(name, async (event) => {
      this.options.beforeInvoke?.(name, this);
      runtime ??= coldStart(
        this.environment(fn),
        () => this.world.clock.now(),
        (ms) => this.world.clock.sleep(ms),
      );
      return handler(await runtime, event);
    });
  }

  /**
   * The cdk-deploy custom resource on a stack update that registered `taskDefinitionArn`: onEvent,
   * then (wait) isComplete at once and every minute, as the provider framework calls them. Returns
   * the error the resource would fail with, if any.
   */
  async cdkDeploy(taskDefinitionArn: string): Promise<{ result?: CdkDeployResult; error?: Error }> {
    const trigger = this.synth.stack.canaryService.cdkDeployTrigger!;
    const [onEventFn, isCompleteFn] = trigger.node.children.filter((c) => ['OnEvent', 'IsComplete'].includes(c.node.id));
    const resource = this.synth.template.toJSON().Resources[logicalId(trigger.resource)] as { Properties: Record<string, unknown> };
    const physicalBefore = this.physical[logicalId(this.synth.stack.canaryService.taskDefinition)];
    this.physical[logicalId(this.synth.stack.canaryService.taskDefinition)] = { ...physicalBefore, Ref: taskDefinitionArn };
    const { ServiceToken: _token, ...properties } = this.resolve(resource.Properties) as Record<string, string>;
    const event: CdkDeployEvent = {
      RequestType: 'Update',
      PhysicalResourceId: `ecs-canary-cdk-deploy:${properties.Service}`,
      ResourceProperties: { ServiceToken: 'provider', ...properties },
    } as CdkDeployEvent;
    // The handler reads CDK_DEPLOY_MODE and WAIT_LIMIT_MINUTES from its environment.
    const withEnv = async <T>(fn: IConstruct, call: () => Promise<T>): Promise<T> => {
      const variables = this.environment(fn);
      const saved = Object.keys(variables).map((key) => [key, process.env[key]] as const);
      Object.assign(process.env, variables);
      try {
        return await call();
      } finally {
        for (const [key, value] of saved)
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
      }
    };
    this.functions.set(CDK_ON_EVENT, onEventFn);
    this.world.lambda.register(CDK_ON_EVENT, (e) => withEnv(onEventFn, () => onEvent(e as CdkDeployEvent)));
    if (isCompleteFn) {
      this.functions.set(CDK_IS_COMPLETE, isCompleteFn);
      this.world.lambda.register(CDK_IS_COMPLETE, (e) => withEnv(isCompleteFn, () => isComplete(e as never)));
    }
    try {
      const started = (await this.world.lambda.invoke(CDK_ON_EVENT, event)) as CdkDeployResult;
      if (!isCompleteFn) return { result: started };
      for (let attempt = 0; attempt <= 55; attempt += 1) {
        const done = (await this.world.lambda.invoke(CDK_IS_COMPLETE, {
          ...event,
          PhysicalResourceId: started.PhysicalResourceId,
          Data: started.Data,
        })) as { IsComplete: boolean };
        if (done.IsComplete) return { result: started };
        await this.world.clock.advance(MINUTE);
      }
      return { error: new Error('provider framework: Operation timed out') };
    } catch (error) {
      return { error: error as Error };
    }
  }

  /** Runs the CLI in process, its SDK calls attributed to 'cli'; its sleeps drive the fake clock. */
  async cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const { auditKeyArn, auditAnchorBucket } = this.env.service.metadata;
    return runCliOn(this.world, argv, {
      region: REGION,
      caller: CLI,
      env: { CANARY_AUDIT_TRUST_ROOT: `${auditKeyArn},${auditAnchorBucket}` },
    });
  }

  /** A new task definition revision of the service with `image` (what CloudFormation registers on an image change). */
  registerRevision(image: string): string {
    const { metadata } = this.env.service;
    return this.world.ecs.registerTaskDefinition({
      family: metadata.taskDefinitionFamily,
      containerDefinitions: [{ name: metadata.containerName, image, portMappings: [{ containerPort: metadata.containerPort }] }],
    }).taskDefinition.taskDefinitionArn!;
  }

  restore(): void {
    this.env.restore();
  }
}

/** What runtime.ts does at a cold start, with the fake's clock and no network for smoke checks. */
async function coldStart(variables: Record<string, string>, clock: () => number, sleep: (ms: number) => Promise<void>): Promise<Runtime> {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  const clients = {
    codedeploy: new CodeDeployClient({}),
    elbv2: new ElasticLoadBalancingV2Client({}),
    cloudwatch: new CloudWatchClient({}),
    dynamo,
    sns: new SNSClient({}),
    ssm: new SSMClient({}),
    sfn: new SFNClient({}),
    kms: new KMSClient({}),
    s3: new S3Client({}),
    ecs: new ECSClient({}),
    // Smoke checks are HTTP, not AWS calls: every check answers 200.
    http: async () => ({ status: 200 }),
  };
  const env = readEnv(variables);
  const metadata = await readDeploymentMetadataParameter(clients.ssm, env.metadataParameter);
  return { clients, env, metadata, audit: auditTable(clients, env), logger, clock, sleep };
}

/** The fake account's names and ARNs for the stack's resources, by logical id. */
function physicalMap(synth: SynthesizedStacks, env: EngineWorld): Physical {
  const { stack, engine, platform } = synth;
  const svc = stack.canaryService;
  const { metadata, blue, green, ecsService, initialTaskDefinitionArn } = env.service;
  const loadBalancerArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${metadata.loadBalancerFullName}`;
  const stateMachineName = metadata.stateMachineArn!.split(':').pop()!;
  const physical: Physical = {
    [logicalId(svc.loadBalancer)]: {
      Ref: loadBalancerArn,
      LoadBalancerFullName: metadata.loadBalancerFullName,
      DNSName: metadata.loadBalancerDnsName,
    },
    [logicalId(svc.blueTargetGroup)]: { Ref: blue.arn, TargetGroupFullName: blue.fullName, TargetGroupName: blue.name },
    [logicalId(svc.greenTargetGroup)]: { Ref: green.arn, TargetGroupFullName: green.fullName, TargetGroupName: green.name },
    [logicalId(svc.listeners.listenerResources[0])]: { 'Listeners.0.ListenerArn': metadata.productionListenerArn },
    [logicalId(svc.listeners.listenerResources[1])]: { 'Listeners.0.ListenerArn': metadata.testListenerArn },
    [logicalId(svc.application)]: { Ref: metadata.applicationName },
    [logicalId(svc.deploymentGroup)]: { Ref: metadata.deploymentGroupName },
    [logicalId(svc.topic)]: { Ref: metadata.topicArn, TopicName: metadata.topicArn.split(':').pop() },
    [logicalId(svc.notifications.key)]: { Ref: TOPIC_KEY.split('/').pop(), Arn: TOPIC_KEY },
    [logicalId(svc.deploymentParameter)]: { Ref: '/ecs-canary/svc/deployment' },
    [logicalId(svc.freezeParameter)]: { Ref: metadata.freezeParameterName },
    [logicalId(engine.auditTable)]: {
      Ref: metadata.auditTableName,
      Arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${metadata.auditTableName}`,
    },
    [logicalId(engine.stateMachine)]: { Ref: metadata.stateMachineArn, Name: stateMachineName },
    [logicalId(engine.tickFunction)]: { Ref: TICK, Arn: functionArn(TICK) },
    [logicalId(engine.guardFunction)]: { Ref: GUARD, Arn: functionArn(GUARD) },
    [logicalId(engine.hookFailureFunction)]: { Ref: HOOK_FAILURE_FUNCTION, Arn: functionArn(HOOK_FAILURE_FUNCTION) },
    [logicalId(engine.startCheck.function)]: { Ref: START_CHECK, Arn: functionArn(START_CHECK) },
    [logicalId(svc.service)]: { Ref: ecsService.serviceArn, Name: ecsService.serviceName },
    [logicalId(svc.taskDefinition)]: { Ref: initialTaskDefinitionArn },
    ...(platform ? { [logicalId(platform.cluster)]: { Ref: ecsService.clusterName, Arn: ecsService.clusterArn } } : {}),
  };
  // The audit trail's signing key and anchor bucket are the fake's (addService created them).
  const keyArn = metadata.auditKeyArn!;
  physical[logicalId(engine.auditSigningKey.key)] = { Ref: keyArn.split('/').pop()!, Arn: keyArn };
  physical[logicalId(engine.auditAnchors.bucket)] = { Ref: metadata.auditAnchorBucket!, Arn: `arn:aws:s3:::${metadata.auditAnchorBucket}` };
  // The stack's rollback alarms: the first is the fake's alarm (the guard scenario sets it to ALARM).
  svc.rollbackAlarms.forEach((alarm, i) => {
    const name = i === 0 ? env.service.alarms[0] : `${metadata.service}-alarm-${i}`;
    physical[logicalId(alarm)] = { Ref: name, Arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}` };
  });
  for (const hook of HOOKS)
    physical[logicalId(engine.hookFunctions[hook])] = { Ref: metadata.hooks![hook], Arn: functionArn(metadata.hooks![hook]) };
  const trigger = svc.cdkDeployTrigger;
  for (const [id, name] of [
    ['OnEvent', CDK_ON_EVENT],
    ['IsComplete', CDK_IS_COMPLETE],
  ] as const) {
    const fn = trigger?.node.tryFindChild(id);
    if (fn) physical[logicalId(fn)] = { Ref: name, Arn: functionArn(name) };
  }
  return physical;
}
