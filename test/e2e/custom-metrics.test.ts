/**
 * End to end over the fake: the tick reads the service's own metrics per version (the version
 * dimension set to each task set's task definition revision), late and partial like the load
 * balancer's; a KPI that falls 20% on the canary is rolled back before 100% naming the metric; a
 * `warn` metric with the same fall announces it and never rolls back.
 */
import { EngineWorld } from './support/engine-world';
import { MEMORY, ORDERS, publishMemory, publishOrders } from './support/kpi';

let env: EngineWorld;
afterEach(() => env?.restore());

describe("the service's own metrics end to end", () => {
  it('rolls back a KPI that falls 20% on the canary before 100%, naming the metric in the audit record', async () => {
    env = new EngineWorld({ totalRps: 50, metrics: [ORDERS] });
    publishOrders(env, 0.08);
    env.deploy();
    await env.runToCompletion();
    expect(env.deployment.status).not.toBe('Succeeded');
    expect(Math.max(...env.ticks.map((t) => t.weight))).toBeLessThan(100);
    const rollback = env.auditRecords().find((r) => r.verdict === 'rollback');
    expect(rollback?.reason).toMatch(
      /orders: the canary's Orders per request is .* vs the original's .*, lower by more than the 5\.0% tolerated/,
    );
    expect(env.violations).toEqual([]);
  });

  it('promotes a release whose KPI holds, reading both versions by their revisions', async () => {
    env = new EngineWorld({ totalRps: 50, metrics: [ORDERS] });
    publishOrders(env, 0.1);
    env.deploy();
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    const promotions = env.auditRecords().filter((r) => r.verdict === 'promote');
    expect(promotions.length).toBeGreaterThan(0);
    expect(JSON.stringify(promotions[promotions.length - 1].reasons)).toMatch(
      /orders \(Orders per request\): canary \d.*% \(\d+\/\d+\) vs original/,
    );
    // The dashboard's overlay: each tick publishes orders per 100 requests by role.
    const dimension = (datum: { Dimensions?: Array<{ Name?: string; Value?: string }> }, name: string) =>
      datum.Dimensions?.find((d) => d.Name === name)?.Value;
    const published = env.world.cloudwatch.put.filter(
      (p) => p.namespace === 'EcsCanary' && p.datum.MetricName === 'ServiceMetric' && dimension(p.datum, 'Metric') === 'orders',
    );
    for (const role of ['canary', 'stable']) {
      const values = published.filter((p) => dimension(p.datum, 'Role') === role).map((p) => p.datum.Value!);
      expect(values.length).toBeGreaterThan(5);
      expect(values.every((v) => v > 8 && v < 12)).toBe(true);
    }
  });

  it("announces a warn metric's fall (once per hook window) and never rolls back on it", async () => {
    env = new EngineWorld({ totalRps: 50, metrics: [{ ...ORDERS, action: 'warn' }] });
    publishOrders(env, 0.08);
    env.deploy();
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    const warnings = env.world.sns.messages.filter((m) => /warning, not rolled back \(action: warn\): orders:/.test(m.message ?? ''));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
  });

  it('rolls back memory 50% above the original (Average compared, 20% tolerated) before 100%, reading the samples of each version above E over the fake', async () => {
    env = new EngineWorld({ totalRps: 50, metrics: [MEMORY] });
    publishMemory(env, 1.5);
    env.deploy();
    await env.runToCompletion();
    expect(env.deployment.status).not.toBe('Succeeded');
    expect(Math.max(...env.ticks.map((t) => t.weight))).toBeLessThan(100);
    const rollback = env.auditRecords().find((r) => r.verdict === 'rollback');
    expect(rollback?.reason).toMatch(
      /memory: the canary's Average of MemoryMB is higher than 20\.0% beyond the original's: .* of its samples are above 3\d\d/,
    );
    expect(env.violations).toEqual([]);
  });

  it('promotes a release whose memory holds', async () => {
    env = new EngineWorld({ totalRps: 50, metrics: [MEMORY] });
    publishMemory(env, 1);
    env.deploy();
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    const promotions = env.auditRecords().filter((r) => r.verdict === 'promote');
    expect(JSON.stringify(promotions[promotions.length - 1].reasons)).toMatch(
      /MemoryMB samples above 3\d\d(\.\d+)?: canary .* vs original/,
    );
  });
});
