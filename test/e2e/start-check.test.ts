/**
 * Invariant 8 over the fake AWS: every deployment of the group runs ecs-canary's hooks or is
 * stopped before production traffic moves. Deployments are created straight through CodeDeploy,
 * as a pipeline, the console or the AWS CLI would, with the real start check, guard, hooks and
 * tick wired as the RolloutEngine wires them.
 */
import { CodeDeployClient, CreateDeploymentCommand, ThrottlingException } from '@aws-sdk/client-codedeploy';
import { stringify } from 'yaml';

import { awsError, type PublishedMessage, renderAppSpec } from '../support';
import { EngineWorld } from './support/engine-world';

const MINUTE = 60_000;
const codedeploy = new CodeDeployClient({ region: 'us-east-1' });

let env: EngineWorld;
afterEach(() => env?.restore());

/** Registers a revision of the service's task definition and creates a deployment with `hooks`, as a pipeline would. */
async function createDeployment(hooks: Record<string, string>, options: { yaml?: boolean; description?: string } = {}): Promise<string> {
  const { metadata } = env.service;
  const { taskDefinition } = env.world.ecs.registerTaskDefinition({
    family: metadata.taskDefinitionFamily,
    containerDefinitions: [
      { name: metadata.containerName, image: 'svc:pipeline', portMappings: [{ containerPort: metadata.containerPort }] },
    ],
  });
  const json = renderAppSpec(metadata, taskDefinition.taskDefinitionArn!, hooks);
  const content = options.yaml ? stringify(JSON.parse(json)) : json;
  const { deploymentId } = await codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: metadata.applicationName,
      deploymentGroupName: metadata.deploymentGroupName,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
      ...(options.description ? { description: options.description } : {}),
    }),
  );
  return deploymentId!;
}

/** Every production listener write (CodeDeploy's and the engine's) that gave the deployment's replacement any weight. */
function productionToReplacement(deploymentId: string) {
  const { replacementTargetGroupArn } = env.world.codedeploy.deployment(deploymentId);
  return env.world.elbv2.writes.filter(
    (w) => w.listenerArn === env.service.metadata.productionListenerArn && (w.forward[replacementTargetGroupArn] ?? 0) > 0,
  );
}

function startCheckRecords(deploymentId: string) {
  return env.auditRecords().filter((r) => r.deploymentId === deploymentId && r.actor === 'start-check');
}

/**
 * What every stopped deployment ends with: Stopped, production never on the replacement, one signed record
 * naming its creator, a critical announcement.
 */
function expectStoppedBeforeTraffic(deploymentId: string, problem: RegExp) {
  const deployment = env.world.codedeploy.deployment(deploymentId);
  expect(deployment.status).toBe('Stopped');
  expect(deployment.events.find((e) => e.name === 'AllowTestTraffic')?.startTime).toBeUndefined();
  expect(productionToReplacement(deploymentId)).toEqual([]);
  expect(env.world.elbv2.percents(env.service.metadata.productionListenerArn)[deployment.originalTargetGroupArn]).toBe(100);
  const records = startCheckRecords(deploymentId);
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({
    verdict: 'abort',
    kind: 'event',
    figures: expect.objectContaining({ creator: 'user', event: 'START' }),
  });
  expect(records[0].signature).toEqual(expect.any(String));
  expect(records[0].reason).toMatch(problem);
  const messages = env.world.sns.messages.filter(
    (m: PublishedMessage) => m.message.includes(deploymentId) && /stopped at its start/.test(m.subject ?? ''),
  );
  expect(messages).toHaveLength(1);
  expect(env.violations).toEqual([]);
}

describe('start check (invariant 8)', () => {
  it('is needed: without it a hookless deployment moves 100% of production at once and succeeds', async () => {
    env = new EngineWorld();
    env.expectDeployment();
    const id = await createDeployment({});
    await env.world.clock.advance(10 * MINUTE);
    expect(env.world.codedeploy.deployment(id).status).toBe('Succeeded');
    expect(productionToReplacement(id).map((w) => w.actor)).toContain('codedeploy');
  });

  describe('stops a deployment whose AppSpec does not gate it', () => {
    const cases: Array<[string, () => Record<string, string>, RegExp]> = [
      ['hookless', () => ({}), /names no hooks/],
      [
        'foreign hooks',
        () => ({ AfterAllowTestTraffic: 'pipeline-smoke-test', BeforeAllowTraffic: 'pipeline-wait', AfterAllowTraffic: 'pipeline-notify' }),
        /AfterAllowTestTraffic names pipeline-smoke-test/,
      ],
      [
        'one hook missing',
        () => {
          const { BeforeAllowTraffic: _left, ...rest } = env.service.metadata.hooks!;
          return rest;
        },
        /lacks BeforeAllowTraffic/,
      ],
      [
        "the right hooks with a different service's functions",
        () => ({ ...env.world.addService({ name: 'other' }).metadata.hooks! }),
        /AfterAllowTestTraffic names other-after-allow-test-traffic, not this service's svc-after-allow-test-traffic/,
      ],
      [
        "this service's function names, as ARNs in another account",
        () =>
          Object.fromEntries(
            Object.entries(env.service.metadata.hooks!).map(([hook, name]) => [
              hook,
              `arn:aws:lambda:us-east-1:999999999999:function:${name}`,
            ]),
          ),
        /AfterAllowTestTraffic names arn:aws:lambda:us-east-1:999999999999:function:svc-after-allow-test-traffic, not this service's/,
      ],
    ];

    it.each(cases)(
      '%s: Stopped, 0%% of production ever on the replacement, one signed record naming its creator',
      async (_name, hooks, problem) => {
        env = new EngineWorld({ startCheck: true });
        env.expectDeployment();
        const id = await createDeployment(hooks(), { description: 'pipeline run 42' });
        await env.world.clock.advance(10 * MINUTE);
        expectStoppedBeforeTraffic(id, problem);
        expect(env.startChecks.find((c) => c.deploymentId === id)).toMatchObject({ verdict: 'stop', stopped: true });
      },
    );

    it('reads YAML AppSpecs as CodeDeploy does', async () => {
      env = new EngineWorld({ startCheck: true });
      env.expectDeployment();
      const id = await createDeployment({ AfterAllowTestTraffic: 'pipeline-smoke-test' }, { yaml: true });
      await env.world.clock.advance(10 * MINUTE);
      expectStoppedBeforeTraffic(id, /lacks BeforeAllowTraffic/);
    });

    it('stops a correct deployment of a frozen service, naming who froze it', async () => {
      env = new EngineWorld({ startCheck: true });
      env.world.ssm.putParameter({
        Name: env.service.metadata.freezeParameterName,
        Value: JSON.stringify({ frozen: true, reason: 'incident 7', by: 'alice' }),
        Overwrite: true,
      } as never);
      const id = env.deploy();
      await env.world.clock.advance(10 * MINUTE);
      expectStoppedBeforeTraffic(id, /svc is frozen by alice: incident 7/);
    });

    it('stops when the AppSpec cannot be read (fail safe)', async () => {
      env = new EngineWorld({ startCheck: true });
      jest.spyOn(env.world.codedeploy, 'getApplicationRevision').mockImplementation(() => {
        throw awsError(ThrottlingException, 'Rate exceeded');
      });
      const id = env.deploy();
      await env.world.clock.advance(10 * MINUTE);
      expectStoppedBeforeTraffic(id, /AppSpec could not be read \(GetApplicationRevision of [0-9a-f]{64}: ThrottlingException/);
    });
  });

  it('stops even when the audit record cannot be written, and says so in the announcement', async () => {
    env = new EngineWorld({ startCheck: true });
    const put = env.world.dynamodb.putItem.bind(env.world.dynamodb);
    jest.spyOn(env.world.dynamodb, 'putItem').mockImplementation((input) => {
      if ((input as { Item?: { actor?: string } }).Item?.actor === 'start-check') throw awsError(ThrottlingException, 'Rate exceeded');
      return put(input);
    });
    env.expectDeployment();
    const id = await createDeployment({});
    await env.world.clock.advance(10 * MINUTE);
    expect(env.world.codedeploy.deployment(id).status).toBe('Stopped');
    expect(productionToReplacement(id)).toEqual([]);
    expect(startCheckRecords(id)).toEqual([]);
    expect(env.world.sns.messages.find((m: PublishedMessage) => /stopped at its start/.test(m.subject ?? ''))?.message).toMatch(
      /audit record not written: .*Rate exceeded/,
    );
  });

  describe('late and repeated START deliveries', () => {
    it('stops a hookless deployment whose START arrives 45 s late, before AllowTestTraffic', async () => {
      env = new EngineWorld({ startCheck: true });
      env.world.codedeploy.delayStateChanges(45_000);
      env.expectDeployment();
      const id = await createDeployment({});
      await env.world.clock.advance(10 * MINUTE);
      expectStoppedBeforeTraffic(id, /names no hooks/);
    });

    it('records and stops once when START is delivered three times, seconds and a minute apart', async () => {
      env = new EngineWorld({ startCheck: true });
      env.expectDeployment();
      const id = await createDeployment({});
      await env.world.clock.advance(1_000);
      env.world.codedeploy.redeliverStateChange(id, 'START', 5_000);
      env.world.codedeploy.redeliverStateChange(id, 'START', MINUTE);
      await env.world.clock.advance(10 * MINUTE);
      expectStoppedBeforeTraffic(id, /names no hooks/);
      const checks = env.startChecks.filter((c) => c.deploymentId === id);
      expect(checks.map((c) => c.verdict)).toEqual(['stop', 'ignore', 'ignore']);
      expect(env.world.callsOf('StopDeploymentCommand')).toHaveLength(1);
    });

    it('leaves alone the rollback its stop causes, and a late START of the stopped deployment while a gated one runs', async () => {
      env = new EngineWorld({ startCheck: true, totalRps: 50 });
      env.expectDeployment();
      const stopped = await createDeployment({});
      await env.world.clock.advance(5 * MINUTE);
      const rollback = env.world.codedeploy.deployment(stopped).rollbackInfo?.rollbackDeploymentId;
      expect(env.startChecks.find((c) => c.deploymentId === rollback)).toMatchObject({
        verdict: 'ignore',
        reason: expect.stringMatching(/rollback deployment/),
      });
      const gated = env.world.deploy('svc');
      env.world.codedeploy.redeliverStateChange(stopped, 'START', 3 * MINUTE);
      await env.world.clock.advanceUntil(() => env.world.codedeploy.deployment(gated).status !== 'InProgress', 200 * MINUTE, 10_000);
      expect(env.world.codedeploy.deployment(gated).status).toBe('Succeeded');
      expect(env.startChecks.filter((c) => c.deploymentId === stopped).map((c) => c.verdict)).toEqual(['stop', 'ignore']);
      expect(env.violations).toEqual([]);
    });
  });

  describe('never stops a gated deployment', () => {
    it("lets a deployment with the service's three hooks roll out to Succeeded, duplicate STARTs included", async () => {
      env = new EngineWorld({ startCheck: true, totalRps: 50 });
      const id = env.deploy();
      await env.world.clock.advance(1_000);
      env.world.codedeploy.redeliverStateChange(id, 'START', 20 * MINUTE);
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Succeeded');
      expect(env.startChecks.map((c) => c.verdict)).toEqual(['allow', 'allow']);
      expect(env.world.callsOf('StopDeploymentCommand')).toEqual([]);
      expect(env.auditRecords().filter((r) => r.actor === 'start-check')).toEqual([]);
      expect(env.violations).toEqual([]);
    });

    it('retries a throttled AppSpec read instead of stopping the deployment', async () => {
      env = new EngineWorld({ startCheck: true });
      const read = env.world.codedeploy.getApplicationRevision.bind(env.world.codedeploy);
      jest
        .spyOn(env.world.codedeploy, 'getApplicationRevision')
        .mockImplementationOnce(() => {
          throw awsError(ThrottlingException, 'Rate exceeded');
        })
        .mockImplementationOnce(() => {
          throw awsError(ThrottlingException, 'Rate exceeded');
        })
        .mockImplementation(read);
      const id = env.deploy();
      await env.world.clock.advance(5 * MINUTE);
      expect(env.startChecks.find((c) => c.deploymentId === id)).toMatchObject({ verdict: 'allow' });
      expect(env.world.callsOf('StopDeploymentCommand')).toEqual([]);
      expect(env.world.codedeploy.deployment(id).status).toBe('InProgress');
    });
  });
});
