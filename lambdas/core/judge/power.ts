/**
 * Power of the rollout-wide tests: the probability that the error (or latency) test would have
 * reached its bar, had the canary been worse by a given amount over the exposure seen so far, and
 * the smallest regression caught with a given probability. Used by the judge's "rules out …"
 * statement and by `canary plan`. Approximation and its check: docs/judge.md ("What a verdict rules out").
 *
 * Each minute's log-likelihood ratio ℓ = X_c·a + X_b·b is linear in the two groups' counts, taken
 * as Poisson (inflated by the dispersion d): ℓ ~ Normal. E and Var of the minute's log bet factor
 * come from 5-point Gauss–Hermite quadrature over ℓ; the rollout's log-evidence per alternative
 * is their sum, S_k ≈ μ_k + σ_k·Z (normal by the central limit theorem, and one Z for every
 * alternative, since the same counts drive them all); the mixture reaches 1/α when
 * log mean_k exp(μ_k + σ_k·Z) ≥ log(1/α), which holds for Z above one root z*: P = 1 − Φ(z*).
 * Ending above the bar is rarer than ever crossing it, so the figure leans conservative.
 */
import { normalCdf } from '../normal';
import { canaryShare, logBetFactor, logBetOfExp, logCapOf, logMeanExp, PAIRED_BET_FRACTIONS, RATIO_ALTERNATIVES } from './evidence';

/** A stretch of minutes with the same expected traffic per minute (one stage, say). */
export interface Exposure {
  readonly minutes: number;
  readonly canaryRequests: number;
  readonly baselineRequests: number;
}

export interface PowerOptions {
  /** The original's rate of the event (errors, or requests slower than E). */
  readonly baselineRate: number;
  /** d ≥ 1, as the test discounts. */
  readonly dispersion: number;
  /** The test's α (its bar is 1/α). */
  readonly alpha: number;
  /** θ₀ of the test (1 for errors). @default 1 */
  readonly nullRatio?: number;
}

const NODES = [-2.857, -1.3556, 0, 1.3556, 2.857];
const WEIGHTS = [0.01126, 0.22208, 0.53333, 0.22208, 0.01126];

/** One stretch's log-likelihood coefficients against one alternative θ_k: ℓ = X_c·a + X_b·b. */
interface Term {
  readonly exposure: Exposure;
  readonly a: number;
  readonly b: number;
}

/** The coefficients of every stretch with traffic, per alternative θ_k: they do not depend on the canary's rate. */
function termsOf(exposure: readonly Exposure[], options: PowerOptions): Term[][] {
  const nullRatio = options.nullRatio ?? 1;
  const counted = exposure.filter((e) => e.minutes > 0 && e.canaryRequests > 0 && e.baselineRequests > 0);
  return RATIO_ALTERNATIVES.map((k) =>
    counted.map((e) => {
      const nullShare = canaryShare(nullRatio, e.canaryRequests, e.baselineRequests);
      const share = canaryShare(k * nullRatio, e.canaryRequests, e.baselineRequests);
      return { exposure: e, a: Math.log(share / nullShare), b: Math.log1p(-share) - Math.log1p(-nullShare) };
    }),
  );
}

// Module-local references to the imports the loops below use: under tsx (esbuild's CommonJS
// output, as `npm run bench:judge` and the soak run) each use of an import is a getter call.
const BET_FRACTIONS = PAIRED_BET_FRACTIONS;
const logBetAt = logBetOfExp;
const logMeanOfExp = logMeanExp;
const LOG_CAPS = BET_FRACTIONS.map((betFraction) => logCapOf(betFraction));
const HIGHEST_LOG_CAP = Math.max(...LOG_CAPS);
/** A minute's log bet factor at a likelihood ratio above the cap: the same for every such minute. */
const CAPPED_FACTORS = BET_FRACTIONS.map((betFraction) => logBetFactor(Infinity, 1, -Infinity, betFraction));

/**
 * The mixture's log-evidence at the standard normal quantile z, if the canary's rate is
 * `canaryRate`: the components are (alternative, bet) pairs, alternative first.
 */
function mixtureOf(alternatives: readonly (readonly Term[])[], canaryRate: number, options: PowerOptions): (z: number) => number {
  const dispersion = Math.max(1, options.dispersion);
  const bets = BET_FRACTIONS.length;
  const means = new Array<number>(alternatives.length * bets);
  const sds = new Array<number>(alternatives.length * bets);
  const m = new Array<number>(bets);
  const m2 = new Array<number>(bets);
  const variances = new Array<number>(bets);
  for (let k = 0; k < alternatives.length; k++) {
    for (let j = 0; j < bets; j++) {
      means[k * bets + j] = 0;
      variances[j] = 0;
    }
    for (const { exposure: e, a, b } of alternatives[k]) {
      const muC = e.canaryRequests * Math.min(1, canaryRate);
      const muB = e.baselineRequests * options.baselineRate;
      const lMean = muC * a + muB * b;
      const lSd = Math.sqrt((muC * a * a + muB * b * b) * dispersion);
      m.fill(0);
      m2.fill(0);
      for (let i = 0; i < NODES.length; i++) {
        // logBetFactor(ℓ, d, -∞, λ) of each bet: above a bet's cap the factor is the same for every
        // minute (taken once); below it (every cap is far under logBet's 40), log(1 − λ + λ·e^(ℓ/d)),
        // with e^(ℓ/d) shared by the bets.
        const scaled = (lMean + NODES[i] * lSd) / dispersion;
        const expScaled = scaled >= HIGHEST_LOG_CAP ? 0 : Math.exp(scaled);
        for (let j = 0; j < bets; j++) {
          const g = scaled >= LOG_CAPS[j] ? CAPPED_FACTORS[j] : logBetAt(expScaled, BET_FRACTIONS[j]);
          m[j] += WEIGHTS[i] * g;
          m2[j] += WEIGHTS[i] * g * g;
        }
      }
      for (let j = 0; j < bets; j++) {
        means[k * bets + j] += e.minutes * m[j];
        variances[j] += e.minutes * Math.max(0, m2[j] - m[j] * m[j]);
      }
    }
    for (let j = 0; j < bets; j++) sds[k * bets + j] = Math.sqrt(variances[j]);
  }
  const values = new Array<number>(means.length);
  return (z) => {
    for (let c = 0; c < means.length; c++) values[c] = means[c] + sds[c] * z;
    return logMeanOfExp(values);
  };
}

const Z_LOW = -12;
const Z_HIGH = 12;
const Z_STEPS = 50;

/** P(the test reaches its bar) if the canary's rate is `canaryRate` over `exposure`. */
export function detectionProbability(exposure: readonly Exposure[], canaryRate: number, options: PowerOptions): number {
  const bar = Math.log(1 / options.alpha);
  const mixtureAt = mixtureOf(termsOf(exposure, options), canaryRate, options);
  // mixtureAt rises with z; find where it meets the bar.
  let low = Z_LOW;
  let high = Z_HIGH;
  if (mixtureAt(high) < bar) return 0;
  if (mixtureAt(low) >= bar) return 1;
  for (let i = 0; i < Z_STEPS; i++) {
    const mid = (low + high) / 2;
    if (mixtureAt(mid) >= bar) high = mid;
    else low = mid;
  }
  return 1 - normalCdf(high);
}

/**
 * More than normalCdf's departure from monotonic (its relative error is below 1.2e-7): a
 * probability this far past `power` at an end of the search interval settles the comparison.
 */
const SETTLED_MARGIN = 1e-6;

/**
 * `detectionProbability(…) >= power`, the same answer at less cost: the search for the root keeps
 * it between its two ends, so it stops as soon as both ends give the same side of `power`.
 */
function reachesPower(terms: readonly (readonly Term[])[], canaryRate: number, options: PowerOptions, power: number): boolean {
  const bar = Math.log(1 / options.alpha);
  const mixtureAt = mixtureOf(terms, canaryRate, options);
  let low = Z_LOW;
  let high = Z_HIGH;
  if (mixtureAt(high) < bar) return 0 >= power;
  if (mixtureAt(low) >= bar) return 1 >= power;
  // P(Z above each end), taken again only for the end that moved.
  let aboveHigh = 1 - normalCdf(high);
  let aboveLow = 1 - normalCdf(low);
  for (let i = 0; i < Z_STEPS; i++) {
    if (aboveHigh >= power + SETTLED_MARGIN) return true;
    if (aboveLow < power - SETTLED_MARGIN) return false;
    const mid = (low + high) / 2;
    if (mixtureAt(mid) >= bar) {
      high = mid;
      aboveHigh = 1 - normalCdf(high);
    } else {
      low = mid;
      aboveLow = 1 - normalCdf(low);
    }
  }
  return aboveHigh >= power;
}

/**
 * The smallest increase of the canary's rate over the baseline's (a fraction) that the test
 * catches with probability ≥ `power` over `exposure`; undefined if none up to a rate of 1.
 */
export function detectableIncrease(exposure: readonly Exposure[], options: PowerOptions & { readonly power?: number }): number | undefined {
  const power = options.power ?? 0.9;
  const base = options.baselineRate * (options.nullRatio ?? 1);
  const top = 1 - base;
  const terms = termsOf(exposure, options);
  if (!(top > 0) || !reachesPower(terms, 1, options, power)) return undefined;
  let low = 0;
  let high = top;
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (reachesPower(terms, base + mid, options, power)) high = mid;
    else low = mid;
  }
  return high;
}

/** Groups minutes of observed counts into stretches of like traffic (canary share to two digits). */
export function exposureOf(minutes: ReadonlyArray<{ readonly canaryRequests: number; readonly baselineRequests: number }>): Exposure[] {
  const groups = new Map<string, { minutes: number; canary: number; baseline: number }>();
  for (const m of minutes) {
    const total = m.canaryRequests + m.baselineRequests;
    if (total <= 0) continue;
    const key = (m.canaryRequests / total).toPrecision(2);
    const g = groups.get(key) ?? { minutes: 0, canary: 0, baseline: 0 };
    g.minutes += 1;
    g.canary += m.canaryRequests;
    g.baseline += m.baselineRequests;
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    minutes: g.minutes,
    canaryRequests: g.canary / g.minutes,
    baselineRequests: g.baseline / g.minutes,
  }));
}
