/**
 * The judge's checks of the service's own metrics: a KPI that falls and an error ratio that rises
 * against the original roll back naming the metric and its figures; absolute bars roll back only
 * what the original does not do too; `warn` metrics never roll back or hold; clean releases
 * (A/A, with per-minute noise) are not rolled back; the newest and absent minutes are handled
 * like the built-in series.
 */
import {
  attachCustomMinutes,
  customMetricQueries,
  type CustomMetricSpec,
  type CustomPoint,
  revisionOf,
} from '../../lambdas/core/custom-metrics';
import { judge, type JudgeInput, type MinuteBucket } from '../../lambdas/core/judge';
import { MINUTE, POLICY, rolloutInput, T0 } from './judge-fixtures';

/** Seed 002's three metrics and a KPI that must not fall. */
const SESSION_ERRORS: CustomMetricSpec = {
  name: 'session-errors',
  namespace: 'Shop',
  ratio: { numerator: 'SessionErrors', denominator: 'Sessions' },
  dimensions: { Service: 'shop' },
  statistic: 'Sum',
  max: 0.5,
  versionDimension: 'TaskDefinitionRevision',
  action: 'rollback',
};
const ORDERS: CustomMetricSpec = {
  name: 'orders',
  namespace: 'Shop',
  metricName: 'Orders',
  dimensions: { Service: 'shop' },
  statistic: 'Sum',
  compare: { tolerancePercent: 5, worse: 'lower' },
  versionDimension: 'TaskDefinitionRevision',
  action: 'rollback',
};
const CHECKOUT_ERRORS: CustomMetricSpec = {
  name: 'checkout-errors',
  namespace: 'Shop',
  ratio: { numerator: 'CheckoutErrors', denominator: 'Checkouts' },
  dimensions: {},
  statistic: 'Sum',
  compare: { tolerancePercent: 20, worse: 'higher' },
  versionDimension: 'TaskDefinitionRevision',
  action: 'rollback',
};
const MEMORY: CustomMetricSpec = {
  name: 'memory',
  namespace: 'ECS/ContainerInsights',
  metricName: 'MemoryUtilized',
  dimensions: {},
  statistic: 'Maximum',
  max: 512,
  versionDimension: 'TaskDefinitionRevision',
  action: 'rollback',
};

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Binomial(n, p) by the normal approximation (n p large here), clamped to [0, n]. */
function binomial(random: () => number, n: number, p: number): number {
  const u = Math.max(1e-12, random());
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return Math.min(n, Math.max(0, Math.round(n * p + z * Math.sqrt(n * p * (1 - p)))));
}

interface KpiSpec {
  readonly seed: number;
  /** Requests per minute over both groups. */
  readonly total: number;
  /** The canary's rate relative to the original's, per metric name, in rollout minute i. @default 1 */
  readonly canaryFactor?: (name: string, i: number) => number;
  /** Per-minute noise shared by both versions (Gamma-like, mean 1). @default none */
  readonly noise?: boolean;
  /** The original's rate of a ratio (its events per trial), per metric name. */
  readonly rates?: Readonly<Record<string, number>>;
  readonly minutes?: number;
  readonly weight?: number;
}

/** A whole-rollout judge input at one weight, with custom points drawn per minute and version. */
function kpiInput(spec: KpiSpec): JudgeInput {
  const random = prng(spec.seed);
  const weight = spec.weight ?? 25;
  const minutes = spec.minutes ?? 20;
  const input = rolloutInput({
    total: spec.total,
    baselineRate: 0.001,
    weightAt: () => weight,
    minutes,
    stage: { weight, fromMinute: 0, bakeMinutes: minutes - 2 },
  });
  const rates = { 'session-errors': 0.002, orders: 0.1, 'checkout-errors': 0.01, ...spec.rates };
  const pointsFor = (bucket: MinuteBucket, canary: boolean): Record<string, CustomPoint> => {
    const i = Math.floor((bucket.start - T0) / MINUTE);
    const shared = spec.noise ? 0.6 + 0.8 * random() : 1;
    const rate = (name: keyof typeof rates) =>
      Math.min(1, rates[name] * shared * (canary && i >= 0 ? (spec.canaryFactor?.(name, i) ?? 1) : 1));
    return {
      'session-errors': { numerator: binomial(random, bucket.requests, rate('session-errors')), denominator: bucket.requests },
      'checkout-errors': {
        numerator: binomial(random, Math.round(bucket.requests / 5), rate('checkout-errors')),
        denominator: Math.round(bucket.requests / 5),
      },
      orders: { value: binomial(random, bucket.requests, rate('orders')) },
      memory: { value: canary && i >= 0 ? 300 * (spec.canaryFactor?.('memory', i) ?? 1) : 300 },
    };
  };
  return {
    ...input,
    canary: input.canary.map((b) => ({ ...b, custom: pointsFor(b, true) })),
    baseline: input.baseline.map((b) => ({ ...b, custom: pointsFor(b, false) })),
  };
}

const policy = (...metrics: CustomMetricSpec[]) => ({ ...POLICY, metrics });
const reasonOf = (verdict: ReturnType<typeof judge>, name: string) => verdict.reasons.filter((r) => r.check === `metric:${name}`);

describe("judge › the service's own metrics", () => {
  describe('comparison with the original', () => {
    it('rolls back a KPI that falls 20% at 50%, in every seed', () => {
      const decisions = Array.from(
        { length: 10 },
        (_, seed) =>
          judge(
            kpiInput({ seed: 10 + seed, total: 3000, weight: 50, canaryFactor: (name) => (name === 'orders' ? 0.8 : 1) }),
            policy(ORDERS),
          ).decision,
      );
      expect(decisions).toEqual(Array(10).fill('rollback'));
    });

    it("names the metric and both versions' figures when it rolls back a KPI", () => {
      const verdict = judge(
        kpiInput({ seed: 10, total: 3000, weight: 50, canaryFactor: (name) => (name === 'orders' ? 0.8 : 1) }),
        policy(ORDERS),
      );
      expect(verdict.decision).toBe('rollback');
      const [reason] = reasonOf(verdict, 'orders');
      expect(reason.status).toBe('fail');
      expect(reason.detail).toMatch(
        /^orders: the canary's Orders per request is .* vs the original's .* \(-\d+(\.\d)?%\), lower by more than the 5\.0% tolerated/,
      );
      expect(verdict.summary).toContain('orders');
    });

    it('rolls back a ratio that doubles against the original', () => {
      const verdict = judge(
        kpiInput({ seed: 2, total: 3000, canaryFactor: (name) => (name === 'checkout-errors' ? 3 : 1) }),
        policy(CHECKOUT_ERRORS),
      );
      expect(verdict.decision).toBe('rollback');
      expect(reasonOf(verdict, 'checkout-errors')[0].observed).toMatch(
        /checkout-errors \(CheckoutErrors\/Checkouts\): canary .* vs original .* since the first shift/,
      );
    });

    it('does not roll back a change within the tolerance, and says what it rules out', () => {
      const verdict = judge(
        kpiInput({ seed: 3, total: 6000, minutes: 12, canaryFactor: (name) => (name === 'orders' ? 0.98 : 1) }),
        policy(ORDERS),
      );
      expect(reasonOf(verdict, 'orders')[0].status).toBe('pass');
      expect(verdict.decision).toBe('promote');
      expect(verdict.rulesOut?.text).toMatch(/fall of orders with 90% probability$/);
    });

    it("keeps false rollbacks of clean releases (A/A, shared noise) within the error test's α", () => {
      const runs = 100;
      let rolledBack = 0;
      for (let seed = 100; seed < 100 + runs; seed++) {
        const verdict = judge(kpiInput({ seed, total: 600, noise: true }), policy(ORDERS, CHECKOUT_ERRORS, SESSION_ERRORS));
        if (verdict.reasons.some((r) => r.check.startsWith('metric:') && r.status === 'fail')) rolledBack++;
      }
      expect(rolledBack).toBeLessThanOrEqual(1);
    });

    it('is not run in the post-traffic bake (no concurrent original)', () => {
      const input = kpiInput({ seed: 4, total: 600, weight: 100, canaryFactor: () => 0.5 });
      expect(reasonOf(judge(input, policy(ORDERS)), 'orders')).toEqual([]);
    });
  });

  describe('absolute bars', () => {
    it('rolls back a ratio above its bar, naming the bar', () => {
      const verdict = judge(
        kpiInput({ seed: 5, total: 3000, canaryFactor: (name) => (name === 'session-errors' ? 5 : 1) }),
        policy(SESSION_ERRORS),
      );
      expect(verdict.decision).toBe('rollback');
      expect(reasonOf(verdict, 'session-errors')[0].detail).toMatch(/^session-errors is 1\.\d+% on the canary, above the 0\.5% bar/);
    });

    it('does not roll back what the original does too', () => {
      const verdict = judge(kpiInput({ seed: 6, total: 600, rates: { 'session-errors': 0.01 } }), policy(SESSION_ERRORS));
      const [reason] = reasonOf(verdict, 'session-errors');
      expect(reason.status).toBe('pass');
      expect(reason.detail).toContain('the original is itself above 0.5%');
    });

    it('rolls back a value beyond its bar in 3 of the last 4 minutes, and holds on fewer', () => {
      const over = judge(
        kpiInput({ seed: 7, total: 600, canaryFactor: (name, i) => (name === 'memory' && i >= 17 ? 2 : 1) }),
        policy(MEMORY),
      );
      expect(reasonOf(over, 'memory')[0]).toMatchObject({
        status: 'fail',
        detail: "memory was beyond ≤ 512 in 3 of the canary's last 4 minutes.",
      });
      const once = judge(
        kpiInput({ seed: 7, total: 600, canaryFactor: (name, i) => (name === 'memory' && i === 18 ? 2 : 1) }),
        policy(MEMORY),
      );
      expect(reasonOf(once, 'memory')[0].status).toBe('hold');
    });
  });

  describe('action: warn', () => {
    it('never rolls back or holds, and returns the breach as a warning', () => {
      const warn = { ...ORDERS, action: 'warn' as const };
      const verdict = judge(kpiInput({ seed: 1, total: 600, canaryFactor: (name) => (name === 'orders' ? 0.5 : 1) }), policy(warn));
      expect(verdict.decision).toBe('promote');
      expect(reasonOf(verdict, 'orders')[0]).toMatchObject({ status: 'pass' });
      expect(reasonOf(verdict, 'orders')[0].detail).toMatch(/^warning only \(action: warn\): orders:/);
      expect(verdict.warnings).toEqual([{ metric: 'orders', detail: expect.stringContaining('lower by more than') }]);
    });
  });

  describe('absent and late points', () => {
    it('treats a rollout without any custom point as no evidence, never a rollback', () => {
      const input = rolloutInput({
        total: 600,
        baselineRate: 0.001,
        weightAt: () => 25,
        minutes: 20,
        stage: { weight: 25, fromMinute: 0, bakeMinutes: 18 },
      });
      const verdict = judge(input, policy(ORDERS, SESSION_ERRORS, MEMORY));
      expect(verdict.decision).toBe('promote');
      expect(reasonOf(verdict, 'orders')[0].detail).toContain('no paired minutes of both versions yet');
    });

    it("counts an absent count as 0, leaves a value absent, and never uses a metric's newest minute", () => {
      const bucket = (minute: number): MinuteBucket => ({ start: T0 + minute * MINUTE, requests: 100, errors: 0 });
      const specs = [SESSION_ERRORS, MEMORY];
      const series = (id: string, minutes: number[], value: number) => ({
        id,
        timestamps: minutes.map((m) => T0 + m * MINUTE),
        values: minutes.map(() => value),
      });
      const { replacement } = attachCustomMinutes(
        { replacement: [bucket(0), bucket(1), bucket(2)], original: [] },
        [series('r_m0_denominator', [0, 1, 2, 3], 100), series('r_m0_numerator', [1], 2), series('r_m1_value', [0, 2, 3], 400)],
        specs,
      );
      expect(replacement.map((b) => b.custom)).toEqual([
        { 'session-errors': { numerator: 0, denominator: 100 }, memory: { value: 400 } },
        { 'session-errors': { numerator: 2, denominator: 100 } },
        { 'session-errors': { numerator: 0, denominator: 100 }, memory: { value: 400 } },
      ]);
      const late = attachCustomMinutes(
        { replacement: [bucket(0), bucket(1)], original: [] },
        [series('r_m0_denominator', [0, 1], 100)],
        specs,
      );
      expect(late.replacement[1].custom).toBeUndefined();
    });
  });

  describe('queries', () => {
    it('reads a metric per version with the version dimension set to each revision, else once service-wide', () => {
      const queries = customMetricQueries([SESSION_ERRORS, { ...MEMORY, versionDimension: undefined }], ['replacement', 'original'], {
        replacement: '8',
        original: '7',
      });
      expect(queries.map((q) => [q.id, q.metricName, q.stat, q.dimensions.map((d) => `${d.Name}=${d.Value}`).join(',')])).toEqual([
        ['r_m0_numerator', 'SessionErrors', 'Sum', 'Service=shop,TaskDefinitionRevision=8'],
        ['r_m0_denominator', 'Sessions', 'Sum', 'Service=shop,TaskDefinitionRevision=8'],
        ['o_m0_numerator', 'SessionErrors', 'Sum', 'Service=shop,TaskDefinitionRevision=7'],
        ['o_m0_denominator', 'Sessions', 'Sum', 'Service=shop,TaskDefinitionRevision=7'],
        ['r_m1_value', 'MemoryUtilized', 'Maximum', ''],
      ]);
    });

    it.each([
      ['arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:42', '42'],
      ['arn:aws:ecs:eu-west-1:123456789012:task-definition/shop', undefined],
      ['shop:42', undefined],
    ])('takes the revision of %s', (arn, revision) => {
      expect(revisionOf(arn)).toBe(revision);
    });
  });
});
