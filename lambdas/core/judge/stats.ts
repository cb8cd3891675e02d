/**
 * The noise the judge's tests are discounted by: over-dispersion of per-minute counts, measured on
 * the original's minutes (its history before the rollout and the rollout so far).
 * Why and how: docs/judge.md ("Noise").
 */
import type { PairedCounts, SingleCounts } from './evidence';

/**
 * Over-dispersion of one group's per-minute counts relative to Poisson, with a per-minute rate
 * multiplier of relative variance σ²: Var(e_t) = μ_t + μ_t²σ². σ² is estimated by moments after
 * leaving out spikes such as shared shocks (they cancel in the conditional tests, so they must not
 * set those tests' noise level; `keepSpikes` keeps them for the reference tests). Returns undefined
 * with fewer than 4 minutes or no events.
 */
/** z of the one-sided 95% bound on σ² used by the tests. */
export const NOISE_UPPER_Z = 1.645;

export function relativeExtraVariance(minutes: ReadonlyArray<{ trials: number; events: number }>, options: { readonly keepSpikes?: boolean } = {}): number | undefined {
  const usable = minutes.filter((m) => m.trials > 0);
  if (usable.length < 4) return undefined;
  const pooledRate = (list: ReadonlyArray<{ trials: number; events: number }>) =>
    list.reduce((sum, m) => sum + m.events, 0) / list.reduce((sum, m) => sum + m.trials, 0);
  // Spikes are judged against the median minute's rate, not the pooled one, which two shocks in a
  // short history raise enough to hide both (docs/judge.md, "Noise"); a hidden shock would inflate
  // σ² and let the discount swallow real regressions. Pooled is the fallback when most minutes
  // have no events.
  const rates = usable.map((m) => m.events / m.trials).sort((a, b) => a - b);
  const firstRate = rates[Math.floor(rates.length / 2)] || pooledRate(usable);
  // Leave out spikes — at least 5 events and 6× the expected count, such as shocks — up to a tenth
  // of the minutes, largest first. Ordinary noise, however heavy, is kept (trimming it would
  // understate the noise and inflate the evidence).
  const spike = (m: { trials: number; events: number }) => {
    const expected = m.trials * firstRate;
    return m.events - expected >= 5 && m.events >= 6 * expected ? (m.events - expected) / Math.max(expected, 1e-9) : 0;
  };
  // Without a concurrent control (reference tests) shocks do not cancel: they are noise, kept.
  const spikes = new Set(options.keepSpikes ? [] : usable.map((m, i) => ({ i, size: spike(m) })).filter((x) => x.size > 0).sort((a, b) => b.size - a.size)
    .slice(0, Math.ceil(usable.length / 10)).map((x) => x.i));
  const kept = usable.filter((_, i) => !spikes.has(i));
  const rate = pooledRate(kept);
  if (!(rate > 0)) return undefined;
  let excess = 0;
  let scale = 0;
  for (const m of kept) {
    const expected = m.trials * rate;
    excess += (m.events - expected) ** 2 - expected;
    scale += expected * expected;
  }
  // An upper 95% bound (normal theory, n − 1 degrees of freedom) rather than the point estimate:
  // from an hour of minutes the estimate is off by ±30% under Gamma(2) noise, and an understated
  // noise level inflates every test's evidence.
  return Math.max(0, excess / scale) * (1 + NOISE_UPPER_Z * Math.sqrt(2 / (kept.length - 1)));
}

/**
 * Dispersion d ≥ 1 of the conditional test implied by a relative extra variance σ² shared by both
 * groups: d = 1 + 2v·μ_c·μ_b/(μ_c + μ_b), v = σ² + σ⁴/2, μ the minute's expected events at the
 * baseline's rate (the null), for the median minute. Derivation: docs/judge.md, "Noise".
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
 * Dispersion d ≥ 1 of a canary count judged against a fixed reference rate (no concurrent
 * control): Var = μ(1 + μσ²) for the minute's per-minute noise, inflated by the reference rate's
 * own uncertainty, 1 + (canary trials judged)/(reference trials). The median minute is used.
 */
export function referenceDispersion(minutes: readonly SingleCounts[], rate: number, extraVariance: number | undefined, referenceTrials: number): number {
  const used = minutes.filter((m) => m.trials > 0);
  if (used.length === 0) return 1;
  const judged = used.reduce((sum, m) => sum + m.trials, 0);
  const estimation = referenceTrials > 0 ? 1 + judged / referenceTrials : 1;
  const sigma2 = extraVariance ?? 0;
  const perMinute = used.map((m) => 1 + m.trials * rate * sigma2).sort((a, b) => a - b);
  return Math.max(1, perMinute[Math.floor(perMinute.length / 2)] * estimation);
}

/** Paired minutes with events the split's noise is measured on before it replaces the history's bound. */
export const SPLIT_NOISE_MIN_MINUTES = 8;

/**
 * Per-minute dispersion d_t of the conditional test, each fixed from the minute's own total and
 * the minutes before t (the history and the rollout's earlier paired minutes), never from the
 * canary's share in minute t itself.
 *
 * The test sees the canary's share X_c of a minute's E events. Given E, with V = E·π₀(1 − π₀)
 * (π₀ the canary's share under the null), Var(X_c | E) ≈ V(1 + w·V), where w is the extra
 * variance of the split: 2(σ² + σ⁴/2) when each group has its own per-minute multiplier of
 * relative variance σ², 0 when one multiplier is shared by both (it cancels in the split). So
 * d_t = 1 + w·V_t. V_t uses the minute's own total, which the test conditions on: a service-wide
 * shock multiplies E and, under per-group noise, the split's spread with it.
 *
 * The history of the original alone cannot tell shared from per-group noise, so its σ²
 * (`extraVariance`, an upper bound) gives w's ceiling, the per-group case. Once
 * SPLIT_NOISE_MIN_MINUTES paired minutes with events precede t, w is measured where the test is:
 * a moment estimate over those minutes around the fitted ratio θ̂ (a steady regression does not
 * read as noise), its upper 95% bound, never above the ceiling (identical versions cannot split
 * noisier than independent groups).
 */
export function splitDispersions(minutes: readonly PairedCounts[], extraVariance: number | undefined, nullRatio = 1): number[] {
  const ceiling = extraVariance ? 2 * (extraVariance + (extraVariance * extraVariance) / 2) : 0;
  const informative = (m: PairedCounts) => m.canaryTrials > 0 && m.baselineTrials > 0 && m.canaryEvents + m.baselineEvents > 0;
  const result: number[] = [];
  const past: PairedCounts[] = [];
  for (const minute of minutes) {
    const w = ceiling > 0 && past.length >= SPLIT_NOISE_MIN_MINUTES ? Math.min(ceiling, measuredSplitVariance(past, ceiling)) : ceiling;
    const events = minute.canaryEvents + minute.baselineEvents;
    const share = minute.canaryTrials + minute.baselineTrials > 0 ? (nullRatio * minute.canaryTrials) / (nullRatio * minute.canaryTrials + minute.baselineTrials) : 0;
    result.push(1 + w * events * share * (1 - share));
    if (informative(minute)) past.push(minute);
  }
  return result;
}

/**
 * Upper 95% bound of the split's extra variance w over `minutes` (moment estimate around the
 * fitted ratio), or the ceiling while those minutes cannot tell w from the ceiling (the estimate's
 * standard error, were w at the ceiling, above half of it). The standard error used is the larger
 * of the empirical one and the one the model gives at the estimate, so a few lucky minutes do not
 * make the bound tight.
 */
function measuredSplitVariance(minutes: readonly PairedCounts[], ceiling: number): number {
  const sum = (pick: (m: PairedCounts) => number) => minutes.reduce((s, m) => s + pick(m), 0);
  const canaryRate = sum((m) => m.canaryEvents) / sum((m) => m.canaryTrials);
  const baselineRate = sum((m) => m.baselineEvents) / sum((m) => m.baselineTrials);
  const ratio = baselineRate > 0 && canaryRate > 0 ? canaryRate / baselineRate : 1;
  const added = canaryRate - baselineRate;
  // Two fits of a difference that does not change from minute to minute: the canary's rate a
  // multiple of the original's (θ̂), or the original's plus a fixed amount (δ̂: under shared noise
  // an added failure mode varies the ratio). The better fit is measured; under the null both are 1 and 0.
  const shares = {
    ratio: (m: PairedCounts) => (ratio * m.canaryTrials) / (ratio * m.canaryTrials + m.baselineTrials),
    added: (m: PairedCounts) => {
      const events = m.canaryEvents + m.baselineEvents;
      const common = Math.max(0, (events - m.canaryTrials * added) / (m.canaryTrials + m.baselineTrials));
      const expected = m.canaryTrials * (common + added);
      return events > 0 ? Math.min(1, Math.max(0, expected / events)) : 0;
    },
  };
  const fit = (shareOf: (m: PairedCounts) => number) => minutes.map((m) => {
    const events = m.canaryEvents + m.baselineEvents;
    const share = shareOf(m);
    const v = events * share * (1 - share);
    return { v, excess: (m.canaryEvents - events * share) ** 2 - v, weight: v * v };
  });
  const estimateOf = (terms: ReturnType<typeof fit>) => {
    const weight = terms.reduce((s, x) => s + x.weight, 0);
    return weight > 0 ? terms.reduce((s, x) => s + x.excess, 0) / weight : Infinity;
  };
  const candidates = [fit(shares.ratio), fit(shares.added)];
  const terms = candidates.reduce((best, c) => (estimateOf(c) < estimateOf(best) ? c : best));
  const weight = terms.reduce((s, x) => s + x.weight, 0);
  if (!(weight > 0)) return ceiling;
  // Var of (X − Eπ)² − V under the model with extra variance w: ≈ 2·(V(1 + w·V))².
  const modelError = (w: number) => Math.sqrt(terms.reduce((s, x) => s + 2 * (x.v * (1 + w * x.v)) ** 2, 0)) / weight;
  if (modelError(ceiling) > ceiling / 2) return ceiling;
  const estimate = estimateOf(terms);
  const empirical = Math.sqrt(terms.reduce((s, x) => s + (x.excess - estimate * x.weight) ** 2, 0)) / weight;
  return Math.max(0, estimate + NOISE_UPPER_Z * Math.max(empirical, modelError(Math.max(0, estimate))));
}
