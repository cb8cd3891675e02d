import { GetDeploymentTargetCommand } from '@aws-sdk/client-codedeploy';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';

import { compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../lambdas/core/rollout-plan';
import { runHook } from '../../lambdas/handlers/hooks';
import { logger } from '../../lambdas/handlers/runtime';
import { fakeRuntime, metadata, T0 } from './support/fake-runtime';

logger.setLogLevel('SILENT');
const event = { DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'h-1' };
let env: ReturnType<typeof fakeRuntime>;
afterEach(() => env.reset());

describe('hooks', () => {
  describe('AfterAllowTestTraffic', () => {
    it('runs the smoke checks through the test listener and starts window 1 after recording why', async () => {
      env = fakeRuntime();
      await expect(runHook(env.runtime, 'AfterAllowTestTraffic', event)).resolves.toMatchObject({ passed: true });
      expect(env.world.httpCalls).toEqual(['http://orders.elb.example:8443/health']);
      expect(env.world.log).toEqual(['audit:start', 'start:d-1-AfterAllowTestTraffic']);
      const input = JSON.parse(env.mocks.sfn.commandCalls(StartExecutionCommand)[0].args[0].input.input as string);
      expect(input).toEqual({
        deploymentId: 'd-1',
        lifecycleEventHookExecutionId: 'h-1',
        hook: 'AfterAllowTestTraffic',
        startedAt: new Date(T0).toISOString(),
      });
    });

    it('checks every healthy replacement target directly when the hook runs inside the VPC', async () => {
      env = fakeRuntime();
      const runtime = { ...env.runtime, env: { ...env.runtime.env, smokeCheckMode: 'replacement-targets' as const } };
      await expect(runHook(runtime, 'AfterAllowTestTraffic', event)).resolves.toMatchObject({ passed: true });
      expect(env.world.httpCalls).toEqual(['http://10.0.1.1:8080/health', 'http://10.0.1.2:8080/health']);
    });

    it('fails before any production traffic when the freeze switch is set, with the reason', async () => {
      env = fakeRuntime({ frozen: { reason: 'incident 42', by: 'bob' } });
      const result = await runHook(env.runtime, 'AfterAllowTestTraffic', event);
      expect(result.reason).toMatch(/frozen by bob.*incident 42/);
      expect(env.world.httpCalls).toEqual([]);
      expect(env.world.log).toEqual(['audit:fail', 'hook:Failed', 'sns']);
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
    });

    it.each([
      [
        'a smoke check returns the wrong status',
        { httpStatus: 503 },
        /smoke checks failed through the test listener: GET http:\/\/orders.elb.example:8443\/health → 503 \(expected 200\)/,
      ],
      ['the replacement has no healthy target', { healthyGreen: 0 }, /no healthy target/],
    ])('fails when %s and starts nothing', async (_name, world, reason) => {
      env = fakeRuntime(world);
      const result = await runHook(env.runtime, 'AfterAllowTestTraffic', event);
      expect(result).toEqual({ passed: false, reason: expect.stringMatching(reason) });
      expect(env.world.log.filter((l) => l.startsWith('start:'))).toEqual([]);
      expect(env.world.log).toContain('hook:Failed');
    });

    it('does nothing on a second delivery once its execution exists (no re-run checks, no second answer)', async () => {
      env = fakeRuntime();
      await runHook(env.runtime, 'AfterAllowTestTraffic', event);
      env.world.httpStatus = 503;
      await expect(runHook(env.runtime, 'AfterAllowTestTraffic', event)).resolves.toEqual({
        passed: true,
        reason: expect.stringMatching(/^duplicate AfterAllowTestTraffic invocation: the rollout execution is already RUNNING/),
      });
      expect(env.world.log).toEqual(['audit:start', 'start:d-1-AfterAllowTestTraffic']);
      expect(env.world.httpCalls).toHaveLength(1);
    });
  });

  describe('BeforeAllowTraffic', () => {
    it('answers Succeeded at once when window 2 has no steps: removes the header rule, leaves the weights', async () => {
      env = fakeRuntime({
        weights: { blue: 50, green: 50 },
        rules: [
          {
            RuleArn: 'rule-1',
            Priority: '1',
            Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['always'] } }],
          },
        ],
      });
      await runHook(env.runtime, 'BeforeAllowTraffic', event);
      expect(env.world.log).toEqual(['audit:succeed', 'rule:delete', 'hook:Succeeded', 'sns']);
      expect(env.world.weights).toEqual({ blue: 50, green: 50 });
    });

    it('restores and fails when the replacement lost its healthy targets before the final shift', async () => {
      env = fakeRuntime({ weights: { blue: 50, green: 50 }, healthyGreen: 0 });
      await runHook(env.runtime, 'BeforeAllowTraffic', event);
      expect(env.world.log).toEqual(['audit:fail', 'weights:100/0', 'hook:Failed', 'sns']);
    });

    it('starts window 2 when it has steps', async () => {
      const twoWindows = metadata({ plan: compilePlan(DEFAULT_ROLLOUT_PLAN) });
      env = fakeRuntime({}, twoWindows);
      await runHook(env.runtime, 'BeforeAllowTraffic', event);
      expect(env.world.log).toEqual(['audit:start', 'start:d-1-BeforeAllowTraffic']);
    });
  });

  describe('AfterAllowTraffic', () => {
    it('starts the post-traffic bake', async () => {
      env = fakeRuntime({ weights: { blue: 0, green: 100 } });
      await runHook(env.runtime, 'AfterAllowTraffic', event);
      expect(env.world.log).toEqual(['audit:start', 'start:d-1-AfterAllowTraffic']);
    });

    it('records why, answers Failed and notifies when its targets stay unreadable (no tick would answer)', async () => {
      env = fakeRuntime({ weights: { blue: 0, green: 100 } });
      env.mocks.codedeploy.on(GetDeploymentTargetCommand).rejects(throttled());
      const result = await runHook(env.runtime, 'AfterAllowTraffic', event);
      expect(result).toEqual({
        passed: false,
        reason: expect.stringMatching(
          /cannot check the replacement before production traffic: targets: ThrottlingException: Rate exceeded \(6 attempts\)/,
        ),
      });
      // Without the target groups nothing is restored: CodeDeploy's rollback reroutes production.
      expect(env.world.log).toEqual(['audit:fail', 'hook:Failed', 'sns']);
      expect(env.world.audit.at(-1)?.action).toMatch(/CodeDeploy's rollback reroutes production to the original/);
    });

    it('answers Failed after restoring when the execution cannot be started', async () => {
      env = fakeRuntime({ weights: { blue: 0, green: 100 } });
      env.mocks.sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('internal'), { name: 'InternalServerError' }));
      const result = await runHook(env.runtime, 'AfterAllowTraffic', event);
      expect(result.passed).toBe(false);
      expect(env.world.log).toEqual(['audit:start', 'audit:fail', 'weights:100/0', 'hook:Failed', 'sns']);
    });
  });

  describe('reads', () => {
    it('retries a read that fails once, and the clean release goes on', async () => {
      env = fakeRuntime();
      const waits: number[] = [];
      env.mocks.elb
        .on(DescribeTargetHealthCommand)
        .rejectsOnce(throttled())
        .callsFake(() => ({ TargetHealthDescriptions: [{ Target: { Id: '10.0.1.1', Port: 8080 }, TargetHealth: { State: 'healthy' } }] }));
      await expect(
        runHook(
          {
            ...env.runtime,
            sleep: async (ms) => {
              waits.push(ms);
            },
          },
          'AfterAllowTestTraffic',
          event,
        ),
      ).resolves.toMatchObject({ passed: true });
      expect(waits).toEqual([1_000]);
      expect(env.world.log).toEqual(['audit:start', 'start:d-1-AfterAllowTestTraffic']);
    });
  });
});

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
}
