"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NOISE_UPPER_Z = void 0;
exports.relativeExtraVariance = relativeExtraVariance;
exports.testDispersion = testDispersion;
exports.referenceDispersion = referenceDispersion;
/**
 * Over-dispersion of one group's per-minute counts relative to Poisson, with a per-minute rate
 * multiplier of relative variance σ²: Var(e_t) = μ_t + μ_t²σ². σ² is estimated by moments after
 * leaving out spikes such as shared shocks (they cancel in the conditional tests, so they must not
 * set those tests' noise level; `keepSpikes` keeps them for the reference tests). Returns undefined
 * with fewer than 4 minutes or no events.
 */
/** z of the one-sided 95% bound on σ² used by the tests. */
exports.NOISE_UPPER_Z = 1.645;
function relativeExtraVariance(minutes, options = {}) {
    const usable = minutes.filter((m) => m.trials > 0);
    if (usable.length < 4)
        return undefined;
    const pooledRate = (list) => list.reduce((sum, m) => sum + m.events, 0) / list.reduce((sum, m) => sum + m.trials, 0);
    // Spikes are judged against the median minute's rate, not the pooled one, which two shocks in a
    // short history raise enough to hide both (docs/judge.md, "Noise"); a hidden shock would inflate
    // σ² and let the discount swallow real regressions. Pooled is the fallback when most minutes
    // have no events.
    const rates = usable.map((m) => m.events / m.trials).sort((a, b) => a - b);
    const firstRate = rates[Math.floor(rates.length / 2)] || pooledRate(usable);
    // Leave out spikes — at least 5 events and 6× the expected count, such as shocks — up to a tenth
    // of the minutes, largest first. Ordinary noise, however heavy, is kept (trimming it would
    // understate the noise and inflate the evidence).
    const spike = (m) => {
        const expected = m.trials * firstRate;
        return m.events - expected >= 5 && m.events >= 6 * expected ? (m.events - expected) / Math.max(expected, 1e-9) : 0;
    };
    // Without a concurrent control (reference tests) shocks do not cancel: they are noise, kept.
    const spikes = new Set(options.keepSpikes ? [] : usable.map((m, i) => ({ i, size: spike(m) })).filter((x) => x.size > 0).sort((a, b) => b.size - a.size)
        .slice(0, Math.ceil(usable.length / 10)).map((x) => x.i));
    const kept = usable.filter((_, i) => !spikes.has(i));
    const rate = pooledRate(kept);
    if (!(rate > 0))
        return undefined;
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
    return Math.max(0, excess / scale) * (1 + exports.NOISE_UPPER_Z * Math.sqrt(2 / (kept.length - 1)));
}
/**
 * Dispersion d ≥ 1 of the conditional test implied by a relative extra variance σ² shared by both
 * groups: d = 1 + 2v·μ_c·μ_b/(μ_c + μ_b), v = σ² + σ⁴/2, μ the minute's expected events at the
 * baseline's rate (the null), for the median minute. Derivation: docs/judge.md, "Noise".
 */
function testDispersion(minutes, extraVariance) {
    if (extraVariance === undefined || extraVariance === 0)
        return 1;
    const trials = minutes.reduce((sum, m) => sum + m.baselineTrials, 0);
    const events = minutes.reduce((sum, m) => sum + m.baselineEvents, 0);
    if (trials === 0)
        return 1;
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
function referenceDispersion(minutes, rate, extraVariance, referenceTrials) {
    const used = minutes.filter((m) => m.trials > 0);
    if (used.length === 0)
        return 1;
    const judged = used.reduce((sum, m) => sum + m.trials, 0);
    const estimation = referenceTrials > 0 ? 1 + judged / referenceTrials : 1;
    const sigma2 = extraVariance ?? 0;
    const perMinute = used.map((m) => 1 + m.trials * rate * sigma2).sort((a, b) => a - b);
    return Math.max(1, perMinute[Math.floor(perMinute.length / 2)] * estimation);
}
