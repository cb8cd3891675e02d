/**
 * Statistics behind the judge: the anytime-valid mixture likelihood-ratio test on paired counts,
 * the baseline's dispersion, and an always-valid upper bound on a rate.
 *
 * Pure and cheap: a stage of 30 minutes costs a few thousand floating-point operations.
 */

/** One minute of paired counts: trials (requests) and events (errors or slow requests) per group. */
export interface PairedCounts {
  readonly canaryTrials: number;
  readonly canaryEvents: number;
  readonly baselineTrials: number;
  readonly baselineEvents: number;
}

/** Alternatives θ_k of the error-rate ratio canary/baseline, mixed with equal weights. */
export const RATIO_ALTERNATIVES: readonly number[] = [1.5, 2, 3, 5, 10, 20, 50];

/** No single minute may multiply the evidence by more than this. */
export const MINUTE_FACTOR_CAP = 20;

export interface MixtureTestOptions {
  /** Ratio θ₀ under the null hypothesis (1 for errors, the latency ratio for slow requests). */
  readonly nullRatio: number;
  /** Divide each minute's log-factor by this (≥ 1): the measured over-dispersion of the counts. */
  readonly dispersion: number;
  /** @default RATIO_ALTERNATIVES, taken relative to nullRatio */
  readonly alternatives?: readonly number[];
  /** @default MINUTE_FACTOR_CAP */
  readonly factorCap?: number;
}

/** Canary's share of a minute's events if the canary's rate is `ratio` times the baseline's. */
function canaryShare(ratio: number, canaryTrials: number, baselineTrials: number): number {
  return (ratio * canaryTrials) / (ratio * canaryTrials + baselineTrials);
}

/**
 * Evidence against "canary rate = nullRatio × baseline rate", after each minute.
 *
 * Conditional on a minute's total events E_t, the canary's share is Binomial(E_t, π_t(θ)); the
 * mixture over alternatives θ₀·θ_k of the capped per-minute likelihood ratios is a nonnegative
 * supermartingale under the null, so by Ville's inequality it exceeds 1/α with probability ≤ α
 * however often it is looked at. Each minute's log-factor is first divided by the dispersion
 * d ≥ 1 (f^(1/d) has E ≤ 1 by Jensen, so validity is kept; over-dispersed counts weigh as 1/d of
 * a binomial minute), then capped. Minutes without events or without requests in either group
 * carry no evidence (factor 1).
 *
 * @returns evidence M after each minute (same length as `minutes`).
 */
export function mixtureEvidence(minutes: readonly PairedCounts[], options: MixtureTestOptions): number[] {
  const alternatives = (options.alternatives ?? RATIO_ALTERNATIVES).map((k) => k * options.nullRatio);
  const logCap = Math.log(options.factorCap ?? MINUTE_FACTOR_CAP);
  const dispersion = Math.max(1, options.dispersion);
  const logProducts = alternatives.map(() => 0);
  const evidence: number[] = [];
  for (const minute of minutes) {
    const events = minute.canaryEvents + minute.baselineEvents;
    if (events > 0 && minute.canaryTrials > 0 && minute.baselineTrials > 0) {
      const nullShare = canaryShare(options.nullRatio, minute.canaryTrials, minute.baselineTrials);
      alternatives.forEach((ratio, k) => {
        const share = canaryShare(ratio, minute.canaryTrials, minute.baselineTrials);
        const logFactor = minute.canaryEvents * Math.log(share / nullShare)
          + minute.baselineEvents * Math.log((1 - share) / (1 - nullShare));
        logProducts[k] += Math.min(logFactor / dispersion, logCap);
      });
    }
    evidence.push(Math.exp(logMeanExp(logProducts)));
  }
  return evidence;
}

function logMeanExp(values: readonly number[]): number {
  const top = Math.max(...values);
  let sum = 0;
  for (const value of values) sum += Math.exp(value - top);
  return top + Math.log(sum / values.length);
}

/**
 * Over-dispersion of one group's per-minute counts relative to Poisson, with a per-minute rate
 * multiplier of relative variance σ²: Var(e_t) = μ_t + μ_t²σ². σ² is estimated by moments after
 * leaving out spikes such as shared shocks (they must not set the noise level). Returns undefined
 * with fewer than 4 minutes or no events.
 */
export function relativeExtraVariance(minutes: ReadonlyArray<{ trials: number; events: number }>): number | undefined {
  const usable = minutes.filter((m) => m.trials > 0);
  if (usable.length < 4) return undefined;
  const pooledRate = (list: ReadonlyArray<{ trials: number; events: number }>) =>
    list.reduce((sum, m) => sum + m.events, 0) / list.reduce((sum, m) => sum + m.trials, 0);
  const firstRate = pooledRate(usable);
  // Leave out spikes — at least 5 events and 6× the expected count, such as shocks — up to a tenth
  // of the minutes, largest first. Ordinary noise, however heavy, is kept (trimming it would
  // understate the noise and inflate the evidence).
  const spike = (m: { trials: number; events: number }) => {
    const expected = m.trials * firstRate;
    return m.events - expected >= 5 && m.events >= 6 * expected ? (m.events - expected) / Math.max(expected, 1e-9) : 0;
  };
  const spikes = usable.map((m, i) => ({ i, size: spike(m) })).filter((x) => x.size > 0).sort((a, b) => b.size - a.size)
    .slice(0, Math.ceil(usable.length / 10)).map((x) => x.i);
  const kept = usable.filter((_, i) => !spikes.includes(i));
  const rate = pooledRate(kept);
  if (!(rate > 0)) return undefined;
  let excess = 0;
  let scale = 0;
  for (const m of kept) {
    const expected = m.trials * rate;
    excess += (m.events - expected) ** 2 - expected;
    scale += expected * expected;
  }
  return Math.max(0, excess / scale);
}

/**
 * Dispersion d ≥ 1 of the conditional test implied by a relative extra variance σ² shared by both
 * groups: the canary's share of a minute's events varies with variance inflated by about
 * 1 + 2v·μ_c·μ_b/(μ_c + μ_b), v = σ² + σ⁴/2 the variance of a log multiplier,, where μ are the minute's expected events if both groups had the
 * baseline's rate (the null). The median minute is used.
 */
export function testDispersion(minutes: readonly PairedCounts[], extraVariance: number | undefined): number {
  if (extraVariance === undefined || extraVariance === 0) return 1;
  const trials = minutes.reduce((sum, m) => sum + m.baselineTrials, 0);
  const events = minutes.reduce((sum, m) => sum + m.baselineEvents, 0);
  if (trials === 0) return 1;
  // Variance of the log of a Gamma multiplier with relative variance σ² (trigamma(1/σ²) ≈ σ² + σ⁴/2):
  // the first-order σ² understates heavy noise.
  const logRatioVariance = extraVariance + (extraVariance * extraVariance) / 2;
  // Expected events under the null: both groups at the baseline's rate.
  const rate = events / trials;
  const inflation = minutes
    .filter((m) => m.canaryTrials > 0 && m.baselineTrials > 0)
    .map((m) => {
      const canary = m.canaryTrials * rate;
      const baseline = m.baselineTrials * rate;
      return 1 + (2 * logRatioVariance * canary * baseline) / (canary + baseline);
    })
    .sort((a, b) => a - b);
  return inflation.length === 0 ? 1 : Math.max(1, inflation[Math.floor(inflation.length / 2)]);
}

/**
 * Always-valid upper confidence bound on a Bernoulli rate from `events` of `trials` (a confidence
 * sequence: valid simultaneously for every number of trials). It is the largest p whose
 * Beta(a, b)-mixture likelihood ratio M(p) = B(a+e, b+n−e) / (B(a, b)·p^e·(1−p)^(n−e)) stays
 * below 1/α. Any prior fixed before the canary's data keeps validity; centring it on the rate a
 * clean canary would have (the baseline's, `priorMean`) makes the bound tightest where it decides.
 */
export function rateUpperBound(events: number, trials: number, alpha: number, priorMean = 0.01): number {
  if (trials <= 0) return 1;
  const mean = Math.min(0.5, Math.max(0.001, priorMean));
  const priorA = 4;
  const priorB = (priorA * (1 - mean)) / mean;
  const logMixture = logBeta(priorA + events, priorB + trials - events) - logBeta(priorA, priorB);
  const logThreshold = Math.log(1 / alpha);
  const logEvidence = (p: number) => logMixture - events * Math.log(p) - (trials - events) * Math.log1p(-p);
  let low = events / trials;
  let high = 1 - 1e-12;
  if (logEvidence(high) < logThreshold) return 1;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (logEvidence(mid) >= logThreshold) high = mid; else low = mid;
  }
  return high;
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-13). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  const shifted = x - 1;
  let sum = coefficients[0];
  for (let i = 1; i < 9; i++) sum += coefficients[i] / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}
