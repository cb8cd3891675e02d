import {
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutCommand } from '@aws-sdk/lib-dynamodb';

import { RECHECK_AFTER_FENCE_MS } from '../../lambdas/core/guard';
import { guard } from '../../lambdas/handlers/guard';
import { logger } from '../../lambdas/handlers/runtime';
import { BLUE, fakeRuntime, GREEN, T0 } from './support/fake-runtime';
import { withFences } from './support/fence';

logger.setLogLevel('SILENT');
const event = (state: string) => ({
  'detail-type': 'CodeDeploy Deployment State-change Notification',
  detail: { deploymentId: 'd-1', state, application: 'orders-app', deploymentGroup: 'orders-dg' },
});
const headerRule = () => ({
  RuleArn: 'rule-1',
  Priority: '1',
  Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['always'] } }],
});
let env: ReturnType<typeof fakeRuntime>;
afterEach(() => env.reset());

/** A clock and a sleep that moves it, records its waits, and runs `during` (what happens meanwhile). */
function sleeper(during: () => void = () => undefined) {
  const waits: number[] = [];
  let now = T0;
  return {
    waits,
    clock: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      during();
      now += ms;
    },
  };
}

describe('guard', () => {
  describe('guard', () => {
    it.each(['FAILURE', 'STOP'])(
      'on %s: fences, records why, stops the executions, removes the header rule and restores the original',
      async (state) => {
        env = fakeRuntime({ weights: { blue: 75, green: 25 }, rules: [headerRule()] });
        const fences = withFences(env);
        const { sleep, waits } = sleeper();
        await expect(guard(env.runtime, event(state), { sleep })).resolves.toEqual({
          restored: true,
          restoredAgain: false,
          stopped: expect.any(Array),
        });
        // Production first: the executions are stopped after its restore.
        expect(env.world.log).toEqual([
          'fence',
          'audit:restore',
          'rule:delete',
          'weights:100/0',
          'sns',
          'stop:d-1-AfterAllowTestTraffic',
          'stop:d-1-BeforeAllowTraffic',
          'stop:d-1-AfterAllowTraffic',
        ]);
        expect(fences.get('fence#d-1')).toMatchObject({ sk: 0, kind: 'fence', deploymentId: 'd-1', state, at: new Date(T0).toISOString() });
        expect(env.world.audit[0].reason).toMatch(/still sent 25% to the replacement/);
        expect(waits).toEqual([RECHECK_AFTER_FENCE_MS]);
      },
    );

    it.each([
      ['another application', { application: 'billing-app' }],
      ['another deployment group', { deploymentGroup: 'billing-dg' }],
      ['no deployment group', { deploymentGroup: undefined }],
    ])('writes nothing, not even its fence, for an event of %s', async (_, changed) => {
      env = fakeRuntime({ weights: { blue: 75, green: 25 }, rules: [headerRule()] });
      const fences = withFences(env);
      const foreign = { ...event('FAILURE'), detail: { ...event('FAILURE').detail, ...changed } };
      const result = await guard(env.runtime, foreign, sleeper());
      expect(result).toMatchObject({ restored: false, stopped: [] });
      expect(result.ignored).toMatch(/not of this service's group orders-app\/orders-dg; nothing written/);
      expect(env.world.log).toEqual([]);
      expect(fences.size).toBe(0);
    });

    it('does not touch a listener that already sends everything to the original', async () => {
      env = fakeRuntime();
      withFences(env);
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).resolves.toMatchObject({ restored: false, restoredAgain: false });
      expect(env.world.log.filter((l) => l.startsWith('weights'))).toEqual([]);
      expect(env.world.audit[0].reason).toMatch(/already sends 100% to the original/);
    });

    it('restores again, with a record, when a tick in flight shifted traffic and created the rule after the restore', async () => {
      env = fakeRuntime({ weights: { blue: 95, green: 5 }, rules: [headerRule()] });
      withFences(env);
      const late = sleeper(() => {
        env.world.weights = { blue: 75, green: 25 };
        env.world.rules.push(headerRule());
        env.world.log.push('late tick write');
      });
      await expect(guard({ ...env.runtime, clock: late.clock }, event('STOP'), late)).resolves.toMatchObject({
        restored: true,
        restoredAgain: true,
      });
      expect(env.world.log.slice(env.world.log.indexOf('late tick write'))).toEqual([
        'late tick write',
        'audit:restore',
        'rule:delete',
        'weights:100/0',
        'sns',
      ]);
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
      expect(env.world.rules).toEqual([]);
      expect(env.world.audit.at(-1)?.reason).toMatch(
        /^re-check 90 s after the fence: the listener sent 25% to the replacement after the restore/,
      );
    });

    it('restores even when the fence cannot be written, and still re-checks', async () => {
      env = fakeRuntime({ weights: { blue: 75, green: 25 } });
      env.mocks.ddb
        .on(PutCommand, { Item: { kind: 'fence' } })
        .rejects(Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));
      const { sleep, waits } = sleeper();
      await expect(guard(env.runtime, event('FAILURE'), { sleep })).resolves.toMatchObject({ restored: true });
      expect(env.world.log.filter((l) => l.startsWith('weights'))).toEqual(['weights:100/0']);
      expect(waits).toEqual([RECHECK_AFTER_FENCE_MS]);
    });

    it('keeps the first fence when the event is delivered again', async () => {
      env = fakeRuntime({ weights: { blue: 75, green: 25 } });
      const fences = withFences(env);
      await guard(env.runtime, event('STOP'), sleeper());
      await guard({ ...env.runtime, clock: () => T0 + 60_000 }, event('STOP'), sleeper());
      expect(env.world.log.filter((l) => l === 'fence')).toEqual(['fence']);
      expect(fences.get('fence#d-1')?.at).toBe(new Date(T0).toISOString());
    });

    it('re-checks within its own remaining time when its timeout is shorter than a tick can still write', async () => {
      env = fakeRuntime({ weights: { blue: 75, green: 25 } });
      withFences(env);
      const { sleep, waits } = sleeper();
      await guard(env.runtime, event('STOP'), { sleep, remainingMs: () => 50_000 });
      expect(waits).toEqual([40_000]);
    });
  });

  describe('a deployment without a replacement task set', () => {
    it.each<[string, object]>([
      ['no deployment target yet', { targetIds: [] }],
      ['no Green task set yet', null as never],
    ])('records that it ignored the event (%s), writes nothing and does not throw', async (_name, targets) => {
      env = fakeRuntime({ weights: { blue: 100, green: 0 } });
      if (targets) env.mocks.codedeploy.on(ListDeploymentTargetsCommand).resolves(targets);
      else
        env.mocks.codedeploy.on(GetDeploymentTargetCommand).resolves({
          deploymentTarget: { ecsTarget: { taskSetsInfo: [{ taskSetLabel: 'Blue', targetGroup: { name: 'orders-blue' } }] } },
        });
      withFences(env);
      const result = await guard(env.runtime, event('STOP'), sleeper());
      expect(result).toMatchObject({
        restored: false,
        restoredAgain: false,
        stopped: [],
        ignored: expect.stringMatching(/ended before CodeDeploy created its replacement task set/),
      });
      expect(env.world.log).toEqual(['fence', 'audit:ignore', 'sns']);
      expect(env.world.audit[0]).toMatchObject({ kind: 'event', actor: 'guard', verdict: 'ignore', action: 'no listener write' });
    });

    // A release stopped without rollback after AllowTraffic left production on its replacement
    // (orders-green); the current deployment then failed before Install, its original being orders-blue.
    const blueOnly = () =>
      env.mocks.codedeploy.on(GetDeploymentTargetCommand).resolves({
        deploymentTarget: { ecsTarget: { taskSetsInfo: [{ taskSetLabel: 'Blue', targetGroup: { name: 'orders-blue' } }] } },
      });

    it("restores production to its original task set's target group when the listener forwards to the other one", async () => {
      env = fakeRuntime({ status: 'Failed', weights: { blue: 0, green: 100 } });
      blueOnly();
      withFences(env);
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).resolves.toEqual({ restored: true, stopped: [], restoredAgain: false });
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
      expect(env.world.log).toEqual(['fence', 'audit:restore', 'weights:100/0', 'sns']);
      expect(env.world.audit[0]).toMatchObject({
        actor: 'guard',
        verdict: 'restore',
        weights: { original: 0, replacement: 100 },
        reason: expect.stringMatching(/sends 100% to orders-green, not to orders-blue .*restoring 100% to orders-blue/),
      });
    });

    it("writes nothing when the original task set's target group has no healthy target, and records and announces why", async () => {
      env = fakeRuntime({ status: 'Failed', weights: { blue: 0, green: 100 }, healthyBlue: 0 });
      blueOnly();
      withFences(env);
      const result = await guard(env.runtime, event('FAILURE'), sleeper());
      expect(result).toMatchObject({ restored: false, stopped: [], ignored: expect.stringMatching(/orders-blue has no healthy target/) });
      expect(env.world.weights).toEqual({ blue: 0, green: 100 });
      expect(env.world.log).toEqual(['fence', 'audit:ignore', 'sns']);
      expect(env.world.audit[0]).toMatchObject({
        verdict: 'ignore',
        action: 'no listener write',
        figures: expect.objectContaining({ primaryTargets: { healthy: 0, unhealthy: 0 } }),
      });
    });

    it('writes nothing when a newer deployment is created before the restore (invariant 7)', async () => {
      env = fakeRuntime({ status: 'Failed', weights: { blue: 0, green: 100 } });
      blueOnly();
      withFences(env);
      // The guard's first currency read finds d-1 current; the next one, right before the write, finds d-2.
      let reads = 0;
      env.mocks.codedeploy.on(ListDeploymentsCommand).callsFake(() => ({ deployments: reads++ === 0 ? ['d-1'] : ['d-2', 'd-1'] }));
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).resolves.toMatchObject({ restored: true });
      expect(env.world.weights).toEqual({ blue: 0, green: 100 });
      expect(env.world.log.filter((l) => l.startsWith('weights'))).toEqual([]);
      expect(env.world.audit.map((r) => r.verdict)).toEqual(['restore', 'ignore']);
    });
  });

  // CodeDeploy's AllowTestTraffic put the test listener on the replacement (orders-green); a stop
  // without rollback leaves it there, and every later deployment of the group fails at its start.
  describe('the test listener', () => {
    it('is put back on the original with production, after the production restore, recorded and announced', async () => {
      env = fakeRuntime({ status: 'Stopped', weights: { blue: 75, green: 25 }, testWeights: { blue: 0, green: 100 } });
      withFences(env);
      await expect(guard(env.runtime, event('STOP'), sleeper())).resolves.toMatchObject({ restored: true });
      expect(env.world.testWeights).toEqual({ blue: 100, green: 0 });
      expect(env.world.log.filter((l) => /weights|audit|sns/.test(l))).toEqual([
        'audit:restore',
        'weights:100/0',
        'test-weights:100/0',
        'sns',
      ]);
      expect(env.world.audit[0]).toMatchObject({
        action: expect.stringMatching(/restore the test listener to the original/),
        reason: expect.stringMatching(/the test listener still sent 100% to the replacement, restoring it to the original too/),
        figures: expect.objectContaining({ testWeights: { original: 0, replacement: 100 } }),
      });
    });

    it('is put back even when production already sends everything to the original', async () => {
      env = fakeRuntime({ status: 'Stopped', testWeights: { blue: 0, green: 100 } });
      withFences(env);
      await guard(env.runtime, event('STOP'), sleeper());
      expect(env.world.log.filter((l) => l.includes('weights'))).toEqual(['test-weights:100/0']);
    });

    it('is left alone when it already forwards to the original', async () => {
      env = fakeRuntime({ status: 'Stopped', weights: { blue: 75, green: 25 } });
      withFences(env);
      await guard(env.runtime, event('STOP'), sleeper());
      expect(env.world.log.filter((l) => l.includes('weights'))).toEqual(['weights:100/0']);
      expect(env.world.audit[0].action).not.toMatch(/test listener/);
    });

    it('is not written onto an original without a healthy target (invariant 1)', async () => {
      env = fakeRuntime({ status: 'Stopped', weights: { blue: 75, green: 25 }, testWeights: { blue: 0, green: 100 }, healthyBlue: 0 });
      withFences(env);
      await guard(env.runtime, event('STOP'), sleeper());
      expect(env.world.log.filter((l) => l.includes('weights'))).toEqual([]);
      expect(env.world.testWeights).toEqual({ blue: 0, green: 100 });
    });

    it('is not written when a newer deployment is created before its write (invariant 7): the refusal is recorded', async () => {
      env = fakeRuntime({ status: 'Stopped', testWeights: { blue: 0, green: 100 } });
      withFences(env);
      // The guard's own currency read finds d-1 current; the read right before the test listener's write finds d-2.
      let reads = 0;
      env.mocks.codedeploy.on(ListDeploymentsCommand).callsFake(() => ({ deployments: reads++ === 0 ? ['d-1'] : ['d-2', 'd-1'] }));
      await guard(env.runtime, event('STOP'), sleeper());
      expect(env.world.testWeights).toEqual({ blue: 0, green: 100 });
      expect(env.world.log.filter((l) => l.includes('weights'))).toEqual([]);
      expect(env.world.audit.map((r) => r.verdict)).toEqual(['restore', 'ignore']);
      expect(env.world.audit[1]).toMatchObject({ actor: 'engine', reason: expect.stringMatching(/^test listener: /) });
    });

    it("is put back on the original task set's target group by the guard of a deployment that ended before Install", async () => {
      env = fakeRuntime({ status: 'Failed', testWeights: { blue: 0, green: 100 } });
      env.mocks.codedeploy.on(GetDeploymentTargetCommand).resolves({
        deploymentTarget: { ecsTarget: { taskSetsInfo: [{ taskSetLabel: 'Blue', targetGroup: { name: 'orders-blue' } }] } },
      });
      withFences(env);
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).resolves.toEqual({ restored: true, stopped: [], restoredAgain: false });
      expect(env.world.log).toEqual(['fence', 'audit:restore', 'test-weights:100/0', 'sns']);
      expect(env.world.audit[0]).toMatchObject({
        verdict: 'restore',
        action: 'restore the test listener to orders-blue',
        reason: expect.stringMatching(
          /production listener sends 100% to orders-blue.*the test listener still sent 100% to the other target group, restoring it to orders-blue too/,
        ),
      });
    });
    // A stop without rollback left the test listener on the other group; the guard's own read of it
    // times out. Left as it is, the group's next deployment would fail at its start too.
    it('is read again and put back by the guard of a deployment that ended before Install when its first read fails', async () => {
      env = fakeRuntime({ status: 'Failed', testWeights: { blue: 0, green: 100 } });
      env.mocks.codedeploy.on(GetDeploymentTargetCommand).resolves({
        deploymentTarget: { ecsTarget: { taskSetsInfo: [{ taskSetLabel: 'Blue', targetGroup: { name: 'orders-blue' } }] } },
      });
      let testReads = 0;
      env.mocks.elb.on(DescribeListenersCommand).callsFake((input) => {
        const test = input.ListenerArns?.[0] === env.runtime.metadata.testListenerArn;
        if (test && testReads++ === 0) throw Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' });
        const weights = test ? env.world.testWeights : env.world.weights;
        const groups = [
          { TargetGroupArn: BLUE.arn, Weight: weights.blue },
          { TargetGroupArn: GREEN.arn, Weight: weights.green },
        ];
        return { Listeners: [{ DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: groups } }] }] };
      });
      withFences(env);
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).resolves.toEqual({ restored: true, stopped: [], restoredAgain: false });
      expect(env.world.testWeights).toEqual({ blue: 100, green: 0 });
      expect(env.world.log).toEqual(['fence', 'audit:restore', 'test-weights:100/0', 'sns']);
      expect(env.world.audit[0]).toMatchObject({
        verdict: 'restore',
        action: 'restore the test listener to orders-blue if it forwards to orders-green',
      });
    });
  });

  describe('only the current deployment', () => {
    it('ignores a late event of a deployment the group has moved on from: records why, writes nothing, stops nothing', async () => {
      env = fakeRuntime({ weights: { blue: 0, green: 100 }, rules: [headerRule()], newer: ['d-2'] });
      withFences(env);
      const { sleep, waits } = sleeper();
      const result = await guard(env.runtime, event('FAILURE'), { sleep });
      expect(result).toMatchObject({
        restored: false,
        restoredAgain: false,
        stopped: [],
        ignored: expect.stringMatching(/d-2 was created after it/),
      });
      expect(env.world.log).toEqual(['fence', 'audit:ignore', 'sns']);
      expect(env.world.weights).toEqual({ blue: 0, green: 100 });
      expect(env.world.rules).toHaveLength(1);
      expect(env.world.audit[0]).toMatchObject({
        kind: 'event',
        actor: 'guard',
        verdict: 'ignore',
        figures: { event: 'FAILURE', newerDeployments: ['d-2'] },
      });
      expect(waits).toEqual([]);
    });

    it("counts the deployment's own automatic rollback as current", async () => {
      env = fakeRuntime({ weights: { blue: 75, green: 25 }, newer: ['d-rb'] });
      env.mocks.codedeploy.on(GetDeploymentCommand).resolves({
        deploymentInfo: { status: 'Failed', createTime: new Date(T0 - 60_000), rollbackInfo: { rollbackDeploymentId: 'd-rb' } },
      });
      withFences(env);
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).resolves.toMatchObject({ restored: true });
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
    });

    it('writes nothing and alerts critically when the deployment group cannot be read after its retries', async () => {
      env = fakeRuntime({ weights: { blue: 75, green: 25 } });
      env.mocks.codedeploy.on(ListDeploymentsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
      withFences(env);
      const { sleep, waits } = sleeper();
      await expect(guard(env.runtime, event('STOP'), { sleep })).resolves.toMatchObject({
        restored: false,
        ignored: expect.stringMatching(/cannot establish .*\(ThrottlingException: Rate exceeded\)/),
      });
      expect(waits).toEqual([1_000, 3_000]);
      expect(env.world.log).toEqual(['fence', 'audit:ignore', 'sns']);
      expect(env.world.weights).toEqual({ blue: 75, green: 25 });
    });

    it("writes no restore when the group's deployments cannot be read again right before it (a newer deployment may exist by then)", async () => {
      env = fakeRuntime({ weights: { blue: 75, green: 25 } });
      // The first read places the event; every read after it fails, retries included.
      env.mocks.codedeploy
        .on(ListDeploymentsCommand)
        .resolvesOnce({ deployments: ['d-1'] })
        .rejects(Object.assign(new Error('Internal error'), { name: 'InternalFailure' }));
      withFences(env);
      const { sleep, waits } = sleeper();
      await expect(guard(env.runtime, event('STOP'), { sleep })).resolves.toMatchObject({ restored: true });
      expect(env.world.log.filter((l) => l.startsWith('weights'))).toEqual([]);
      expect(env.world.weights).toEqual({ blue: 75, green: 25 });
      expect(waits.slice(0, 2)).toEqual([1_000, 3_000]);
      expect(env.world.audit).toContainEqual(
        expect.objectContaining({
          verdict: 'ignore',
          reason: expect.stringMatching(
            /cannot establish that d-1 is still the deployment group's current deployment \(InternalFailure: Internal error\); its restore is not written/,
          ),
        }),
      );
    });

    it('writes no weight to an original without a healthy target, and leaves production to the rollback', async () => {
      env = fakeRuntime({ weights: { blue: 75, green: 25 }, healthyBlue: 0, rules: [headerRule()] });
      withFences(env);
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).resolves.toMatchObject({ restored: false });
      expect(env.world.log.filter((l) => l.startsWith('weights'))).toEqual([]);
      expect(env.world.rules).toEqual([]);
      expect(env.world.audit[0].reason).toMatch(
        /the original has no healthy target \(0 healthy, 0 unhealthy\): nothing written, production is left to CodeDeploy's rollback/,
      );
    });

    it('does not restore again at the re-check once a newer deployment exists', async () => {
      env = fakeRuntime({ weights: { blue: 95, green: 5 } });
      withFences(env);
      const late = sleeper(() => {
        env.world.newer = ['d-2'];
        env.world.weights = { blue: 75, green: 25 };
      });
      await expect(guard({ ...env.runtime, clock: late.clock }, event('STOP'), late)).resolves.toMatchObject({
        restored: true,
        restoredAgain: true,
      });
      expect(env.world.weights).toEqual({ blue: 75, green: 25 });
      expect(env.world.audit.at(-1)).toMatchObject({
        verdict: 'ignore',
        actor: 'engine',
        reason: expect.stringMatching(/d-2 was created after it; its restore is not written/),
      });
    });
  });
});
