import { MINUTE_MS, SimulationError, TrafficWorld, TrafficWorldOptions } from '../../sim';

const T0 = Date.UTC(2026, 0, 1);

/** A world at 50 rps, 0.5% errors, with the canary at `weight` from T0, run for `minutes`. */
function run(minutes: number, overrides: Partial<TrafficWorldOptions> = {}, weight = 5) {
  const world = new TrafficWorld({ seed: 42, totalRps: 50, baselineErrorRate: 0.005, startTime: T0, coldStart: false, ...overrides });
  world.setCanaryWeight(T0, weight);
  world.advanceTo(T0 + minutes * MINUTE_MS);
  return world;
}
const total = (world: TrafficWorld, pick: (m: TrafficWorld['minutes'][number]) => number) => world.minutes.reduce((s, m) => s + pick(m), 0);

describe('TrafficWorld', () => {
  describe('traffic', () => {
    it('is deterministic for a seed', () => {
      expect(run(10).minutes).toEqual(run(10).minutes);
      expect(run(10, { seed: 43 }).minutes).not.toEqual(run(10).minutes);
    });

    it('splits requests by the canary weight', () => {
      const world = run(60);
      const canaryShare = total(world, (m) => m.canary.requests) / total(world, (m) => m.canary.requests + m.baseline.requests);
      expect(canaryShare).toBeGreaterThan(0.045);
      expect(canaryShare).toBeLessThan(0.055);
    });

    it('averages a weight change within a minute', () => {
      const world = new TrafficWorld({ seed: 1, totalRps: 50, baselineErrorRate: 0, startTime: T0 });
      world.setCanaryWeight(T0 + 30_000, 50);
      world.advanceTo(T0 + 2 * MINUTE_MS);
      expect(world.minutes.map((m) => m.canaryWeight)).toEqual([25, 50]);
    });

    it('completes only minutes that have ended and refuses to go back in time', () => {
      const world = run(3);
      world.advanceTo(T0 + 3 * MINUTE_MS + 59_000);
      expect(world.minutes).toHaveLength(3);
      expect(() => world.advanceTo(T0)).toThrow(SimulationError);
    });
  });

  describe('regressions', () => {
    it.each([
      ['errors +5 pp', { kind: 'errors' as const, deltaPp: 5 }, 0.045, 0.065],
      ['errors ×2', { kind: 'errors' as const, ratio: 2 }, 0.007, 0.014],
      ['an endpoint of 10% failing at 50%', { kind: 'endpoint' as const, share: 0.1 }, 0.045, 0.065],
    ])('%s raises the canary error rate only', (_name, regression, low, high) => {
      const world = run(60, { regression }, 25);
      const canaryRate = total(world, (m) => m.canary.errors5xx) / total(world, (m) => m.canary.requests);
      const baselineRate = total(world, (m) => m.baseline.errors5xx) / total(world, (m) => m.baseline.requests);
      expect(canaryRate).toBeGreaterThan(low);
      expect(canaryRate).toBeLessThan(high);
      expect(baselineRate).toBeLessThan(0.007);
      expect(world.minutes.every((m) => m.regressionActive)).toBe(true);
    });

    it('starts at onsetMinute and only at minWeight', () => {
      const late = run(6, { regression: { kind: 'errors', deltaPp: 5, onsetMinute: 3 } });
      expect(late.minutes.map((m) => m.regressionActive)).toEqual([false, false, false, true, true, true]);
      const gated = run(4, { regression: { kind: 'errors', deltaPp: 5, minWeight: 25 } });
      expect(gated.minutes.some((m) => m.regressionActive)).toBe(false);
    });

    it.each<[string, [number, number], number]>([
      ['a rollback from 25% to 0% mid-minute: all its canary traffic was at 25%', [25, 0], 1],
      ['a promotion from 5% to 25% mid-minute: 25·30 s of its 5·30 + 25·30', [5, 25], 25 / 30],
    ])('regresses the part of a minute served at ≥ minWeight, not by its average weight: %s', (_name, [from, to], share) => {
      const world = new TrafficWorld({
        seed: 7,
        totalRps: 500,
        baselineErrorRate: 0.005,
        startTime: T0,
        coldStart: false,
        regression: { kind: 'errors', deltaPp: 5, minWeight: 25 },
      });
      world.setCanaryWeight(T0, from);
      world.setCanaryWeight(T0 + 30_000, to);
      const [minute] = world.advanceTo(T0 + MINUTE_MS);
      expect(minute.regressionActive).toBe(true);
      // Harmed requests: the canary's requests × the share at ≥ 25% × the +5 pp.
      expect(minute.canary.regressedRequests).toBeCloseTo(minute.canary.requests * share * 0.05, 6);
    });

    it('slows the canary with a latency regression', () => {
      const world = run(30, { regression: { kind: 'latency', extraMs: 1000, share: 0.05 } }, 50);
      const slowShare = total(world, (m) => m.canary.slowRequests) / total(world, (m) => m.canary.requests);
      expect(slowShare).toBeGreaterThan(0.04);
      expect(total(world, (m) => m.baseline.slowRequests) / total(world, (m) => m.baseline.requests)).toBeLessThan(0.005);
      expect(world.minutes.every((m) => (m.canary.p95Ms ?? 0) > (m.baseline.p95Ms ?? 0))).toBe(true);
    });

    it('crash-loops canary targets with connection errors', () => {
      const world = run(4, { regression: { kind: 'crash' } });
      expect(world.minutes.every((m) => m.canary.unhealthyHosts > 0 && m.baseline.unhealthyHosts === 0)).toBe(true);
      expect(total(world, (m) => m.canary.connectionErrors)).toBeGreaterThan(0);
      expect(world.targetHealth().canary.unhealthy).toBeGreaterThan(0);
      expect(world.minutes.every((m) => m.canary.regressedRequests > 0)).toBe(true);
    });
  });

  describe('noise', () => {
    it('shares shocks between groups', () => {
      const world = run(200, { noise: { gammaShape: null, shockRate: 0.1, burstRate: 0 } }, 50);
      const shocked = world.minutes.filter((m) => m.baseline.errors5xx > 5 * 0.005 * m.baseline.requests);
      expect(shocked.length).toBeGreaterThan(5);
      expect(shocked.every((m) => m.canary.errors5xx > 3 * 0.005 * m.canary.requests)).toBe(true);
    });
  });

  describe('options', () => {
    it.each([
      [{ totalRps: 0 }, /totalRps is 0; accepted: requests per second above 0/],
      [{ baselineErrorRate: 2 }, /baselineErrorRate is 2; accepted: a fraction from 0 to 1/],
    ])('rejects %j', (bad, message) => {
      expect(() => new TrafficWorld({ seed: 1, totalRps: 50, baselineErrorRate: 0.005, startTime: T0, ...bad })).toThrow(message);
    });

    it('rejects a weight outside 0–100', () => {
      expect(() => run(1).setCanaryWeight(T0 + 2 * MINUTE_MS, 120)).toThrow(/canary weight is 120/);
    });
  });
});
