import type { Reason } from './types';
import { type StageData, type Thresholds } from './checks';
/** Points of the promotion test's grid of alternatives, evenly spread over (0, p₀). */
export declare const PROMOTION_GRID_POINTS = 20;
/** Shape a of the Beta(a, b) prior over the canary's rate that weighs the grid (b puts its mean at the baseline's rate). */
export declare const PROMOTION_PRIOR_SHAPE = 4;
/**
 * The promotion test's alternatives: a grid over (0, p₀) weighted by a Beta(4, b) prior with its
 * mean at the baseline's rate (at least 0.1%). It is the one-sided, discretized counterpart of
 * the Beta-mixture confidence sequence the judge used before: all prior mass lies where a
 * promotion is due (p < p₀), and rates below the baseline's keep weight, which is where a quiet
 * canary's few requests often put it.
 */
export declare function promotionAlternatives(baselineRate: number, limit: number): Array<{
    rate: number;
    weight: number;
}>;
/**
 * Promotion: the canary must be shown to be within baseline + tolerated increase. Decided by the
 * one-sided sequential test `toleranceEvidence` at the limit p₀ = p̂_b + δ (the dual of an
 * always-valid upper bound on the canary's rate: "the bound is ≤ p₀" ⇔ "the test at p₀ rejects
 * p ≥ p₀"), at `promoteAlpha`. p̂_b is the baseline's rate over the same calm minutes (19× the
 * canary's traffic at 5%, so its own uncertainty is small; it is a plug-in, as the design's rule
 * is). Minutes of a service-wide incident are left out, as in the rate comparisons.
 *
 * Like the Beta-mixture bound it replaces, the test treats the canary's counts as binomial: the
 * canary's own per-minute noise is not discounted. Discounting it by the noise measured on the
 * baseline (d = 1 + μ₀σ², a quasi-likelihood factor) was measured on the benchmark: at 150
 * canary req/min and Gamma(2) noise it cut clean promotions in the 5% stage from ~85% to ~58%
 * (0.5% baseline) and from ~43% to ~12% (2%); at 1500/min on a 2% baseline it raised A/A
 * rollbacks from 5% to 67% (Gamma 4) and from 14% to 87% (Gamma 2). The price of not
 * discounting: the 5% guarantee is nominal under such noise. At 1500/min, Gamma(4), a ×2
 * canary on a 2% baseline (+2 pp) passes the 5% stage in ~16 of 100 runs, as with the Beta bound
 * before, and none of 100 went through all three stages. Against such a canary the guards are
 * the two further stages at 5–10× the traffic and the rollback tests.
 *
 * Warm-up: in the buckets overlapping the stage's first minute (`PROMOTION_WARM_UP_MS`) the test
 * forgives `WARM_UP_ERROR_ALLOWANCE` (3) errors: it counts max(e − 3, 0) there, renormalized
 * exactly (see `MinuteCounts.allowance`). Right after a shift the canary's tasks take new load
 * cold (JIT, connection pools, caches; the benchmark's blip is Poisson(2) extra errors in the
 * canary's first minute), and those errors say nothing about the rate the tolerance is about.
 * Measured on the benchmark's A/A runs at 150 canary req/min on a 0.5% baseline, where the 5%
 * stage shows ~12.5 complete minutes (~1,850 requests) by its hold limit and the test then passes
 * up to ~14 canary errors: a clean canary had 12.4 on average, 2.6 of them in the first minute
 * (0.75 expected at the baseline's rate); the ones rolled back for "insufficient evidence" had
 * 18.7, 3.4 in the first minute, 32% with a burst. With the allowance those rollbacks fell from
 * 15.5 / 18.5 / 22.5% (Gamma none / 4 / 2) to 10 / 10.5 / 15% (0.05% baseline: 4–5.5% → 1–1.5%;
 * 30/min on 0.05%: 78–82% → 35–41%), with no A/A change at 1500/min, where 3 errors are small
 * against ~45 expected at the limit. Leaving the minute out altogether did a little more at
 * 150/min but cost a 1,500-request minute at 1500/min (more "insufficient evidence" there on a
 * 2% baseline). Validity is untouched: the allowance is fixed by the clock, not by the data, and
 * the minute's factor still decreases in its count with mean 1 at the limit. A canary bad from
 * the start is bad after its first minute too; every rollback check counts the warm-up minute in
 * full, and so does the backstop below (observed stage rate below the limit).
 */
export declare function errorBoundCheck(data: StageData, t: Thresholds): Reason;
