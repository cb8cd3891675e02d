/**
 * Statistics behind the judge: the anytime-valid mixture likelihood-ratio test on paired counts,
 * the baseline's dispersion, and the one-sided sequential test behind a promotion.
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
export declare const RATIO_ALTERNATIVES: readonly number[];
/** No single minute may multiply the evidence by more than this. */
export declare const MINUTE_FACTOR_CAP = 20;
export interface MixtureTestOptions {
    /** Ratio θ₀ under the null hypothesis (1 for errors, the latency ratio for slow requests). */
    readonly nullRatio: number;
    /** Divide each minute's log-factor by this (≥ 1): the measured over-dispersion of the counts. */
    readonly dispersion: number;
    /** @default RATIO_ALTERNATIVES, taken relative to nullRatio */
    readonly alternatives?: readonly number[];
    /** @default MINUTE_FACTOR_CAP */
    readonly factorCap?: number;
    /**
     * Where the per-minute cap applies: to each alternative's factor (`'component'`), or to the
     * mixture's factor M_t / M_(t−1) (`'mixture'`). @default 'component'
     */
    readonly capOn?: 'component' | 'mixture';
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
export declare function mixtureEvidence(minutes: readonly PairedCounts[], options: MixtureTestOptions): number[];
/**
 * Over-dispersion of one group's per-minute counts relative to Poisson, with a per-minute rate
 * multiplier of relative variance σ²: Var(e_t) = μ_t + μ_t²σ². σ² is estimated by moments after
 * leaving out spikes such as shared shocks (they must not set the noise level). Returns undefined
 * with fewer than 4 minutes or no events.
 */
export declare function relativeExtraVariance(minutes: ReadonlyArray<{
    trials: number;
    events: number;
}>): number | undefined;
/**
 * Dispersion d ≥ 1 of the conditional test implied by a relative extra variance σ² shared by both
 * groups: the canary's share of a minute's events varies with variance inflated by about
 * 1 + 2v·μ_c·μ_b/(μ_c + μ_b), v = σ² + σ⁴/2 the variance of a log multiplier,, where μ are the minute's expected events if both groups had the
 * baseline's rate (the null). The median minute is used.
 */
export declare function testDispersion(minutes: readonly PairedCounts[], extraVariance: number | undefined): number;
/** One minute of the canary alone: requests and errors. */
export interface MinuteCounts {
    readonly trials: number;
    readonly events: number;
    /**
     * Events forgiven in this minute, fixed before its data is seen (the promotion test forgives a
     * cold start's few errors in a stage's first minute): the minute counts max(events − allowance, 0).
     * @default 0
     */
    readonly allowance?: number;
}
export interface ToleranceTestOptions {
    /** The limit p₀ the canary must be shown to be below (baseline rate + tolerated increase). */
    readonly limit: number;
    /**
     * Rates p_j < p₀ a clean canary may have, with mixture weights fixed before the canary's data
     * (summing to at most 1; alternatives at or above p₀ are dropped with their weight).
     */
    readonly alternatives: ReadonlyArray<{
        readonly rate: number;
        readonly weight: number;
    }>;
    /** Divide each minute's log-factor by this (≥ 1): over-dispersion of the canary's counts. @default 1 */
    readonly dispersion?: number;
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
export declare function toleranceEvidence(minutes: readonly MinuteCounts[], options: ToleranceTestOptions): number;
