/**
 * The noise the judge's tests are discounted by: over-dispersion of per-minute counts, measured on
 * the original's minutes (its history before the rollout and the rollout so far).
 * Why and how: docs/judge.md ("Noise").
 */
import { canaryShare, type PairedCounts, type SingleCounts } from './evidence';

// A module-local reference for fittedRatio's loop: under tsx (esbuild's CommonJS output, as
// `npm run bench:judge` and the soak run) each use of an import is a getter call.
const shareOf = canaryShare;

/**
 * Over-dispersion of one group's per-minute counts relative to Poisson, with a per-minute rate
 * multiplier of relative variance σ²: Var(e_t) = μ_t + μ_t²σ². σ² is estimated by moments after
 * leaving out spikes such as shared shocks (they cancel in the conditional tests, so they must not
 * set those tests' noise level; `keepSpikes` keeps them for the reference tests, where they do not
 * cancel — the post-traffic error test leaves the original's flagged minutes out first and pays
 * for them separately). Returns undefined with fewer than 4 minutes or no events.
 */
/** z of the one-sided 95% bound on σ² used by the tests. */
export const NOISE_UPPER_Z = 1.645;

export function relativeExtraVariance(
  minutes: ReadonlyArray<{ trials: number; events: number }>,
  options: { readonly keepSpikes?: boolean } = {},
): number | undefined {
  const usable = minutes.filter((m) => m.trials > 0);
  if (usable.length < 4) return undefined;
  // Without a concurrent control (reference tests) shocks do not cancel: they are noise, kept.
  const kept = options.keepSpikes ? usable : withoutSpikes(usable);
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

type Counts = { trials: number; events: number };

const pooledRate = (list: readonly Counts[]) => list.reduce((sum, m) => sum + m.events, 0) / list.reduce((sum, m) => sum + m.trials, 0);

/** `usable` (minutes with trials) without its spikes, for `relativeExtraVariance`. */
function withoutSpikes(usable: readonly Counts[]): readonly Counts[] {
  // Spikes are judged against the median minute's rate, not the pooled one, which two shocks in a
  // short history raise enough to hide both (docs/judge.md, "Noise"); a hidden shock would inflate
  // σ² and let the discount swallow real regressions. Pooled is the fallback when most minutes
  // have no events.
  const rates = usable.map((m) => m.events / m.trials).sort((a, b) => a - b);
  const firstRate = rates[Math.floor(rates.length / 2)] || pooledRate(usable);
  // Leave out spikes — at least 5 events and 6× the expected count, such as shocks — up to a tenth
  // of the minutes, largest first. Ordinary noise, however heavy, is kept (trimming it would
  // understate the noise and inflate the evidence).
  const spike = (m: Counts) => {
    const expected = m.trials * firstRate;
    return m.events - expected >= 5 && m.events >= 6 * expected ? (m.events - expected) / Math.max(expected, 1e-9) : 0;
  };
  const spikes = new Set(
    usable
      .map((m, i) => ({ i, size: spike(m) }))
      .filter((x) => x.size > 0)
      .sort((a, b) => b.size - a.size)
      .slice(0, Math.ceil(usable.length / 10))
      .map((x) => x.i),
  );
  return spikes.size === 0 ? usable : usable.filter((_, i) => !spikes.has(i));
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
export function referenceDispersion(
  minutes: readonly SingleCounts[],
  rate: number,
  extraVariance: number | undefined,
  referenceTrials: number,
): number {
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
 * d_t = 1 + w·V_t. V_t uses the minute's expected total at the original's usual rate (tiny at
 * low rates, where the Poisson spread dominates and σ² cannot be learnt), and the minute's own
 * total where the original spiked: a service-wide shock multiplies E and, under per-group noise,
 * the split's spread with it.
 *
 * The history of the original alone cannot tell shared from per-group noise, so its σ²
 * (`extraVariance`, an upper bound) gives w's ceiling, the per-group case. Once
 * SPLIT_NOISE_MIN_MINUTES paired minutes with events precede t, w is measured where the test is:
 * a moment estimate over those minutes around the fitted ratio θ̂ (a steady regression does not
 * read as noise), its upper 95% bound, never above the ceiling (identical versions cannot split
 * noisier than independent groups).
 */
export function splitDispersions(
  minutes: readonly PairedCounts[],
  extraVariance: number | undefined,
  nullRatio = 1,
  spiked: readonly boolean[] = [],
): number[] {
  const ceiling = extraVariance ? 2 * (extraVariance + (extraVariance * extraVariance) / 2) : 0;
  // The original's usual rate: minutes in which it spiked (a service-wide shock) left out, as they
  // are of the rates; a shock's own minute is discounted by its own total below. Taken over every
  // minute given, later ones too: a known validity gap (docs/judge.md, "A known gap in this argument").
  const usual = minutes.filter((_, i) => !spiked[i]);
  const trials = usual.reduce((sum, m) => sum + m.baselineTrials, 0);
  const rate = trials > 0 ? usual.reduce((sum, m) => sum + m.baselineEvents, 0) / trials : 0;
  const informative = (m: PairedCounts) => m.canaryTrials > 0 && m.baselineTrials > 0 && m.canaryEvents + m.baselineEvents > 0;
  const result: number[] = [];
  const past: PairedCounts[] = [];
  // w is measured on `past` alone: it is measured again only when a minute has joined it.
  let measuredOver = -1;
  let measured = ceiling;
  for (const minute of minutes) {
    if (ceiling > 0 && past.length >= SPLIT_NOISE_MIN_MINUTES && past.length !== measuredOver) {
      measured = Math.min(ceiling, measuredSplitVariance(past, ceiling));
      measuredOver = past.length;
    }
    const w = ceiling > 0 && past.length >= SPLIT_NOISE_MIN_MINUTES ? measured : ceiling;
    const share =
      minute.canaryTrials + minute.baselineTrials > 0
        ? (nullRatio * minute.canaryTrials) / (nullRatio * minute.canaryTrials + minute.baselineTrials)
        : 0;
    // The minute's expected events at the original's usual rate; in a minute where the original
    // spiked (a service-wide shock) its own total, which per-group noise spreads as much.
    const expected = (nullRatio * minute.canaryTrials + minute.baselineTrials) * rate;
    const events = spiked[result.length] ? Math.max(expected, minute.canaryEvents + minute.baselineEvents) : expected;
    result.push(1 + w * events * share * (1 - share));
    // A service-wide shock is left out of the measurement, as it is of the rates: it can clip both
    // groups' rates at 100%, so a canary worse by a steady ratio or amount fits neither there.
    if (informative(minute) && !spiked[result.length - 1]) past.push(minute);
  }
  return result;
}

/**
 * Upper 95% confidence bound of the split's extra variance w over `minutes`: the w at which
 * T(w) = Σ (X_c − Eπ̂)² / (V(1 + w·V)) falls to the lower 5% point of χ² with n − 1 degrees of
 * freedom (T falls as w rises); capped at `ceiling`. Few or uninformative minutes give a low χ²
 * point and so a bound at the ceiling by themselves: no separate trust rule is needed.
 */
function measuredSplitVariance(minutes: readonly PairedCounts[], ceiling: number): number {
  // Two fits of a difference that does not change from minute to minute: the canary's rate a
  // multiple of the original's (θ̂), or the original's plus a fixed amount (δ̂: under shared noise
  // an added failure mode varies the ratio). Each is fitted on the split itself (the canary's
  // expected share of each minute's events summing to what it had), not from rates pooled over
  // the rollout: those weigh minutes by each group's traffic, which the stages change, so under a
  // multiplier that varies from minute to minute a steady ratio would read as noise. The better
  // fit is measured; under the null both are 1 and 0.
  const ratio = fittedRatio(minutes);
  const added = fittedAddedRate(minutes);
  const shares = [
    (m: PairedCounts) => shareOf(ratio, m.canaryTrials, m.baselineTrials),
    (m: PairedCounts) => {
      const events = m.canaryEvents + m.baselineEvents;
      const common = Math.max(0, (events - m.canaryTrials * added) / (m.canaryTrials + m.baselineTrials));
      return events > 0 ? Math.min(1, Math.max(0, (m.canaryTrials * (common + added)) / events)) : 0;
    },
  ];
  const fits = shares.map((shareOf) =>
    minutes
      .map((m) => {
        const events = m.canaryEvents + m.baselineEvents;
        const share = shareOf(m);
        return { v: events * share * (1 - share), squared: (m.canaryEvents - events * share) ** 2 };
      })
      .filter((x) => x.v > 0),
  );
  const statistic = (terms: ReadonlyArray<{ v: number; squared: number }>, w: number) => {
    let sum = 0;
    for (const x of terms) sum += x.squared / (x.v * (1 + w * x.v));
    return sum;
  };
  const terms = fits.reduce((best, f) => (statistic(f, 0) < statistic(best, 0) ? f : best));
  const freedom = terms.length - 1;
  if (freedom < 1) return ceiling;
  // Lower 5% point of χ²(k), Wilson–Hilferty.
  const k = freedom;
  const lower = k * (1 - 2 / (9 * k) - NOISE_UPPER_Z * Math.sqrt(2 / (9 * k))) ** 3;
  if (!(lower > 0) || statistic(terms, ceiling) > lower) return ceiling;
  if (statistic(terms, 0) <= lower) return 0;
  let low = 0;
  let high = ceiling;
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (statistic(terms, mid) > lower) low = mid;
    else high = mid;
  }
  return high;
}

/**
 * θ̂ of the conditional model: the ratio at which the canary's expected share of each minute's
 * events, Σ E_t·π_t(θ), equals its events Σ X_c (the left side rises with θ; bisection on log θ).
 */
export function fittedRatio(minutes: readonly PairedCounts[]): number {
  const observed = minutes.reduce((s, m) => s + m.canaryEvents, 0);
  const expected = (ratio: number) => {
    let sum = 0;
    for (const m of minutes) sum += (m.canaryEvents + m.baselineEvents) * shareOf(ratio, m.canaryTrials, m.baselineTrials);
    return sum;
  };
  const total = minutes.reduce((s, m) => s + m.canaryEvents + m.baselineEvents, 0);
  if (!(observed > 0) || observed >= total) return 1;
  let low = -12;
  let high = 12;
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (expected(Math.exp(mid)) < observed) low = mid;
    else high = mid;
  }
  return Math.exp((low + high) / 2);
}

/**
 * δ̂ of the added-rate model: with each minute's common rate (E_t − n_c·δ)/(n_c + n_b), the
 * canary's expected events are n_c·E_t/n_t + δ·n_c·n_b/n_t; δ̂ makes their sum equal its events.
 */
export function fittedAddedRate(minutes: readonly PairedCounts[]): number {
  let excess = 0;
  let scale = 0;
  for (const m of minutes) {
    const trials = m.canaryTrials + m.baselineTrials;
    if (!(trials > 0)) continue;
    excess += m.canaryEvents - (m.canaryTrials * (m.canaryEvents + m.baselineEvents)) / trials;
    scale += (m.canaryTrials * m.baselineTrials) / trials;
  }
  return scale > 0 ? excess / scale : 0;
}

/**
 * Upper 95% bound on the share of minutes that are spikes, from `spikes` seen in `minutes`: the
 * Poisson mean μ at which seeing at most `spikes` has probability 5%, over `minutes` (3.0 / n for
 * none seen, 4.74 / n for one). Like σ², the tests take the upper bound, not the point estimate:
 * an understated spike share inflates the evidence.
 */
export function spikeShareBound(spikes: number, minutes: number): number {
  if (!(minutes > 0)) return 1;
  const atMost = (mean: number) => {
    let term = Math.exp(-mean);
    let sum = term;
    for (let i = 1; i <= spikes; i++) {
      term *= mean / i;
      sum += term;
    }
    return sum;
  };
  let low = 0;
  let high = spikes + 10 + 10 * Math.sqrt(spikes + 1);
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (atMost(mid) > 0.05) low = mid;
    else high = mid;
  }
  return Math.min(1, high / minutes);
}
