import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { tick, type TickPayload } from '../../lambdas/handlers/tick';
import { logger } from '../../lambdas/handlers/runtime';
import { verifyChain } from '../../lambdas/core/audit-chain';
import { fakeRuntime, T0 } from './support/fake-runtime';

logger.setLogLevel('SILENT');
const input = { deploymentId: 'd-1', lifecycleEventHookExecutionId: 'h-1', hook: 'AfterAllowTestTraffic' as const, startedAt: new Date(T0).toISOString() };
let env: ReturnType<typeof fakeRuntime>;
afterEach(() => env.reset());

async function firstTick(world = {}): Promise<TickPayload> {
  env = fakeRuntime(world);
  return tick(env.rt, input);
}

describe('tick', () => {
  describe('first tick', () => {
    it('records the decision, creates the header rule, then shifts 5% to the replacement', async () => {
      const out = await firstTick();
      expect(env.world.log).toEqual(['audit:start', 'rule:create', 'weights:95/5', 'sns']);
      expect(out).toMatchObject({ done: false, state: { status: 'baking', weight: 5, targets: { replacement: { name: 'orders-green' } } } });
      expect(out.waitSeconds).toBeGreaterThan(0);
      expect(verifyChain(env.world.audit).ok).toBe(true);
    });

    it('writes nothing but the restore when the deployment stops between observing and shifting', async () => {
      env = fakeRuntime();
      env.mocks.codedeploy.on(GetDeploymentCommand).resolvesOnce({ deploymentInfo: { status: 'InProgress' } }).resolves({ deploymentInfo: { status: 'Stopped' } });
      const out = await tick(env.rt, input);
      expect(env.world.log.filter((l) => l.startsWith('weights') || l.startsWith('rule'))).toEqual([]);
      expect(env.world.log).toEqual(['audit:start', 'audit:abandon', 'sns']);
      expect(out).toMatchObject({ done: true, state: { outcome: { status: 'Abandoned' } } });
    });
  });

  describe('fail-safe', () => {
    it('restores the original and reports Failed when the state machine hands it the tick\'s error', async () => {
      const first = await firstTick();
      env.world.log.length = 0;
      const out = await tick(env.rt, { ...first, error: { Error: 'Lambda.Unknown', Cause: 'Task timed out' } });
      expect(env.world.log).toEqual(['audit:fail', 'rule:delete', 'weights:100/0', 'hook:Failed', 'sns']);
      expect(out.done).toBe(true);
    });
  });

  describe('later ticks', () => {
    it('counts throttled metrics as no evidence and holds without writing the listener', async () => {
      const first = await firstTick();
      env.world.log.length = 0;
      env.mocks.cw.on(GetMetricDataCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
      const rt = { ...env.rt, clock: () => T0 + 2 * 60_000 };
      const out = await tick(rt, first);
      expect(out.state.failedObservations).toBe(1);
      expect(env.world.log).toEqual(['audit:hold']);
      expect(env.world.audit.at(-1)?.reason).toMatch(/no evidence this tick \(metrics: MetricsUnavailableError: GetMetricData still failing after 4 attempts/);
    }, 20_000);

    it('acts on an operator abort: restores, removes the header rule, reports Failed', async () => {
      const first = await firstTick();
      env.world.log.length = 0;
      env.mocks.ddb.on(GetCommand).resolves({ Item: { pk: 'orders', sk: 0, kind: 'control', deploymentId: 'd-1', command: 'abort', requestedBy: 'alice', reason: 'bad dashboards', at: 'x', requestId: 'r-1' } });
      const out = await tick({ ...env.rt, clock: () => T0 + 60_000 }, first);
      expect(env.world.log).toEqual(['audit:abort', 'rule:delete', 'weights:100/0', 'hook:Failed', 'sns']);
      expect(out.state.outcome?.reason).toBe('aborted by alice: bad dashboards');
      expect(verifyChain(env.world.audit).ok).toBe(true);
    });
  });
});
