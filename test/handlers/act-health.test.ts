/**
 * The tick's writes against target health and the group's current deployment (invariant 7): a
 * shift or canary rule is re-checked against live target health right before it is written, a
 * restore is written only for the current deployment onto a healthy original, and a retried tick
 * recognizes the shift it recorded and wrote itself.
 */
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';

import { logger } from '../../lambdas/handlers/runtime';
import { tick, type TickFailure, type TickPayload } from '../../lambdas/handlers/tick';
import { BLUE, fakeRuntime, GREEN, T0 } from './support/fake-runtime';

logger.setLogLevel('SILENT');
const input = {
  deploymentId: 'd-1',
  lifecycleEventHookExecutionId: 'h-1',
  hook: 'AfterAllowTestTraffic' as const,
  startedAt: new Date(T0).toISOString(),
};
const healthy = (n: number) => ({
  TargetHealthDescriptions: Array.from({ length: n }, (_, i) => ({
    Target: { Id: `10.0.1.${i + 1}`, Port: 8080 },
    TargetHealth: { State: 'healthy' as const },
  })),
});
const headerRule = () => ({
  RuleArn: 'rule-1',
  Priority: '1',
  Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['always'] } }],
});
let env: ReturnType<typeof fakeRuntime>;
afterEach(() => env.reset());

async function firstTick(): Promise<TickPayload> {
  env = fakeRuntime();
  const out = await tick(env.runtime, input);
  env.world.log.length = 0;
  return out;
}

describe('act', () => {
  describe('target health right before the write', () => {
    it('refuses the shift when the replacement lost its healthy targets after the observation, holds and removes the rule it created', async () => {
      env = fakeRuntime();
      // Observation and the rule's check see 2 healthy targets; the check right before the weights sees none.
      env.mocks.elb
        .on(DescribeTargetHealthCommand, { TargetGroupArn: GREEN.arn })
        .resolvesOnce(healthy(2))
        .resolvesOnce(healthy(2))
        .resolves(healthy(0));
      const out = await tick(env.runtime, input);
      expect(env.world.log).toEqual(['audit:start', 'rollout:record', 'rule:create', 'audit:hold', 'rule:delete']);
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
      expect(env.world.rules).toEqual([]);
      expect(out).toMatchObject({ done: false, state: { status: 'starting', weight: 0 } });
      expect(env.world.audit.at(-1)?.reason).toMatch(
        /waiting for a healthy replacement target before shifting to 5% \(0 healthy, 0 unhealthy\)/,
      );
    });

    it('refuses the shift when the health read right before it fails', async () => {
      env = fakeRuntime();
      env.mocks.elb
        .on(DescribeTargetHealthCommand, { TargetGroupArn: GREEN.arn })
        .resolvesOnce(healthy(2))
        .resolvesOnce(healthy(2))
        .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
      const out = await tick(env.runtime, input);
      expect(env.world.log.filter((l) => l.startsWith('weights'))).toEqual([]);
      expect(out.state.weight).toBe(0);
      expect(env.world.audit.at(-1)?.reason).toMatch(/target health unreadable/);
    });

    it("keeps the state from before when the shift is refused twice (the original's health unreadable right before each write)", async () => {
      env = fakeRuntime();
      env.mocks.elb
        .on(DescribeTargetHealthCommand, { TargetGroupArn: BLUE.arn })
        .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
      const out = await tick(env.runtime, input);
      expect(env.world.log.filter((l) => l.startsWith('weights'))).toEqual([]);
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
      // Not "baking at 5%": the next tick would take the unchanged listener for a write from outside the engine.
      expect(out).toMatchObject({ done: false, waitSeconds: 30, state: { status: 'starting', weight: 0 } });
    });

    it('removes the canary rule a failed first tick left when the next tick holds for a healthy replacement', async () => {
      // The first tick created the rule and died before its weights; its retry finds no healthy replacement target.
      env = fakeRuntime({ rules: [headerRule()], healthyGreen: 0 });
      const out = await tick(env.runtime, input);
      expect(env.world.log).toEqual(['audit:hold', 'rule:delete']);
      expect(env.world.rules).toEqual([]);
      expect(out.state).toMatchObject({ status: 'starting', weight: 0 });
    });
  });

  describe('the restore', () => {
    /** The first tick's payload with the tick failing for longer than the engine tolerates (it fails safe and restores). */
    const persistentlyFailing = (first: TickPayload): TickPayload & TickFailure => ({
      ...first,
      state: { ...first.state, tickFailures: { since: T0 - 10 * 60_000, count: 5 } },
      error: { Error: 'Lambda.Unknown', Cause: 'Task timed out' },
    });

    it("is not written for a deployment that is no longer the group's current one", async () => {
      const first = await firstTick();
      env.world.newer = ['d-2'];
      await tick(env.runtime, persistentlyFailing(first));
      expect(env.world.log).toEqual(['audit:fail', 'rule:delete', 'audit:ignore', 'sns', 'hook:Failed', 'sns']);
      expect(env.world.weights).toEqual({ blue: 95, green: 5 });
      expect(env.world.audit.at(-1)?.reason).toMatch(/d-2 was created after it; its restore is not written/);
    });

    it("is not written onto an original without a healthy target; production is left to CodeDeploy's rollback", async () => {
      const first = await firstTick();
      env.world.healthyBlue = 0;
      await tick(env.runtime, persistentlyFailing(first));
      expect(env.world.log.filter((l) => l.startsWith('weights'))).toEqual([]);
      expect(env.world.audit.at(-1)?.reason).toMatch(new RegExp(`original target group ${BLUE.name} has no healthy target`));
    });
  });

  describe('a retried tick', () => {
    const promoted = (at: number) => ({
      pk: 'orders',
      sk: 99,
      kind: 'decision',
      actor: 'engine',
      deploymentId: 'd-1',
      hook: 'AfterAllowTestTraffic',
      verdict: 'promote',
      stage: { index: 1, weight: 25 },
      weights: { original: 75, replacement: 25 },
      at: new Date(at).toISOString(),
      reason: 'promoted',
      hash: 'h',
      prevHash: 'p',
    });

    it('recognizes the shift it recorded before writing it and carries on at that weight', async () => {
      const first = await firstTick();
      env.world.audit.push(promoted(T0 + 6 * 60_000));
      env.world.weights = { blue: 75, green: 25 };
      const out = await tick({ ...env.runtime, clock: () => T0 + 7 * 60_000 }, first);
      expect(env.world.log).toEqual(['audit:hold']);
      expect(out).toMatchObject({ done: false, state: { status: 'baking', stepIndex: 1, weight: 25, stageStartedAt: T0 + 6 * 60_000 } });
      expect(env.world.audit.at(-1)?.reason).toMatch(
        /the shift this window recorded at .* before writing it \(a retried tick\); carrying on at 25%/,
      );
    });

    it('still fails on a weight nobody recorded', async () => {
      const first = await firstTick();
      env.world.weights = { blue: 75, green: 25 };
      const out = await tick({ ...env.runtime, clock: () => T0 + 7 * 60_000 }, first);
      expect(out.state.outcome).toMatchObject({
        status: 'Failed',
        reason: expect.stringMatching(
          /^listener weights changed outside the engine: replacement has 25%, the engine set 5% and recorded no such shift/,
        ),
      });
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
    });
  });
});
