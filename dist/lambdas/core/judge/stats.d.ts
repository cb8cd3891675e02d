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
export declare const NOISE_UPPER_Z = 1.645;
export declare function relativeExtraVariance(minutes: ReadonlyArray<{
    trials: number;
    events: number;
}>, options?: {
    readonly keepSpikes?: boolean;
}): number | undefined;
/**
 * Dispersion d ≥ 1 of the conditional test implied by a relative extra variance σ² shared by both
 * groups: d = 1 + 2v·μ_c·μ_b/(μ_c + μ_b), v = σ² + σ⁴/2, μ the minute's expected events at the
 * baseline's rate (the null), for the median minute. Derivation: docs/judge.md, "Noise".
 */
export declare function testDispersion(minutes: readonly PairedCounts[], extraVariance: number | undefined): number;
/**
 * Dispersion d ≥ 1 of a canary count judged against a fixed reference rate (no concurrent
 * control): Var = μ(1 + μσ²) for the minute's per-minute noise, inflated by the reference rate's
 * own uncertainty, 1 + (canary trials judged)/(reference trials). The median minute is used.
 */
export declare function referenceDispersion(minutes: readonly SingleCounts[], rate: number, extraVariance: number | undefined, referenceTrials: number): number;
