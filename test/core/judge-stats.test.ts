import {
  MinuteCounts, mixtureEvidence, PairedCounts, relativeExtraVariance, testDispersion, toleranceEvidence,
} from '../../lambdas/core/judge/stats';
import { Random } from '../../lib/sim';

const minute = (canaryEvents: number, baselineEvents: number, canaryTrials = 150, baselineTrials = 2850): PairedCounts =>
  ({ canaryTrials, canaryEvents, baselineTrials, baselineEvents });

describe('judge statistics', () => {
  describe('mixtureEvidence', () => {
    it('stays at 1 without events or without traffic in a group', () => {
      expect(mixtureEvidence([minute(0, 0), minute(3, 0, 150, 0), minute(0, 4, 0, 100)], { nullRatio: 1, dispersion: 1 })).toEqual([1, 1, 1]);
    });

    it('caps a single minute at a factor of 20', () => {
      const [only] = mixtureEvidence([minute(50, 0)], { nullRatio: 1, dispersion: 1 });
      expect(only).toBeCloseTo(20, 9);
    });

    it('grows with repeated evidence and falls on a clean canary', () => {
      const bad = mixtureEvidence([minute(8, 14), minute(8, 14), minute(8, 14)], { nullRatio: 1, dispersion: 1 });
      expect(bad[2]).toBeGreaterThan(bad[1]);
      expect(bad[2]).toBeGreaterThan(303);
      const clean = mixtureEvidence([minute(1, 14), minute(0, 14), minute(1, 14)], { nullRatio: 1, dispersion: 1 });
      expect(clean[2]).toBeLessThan(1);
    });

    it('discounts over-dispersed counts', () => {
      const counts = [minute(4, 14), minute(4, 14), minute(4, 14)];
      const plain = mixtureEvidence(counts, { nullRatio: 1, dispersion: 1 })[2];
      expect(mixtureEvidence(counts, { nullRatio: 1, dispersion: 4 })[2]).toBeLessThan(plain);
    });

    describe('capOn', () => {
      // +5 pp at 150 canary req/min on a 0.5% baseline: ~8 canary errors a minute (6 in a quiet one)
      // against ~14 of the baseline's, noise-discounted ÷1.4.
      const strongMinutes = [minute(6, 14), minute(6, 14)];

      it.each([['component' as const], ['mixture' as const]])('caps one minute at 20 (%s)', (capOn) => {
        expect(mixtureEvidence([minute(50, 0)], { nullRatio: 1, dispersion: 1, capOn })[0]).toBeCloseTo(20, 9);
      });

      it('mixture: two strong minutes reach the 303 bar; capped per component they stay below it', () => {
        expect(mixtureEvidence(strongMinutes, { nullRatio: 1, dispersion: 1.4, capOn: 'mixture' })[1]).toBeGreaterThanOrEqual(303);
        expect(mixtureEvidence(strongMinutes, { nullRatio: 1, dispersion: 1.4, capOn: 'component' })[1]).toBeLessThan(303);
      });

      it('mixture: under the null the evidence reaches 20 at any minute in ≤ 5% of seeded sequences (Ville)', () => {
        const random = new Random(23);
        const runs = 1000;
        let crossed = 0;
        for (let run = 0; run < runs; run++) {
          const counts = Array.from({ length: 30 }, () => {
            const total = random.poisson(15);
            const canary = random.binomial(total, 150 / 3000);
            return minute(canary, total - canary);
          });
          if (mixtureEvidence(counts, { nullRatio: 1, dispersion: 1, capOn: 'mixture' }).some((m) => m >= 20)) crossed++;
        }
        expect(crossed).toBeLessThanOrEqual(0.05 * runs);
      });
    });

    it('tests against the null ratio: 1.5× more events is no evidence against θ₀ = 1.5', () => {
      const counts = Array.from({ length: 10 }, () => minute(15, 190, 1000, 19000));
      expect(mixtureEvidence(counts, { nullRatio: 1.5, dispersion: 1 })[9]).toBeLessThan(1);
      expect(mixtureEvidence(counts, { nullRatio: 1, dispersion: 1 })[9]).toBeGreaterThan(1);
    });
  });

  describe('relativeExtraVariance', () => {
    it('is undefined with fewer than 4 minutes or no events', () => {
      expect(relativeExtraVariance([{ trials: 100, events: 1 }, { trials: 100, events: 2 }, { trials: 100, events: 0 }])).toBeUndefined();
      expect(relativeExtraVariance(Array.from({ length: 9 }, () => ({ trials: 100, events: 0 })))).toBeUndefined();
    });

    it.each([[2, 0.5], [4, 0.25]])('recovers the relative variance of Gamma(%d) noise (≈ %d)', (shape, expected) => {
      const random = new Random(7);
      const minutes = Array.from({ length: 400 }, () => {
        const trials = 3000;
        return { trials, events: random.poisson(trials * 0.02 * random.gamma(shape, 1 / shape)) };
      });
      expect(relativeExtraVariance(minutes)).toBeGreaterThan(expected * 0.75);
      expect(relativeExtraVariance(minutes)).toBeLessThan(expected * 1.25);
    });

    it('leaves out two shocks in a short history (judged against the median minute, so neither masks the other)', () => {
      const steady = [6, 14, 21, 3, 14, 19, 12, 9, 9, 11, 22].map((events) => ({ trials: 2850, events }));
      const withShocks = [...steady.slice(0, 3), { trials: 2850, events: 152 }, ...steady.slice(3, 5), { trials: 2850, events: 218 }, ...steady.slice(5)];
      expect(relativeExtraVariance(withShocks)).toBeCloseTo(relativeExtraVariance(steady) as number, 9);
    });

    it('leaves out a spike such as a shock', () => {
      const steady = Array.from({ length: 8 }, (_, i) => ({ trials: 1000, events: 10 + (i % 2 ? 3 : -3) }));
      expect(relativeExtraVariance([...steady, { trials: 1000, events: 200 }])).toBeLessThan(0.05);
    });
  });

  describe('testDispersion', () => {
    it('is 1 without extra variance and grows with expected events', () => {
      expect(testDispersion([minute(1, 14)], undefined)).toBe(1);
      expect(testDispersion([minute(10, 100, 1000, 10000)], 0.5)).toBeGreaterThan(testDispersion([minute(1, 10, 100, 1000)], 0.5));
    });
  });

  describe('toleranceEvidence', () => {
    const limit = 0.015;
    const alternatives = [0.005, 0.0075, 0.01, 0.0125].map((rate, i) => ({ rate, weight: i === 0 ? 1 / 2 : 1 / 6 }));
    const minutes = (errors: readonly number[], trials = 150): MinuteCounts[] => errors.map((events) => ({ trials, events }));
    const evidenceOf = (list: MinuteCounts[]) => toleranceEvidence(list, { limit, alternatives });

    it.each([
      ['no minutes', [] as number[]],
      ['minutes without requests', [0, 0, 0]],
    ])('stays at 1 with %s', (_, errors) => {
      expect(evidenceOf(minutes(errors, errors.length ? 0 : 150))).toBeCloseTo(1, 12);
    });

    it('grows for a canary at the baseline rate and shrinks for one above the limit', () => {
      const clean = evidenceOf(minutes(Array.from({ length: 13 }, (_, i) => (i % 4 === 0 ? 1 : 0))));
      const bad = evidenceOf(minutes(Array.from({ length: 13 }, () => 4)));
      expect(clean).toBeGreaterThanOrEqual(20);
      expect(bad).toBeLessThan(0.05);
    });

    it('a burst of 10 errors in one minute costs no more than the winsorizing cap allows', () => {
      const quiet = Array.from({ length: 13 }, () => 0);
      const withBurst = [10, ...quiet.slice(1)];
      const atCap = [Math.ceil(Math.max(150 * limit + Math.sqrt(150 * limit), 2 * 150 * limit)), ...quiet.slice(1)];
      expect(evidenceOf(minutes(withBurst))).toBeCloseTo(evidenceOf(minutes(atCap)), 10);
      expect(evidenceOf(minutes(withBurst))).toBeGreaterThanOrEqual(20);
    });

    it('uses a conservative normalizer at high traffic: a clean canary still passes, one at the limit does not', () => {
      const clean = toleranceEvidence(Array.from({ length: 5 }, () => ({ trials: 15000, events: 75 })), { limit, alternatives });
      const atLimit = toleranceEvidence(Array.from({ length: 5 }, () => ({ trials: 15000, events: 225 })), { limit, alternatives });
      expect(clean).toBeGreaterThan(1e6);
      expect(atLimit).toBeLessThan(1);
    });

    it('gives no evidence for a noisy canary above the limit at high traffic (the cap is at least 2μ₀)', () => {
      // 15,000 requests a minute, limit 1.5% (μ₀ = 225): minutes of 100 and 400 errors average 1.67%.
      const noisy = Array.from({ length: 10 }, (_, i) => ({ trials: 15000, events: i % 2 ? 400 : 100 }));
      expect(toleranceEvidence(noisy, { limit, alternatives })).toBeLessThan(1);
    });

    describe('a minute with an allowance (errors forgiven in the warm-up minute)', () => {
      const one = (trials: number, events: number, allowance: number, rate: number, at = limit) =>
        toleranceEvidence([{ trials, events, allowance }], { limit: at, alternatives: [{ rate, weight: 1 }] });
      const binomialPmf = (n: number, p: number) => {
        const pmf = [Math.pow(1 - p, n)];
        for (let k = 0; k < n; k++) pmf.push((pmf[k] * (n - k) * p) / ((k + 1) * (1 - p)));
        return pmf;
      };

      it.each([
        ['150 requests, limit 1.5%, alternative 0.5%', 150, 0.015, 0.005],
        ['1,500 requests, limit 3%, alternative 2%', 1500, 0.03, 0.02],
        ['30 requests, limit 1.05%, alternative 0.1%', 30, 0.0105, 0.001],
      ])('has mean ≤ 1 at the limit and above it, and never grows with the count (%s)', (_name, n, at, rate) => {
        const factors = Array.from({ length: n + 1 }, (_, e) => one(n, e, 3, rate, at));
        for (const truth of [at, at * 1.5]) {
          const mean = binomialPmf(n, truth).reduce((sum, p, e) => sum + p * factors[e], 0);
          expect(mean).toBeLessThanOrEqual(1 + 1e-9);
        }
        factors.slice(1).forEach((factor, e) => expect(factor).toBeLessThanOrEqual(factors[e] + 1e-12));
      });

      it('forgives up to the allowance: 3 errors weigh like none, a 4th counts', () => {
        expect(one(150, 3, 3, 0.005)).toBeCloseTo(one(150, 0, 3, 0.005), 12);
        expect(one(150, 4, 3, 0.005)).toBeLessThan(one(150, 3, 3, 0.005));
      });

      it('turns a cold start\'s 3 extra errors from a hold into a promotion (then 11 minutes at 0.67%)', () => {
        const rest = Array.from({ length: 11 }, () => 1);
        const coldStart = (allowance: number): MinuteCounts[] => [{ trials: 150, events: 4, allowance }, ...minutes(rest)];
        expect(evidenceOf(coldStart(0))).toBeLessThan(20);
        expect(evidenceOf(coldStart(3))).toBeGreaterThanOrEqual(20);
      });
    });

    it('a dispersion above 1 discounts the evidence', () => {
      const list = minutes(Array.from({ length: 13 }, () => 0));
      expect(toleranceEvidence(list, { limit, alternatives, dispersion: 2 })).toBeLessThan(evidenceOf(list));
    });

    it.each([
      ['at the limit', limit],
      ['above the limit', 0.025],
    ])('a canary %s reaches 1/α = 20 at any look in ≤ 5% of seeded sequences (always valid)', (_, rate) => {
      const random = new Random(17);
      let promoted = 0;
      const runs = 200;
      for (let run = 0; run < runs; run++) {
        const seen: MinuteCounts[] = [];
        for (let t = 0; t < 20; t++) {
          seen.push({ trials: 150, events: random.binomial(150, rate) });
          if (evidenceOf(seen) >= 20) { promoted++; break; }
        }
      }
      expect(promoted).toBeLessThanOrEqual(0.05 * runs + 3 * Math.sqrt(0.05 * runs));
    });
  });
});
