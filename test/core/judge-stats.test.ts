import {
  logGamma, mixtureEvidence, PairedCounts, rateUpperBound, relativeExtraVariance, testDispersion,
} from '../../lambdas/core/judge/stats';
import { Random } from '../../lib/sim';

const minute = (canaryEvents: number, baselineEvents: number, canaryTrials = 150, baselineTrials = 2850): PairedCounts =>
  ({ canaryTrials, canaryEvents, baselineTrials, baselineEvents });

describe('judge statistics', () => {
  describe('logGamma', () => {
    it.each([[1, 0], [2, 0], [5, Math.log(24)], [0.5, Math.log(Math.sqrt(Math.PI))], [101, 363.73937555556347]])('logΓ(%d) = %d', (x, expected) => {
      expect(logGamma(x)).toBeCloseTo(expected, 9);
    });
  });

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

  describe('rateUpperBound', () => {
    it.each([[0, 300], [3, 300], [40, 2000]])('lies above the observed rate (%d of %d)', (events, trials) => {
      expect(rateUpperBound(events, trials, 0.05)).toBeGreaterThan(events / trials);
    });

    it('tightens with more trials and is 1 without any', () => {
      expect(rateUpperBound(0, 0, 0.05)).toBe(1);
      expect(rateUpperBound(5, 1000, 0.05)).toBeLessThan(rateUpperBound(1, 200, 0.05));
    });

    it('covers the true rate at every look in ≥ 95% of seeded sequences (always valid)', () => {
      const random = new Random(11);
      const rate = 0.01;
      let missed = 0;
      for (let run = 0; run < 300; run++) {
        let events = 0;
        for (let trials = 100; trials <= 3000; trials += 100) {
          events += random.binomial(100, rate);
          if (rateUpperBound(events, trials, 0.05) < rate) { missed++; break; }
        }
      }
      expect(missed).toBeLessThanOrEqual(15 + 3 * Math.sqrt(15));
    });
  });
});
