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
      const rt = { ...env.rt, clock: () => T0 + 3 * 60_000 };
      const out = await tick(rt, first);
      expect(env.mocks.cw.commandCalls(GetMetricDataCommand).length).toBeGreaterThan(0);
      expect(out.state.failedObservations).toBe(1);
      expect(env.world.log).toEqual(['audit:hold']);
      expect(env.world.audit.at(-1)?.reason).toMatch(/no evidence this tick \(metrics: MetricsUnavailableError: GetMetricData still failing after 4 attempts/);
    }, 20_000);

    it('reads no metrics while no whole minute of the new stage can be complete, and holds without counting a failed observation', async () => {
      const first = await firstTick();
      env.world.log.length = 0;
      env.mocks.cw.on(GetMetricDataCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
      const out = await tick({ ...env.rt, clock: () => T0 + 2 * 60_000 }, first);
      expect(env.mocks.cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
      expect(out.state.failedObservations).toBe(0);
      expect(env.world.log).toEqual(['audit:hold']);
    });

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

  describe('post-traffic bake', () => {
    const MIN = 60_000;
    const bakeInput = { ...input, lifecycleEventHookExecutionId: 'h-3', hook: 'AfterAllowTraffic' as const };
    /** CloudWatch with the original at 1000 requests / 5 errors a minute in the hour before T0 and the replacement at 1000 / 2 since. */
    function serveMetrics(now: () => number) {
      env.mocks.cw.on(GetMetricDataCommand).callsFake((request: { MetricDataQueries: Array<{ Id: string }> }) => ({
        MetricDataResults: request.MetricDataQueries.map(({ Id }) => {
          const starts = Id.startsWith('o_')
            ? Array.from({ length: 60 }, (_, i) => T0 - (60 - i) * MIN)
            : Array.from({ length: Math.floor((now() - T0) / MIN) }, (_, i) => T0 + i * MIN);
          const value = Id.endsWith('requests') ? 1000 : Id.endsWith('errors5xx') ? (Id.startsWith('o_') ? 5 : 2) : Id.endsWith('healthyHosts') && !Id.includes('un') ? 2 : 0;
          return { Id, Timestamps: starts.map((t) => new Date(t)), Values: starts.map(() => value) };
        }),
      }));
    }

    it('reads the original until the baseline settles, then only the replacement, and judges against the kept baseline', async () => {
      env = fakeRuntime({ weights: { blue: 0, green: 100 } });
      let now = T0;
      serveMetrics(() => now);
      const rt = { ...env.rt, clock: () => now };
      let out = await tick(rt, bakeInput);
      const ids: string[][] = [];
      for (const minute of [3, 5, 6, 7]) {
        now = T0 + minute * MIN;
        const before = env.mocks.cw.commandCalls(GetMetricDataCommand).length;
        out = await tick(rt, out);
        ids.push(env.mocks.cw.commandCalls(GetMetricDataCommand).slice(before).flatMap((c) => c.args[0].input.MetricDataQueries!.map((q) => q.Id!)));
      }
      expect(ids.map((list) => [list.length, list.filter((id) => id.startsWith('o_')).length])).toEqual([[11, 4], [11, 4], [7, 0], [7, 0]]);
      expect(out.state.baseline).toMatchObject({ settledAt: T0 + 5 * MIN, summary: { minutes: 60, requests: 60_000, errors: 300, errorRatePercent: 0.5 } });
      const last = env.world.audit.at(-1) as { verdict: string; figures: { baseline: unknown }; reasons: Array<{ check: string; observed: string }> };
      expect(last.figures.baseline).toMatchObject({ minutes: 60, requests: 60_000, errors: 300 });
      expect(last.reasons.find((r) => r.check === 'errors')?.observed).toMatch(/^canary 5xx 0\.20?% \(10\/5000\) vs baseline 0\.50?% \(25\/5000\)/);
    });
  });
});
