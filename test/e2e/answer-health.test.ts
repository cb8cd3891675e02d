/**
 * A Succeeded answer lets CodeDeploy move on at once: after BeforeAllowTraffic it shifts 100% of
 * production to the replacement, after AfterAllowTraffic it deletes the original. The tick decides
 * to succeed on health it read at the start of the tick; the replacement's targets can fail while
 * it records that decision. The answer is therefore re-checked like a shift (invariants 1 and 7).
 */
import { EngineWorld } from './support/engine-world';

let env: EngineWorld;
afterEach(() => env?.restore());

describe.each(['BeforeAllowTraffic', 'AfterAllowTraffic'] as const)('the %s window succeeds', (hook) => {
  it('as its replacement fails: the answer is Failed, production restored, never 100% on a group without a healthy target', async () => {
    env = new EngineWorld({ totalRps: 50 });
    const deploymentId = env.deploy();
    // The replacement's targets fail right after the tick records its decision to succeed, before it answers.
    env.world.interceptor = async (call, answer) => {
      const result = await answer();
      const item = (call.input as { Item?: { verdict?: string; hook?: string } }).Item;
      if (call.command === 'PutCommand' && item?.verdict === 'succeed' && item.hook === hook)
        env.world.setReplacementHealth(deploymentId, 'unhealthy');
      return result;
    };
    await env.runToCompletion();

    const report = env.deployment.hookReports.find((r) => r.hook === hook);
    expect(report).toMatchObject({ status: 'Failed' });
    expect(report!.productionPercents[env.deployment.originalTargetGroupArn]).toBe(100);
    expect(env.deployment.status).toBe('Failed');
    expect(env.replacementPercent()).toBe(0);
    const verdicts = env
      .auditRecords()
      .filter((r) => r.hook === hook && r.actor === 'engine')
      .map((r) => r.verdict);
    expect(verdicts.slice(-2)).toEqual(['succeed', 'rollback']);
    expect([...env.violations, ...env.invariants()]).toEqual([]);
  });
});
