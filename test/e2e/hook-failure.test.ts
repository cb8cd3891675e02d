/**
 * Every hook is answered by the engine (invariant 9), even when every attempt of its invocation
 * dies: the real hooks, tick, guard and state machine over the stateful fake, with the hooks'
 * asynchronous invocation settings and on-failure destination as the RolloutEngine synthesizes them.
 */
import type { HookName } from '../../lambdas/core/rollout-plan';
import { EngineWorld, HOOK_FAILURE_FUNCTION, hookAsyncInvokeConfigs } from './support/engine-world';

const MINUTE = 60_000;
let env: EngineWorld;
afterEach(() => env?.restore());

/** Every attempt of `hook`'s invocation dies (the runtime exits before the handler answers). */
function killEveryAttempt(hook: HookName): void {
  const fn = env.service.metadata.hooks![hook];
  env.world.lambda.wrapper = (invocation, run) =>
    invocation.functionName === fn ? Promise.reject(new Error('Runtime exited with error: signal: killed')) : run();
}

describe('a hook invocation Lambda gives up on', () => {
  it('is configured on every hook, as synthesized: two retries, a bounded event age, the destination', () => {
    const configs = hookAsyncInvokeConfigs();
    for (const hook of ['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const) {
      expect(configs[hook]).toEqual({ retryAttempts: 2, maxEventAgeMs: 15 * MINUTE, onFailure: HOOK_FAILURE_FUNCTION });
    }
  });

  it.each(['BeforeAllowTraffic', 'AfterAllowTestTraffic'] as const)(
    '%s: answered Failed by the destination, the reason recorded and announced, production back on the original',
    async (hook) => {
      env = new EngineWorld({ totalRps: 50 });
      killEveryAttempt(hook);
      const deploymentId = env.deploy();
      await env.runToCompletion(60);

      const attempts = env.world.lambda.invocations.filter((i) => i.functionName === env.service.metadata.hooks![hook]);
      expect(attempts).toHaveLength(3);
      expect(env.world.lambda.failureRecords).toHaveLength(1);
      expect(env.world.lambda.failureRecords[0]!.record.requestContext).toMatchObject({
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      });

      // Answered Failed well before CodeDeploy's one-hour hook timeout, then rolled back.
      const report = env.deployment.hookReports.find((r) => r.hook === hook);
      expect(report).toMatchObject({ status: 'Failed' });
      expect(report!.at - attempts[0]!.at).toBeLessThan(15 * MINUTE);
      expect(env.deployment.status).toBe('Failed');
      expect(env.replacementPercent()).toBe(0);
      expect(env.world.elbv2.percents(env.service.metadata.productionListenerArn)[env.deployment.originalTargetGroupArn]).toBe(100);

      const record = env.auditRecords().find((r) => r.hook === hook && r.verdict === 'fail');
      expect(record).toMatchObject({ deploymentId, actor: 'engine', figures: { condition: 'RetriesExhausted', attempts: 3 } });
      expect(record!.reason).toContain('every attempt of the invocation failed (3 attempts)');
      const message = env.world.sns.messages.find((m) => m.subject === `[critical] svc ${deploymentId} ${hook}`);
      expect(message?.message).toContain(`${hook} failed`);
      expect([...env.violations, ...env.invariants()]).toEqual([]);
    },
  );

  it("answers Failed without a restore when the destination cannot read the target groups either; CodeDeploy's rollback reroutes production", async () => {
    env = new EngineWorld({ totalRps: 50 });
    killEveryAttempt('BeforeAllowTraffic');
    env.world.interceptor = async (call, answer) => {
      if (call.caller === HOOK_FAILURE_FUNCTION && call.command === 'GetDeploymentTargetCommand')
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return answer();
    };
    env.deploy();
    await env.runToCompletion(60);

    const report = env.deployment.hookReports.find((r) => r.hook === 'BeforeAllowTraffic');
    expect(report).toMatchObject({ status: 'Failed' });
    expect(report!.productionPercents[env.deployment.originalTargetGroupArn]).toBeLessThan(100);
    expect(env.auditRecords().find((r) => r.hook === 'BeforeAllowTraffic' && r.verdict === 'fail')?.action).toMatch(
      /^report Failed without a restore/,
    );
    expect(env.deployment.status).toBe('Failed');
    expect(env.replacementPercent()).toBe(0);
    expect([...env.violations, ...env.invariants()]).toEqual([]);
  });

  it('answers once: a record for a hook that was answered after all leaves the deployment alone', async () => {
    env = new EngineWorld({ totalRps: 50 });
    const deploymentId = env.deploy();
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    const hookExecutionId = env.deployment.hookReports.find((r) => r.hook === 'AfterAllowTraffic')!.executionId;
    env.world.lambda.invoke(HOOK_FAILURE_FUNCTION, {
      requestContext: {
        functionArn: `arn:aws:lambda:us-east-1:111111111111:function:${env.service.metadata.hooks!.AfterAllowTraffic}`,
        condition: 'EventAgeExceeded',
        approximateInvokeCount: 1,
      },
      requestPayload: { DeploymentId: deploymentId, LifecycleEventHookExecutionId: hookExecutionId },
    });
    await env.world.clock.advance(MINUTE);
    expect(env.deployment.status).toBe('Succeeded');
    expect(env.deployment.hookReports.filter((r) => r.hook === 'AfterAllowTraffic').map((r) => r.status)).toEqual(['Succeeded']);
    expect(env.replacementPercent()).toBe(100);
  });
});
