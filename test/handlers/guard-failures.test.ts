/**
 * The guard's failure paths: a listener it must read and cannot, and executions it cannot stop.
 * Production's restore comes first and is never held up; what is left undone fails the invocation
 * once everything else is done, so Lambda delivers the event again, and the retry finishes it.
 */
import { GetDeploymentTargetCommand } from '@aws-sdk/client-codedeploy';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';

import { RolloutStopError } from '../../lambdas/aws/sfn';
import { RECHECK_AFTER_FENCE_MS } from '../../lambdas/core/guard';
import { ListenerUnreadableError } from '../../lambdas/handlers/act-errors';
import { guard } from '../../lambdas/handlers/guard';
import { logger } from '../../lambdas/handlers/runtime';
import { BLUE, fakeRuntime, GREEN } from './support/fake-runtime';
import { withFences } from './support/fence';

logger.setLogLevel('SILENT');
const event = (state: string) => ({
  'detail-type': 'CodeDeploy Deployment State-change Notification',
  detail: { deploymentId: 'd-1', state, application: 'orders-app', deploymentGroup: 'orders-dg' },
});
let env: ReturnType<typeof fakeRuntime>;
afterEach(() => env.reset());

function sleeper() {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

const timeout = () => Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' });

/** DescribeListeners as the fake answers it, except the reads `fails` picks (by listener and its read count). */
function failListenerReads(fails: (listener: 'production' | 'test', read: number) => boolean) {
  const reads = { production: 0, test: 0 };
  env.mocks.elb.on(DescribeListenersCommand).callsFake((input) => {
    const listener = input.ListenerArns?.[0] === env.runtime.metadata.testListenerArn ? 'test' : 'production';
    if (fails(listener, reads[listener]++)) throw timeout();
    const weights = listener === 'test' ? env.world.testWeights : env.world.weights;
    const groups = [
      { TargetGroupArn: BLUE.arn, Weight: weights.blue },
      { TargetGroupArn: GREEN.arn, Weight: weights.green },
    ];
    return { Listeners: [{ DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: groups } }] }] };
  });
  return reads;
}

/** The current deployment ended before Install: GetDeploymentTarget lists only its Blue task set (orders-blue). */
const blueOnly = () =>
  env.mocks.codedeploy.on(GetDeploymentTargetCommand).resolves({
    deploymentTarget: { ecsTarget: { taskSetsInfo: [{ taskSetLabel: 'Blue', targetGroup: { name: 'orders-blue' } }] } },
  });

describe('guard failure paths', () => {
  // Left on the replacement, the test listener fails the group's every later deployment at its start.
  describe('a test listener that cannot be read at its restore', () => {
    it('restores production, stops the executions and re-checks, then fails for a retry; the retry restores the test listener', async () => {
      env = fakeRuntime({ status: 'Stopped', weights: { blue: 75, green: 25 }, testWeights: { blue: 0, green: 100 } });
      withFences(env);
      let broken = true;
      failListenerReads((listener) => broken && listener === 'test');
      const { sleep, waits } = sleeper();
      const failure = await guard(env.runtime, event('STOP'), { sleep }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ListenerUnreadableError);
      expect(failure).toMatchObject({ listener: 'test', cause: expect.objectContaining({ name: 'TimeoutError' }) });
      // Production's restore was not held up, the executions were stopped and the re-check ran.
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
      expect(env.world.log).toEqual([
        'fence',
        'audit:restore',
        'weights:100/0',
        'sns',
        'stop:d-1-AfterAllowTestTraffic',
        'stop:d-1-BeforeAllowTraffic',
        'stop:d-1-AfterAllowTraffic',
      ]);
      expect(waits).toEqual([RECHECK_AFTER_FENCE_MS]);
      expect(env.world.testWeights).toEqual({ blue: 0, green: 100 });

      // Lambda's retry of the event, the test listener readable again.
      broken = false;
      await expect(guard(env.runtime, event('STOP'), sleeper())).resolves.toMatchObject({ restored: false });
      expect(env.world.testWeights).toEqual({ blue: 100, green: 0 });
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
    });

    it('fails for a retry after restoring production on the path of a deployment that ended before Install', async () => {
      env = fakeRuntime({ status: 'Failed', weights: { blue: 0, green: 100 }, testWeights: { blue: 0, green: 100 } });
      blueOnly();
      withFences(env);
      failListenerReads((listener) => listener === 'test');
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).rejects.toThrow(ListenerUnreadableError);
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
      expect(env.world.log).toEqual(['fence', 'audit:restore', 'weights:100/0', 'sns']);
    });
  });

  // A release stopped without rollback after AllowTraffic left production on orders-green; the
  // current deployment then failed before Install, and the guard cannot read the production listener.
  describe('a production listener that cannot be read by the guard of a deployment that ended before Install', () => {
    it('is read again at the restore and put back on the original task set when it forwards to the other group', async () => {
      env = fakeRuntime({ status: 'Failed', weights: { blue: 0, green: 100 } });
      blueOnly();
      withFences(env);
      failListenerReads((listener, read) => listener === 'production' && read === 0);
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).resolves.toEqual({ restored: true, stopped: [], restoredAgain: false });
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
      expect(env.world.log).toEqual(['fence', 'audit:restore', 'weights:100/0', 'sns']);
      expect(env.world.audit[0]).toMatchObject({
        verdict: 'restore',
        action: 'restore 100% to orders-blue if production forwards to orders-green',
        reason: expect.stringMatching(/the production listener could not be read: it is read again and restored to orders-blue/),
      });
    });

    it('writes nothing when the second read finds production on the original task set', async () => {
      env = fakeRuntime({ status: 'Failed', weights: { blue: 100, green: 0 } });
      blueOnly();
      withFences(env);
      failListenerReads((listener, read) => listener === 'production' && read === 0);
      await guard(env.runtime, event('FAILURE'), sleeper());
      expect(env.world.log.filter((l) => l.includes('weights'))).toEqual([]);
    });

    it('fails for a retry, writing nothing blind, when the second read fails too; the retry restores production', async () => {
      env = fakeRuntime({ status: 'Failed', weights: { blue: 0, green: 100 } });
      blueOnly();
      withFences(env);
      let broken = true;
      failListenerReads((listener) => broken && listener === 'production');
      const failure = await guard(env.runtime, event('FAILURE'), sleeper()).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ListenerUnreadableError);
      expect(failure).toMatchObject({ listener: 'production' });
      expect(env.world.weights).toEqual({ blue: 0, green: 100 });
      expect(env.world.log).toEqual(['fence', 'audit:restore', 'sns']);

      broken = false;
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).resolves.toMatchObject({ restored: true });
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
    });

    it('is not written onto an original task set without a healthy target (invariant 1)', async () => {
      env = fakeRuntime({ status: 'Failed', weights: { blue: 0, green: 100 }, healthyBlue: 0 });
      blueOnly();
      withFences(env);
      failListenerReads((listener, read) => listener === 'production' && read === 0);
      await expect(guard(env.runtime, event('FAILURE'), sleeper())).resolves.toMatchObject({ restored: false });
      expect(env.world.weights).toEqual({ blue: 0, green: 100 });
    });
  });

  describe('rollout executions that cannot be stopped', () => {
    it('restores production first, tries every execution and re-checks, then fails for a retry that stops them', async () => {
      env = fakeRuntime({ status: 'Stopped', weights: { blue: 75, green: 25 } });
      withFences(env);
      let broken = true;
      env.mocks.sfn.on(StopExecutionCommand).callsFake((input) => {
        const name = input.executionArn.split(':').pop();
        if (broken && name === 'd-1-AfterAllowTestTraffic')
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        env.world.log.push(`stop:${name}`);
        return {};
      });
      const { sleep, waits } = sleeper();
      const failure = await guard(env.runtime, event('STOP'), { sleep }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(RolloutStopError);
      expect(failure).toMatchObject({
        stopped: ['d-1-BeforeAllowTraffic', 'd-1-AfterAllowTraffic'],
        cause: expect.objectContaining({ name: 'ThrottlingException' }),
        message: expect.stringMatching(/cannot stop the rollout execution d-1-AfterAllowTestTraffic: ThrottlingException/),
      });
      expect(env.world.log).toEqual([
        'fence',
        'audit:restore',
        'weights:100/0',
        'sns',
        'stop:d-1-BeforeAllowTraffic',
        'stop:d-1-AfterAllowTraffic',
      ]);
      expect(waits).toEqual([RECHECK_AFTER_FENCE_MS]);

      broken = false;
      const retry = await guard(env.runtime, event('STOP'), sleeper());
      expect(retry.stopped).toContain('d-1-AfterAllowTestTraffic');
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
      expect(env.world.log.filter((l) => l.startsWith('weights'))).toEqual(['weights:100/0']);
    });
  });
});
