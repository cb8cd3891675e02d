/**
 * The judge's evidence processes: anytime-valid tests that a canary is worse, built as bounded
 * bets so that no single minute decides and no good minute erases earlier ones.
 * Derivation and validity: docs/judge.md ("Evidence as bounded bets").
 *
 * For each alternative θ_k the evidence is a product of per-minute factors
 *   f = 1 − λ + λ·min(L^(1/d), C)
 * with L the minute's likelihood ratio of θ_k against the null, d ≥ 1 the measured
 * over-dispersion and λ the share of the evidence bet each minute. Under the null E[L] = 1, so
 * E[L^(1/d)] ≤ 1 (Jensen) and E[min(·, C)] ≤ 1: every factor has conditional mean ≤ 1, the
 * equal-weight mixture over θ_k is a nonnegative supermartingale, and by Ville's inequality it
 * reaches 1/α with probability ≤ α however often it is read. Each factor lies in
 * [1 − λ, 1 − λ + λC]: a minute can at most multiply the evidence by 25.5 or halve it.
 *
 * Pure; no recursion and no spread over arrays, so any count CloudWatch reports is handled.
 */
/** One minute of paired counts: trials (requests) and events (errors or slow requests) per group. */
export interface PairedCounts {
    readonly canaryTrials: number;
    readonly canaryEvents: number;
    readonly baselineTrials: number;
    readonly baselineEvents: number;
}
/** One minute of the canary alone. */
export interface SingleCounts {
    readonly trials: number;
    readonly events: number;
}
/** Alternatives θ_k (relative to the null's ratio or rate), mixed with equal weights. */
export declare const RATIO_ALTERNATIVES: readonly number[];
/** λ: the share of the evidence bet each minute (a minute can lose at most this share). */
export declare const BET_FRACTION = 0.5;
/** C: the cap on a minute's likelihood ratio; the largest minute factor is 1 − λ + λC = 25.5. */
export declare const LIKELIHOOD_CAP = 50;
/** The largest factor one minute can contribute. */
export declare const MAX_MINUTE_FACTOR: number;
/** log f for a minute whose log-likelihood ratio is `logRatio`, discounted by `dispersion`. */
export declare function logBetFactor(logRatio: number, dispersion: number): number;
/** log of the mean of exp(values), without spreading the array. */
export declare function logMeanExp(values: readonly number[]): number;
/** The canary's share of a minute's events if its rate is `ratio` times the baseline's. */
export declare function canaryShare(ratio: number, canaryTrials: number, baselineTrials: number): number;
/**
 * Log-likelihood ratio of one minute under the conditional-binomial model: given the minute's
 * total events E, the canary's share is Binomial(E, π(θ)). Undefined when the minute carries no
 * information (no events, or a group without requests).
 */
export declare function conditionalLogRatio(minute: PairedCounts, ratio: number, nullRatio: number): number | undefined;
export interface ConditionalOptions {
    /** θ₀: the canary/baseline rate ratio under the null (1 for errors). */
    readonly nullRatio: number;
    /** d ≥ 1: the measured over-dispersion of the test's counts. */
    readonly dispersion: number;
    /** @default RATIO_ALTERNATIVES, relative to nullRatio */
    readonly alternatives?: readonly number[];
}
/**
 * A test's evidence now, and without its single most incriminating minute: a rollback needs the
 * latter too (≥ √bar), so that the evidence spans at least two minutes — one client's burst or
 * one shock is one minute.
 */
export interface Evidence {
    readonly value: number;
    readonly withoutStrongestMinute: number;
}
/** Evidence against "canary rate ≤ nullRatio × baseline rate" (see `Evidence`). */
export declare function conditionalEvidence(minutes: readonly PairedCounts[], options: ConditionalOptions): Evidence;
export interface ReferenceOptions {
    /** p₀: the reference rate under the null (the original's, measured before). */
    readonly rate: number;
    /** d ≥ 1: over-dispersion of the canary's counts around a fixed rate (drift included). */
    readonly dispersion: number;
    /** @default RATIO_ALTERNATIVES (rates θ_k·p₀ at or above 1 are dropped) */
    readonly alternatives?: readonly number[];
}
/** Binomial log-likelihood ratio of rate `alternative` against `rate` for one minute. */
export declare function referenceLogRatio(minute: SingleCounts, alternative: number, rate: number): number;
/**
 * Evidence against "canary rate ≤ p₀" with no concurrent control: the post-traffic bake at 100%,
 * and the latency null "at most 5% slower than E" (see `Evidence`).
 */
export declare function referenceEvidence(minutes: readonly SingleCounts[], options: ReferenceOptions): Evidence;
