"use strict";
/**
 * Statistics behind the judge: the anytime-valid mixture likelihood-ratio test on paired counts,
 * the baseline's dispersion, and the one-sided sequential test behind a promotion.
 *
 * Pure and cheap: a stage of 30 minutes costs a few thousand floating-point operations.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.MINUTE_FACTOR_CAP = exports.RATIO_ALTERNATIVES = void 0;
exports.mixtureEvidence = mixtureEvidence;
exports.relativeExtraVariance = relativeExtraVariance;
exports.testDispersion = testDispersion;
exports.toleranceEvidence = toleranceEvidence;
/** Alternatives θ_k of the error-rate ratio canary/baseline, mixed with equal weights. */
exports.RATIO_ALTERNATIVES = [1.5, 2, 3, 5, 10, 20, 50];
/** No single minute may multiply the evidence by more than this. */
exports.MINUTE_FACTOR_CAP = 20;
/** Canary's share of a minute's events if the canary's rate is `ratio` times the baseline's. */
function canaryShare(ratio, canaryTrials, baselineTrials) {
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
function mixtureEvidence(minutes, options) {
    const alternatives = (options.alternatives ?? exports.RATIO_ALTERNATIVES).map((k) => k * options.nullRatio);
    const logCap = Math.log(options.factorCap ?? exports.MINUTE_FACTOR_CAP);
    const dispersion = Math.max(1, options.dispersion ?? 1);
    const capMixture = options.capOn === 'mixture';
    const logProducts = alternatives.map(() => 0);
    let logMixture = 0;
    const evidence = [];
    for (const minute of minutes) {
        const events = minute.canaryEvents + minute.baselineEvents;
        if (events > 0 && minute.canaryTrials > 0 && minute.baselineTrials > 0) {
            const before = logMeanExp(logProducts);
            const nullShare = canaryShare(options.nullRatio, minute.canaryTrials, minute.baselineTrials);
            alternatives.forEach((ratio, k) => {
                const share = canaryShare(ratio, minute.canaryTrials, minute.baselineTrials);
                const logFactor = minute.canaryEvents * Math.log(share / nullShare)
                    + minute.baselineEvents * Math.log((1 - share) / (1 - nullShare));
                logProducts[k] += capMixture ? logFactor / dispersion : Math.min(logFactor / dispersion, logCap);
            });
            // The mixture's factor for this minute is Σ_k v_k·f_k with v_k ∝ w_k·Π_(s<t) f_k,s the
            // weights earned so far; its conditional mean under the null is ≤ 1, and so is its cap.
            if (capMixture)
                logMixture += Math.min(logMeanExp(logProducts) - before, logCap);
        }
        evidence.push(Math.exp(capMixture ? logMixture : logMeanExp(logProducts)));
    }
    return evidence;
}
function logMeanExp(values) {
    const top = Math.max(...values);
    let sum = 0;
    for (const value of values)
        sum += Math.exp(value - top);
    return top + Math.log(sum / values.length);
}
/**
 * Over-dispersion of one group's per-minute counts relative to Poisson, with a per-minute rate
 * multiplier of relative variance σ²: Var(e_t) = μ_t + μ_t²σ². σ² is estimated by moments after
 * leaving out spikes such as shared shocks (they must not set the noise level). Returns undefined
 * with fewer than 4 minutes or no events.
 */
function relativeExtraVariance(minutes) {
    const usable = minutes.filter((m) => m.trials > 0);
    if (usable.length < 4)
        return undefined;
    const pooledRate = (list) => list.reduce((sum, m) => sum + m.events, 0) / list.reduce((sum, m) => sum + m.trials, 0);
    // Spikes are judged against the median minute's rate, not the pooled one: two shocks in a short
    // history raise the pooled rate so much that neither looks like a spike against it (masking);
    // a left-in ×20 shock then reads as σ² ≈ 2–4 instead of Gamma(4)'s 0.25 and the noise discount
    // swallows real regressions. The pooled rate is the fallback when most minutes have no events.
    const rates = usable.map((m) => m.events / m.trials).sort((a, b) => a - b);
    const firstRate = rates[Math.floor(rates.length / 2)] || pooledRate(usable);
    // Leave out spikes — at least 5 events and 6× the expected count, such as shocks — up to a tenth
    // of the minutes, largest first. Ordinary noise, however heavy, is kept (trimming it would
    // understate the noise and inflate the evidence).
    const spike = (m) => {
        const expected = m.trials * firstRate;
        return m.events - expected >= 5 && m.events >= 6 * expected ? (m.events - expected) / Math.max(expected, 1e-9) : 0;
    };
    const spikes = usable.map((m, i) => ({ i, size: spike(m) })).filter((x) => x.size > 0).sort((a, b) => b.size - a.size)
        .slice(0, Math.ceil(usable.length / 10)).map((x) => x.i);
    const kept = usable.filter((_, i) => !spikes.includes(i));
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
    return Math.max(0, excess / scale);
}
/**
 * Dispersion d ≥ 1 of the conditional test implied by a relative extra variance σ² shared by both
 * groups: the canary's share of a minute's events varies with variance inflated by about
 * 1 + 2v·μ_c·μ_b/(μ_c + μ_b), v = σ² + σ⁴/2 the variance of a log multiplier,, where μ are the minute's expected events if both groups had the
 * baseline's rate (the null). The median minute is used.
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
 * Evidence that the canary's error rate is below `limit` — the promotion test, the dual of an
 * always-valid upper confidence bound (the bound is below p₀ exactly when the test at p₀ rejects).
 *
 * H₀: p ≥ p₀ (worse than tolerated). For an alternative p_j < p₀, a minute's binomial
 * likelihood ratio f_j(e) = Bin(e; n, p_j) / Bin(e; n, p₀) decreases in e, so for every p ≥ p₀
 * E_p[f_j] ≤ E_p₀[f_j] = 1 (stochastic ordering): the product over minutes is a nonnegative
 * supermartingale under every rate in H₀, and so is the mixture Σ_j w_j·Π_t f_j (Σ w_j ≤ 1). By Ville's
 * inequality a canary worse than tolerated reaches M ≥ 1/α with probability ≤ α, however often
 * the judge looks. This one-sided test spends its whole α on the side that matters, which is
 * why it needs far fewer requests than a two-sided mixture bound on the canary's rate.
 *
 * Robust to one client's burst and the cold-start blip: each minute's count is winsorized at
 * c = ⌈max(μ₀ + √μ₀, 2μ₀)⌉ (μ₀ = n·p₀, the count a canary exactly at the limit would have) and the factor
 * renormalized by its exact mean under p₀, Z_j = P_{p_j}(e < c) + P_{p₀}(e ≥ c)·f_j(c) (for e < c,
 * Bin(e; n, p₀)·f_j(e) = Bin(e; n, p_j)). g_j(e) = f_j(min(e, c)) / Z_j still decreases in e and
 * E_p₀[g_j] = 1, so validity is exact whatever c is; a clean canary rarely reaches c, so Z_j ≈ 1
 * and little power is lost, while a burst of 10 errors in a 150-request minute at a 0.05%
 * baseline costs 3 errors' worth of evidence instead of 10 (it used to cost the stage: with
 * this test, "insufficient evidence" on the benchmark's A/A runs at 150 canary req/min and a
 * 0.05% baseline fell from 7–9% to 4–5.5%).
 *
 * Exact for binomial counts. `dispersion` d ≥ 1 divides each minute's log-factor (a
 * quasi-likelihood discount for over-dispersed counts, approximate as in the error test).
 *
 * @returns the evidence M after the last minute (1 with no minutes).
 */
function toleranceEvidence(minutes, options) {
    const limit = options.limit;
    if (!(limit > 0))
        return 1;
    if (limit >= 1)
        return Infinity;
    const kept = options.alternatives.filter((a) => a.rate > 0 && a.rate < limit && a.weight > 0);
    if (kept.length === 0)
        return 1;
    const alternatives = kept.map((a) => a.rate);
    const dispersion = Math.max(1, options.dispersion ?? 1);
    const logProducts = kept.map((a) => Math.log(a.weight));
    for (const { trials, events, allowance = 0 } of minutes) {
        if (trials <= 0)
            continue;
        const expected = trials * limit;
        const cap = Math.max(1, Math.min(trials, Math.ceil(Math.max(expected + Math.sqrt(expected), WINSOR_MIN_FACTOR * expected))));
        if (allowance > 0) {
            alternatives.forEach((p, j) => { logProducts[j] += forgivingLogFactor(trials, events, allowance, cap, p, limit) / dispersion; });
            continue;
        }
        const counted = Math.min(events, cap);
        // Exact tails while the cap is small (cheap); beyond, a conservative normalizer: dropping
        // P_{p_j}(e ≥ c) and bounding P_{p₀}(e ≥ c) by Chernoff's exp(−n·KL(c/n ‖ p₀)) only raise Z.
        const exact = cap <= EXACT_TAIL_MAX;
        const tailAtLimit = exact ? binomialUpperTail(trials, limit, cap) : Math.exp(-trials * bernoulliKl(cap / trials, limit));
        alternatives.forEach((p, j) => {
            const logFactor = (e) => e * Math.log(p / limit) + (trials - e) * (Math.log1p(-p) - Math.log1p(-limit));
            const normalizer = (exact ? 1 - binomialUpperTail(trials, p, cap) : 1) + tailAtLimit * Math.exp(logFactor(cap));
            logProducts[j] += (logFactor(counted) - Math.log(normalizer)) / dispersion;
        });
    }
    return Math.exp(logMeanExp(logProducts) + Math.log(logProducts.length)); // = Σ_j exp(log w_j + Σ_t log g_j,t)
}
/**
 * log g(e) for a minute that forgives `allowance` events a: g(e) = f(k(e)) / Z with
 * k(e) = min(max(e − a, 0), c) and Z = E_p₀[f(k(e))], summed exactly over the binomial pmf at p₀
 * in log space. k is nondecreasing in e and f decreasing, so g decreases in e and E_p₀[g] = 1:
 * by the same stochastic-ordering argument as the winsorizing, the minute's factor has mean ≤ 1
 * under every p ≥ p₀, whatever a is (a must not depend on the minute's count).
 */
function forgivingLogFactor(n, events, allowance, cap, p, limit) {
    const a = Math.floor(allowance);
    const logF = (e) => e * Math.log(p / limit) + (n - e) * (Math.log1p(-p) - Math.log1p(-limit));
    const counted = (e) => Math.min(Math.max(e - a, 0), cap);
    const logOdds = Math.log(limit) - Math.log1p(-limit);
    let logPmf = n * Math.log1p(-limit);
    const terms = [];
    let below = 0;
    // e below a + cap, term by term; the tail e ≥ a + cap all count `cap`.
    for (let e = 0; e < Math.min(n + 1, a + cap); e++) {
        terms.push(logPmf + logF(counted(e)));
        below += Math.exp(logPmf);
        logPmf += Math.log(n - e) - Math.log(e + 1) + logOdds;
    }
    // The tail P_p₀(e ≥ a + c), taken no smaller than its Chernoff bound (c ≥ μ₀, so a + c > μ₀):
    // rounding can only raise Z, never lower it.
    if (a + cap <= n)
        terms.push(Math.log(Math.min(1, Math.max(1 - below, Math.exp(-n * bernoulliKl((a + cap) / n, limit))))) + logF(cap));
    const finite = terms.filter((t) => Number.isFinite(t));
    return logF(counted(Math.min(events, n))) - (logMeanExp(finite) + Math.log(finite.length));
}
/**
 * The winsorizing cap is at least this multiple of μ₀. At high traffic a cap of μ₀ + √μ₀ (one
 * Poisson sd) would clip every noisy minute above the limit — per-minute rate noise is far wider
 * than Poisson there — and turn noise into evidence for a promotion (seen on the benchmark: a
 * canary at 3.4% "shown" below 3.3% at 7,500 req/min). A burst of 10 errors only matters where
 * μ₀ is small, where μ₀ + √μ₀ applies.
 */
const WINSOR_MIN_FACTOR = 2;
/** Largest winsorizing cap for which the tails are summed exactly. */
const EXACT_TAIL_MAX = 60;
/** KL(Bernoulli(q) ‖ Bernoulli(p)). */
function bernoulliKl(q, p) {
    const term = (a, b) => (a <= 0 ? 0 : a * Math.log(a / b));
    return term(q, p) + term(1 - q, 1 - p);
}
/** P(X ≥ k) for X ~ Binomial(n, p), by summing the pmf below k (k is small: a winsorizing cap). */
function binomialUpperTail(n, p, k) {
    if (k <= 0)
        return 1;
    if (k > n)
        return 0;
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    let logPmf = n * Math.log1p(-p);
    const logOdds = Math.log(p) - Math.log1p(-p);
    let below = 0;
    for (let e = 0; e < k; e++) {
        below += Math.exp(logPmf);
        logPmf += Math.log(n - e) - Math.log(e + 1) + logOdds;
    }
    return Math.max(0, 1 - below);
}
