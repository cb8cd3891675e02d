import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { GetParameterCommand } from '@aws-sdk/client-ssm';

import { verifyChain } from '../../lambdas/core/audit-chain';
import { logger } from '../../lambdas/handlers/runtime';
import { tick, type TickPayload } from '../../lambdas/handlers/tick';
import { fakeRuntime, T0 } from './support/fake-runtime';

logger.setLogLevel('SILENT');
const input = {
  deploymentId: 'd-1',
  lifecycleEventHookExecutionId: 'h-1',
  hook: 'AfterAllowTestTraffic' as const,
  startedAt: new Date(T0).toISOString(),
};
let env: ReturnType<typeof fakeRuntime>;
afterEach(() => env.reset());

async function firstTick(world = {}): Promise<TickPayload> {
  env = fakeRuntime(world);
  return tick(env.runtime, input);
}

describe('tick', () => {
  describe('first tick', () => {
    it("reads the original's history, records the decision and the rollout, creates the header rule, then shifts 5% to the replacement", async () => {
      const out = await firstTick();
      const reads = env.mocks.cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries!.map((q) => q.Id));
      expect(reads).toEqual([['o_requests', 'o_p95']]);
      expect(env.world.log).toEqual(['audit:start', 'rollout:record', 'rule:create', 'weights:95/5', 'sns']);
      expect(out).toMatchObject({
        done: false,
        state: { status: 'baking', weight: 5, targets: { replacement: { name: 'orders-green' } } },
      });
      expect(out.waitSeconds).toBeGreaterThan(0);
      expect(verifyChain(env.world.audit).ok).toBe(true);
    });

    it('writes nothing but the restore when the deployment stops between observing and shifting', async () => {
      env = fakeRuntime();
      env.mocks.codedeploy
        .on(GetDeploymentCommand)
        .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
        .resolves({ deploymentInfo: { status: 'Stopped' } });
      const out = await tick(env.runtime, input);
      expect(env.world.log.filter((l) => l.startsWith('weights') || l.startsWith('rule'))).toEqual([]);
      expect(env.world.log).toEqual(['audit:start', 'rollout:record', 'audit:abandon', 'sns']);
      expect(out).toMatchObject({ done: true, state: { outcome: { status: 'Abandoned' } } });
    });
  });

  describe('fail-safe', () => {
    it("holds without writes the first time the state machine hands it the tick's error", async () => {
      const first = await firstTick();
      env.world.log.length = 0;
      const out = await tick(env.runtime, { ...first, error: { Error: 'Lambda.Unknown', Cause: 'Task timed out' } });
      expect(env.world.log).toEqual(['audit:hold']);
      expect(out.done).toBe(false);
    });

    it('restores the original and reports Failed when the tick has kept failing for 5 minutes', async () => {
      const first = await firstTick();
      env.world.log.length = 0;
      const failing = { ...first, state: { ...first.state, tickFailures: { since: T0 - 5 * 60_000, count: 3 } } };
      const out = await tick(env.runtime, { ...failing, error: { Error: 'Lambda.Unknown', Cause: 'Task timed out' } });
      expect(env.world.log).toEqual(['audit:fail', 'rule:delete', 'weights:100/0', 'hook:Failed', 'sns']);
      expect(out.done).toBe(true);
    });
  });

  describe('later ticks', () => {
    it('counts throttled metrics as no evidence and holds without writing the listener', async () => {
      const first = await firstTick();
      env.world.log.length = 0;
      env.mocks.cw.on(GetMetricDataCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
      const runtime = { ...env.runtime, clock: () => T0 + 3 * 60_000 };
      const out = await tick(runtime, first);
      expect(env.mocks.cw.commandCalls(GetMetricDataCommand).length).toBeGreaterThan(0);
      expect(out.state.failedObservations).toBe(1);
      expect(env.world.log).toEqual(['audit:hold']);
      expect(env.world.audit.at(-1)?.reason).toMatch(
        /no evidence this tick \(metrics: MetricsUnavailableError: GetMetricData still failing after 4 attempts/,
      );
    }, 20_000);

    it('reads both groups over the whole rollout, the original from an hour before the first shift, with TC(E:)', async () => {
      const first = await firstTick();
      const rollout = { ...first, state: { ...first.state, rollout: { startedAt: T0, slowThresholdMs: 300 } } };
      await tick({ ...env.runtime, clock: () => T0 + 2 * 60_000 }, rollout);
      const call = env.mocks.cw.commandCalls(GetMetricDataCommand).at(-1)!.args[0].input;
      expect(call.StartTime).toEqual(new Date(T0 - 60 * 60_000));
      expect(call.MetricDataQueries!.map((q) => q.Id)).toEqual([
        'r_requests',
        'r_errors5xx',
        'r_connectionErrors',
        'r_slowRequests',
        'r_p95',
        'r_healthyHosts',
        'r_unhealthyHosts',
        'o_requests',
        'o_errors5xx',
        'o_connectionErrors',
        'o_slowRequests',
      ]);
      expect(call.MetricDataQueries!.find((q) => q.Id === 'o_slowRequests')?.MetricStat?.Stat).toBe('TC(0.3:)');
    });

    it('acts on an operator abort: restores, removes the header rule, reports Failed', async () => {
      const first = await firstTick();
      env.world.log.length = 0;
      // The control record is the SSM parameter the CLI writes (lambdas/aws/control-parameter.ts).
      const control = {
        deploymentId: 'd-1',
        command: 'abort',
        requestedBy: 'alice',
        callerArn: 'arn:aws:sts::1:assumed-role/op/alice',
        reason: 'bad dashboards',
        at: 'x',
        requestId: 'r-1',
      };
      env.mocks.ssm
        .on(GetParameterCommand, { Name: '/ecs-canary/orders/control' })
        .resolves({ Parameter: { Value: JSON.stringify(control) } });
      const out = await tick(
        { ...env.runtime, env: { ...env.runtime.env, controlParameter: '/ecs-canary/orders/control' }, clock: () => T0 + 60_000 },
        first,
      );
      expect(env.world.log).toEqual(['audit:abort', 'rule:delete', 'weights:100/0', 'hook:Failed', 'sns']);
      expect(out.state.outcome?.reason).toBe('aborted by alice: bad dashboards');
      expect(env.world.audit.at(-1)?.figures).toMatchObject({ callerArn: 'arn:aws:sts::1:assumed-role/op/alice', requestId: 'r-1' });
      expect(verifyChain(env.world.audit).ok).toBe(true);
    });
  });

  describe('post-traffic bake', () => {
    const MIN = 60_000;
    const bakeInput = { ...input, lifecycleEventHookExecutionId: 'h-3', hook: 'AfterAllowTraffic' as const };
    const ROLLOUT_START = T0 - 40 * MIN;
    /**
     * CloudWatch: the original at 1000 requests / 5 errors a minute until T0, the replacement at 1000 / `errors`
     * from the first shift on.
     */
    function serveMetrics(now: () => number, errors: number) {
      env.mocks.cw.on(GetMetricDataCommand).callsFake((request: { MetricDataQueries: Array<{ Id: string }>; StartTime: Date }) => ({
        MetricDataResults: request.MetricDataQueries.map(({ Id }) => {
          const from = Math.max(request.StartTime.getTime(), Id.startsWith('o_') ? -Infinity : ROLLOUT_START);
          const to = Id.startsWith('o_') ? T0 : now() - 2 * MIN;
          const starts = Array.from({ length: Math.max(0, Math.floor((to - from) / MIN)) }, (_, i) => from + i * MIN);
          const value = Id.endsWith('requests')
            ? 1000
            : Id.endsWith('errors5xx')
              ? Id.startsWith('o_')
                ? 5
                : errors
              : Id.endsWith('p95')
                ? 0.2
                : Id.endsWith('healthyHosts') && !Id.includes('un')
                  ? 2
                  : 0;
          return { Id, Timestamps: starts.map((t) => new Date(t)), Values: starts.map(() => value) };
        }),
      }));
    }

    it.each([
      ['promotes a clean replacement', 5, 'Succeeded'],
      ['rolls back a replacement failing 5% at 100%', 50, 'Failed'],
    ])('judges the same rollout from its record: %s', async (_name, errors, outcome) => {
      env = fakeRuntime({ weights: { blue: 0, green: 100 } });
      let now = T0;
      serveMetrics(() => now, errors);
      const runtime = { ...env.runtime, clock: () => now };
      let out = await tick(runtime, bakeInput);
      out = { ...out, state: { ...out.state, rollout: { startedAt: ROLLOUT_START, slowThresholdMs: 300 } } };
      while (!out.done && now < T0 + 40 * MIN) {
        now += Math.max(1, out.waitSeconds) * 1000;
        out = await tick(runtime, out);
      }
      expect(out.state.outcome?.status).toBe(outcome);
      const last = env.world.audit.at(-1) as { figures: { rollout: unknown } };
      expect(last.figures.rollout).toEqual({ startedAt: new Date(ROLLOUT_START).toISOString(), slowThresholdMs: 300 });
    });
  });
});
