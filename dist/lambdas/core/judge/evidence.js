"use strict";
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
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_MINUTE_FACTOR = exports.LIKELIHOOD_CAP = exports.BET_FRACTION = exports.RATIO_ALTERNATIVES = void 0;
exports.logBetFactor = logBetFactor;
exports.logMeanExp = logMeanExp;
exports.canaryShare = canaryShare;
exports.conditionalLogRatio = conditionalLogRatio;
exports.conditionalEvidence = conditionalEvidence;
exports.referenceLogRatio = referenceLogRatio;
exports.referenceEvidence = referenceEvidence;
/** Alternatives θ_k (relative to the null's ratio or rate), mixed with equal weights. */
exports.RATIO_ALTERNATIVES = [1.5, 2, 3, 5, 10, 20, 50];
/** λ: the share of the evidence bet each minute (a minute can lose at most this share). */
exports.BET_FRACTION = 0.5;
/** C: the cap on a minute's likelihood ratio; the largest minute factor is 1 − λ + λC = 25.5. */
exports.LIKELIHOOD_CAP = 50;
/** The largest factor one minute can contribute. */
exports.MAX_MINUTE_FACTOR = 1 - exports.BET_FRACTION + exports.BET_FRACTION * exports.LIKELIHOOD_CAP;
/** log f for a minute whose log-likelihood ratio is `logRatio`, discounted by `dispersion`. */
function logBetFactor(logRatio, dispersion) {
    const scaled = logRatio / dispersion;
    if (scaled >= Math.log(exports.LIKELIHOOD_CAP))
        return Math.log(exports.MAX_MINUTE_FACTOR);
    return Math.log(1 - exports.BET_FRACTION + exports.BET_FRACTION * Math.exp(scaled));
}
/** log of the mean of exp(values), without spreading the array. */
function logMeanExp(values) {
    let top = -Infinity;
    for (const value of values)
        if (value > top)
            top = value;
    if (!Number.isFinite(top))
        return top;
    let sum = 0;
    for (const value of values)
        sum += Math.exp(value - top);
    return top + Math.log(sum / values.length);
}
/** The canary's share of a minute's events if its rate is `ratio` times the baseline's. */
function canaryShare(ratio, canaryTrials, baselineTrials) {
    return (ratio * canaryTrials) / (ratio * canaryTrials + baselineTrials);
}
/**
 * Log-likelihood ratio of one minute under the conditional-binomial model: given the minute's
 * total events E, the canary's share is Binomial(E, π(θ)). Undefined when the minute carries no
 * information (no events, or a group without requests).
 */
function conditionalLogRatio(minute, ratio, nullRatio) {
    const events = minute.canaryEvents + minute.baselineEvents;
    if (!(events > 0 && minute.canaryTrials > 0 && minute.baselineTrials > 0))
        return undefined;
    const nullShare = canaryShare(nullRatio, minute.canaryTrials, minute.baselineTrials);
    const share = canaryShare(ratio, minute.canaryTrials, minute.baselineTrials);
    return minute.canaryEvents * Math.log(share / nullShare) + minute.baselineEvents * (Math.log1p(-share) - Math.log1p(-nullShare));
}
/** Evidence against "canary rate ≤ nullRatio × baseline rate" (see `Evidence`). */
function conditionalEvidence(minutes, options) {
    const alternatives = (options.alternatives ?? exports.RATIO_ALTERNATIVES).map((k) => k * options.nullRatio);
    const dispersion = Math.max(1, options.dispersion);
    return accumulate(minutes, alternatives.length, (minute, k) => {
        const logRatio = conditionalLogRatio(minute, alternatives[k], options.nullRatio);
        return logRatio === undefined ? 0 : logBetFactor(logRatio, dispersion);
    });
}
/** Binomial log-likelihood ratio of rate `alternative` against `rate` for one minute. */
function referenceLogRatio(minute, alternative, rate) {
    return minute.events * Math.log(alternative / rate) + (minute.trials - minute.events) * (Math.log1p(-alternative) - Math.log1p(-rate));
}
const NO_EVIDENCE = { value: 1, withoutStrongestMinute: 1 };
/**
 * Evidence against "canary rate ≤ p₀" with no concurrent control: the post-traffic bake at 100%,
 * and the latency null "at most 5% slower than E" (see `Evidence`).
 */
function referenceEvidence(minutes, options) {
    const rate = options.rate;
    if (!(rate > 0 && rate < 1))
        return NO_EVIDENCE;
    const alternatives = (options.alternatives ?? exports.RATIO_ALTERNATIVES).map((k) => k * rate).filter((p) => p < 1);
    if (alternatives.length === 0)
        return NO_EVIDENCE;
    const dispersion = Math.max(1, options.dispersion);
    return accumulate(minutes, alternatives.length, (minute, k) => {
        if (!(minute.trials > 0))
            return 0;
        return logBetFactor(referenceLogRatio(minute, alternatives[k], rate), dispersion);
    });
}
/**
 * The equal-weight mixture of per-alternative products; `logFactor` gives log f of minute ×
 * alternative. Also the mixture with each minute left out in turn, keeping the smallest.
 */
function accumulate(minutes, alternatives, logFactor) {
    const logWealth = new Array(alternatives).fill(0);
    const factors = minutes.map((minute) => {
        const row = new Array(alternatives);
        for (let k = 0; k < alternatives; k++) {
            row[k] = logFactor(minute, k);
            logWealth[k] += row[k];
        }
        return row;
    });
    const value = Math.exp(logMeanExp(logWealth));
    let without = value;
    for (const row of factors) {
        const left = Math.exp(logMeanExp(logWealth.map((w, k) => w - row[k])));
        if (left < without)
            without = left;
    }
    return { value, withoutStrongestMinute: without };
}
