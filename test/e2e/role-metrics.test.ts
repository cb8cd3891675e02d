/**
 * End to end: every tick publishes the canary and the stable version by role (EcsCanary, Service
 * and Role dimensions), so the dashboard overlays them whatever colour each runs on.
 */
import { EngineWorld } from './support/engine-world';

let env: EngineWorld;
afterEach(() => env?.restore());

const dimension = (datum: { Dimensions?: Array<{ Name?: string; Value?: string }> }, name: string) =>
  datum.Dimensions?.find((d) => d.Name === name)?.Value;

describe('per-role metrics end to end', () => {
  it('publishes the replacement as the canary and the original as stable, minute by minute, with the weights the engine sets', async () => {
    env = new EngineWorld({ totalRps: 50 });
    // Every minute complete when the tick reads it, so what it publishes is the ALB's final count.
    env.world.cloudwatch.delayMinutes = 0;
    env.deploy();
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    const roleData = env.world.cloudwatch.put.filter((p) => p.namespace === 'EcsCanary' && dimension(p.datum, 'Role') !== undefined);
    expect(new Set(roleData.map((p) => dimension(p.datum, 'Service')))).toEqual(new Set(['svc']));
    const series = (role: string, name: string) =>
      roleData.filter((p) => dimension(p.datum, 'Role') === role && p.datum.MetricName === name);

    // Weights: the canary climbs through the plan to 100; stable is always the rest.
    const distinct = (values: number[]) => values.filter((v, i) => i === 0 || v !== values[i - 1]);
    expect(distinct(series('canary', 'Weight').map((p) => p.datum.Value!))).toEqual([5, 25, 50, 100]);
    expect(series('stable', 'Weight').map((p) => p.datum.Value)).toEqual(series('canary', 'Weight').map((p) => 100 - p.datum.Value!));

    // Requests: each published minute is what the ALB counted on the role's target group that minute.
    const replacement = env.service.metadata.targetGroups.find((g) => g.arn === env.deployment.replacementTargetGroupArn)!;
    const original = env.service.metadata.targetGroups.find((g) => g.arn !== replacement.arn)!;
    for (const [role, group] of [
      ['canary', replacement],
      ['stable', original],
    ] as const) {
      const published = series(role, 'Requests');
      expect(published.length).toBeGreaterThan(10);
      for (const p of published) {
        expect(p.datum.Value).toBe(env.world.cloudwatch.provider!(group.fullName, p.datum.Timestamp!.getTime())?.requests ?? 0);
      }
    }
    expect(series('canary', 'ErrorRate').length).toBeGreaterThan(0);
    expect(series('canary', 'LatencyP95').every((p) => p.datum.Unit === 'Milliseconds')).toBe(true);
  });
});
