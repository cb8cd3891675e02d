import {
  BET_FRACTION,
  BURST_EVENTS,
  conditionalEvidence,
  LIKELIHOOD_CAP,
  MAX_MINUTE_FACTOR,
  PAIRED_BET_FRACTIONS,
  type PairedCounts,
  referenceEvidence,
  spikeAllowance,
} from '../../lambdas/core/judge/evidence';
import { detectableIncrease, detectionProbability, exposureOf } from '../../lambdas/core/judge/power';
import {
  fittedAddedRate,
  fittedRatio,
  referenceDispersion,
  relativeExtraVariance,
  spikeShareBound,
  splitDispersions,
  testDispersion,
} from '../../lambdas/core/judge/stats';
import { Random } from '../../sim';

const minute = (canaryEvents: number, baselineEvents: number, canaryTrials = 150, baselineTrials = 2850): PairedCounts => ({
  canaryTrials,
  canaryEvents,
  baselineTrials,
  baselineEvents,
});

describe('judge statistics', () => {
  describe('conditionalEvidence (bounded bets)', () => {
    const options = { nullRatio: 1, dispersion: 1 };
    it('stays at 1 without events or without traffic in a group', () => {
      expect(conditionalEvidence([minute(0, 0), minute(3, 0, 150, 0), minute(0, 4, 0, 100)], options)).toEqual({
        value: 1,
        withoutStrongestMinute: 1,
      });
    });

    it(`caps what one client's burst of ${BURST_EVENTS} events can add to a minute at 1 − λ + λC = ${MAX_MINUTE_FACTOR}; no minute decides alone`, () => {
      expect(MAX_MINUTE_FACTOR).toBe(1 - BET_FRACTION + BET_FRACTION * LIKELIHOOD_CAP);
      const burst = conditionalEvidence([minute(BURST_EVENTS, 0)], options);
      expect(burst.value).toBeLessThanOrEqual(MAX_MINUTE_FACTOR);
      expect(burst.value).toBeGreaterThan(20);
      // Beyond a burst, a minute's own evidence counts (detection scales with information) …
      const heavy = conditionalEvidence([minute(50, 0)], options);
      expect(heavy.value).toBeGreaterThan(1000 * MAX_MINUTE_FACTOR);
      // … but one minute never decides: without its strongest minute nothing is left.
      expect(heavy.withoutStrongestMinute).toBe(1);
      // One burst on top of an ordinary minute adds at most the cap.
      const ordinary = conditionalEvidence([minute(1, 20)], options).value;
      expect(conditionalEvidence([minute(1 + BURST_EVENTS, 20)], options).value).toBeLessThanOrEqual(
        MAX_MINUTE_FACTOR * Math.max(1, ordinary) + 1e-9,
      );
    });

    it(`loses at most a factor ${1 - BET_FRACTION} in a clean minute with the λ = ½ bet, and the mixture keeps half of that bet`, () => {
      const half = { ...options, betFractions: [BET_FRACTION] };
      const before = conditionalEvidence([minute(40, 10), minute(40, 10)], half).value;
      const after = conditionalEvidence([minute(40, 10), minute(40, 10), minute(0, 500, 150, 2850)], half).value;
      expect(after / before).toBeGreaterThanOrEqual(1 - BET_FRACTION - 1e-12);
      expect(after).toBeLessThan(before);
      // The mixed evidence is the mean of the λ = ½ and the bolder bet: never below half the λ = ½ one.
      const runs = [
        [minute(40, 10), minute(40, 10), minute(0, 500, 150, 2850)],
        [minute(12, 10), minute(0, 30), minute(12, 10), minute(0, 30), minute(12, 10)],
      ];
      for (const counts of runs)
        expect(conditionalEvidence(counts, options).value).toBeGreaterThanOrEqual(
          conditionalEvidence(counts, half).value / PAIRED_BET_FRACTIONS.length - 1e-9,
        );
    });

    it('the bolder bet decides a low-traffic regression in fewer minutes than λ = ½ alone', () => {
      // 60 canary and 60 original requests a minute, 7% against 2% errors: about 1 nat of evidence a minute.
      const counts = Array.from({ length: 12 }, () => minute(4, 1, 60, 60));
      const mixed = conditionalEvidence(counts, options).value;
      const half = conditionalEvidence(counts, { ...options, betFractions: [BET_FRACTION] }).value;
      expect(mixed).toBeGreaterThan(4 * half);
    });

    it('a smaller largest minute factor bounds what two bursts add (the error test: two bursts reach at most half its bar)', () => {
      const bar = 571;
      const counts = [minute(BURST_EVENTS, 0, 30, 570), minute(0, 0, 30, 570), minute(BURST_EVENTS, 0, 30, 570)];
      const capped = conditionalEvidence(counts, { ...options, maxMinuteFactor: Math.sqrt(bar / 2) });
      expect(capped.value).toBeLessThanOrEqual(bar / 2 + 1e-9);
      expect(conditionalEvidence(counts, options).value).toBeGreaterThan(bar);
      // A high-traffic minute's own evidence beyond a burst is not capped.
      expect(conditionalEvidence([minute(60, 0)], { ...options, maxMinuteFactor: Math.sqrt(bar / 2) }).value).toBeGreaterThan(1e6);
    });

    it('grows with repeated evidence and falls on a clean canary', () => {
      const bad = conditionalEvidence([minute(8, 14), minute(8, 14), minute(8, 14)], options);
      expect(bad.value).toBeGreaterThan(500);
      expect(bad.withoutStrongestMinute).toBeGreaterThan(Math.sqrt(500));
      expect(conditionalEvidence([minute(1, 14), minute(0, 14), minute(1, 14)], options).value).toBeLessThan(1);
    });

    it('discounts over-dispersed counts', () => {
      const counts = [minute(4, 14), minute(4, 14), minute(4, 14)];
      expect(conditionalEvidence(counts, { nullRatio: 1, dispersion: 4 }).value).toBeLessThan(conditionalEvidence(counts, options).value);
    });

    it('has mean ≤ 1 under the null (Monte Carlo, 20,000 three-minute paths)', () => {
      const random = new Random(11);
      let total = 0;
      const paths = 20_000;
      for (let i = 0; i < paths; i++) {
        const counts = Array.from({ length: 3 }, () => {
          const events = random.poisson(20);
          const canary = random.binomial(events, 150 / 3000);
          return minute(canary, events - canary);
        });
        total += conditionalEvidence(counts, options).value;
      }
      // E[M] = 1 exactly without the cap; the sample mean's sd is below 0.05 here.
      expect(total / paths).toBeLessThan(1.1);
    });

    it('handles counts of 10^7 requests a minute', () => {
      const value = conditionalEvidence([minute(60_000, 950_000, 1e6, 9e6)], options).value;
      expect(Number.isFinite(value)).toBe(true);
    });
  });

  describe('referenceEvidence', () => {
    it('grows on a canary above the reference rate and stays low at it', () => {
      const above = referenceEvidence(
        Array.from({ length: 4 }, () => ({ trials: 1000, events: 40 })),
        { rate: 0.01, dispersion: 1 },
      );
      const at = referenceEvidence(
        Array.from({ length: 4 }, () => ({ trials: 1000, events: 10 })),
        { rate: 0.01, dispersion: 1 },
      );
      expect(above.value).toBeGreaterThan(1000);
      expect(at.value).toBeLessThan(2);
    });

    // One minute at 100% under the null: binomial at the usual rate, or (probability ε) a spike, whose factor is the largest.
    const binomial = (n: number, p: number) => {
      const pmf = [Math.pow(1 - p, n)];
      for (let x = 1; x <= n; x++) pmf.push((pmf[x - 1] * (n - x + 1) * p) / (x * (1 - p)));
      return pmf;
    };
    const nullMean = (spikeShare: number, paid: number) => {
      const options = { rate: 0.02, dispersion: 1, spikeShare: paid, betFractions: PAIRED_BET_FRACTIONS };
      const factor = (events: number) => referenceEvidence([{ trials: 120, events }], options).value;
      const calm = binomial(120, 0.02).reduce((sum, p, x) => sum + p * factor(x), 0);
      return (1 - spikeShare) * calm + spikeShare * factor(120);
    };
    it("pays for the spikes the usual rate leaves out: a minute's mean stays ≤ 1 with a spike share up to ε", () => {
      expect(nullMean(0.05, 0.05)).toBeLessThanOrEqual(1);
      expect(nullMean(0.02, 0.05)).toBeLessThanOrEqual(1);
      // Unpaid, the spikes alone lift a minute's mean past 1: the product would not be a supermartingale.
      expect(nullMean(0.05, 0)).toBeGreaterThan(1.3);
      expect(Math.exp(spikeAllowance(0.05))).toBeCloseTo(1 + 0.05 * (MAX_MINUTE_FACTOR - 1), 9);
    });

    it('answers 1 for a reference rate of 0 or 1', () => {
      expect(referenceEvidence([{ trials: 10, events: 3 }], { rate: 0, dispersion: 1 }).value).toBe(1);
    });
  });

  describe('relativeExtraVariance', () => {
    it('is undefined with fewer than 4 minutes or no events', () => {
      expect(
        relativeExtraVariance([
          { trials: 100, events: 1 },
          { trials: 100, events: 2 },
          { trials: 100, events: 0 },
        ]),
      ).toBeUndefined();
      expect(relativeExtraVariance(Array.from({ length: 9 }, () => ({ trials: 100, events: 0 })))).toBeUndefined();
    });

    it.each([
      [2, 0.5],
      [4, 0.25],
    ])('recovers the relative variance of Gamma(%d) noise (≈ %d)', (shape, expected) => {
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
      const withShocks = [
        ...steady.slice(0, 3),
        { trials: 2850, events: 152 },
        ...steady.slice(3, 5),
        { trials: 2850, events: 218 },
        ...steady.slice(5),
      ];
      expect(relativeExtraVariance(withShocks)).toBeCloseTo(relativeExtraVariance(steady) as number, 9);
    });

    it('leaves out a spike such as a shock', () => {
      const steady = Array.from({ length: 8 }, (_, i) => ({ trials: 1000, events: 10 + (i % 2 ? 3 : -3) }));
      expect(relativeExtraVariance([...steady, { trials: 1000, events: 200 }])).toBeLessThan(0.05);
    });
  });

  describe('splitDispersions (the noise the paired test sees)', () => {
    // 20 minutes at 25%, 10% errors with a Gamma(2) multiplier a minute: shared by both versions, or one per version.
    const minutes = (shared: boolean) => {
      const random = new Random(5);
      return Array.from({ length: 20 }, () => {
        const g = random.gamma(2, 0.5);
        const h = shared ? g : random.gamma(2, 0.5);
        return {
          canaryTrials: 7500,
          canaryEvents: random.binomial(7500, Math.min(1, 0.1 * g)),
          baselineTrials: 22500,
          baselineEvents: random.binomial(22500, Math.min(1, 0.1 * h)),
        };
      });
    };
    it("starts at the history's per-group bound and, under shared noise, falls once the split is measured", () => {
      const shared = splitDispersions(minutes(true), 0.65);
      expect(shared[0]).toBeGreaterThan(500);
      expect(shared[19]).toBeLessThan(shared[0] / 10);
    });
    it('stays near the bound under per-group noise, and each minute is fixed before its own split', () => {
      const independent = splitDispersions(minutes(false), 0.65);
      expect(Math.min(...independent)).toBeGreaterThan(independent[0] / 3);
      const counts = minutes(true);
      const changed = [...counts.slice(0, 19), { ...counts[19], canaryEvents: counts[19].canaryEvents * 3 }];
      expect(splitDispersions(changed, 0.65)[19]).toBe(splitDispersions(counts, 0.65)[19]);
    });
    // A canary failing 1.5× the original's rate in every minute, 8 minutes at 5% then 12 at 25%,
    // under a multiplier shared by both versions that varies from minute to minute — and, as in
    // any finite sample, differs between the stages (here a busy 5% stage and a quiet 25% one).
    const steadyRatio = (shock?: number) => {
      const random = new Random(11);
      return Array.from({ length: 20 }, (_, i) => {
        const g = i < 8 ? [2.5, 1.5][i % 2] : [0.4, 0.8][i % 2];
        const [canaryTrials, baselineTrials] = i < 8 ? [1500, 28500] : [7500, 22500];
        if (i === shock) return { canaryTrials, canaryEvents: canaryTrials, baselineTrials, baselineEvents: baselineTrials };
        return {
          canaryTrials,
          canaryEvents: random.binomial(canaryTrials, Math.min(1, 0.15 * g)),
          baselineTrials,
          baselineEvents: random.binomial(baselineTrials, Math.min(1, 0.1 * g)),
        };
      });
    };
    it('reads a steady ratio across a change of weight as a ratio, not as noise, under shared noise', () => {
      // Rates pooled over the rollout weigh the 5% and 25% minutes differently, so their ratio is
      // not the per-minute one; the split's own fit is.
      expect(fittedRatio(steadyRatio())).toBeGreaterThan(1.4);
      expect(fittedRatio(steadyRatio())).toBeLessThan(1.6);
      expect(splitDispersions(steadyRatio(), 0.65)[19]).toBeLessThan(10);
    });
    it("leaves a service-wide shock (both versions failing everything) out of the split's measurement", () => {
      const spiked = Array.from({ length: 20 }, (_, i) => i === 9);
      const withShock = splitDispersions(steadyRatio(9), 0.65, 1, spiked);
      expect(withShock[19]).toBeLessThan(10);
      expect(withShock[19]).toBeLessThan(splitDispersions(steadyRatio(9), 0.65, 1, [])[19] / 3);
    });
    it("reads a minute's expected events at the original's usual rate, its spiked minutes left out", () => {
      // 60 + 60 requests a minute at 2%, and two minutes where both versions fail 40% (a ×20 shock).
      const calm = Array.from({ length: 6 }, () => minute(1, 1, 60, 60));
      const shock = minute(24, 24, 60, 60);
      const withShocks = [shock, ...calm, shock];
      const spiked = withShocks.map((m) => m === shock);
      const d = splitDispersions(withShocks, 0.5, 1, spiked);
      const calmOnly = splitDispersions(calm, 0.5, 1, []);
      // The calm minutes keep the discount they have without the shocks; the shocks keep theirs.
      for (let i = 1; i <= 6; i++) expect(d[i]).toBeCloseTo(calmOnly[i - 1], 9);
      expect(d[0]).toBeGreaterThan(5 * calmOnly[0]);
    });
    it('fits the added rate on the split: δ̂ of a steady +5 pp under a shared multiplier', () => {
      const random = new Random(3);
      const minutes = Array.from({ length: 30 }, (_, i) => {
        const g = random.gamma(2, 0.5);
        const [canaryTrials, baselineTrials] = i < 10 ? [1500, 28500] : [15000, 15000];
        return {
          canaryTrials,
          canaryEvents: random.binomial(canaryTrials, Math.min(1, 0.1 * g + 0.05)),
          baselineTrials,
          baselineEvents: random.binomial(baselineTrials, Math.min(1, 0.1 * g)),
        };
      });
      expect(fittedAddedRate(minutes)).toBeCloseTo(0.05, 2);
      expect(fittedRatio([{ canaryTrials: 100, canaryEvents: 0, baselineTrials: 100, baselineEvents: 5 }])).toBe(1);
    });
  });

  describe('testDispersion', () => {
    it('is 1 without extra variance and grows with expected events', () => {
      expect(testDispersion([minute(1, 14)], undefined)).toBe(1);
      expect(testDispersion([minute(10, 100, 1000, 10000)], 0.5)).toBeGreaterThan(testDispersion([minute(1, 10, 100, 1000)], 0.5));
    });
  });

  describe('spikeShareBound', () => {
    it('is the upper 95% Poisson bound on the share of spiked minutes', () => {
      expect(spikeShareBound(0, 100)).toBeCloseTo(0.02996, 4);
      expect(spikeShareBound(1, 100)).toBeCloseTo(0.04744, 4);
      expect(spikeShareBound(2, 90)).toBeCloseTo(6.296 / 90, 4);
      expect(spikeShareBound(0, 0)).toBe(1);
    });
  });

  describe('referenceDispersion', () => {
    it("adds the per-minute noise and the reference rate's own uncertainty", () => {
      expect(referenceDispersion([{ trials: 1000, events: 10 }], 0.01, 0.25, 1000)).toBeCloseTo((1 + 1000 * 0.01 * 0.25) * 2, 9);
      expect(referenceDispersion([{ trials: 1000, events: 10 }], 0.01, undefined, 0)).toBe(1);
    });
  });

  describe('power', () => {
    const exposure = exposureOf(Array.from({ length: 5 }, () => ({ canaryRequests: 150, baselineRequests: 2850 })));
    const options = { baselineRate: 0.005, dispersion: 1, alpha: 0.00175 };
    it('groups minutes of like traffic', () => {
      expect(exposure).toEqual([{ minutes: 5, canaryRequests: 150, baselineRequests: 2850 }]);
    });
    it('rises with the size of the regression', () => {
      expect(detectionProbability(exposure, 0.006, options)).toBeLessThan(0.2);
      expect(detectionProbability(exposure, 0.055, options)).toBeGreaterThan(0.9);
    });
    it('finds the smallest increase caught with 90% probability, smaller with more exposure', () => {
      const small = detectableIncrease(exposure, { ...options, power: 0.9 }) as number;
      expect(detectionProbability(exposure, 0.005 + small, options)).toBeGreaterThanOrEqual(0.9);
      expect(detectionProbability(exposure, 0.005 + small * 0.9, options)).toBeLessThan(0.9);
      const more = detectableIncrease([{ minutes: 30, canaryRequests: 1500, baselineRequests: 1500 }], options) as number;
      expect(more).toBeLessThan(small);
    });
    it('is undefined when not even outright failure would be caught', () => {
      expect(detectableIncrease([{ minutes: 1, canaryRequests: 1, baselineRequests: 100 }], options)).toBeUndefined();
    });
  });
});
