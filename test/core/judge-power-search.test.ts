/**
 * `detectableIncrease` stops each root search once the comparison with the power is settled: its
 * answers are exactly those of the straightforward search (every step of both bisections, as
 * `detectionProbability` does it), over random exposures, rates, dispersions, α and powers.
 */
import fc from 'fast-check';

import { canaryShare, logBetFactor, logMeanExp, PAIRED_BET_FRACTIONS, RATIO_ALTERNATIVES } from '../../lambdas/core/judge/evidence';
import { detectableIncrease, detectionProbability, type Exposure, type PowerOptions } from '../../lambdas/core/judge/power';
import { normalCdf } from '../../lambdas/core/normal';

const NODES = [-2.857, -1.3556, 0, 1.3556, 2.857];
const WEIGHTS = [0.01126, 0.22208, 0.53333, 0.22208, 0.01126];

/** The straightforward computation: the full 50-step root search for every probability. */
function probability(exposure: readonly Exposure[], canaryRate: number, options: PowerOptions): number {
  const nullRatio = options.nullRatio ?? 1;
  const dispersion = Math.max(1, options.dispersion);
  const bar = Math.log(1 / options.alpha);
  const components = RATIO_ALTERNATIVES.flatMap((k) => PAIRED_BET_FRACTIONS.map((betFraction) => ({ k, betFraction })));
  const sums = components.map(({ k, betFraction }) => {
    let mean = 0;
    let variance = 0;
    for (const e of exposure) {
      if (!(e.minutes > 0 && e.canaryRequests > 0 && e.baselineRequests > 0)) continue;
      const nullShare = canaryShare(nullRatio, e.canaryRequests, e.baselineRequests);
      const share = canaryShare(k * nullRatio, e.canaryRequests, e.baselineRequests);
      const a = Math.log(share / nullShare);
      const b = Math.log1p(-share) - Math.log1p(-nullShare);
      const muC = e.canaryRequests * Math.min(1, canaryRate);
      const muB = e.baselineRequests * options.baselineRate;
      const lMean = muC * a + muB * b;
      const lSd = Math.sqrt((muC * a * a + muB * b * b) * dispersion);
      let m = 0;
      let m2 = 0;
      NODES.forEach((z, i) => {
        const g = logBetFactor(lMean + z * lSd, dispersion, -Infinity, betFraction);
        m += WEIGHTS[i] * g;
        m2 += WEIGHTS[i] * g * g;
      });
      mean += e.minutes * m;
      variance += e.minutes * Math.max(0, m2 - m * m);
    }
    return { mean, sd: Math.sqrt(variance) };
  });
  const mixtureAt = (z: number) => logMeanExp(sums.map((s) => s.mean + s.sd * z));
  let low = -12;
  let high = 12;
  if (mixtureAt(high) < bar) return 0;
  if (mixtureAt(low) >= bar) return 1;
  for (let i = 0; i < 50; i++) {
    const mid = (low + high) / 2;
    if (mixtureAt(mid) >= bar) high = mid;
    else low = mid;
  }
  return 1 - normalCdf(high);
}

function increase(exposure: readonly Exposure[], options: PowerOptions & { power: number }): number | undefined {
  const base = options.baselineRate * (options.nullRatio ?? 1);
  const top = 1 - base;
  if (!(top > 0) || probability(exposure, 1, options) < options.power) return undefined;
  let low = 0;
  let high = top;
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (probability(exposure, base + mid, options) >= options.power) high = mid;
    else low = mid;
  }
  return high;
}

const exposureArb = fc.array(
  fc.record({
    minutes: fc.integer({ min: 0, max: 30 }),
    canaryRequests: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 5000, noNaN: true })),
    baselineRequests: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 50000, noNaN: true })),
  }),
  { minLength: 0, maxLength: 5 },
);
const optionsArb = fc.record({
  baselineRate: fc.oneof(fc.constant(0.0005), fc.double({ min: 1e-5, max: 0.6, noNaN: true })),
  dispersion: fc.oneof(fc.constant(1), fc.double({ min: 0.5, max: 6, noNaN: true })),
  alpha: fc.constantFrom(0.001, 0.01, 0.05, 0.2),
  nullRatio: fc.oneof(fc.constant(1), fc.double({ min: 0.2, max: 20, noNaN: true })),
  power: fc.constantFrom(0.5, 0.8, 0.9, 0.99),
});

describe('judge power', () => {
  describe('detectableIncrease', () => {
    it('answers exactly what the full search answers', () => {
      fc.assert(
        fc.property(exposureArb, optionsArb, (exposure, options) => {
          expect(detectableIncrease(exposure, options)).toBe(increase(exposure, options));
        }),
        { seed: 25, numRuns: 400 },
      );
    });
  });

  describe('detectionProbability', () => {
    it('is the full search, at any rate', () => {
      fc.assert(
        fc.property(exposureArb, optionsArb, fc.double({ min: 0, max: 1, noNaN: true }), (exposure, options, rate) => {
          expect(detectionProbability(exposure, rate, options)).toBe(probability(exposure, rate, options));
        }),
        { seed: 25, numRuns: 400 },
      );
    });
  });
});
