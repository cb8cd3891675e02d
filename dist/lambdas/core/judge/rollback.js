"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIN_CANARY_EVENTS = exports.TOLERATED_SLOW_SHARE = void 0;
exports.errorTest = errorTest;
exports.baselineSlowShare = baselineSlowShare;
exports.latencyTest = latencyTest;
exports.postErrorTest = postErrorTest;
exports.postLatencyTest = postLatencyTest;
/**
 * The judge's sequential rollback tests, run over the whole rollout: errors and slow requests
 * against the original in the same minutes (shared shocks and shared slowdowns cancel), and, in
 * the post-traffic bake, against the original's rates measured before. Each returns `fail`
 * (roll back), `hold` (rising: evidence ≥ √bar, let it decide) or `pass`.
 * The rules and their validity: docs/judge.md ("Rollback tests").
 */
const evidence_1 = require("./evidence");
const data_1 = require("./data");
const format_1 = require("./format");
const stats_1 = require("./stats");
/** The latency tolerance as a count: at most this share of canary requests slower than E (E = ratio × the original's p95). */
exports.TOLERATED_SLOW_SHARE = 0.05;
/** A rollback needs at least this many canary events in the rollout. */
exports.MIN_CANARY_EVENTS = 3;
/** The original's share above E is taken as at least this when forming the latency null (θ₀ = 5% / share). */
const MIN_BASELINE_SLOW_SHARE = 0.001;
const errorsOf = (b) => b.errors;
const slowOf = (b) => b.slowRequests;
/**
 * fail: evidence ≥ bar (Ville's bound holds on this alone), still ≥ √bar without its strongest
 * minute, and the effect at least the tolerance; hold (rising): ≥ √bar without its strongest
 * minute and the effect within two standard errors of the tolerance (it may still get there);
 * else pass.
 */
function status(e, bar, effectShown, effectNear, enoughEvents) {
    const spans = e.withoutStrongestMinute >= Math.sqrt(bar);
    if (e.value >= bar && spans && effectShown && enoughEvents)
        return 'fail';
    return spans && effectNear ? 'hold' : 'pass';
}
/** Error test: the canary's share of each minute's errors against θ = 1, every minute since the first shift. */
function errorTest(data, t) {
    const counts = (0, data_1.pairedErrorCounts)(data);
    const extra = (0, stats_1.relativeExtraVariance)(data.baseline.map((b) => ({ trials: b.requests, events: b.errors })));
    const dispersion = (0, stats_1.testDispersion)(counts, extra);
    const found = (0, evidence_1.conditionalEvidence)(counts, { nullRatio: 1, dispersion });
    const value = found.value;
    const c = data.pairedCanary;
    const b = data.pairedBaseline;
    const diff = (c.requests ? c.errors / c.requests : 0) - (b.requests ? b.errors / b.requests : 0);
    const bar = 1 / t.alphas.errors;
    const near = diff + 2 * Math.sqrt(dispersion) * standardError(c, b) >= t.maxErrorIncrease;
    const verdict = status(found, bar, diff >= t.maxErrorIncrease, near, c.errors >= exports.MIN_CANARY_EVENTS);
    const leftOut = data.paired.filter((p) => data.incidents.has(p.canary.start)).length;
    const observed = `canary 5xx ${(0, format_1.rateWithCounts)(c.errors, c.requests)} vs original ${(0, format_1.rateWithCounts)(b.errors, b.requests)} since the first shift, evidence ${(0, format_1.evidence)(value)}`
        + `${dispersion > 1 ? ` (noise-discounted ÷${dispersion.toFixed(1)})` : ''}${leftOut ? `; rates leave out ${leftOut} minute(s) of a service-wide error spike` : ''}`;
    const barText = `evidence ≥ ${(0, format_1.evidence)(bar)} (≥ ${(0, format_1.evidence)(Math.sqrt(bar))} without its strongest minute), ≥ ${(0, format_1.points)(t.maxErrorIncrease)} (the tolerance)`;
    const detail = verdict === 'fail'
        ? `canary 5xx ${(0, format_1.rateWithCounts)(c.errors, c.requests)} vs original ${(0, format_1.rateWithCounts)(b.errors, b.requests)}: worse by ${(0, format_1.points)(diff)}, beyond the ${(0, format_1.points)(t.maxErrorIncrease)} tolerated, evidence ${(0, format_1.evidence)(value)} ≥ ${(0, format_1.evidence)(bar)}.`
        : verdict === 'hold'
            ? `canary errors may be rising (${(0, format_1.points)(diff)}, evidence ${(0, format_1.evidence)(value)} of ${(0, format_1.evidence)(bar)}): holding until the test decides.`
            : value >= bar
                ? `canary errors are above the original's by ${(0, format_1.points)(diff)}, within the ${(0, format_1.points)(t.maxErrorIncrease)} tolerated.`
                : `no error increase found: evidence ${(0, format_1.evidence)(value)} of the ${(0, format_1.evidence)(bar)} needed to roll back.`;
    return { reason: { check: 'errors', status: verdict, observed, bar: barText, detail }, evidence: value, bar };
}
/** The original's share of requests slower than E over its minutes (history and rollout). */
function baselineSlowShare(data) {
    const measured = data.baseline.filter((b) => b.slowRequests !== undefined);
    const requests = measured.reduce((s, b) => s + b.requests, 0);
    return requests > 0 ? measured.reduce((s, b) => s + b.slowRequests, 0) / requests : undefined;
}
/**
 * Latency test: "at most 5% of canary requests slower than E", as the conditional test of the
 * canary's share of each minute's slow requests against θ₀ = 5% / (the original's share above E).
 */
function latencyTest(data, t) {
    if (t.slowThresholdMs === undefined)
        return undefined;
    const share = baselineSlowShare(data);
    const counts = (0, data_1.pairedCounts)(data, slowOf);
    if (share === undefined || counts.length === 0)
        return undefined;
    const nullRatio = exports.TOLERATED_SLOW_SHARE / Math.max(share, MIN_BASELINE_SLOW_SHARE);
    const extra = (0, stats_1.relativeExtraVariance)(data.baseline.filter((b) => b.slowRequests !== undefined).map((b) => ({ trials: b.requests, events: b.slowRequests })));
    const found = (0, evidence_1.conditionalEvidence)(counts, { nullRatio, dispersion: (0, stats_1.testDispersion)(counts, extra) });
    const value = found.value;
    const slow = sumCounts(counts);
    const canaryShare = slow.canaryTrials ? slow.canaryEvents / slow.canaryTrials : 0;
    const bar = 1 / t.alphas.latency;
    const near = canaryShare + 2 * Math.sqrt((canaryShare * (1 - canaryShare)) / Math.max(1, slow.canaryTrials)) > exports.TOLERATED_SLOW_SHARE;
    const verdict = status(found, bar, canaryShare > exports.TOLERATED_SLOW_SHARE, near, slow.canaryEvents >= exports.MIN_CANARY_EVENTS);
    const e = Math.round(t.slowThresholdMs);
    const observed = `slower than ${e} ms: canary ${(0, format_1.rateWithCounts)(slow.canaryEvents, slow.canaryTrials)} vs original ${(0, format_1.rateWithCounts)(slow.baselineEvents, slow.baselineTrials)}, evidence ${(0, format_1.evidence)(value)}`;
    const barText = `evidence ≥ ${(0, format_1.evidence)(bar)} that more than ${(0, format_1.percent)(exports.TOLERATED_SLOW_SHARE)} of canary requests are slower than ${e} ms (p95 > ${t.maxLatencyRatio}× the original's), ≥ ${(0, format_1.evidence)(Math.sqrt(bar))} without its strongest minute`;
    const detail = verdict === 'fail'
        ? `the canary's p95 is above ${t.maxLatencyRatio}× the original's: ${(0, format_1.percent)(canaryShare)} of its requests are slower than ${e} ms (tolerated ${(0, format_1.percent)(exports.TOLERATED_SLOW_SHARE)}), evidence ${(0, format_1.evidence)(value)} ≥ ${(0, format_1.evidence)(bar)}.`
        : verdict === 'hold'
            ? `the canary may be slower than tolerated (${(0, format_1.percent)(canaryShare)} slower than ${e} ms, evidence ${(0, format_1.evidence)(value)}): holding until the test decides.`
            : `no latency regression found: ${(0, format_1.percent)(canaryShare)} of canary requests slower than ${e} ms (tolerated ${(0, format_1.percent)(exports.TOLERATED_SLOW_SHARE)}).`;
    return { reason: { check: 'latency', status: verdict, observed, bar: barText, detail }, evidence: value, bar };
}
/** Post-traffic bake, errors: the canary at 100% against the original's rate before (history and stages). */
function postErrorTest(data, t) {
    const counts = (0, data_1.postTrafficCounts)(data, errorsOf);
    if (!data.postTraffic)
        return undefined;
    // No concurrent control at 100%: the original's shocks and incidents are part of the reference process.
    const before = data.baseline.filter((b) => b.start < data.stageStartedAt);
    const reference = (0, data_1.totals)(before);
    if (reference.requests === 0)
        return undefined;
    const rate = Math.max(reference.errors, 1) / reference.requests;
    const extra = (0, stats_1.relativeExtraVariance)(before.map((b) => ({ trials: b.requests, events: b.errors })), { keepSpikes: true });
    const dispersion = (0, stats_1.referenceDispersion)(counts, rate, extra, reference.requests);
    const found = { ...(0, evidence_1.referenceEvidence)(counts, { rate, dispersion }), dispersion };
    const value = found.value;
    const canary = counts.reduce((s, m) => ({ trials: s.trials + m.trials, events: s.events + m.events }), { trials: 0, events: 0 });
    const diff = (canary.trials ? canary.events / canary.trials : 0) - reference.errors / reference.requests;
    const bar = 1 / t.alphas.postErrors;
    const near = diff + 2 * Math.sqrt(found.dispersion) * standardError({ requests: canary.trials, errors: canary.events }, reference) >= t.maxErrorIncrease;
    const verdict = status(found, bar, diff >= t.maxErrorIncrease, near, canary.events >= exports.MIN_CANARY_EVENTS);
    const observed = `at 100%: canary 5xx ${(0, format_1.rateWithCounts)(canary.events, canary.trials)} vs the original's ${(0, format_1.rateWithCounts)(reference.errors, reference.requests)} before, evidence ${(0, format_1.evidence)(value)}`;
    const barText = `evidence ≥ ${(0, format_1.evidence)(bar)} (≥ ${(0, format_1.evidence)(Math.sqrt(bar))} without its strongest minute), ≥ ${(0, format_1.points)(t.maxErrorIncrease)}`;
    const detail = verdict === 'fail'
        ? `at 100% the new version fails ${(0, format_1.percent)(canary.trials ? canary.events / canary.trials : 0)} of requests, ${(0, format_1.points)(diff)} above the original's ${(0, format_1.percent)(reference.errors / reference.requests)} before the shift (evidence ${(0, format_1.evidence)(value)} ≥ ${(0, format_1.evidence)(bar)}).`
        : verdict === 'hold' ? `errors at 100% may be rising (${(0, format_1.points)(diff)}, evidence ${(0, format_1.evidence)(value)}): holding until the test decides.`
            : `no error increase at 100% against the original's rate before the shift.`;
    return { reason: { check: 'post-errors', status: verdict, observed, bar: barText, detail }, evidence: value, bar };
}
/** Post-traffic bake, latency: the canary's share slower than E against the tolerated 5%. */
function postLatencyTest(data, t) {
    if (!data.postTraffic || t.slowThresholdMs === undefined)
        return undefined;
    const counts = (0, data_1.postTrafficCounts)(data, slowOf);
    if (counts.length === 0)
        return undefined;
    const history = data.baseline.filter((b) => b.start < data.stageStartedAt && b.slowRequests !== undefined);
    const extra = (0, stats_1.relativeExtraVariance)(history.map((b) => ({ trials: b.requests, events: b.slowRequests })), { keepSpikes: true });
    const dispersion = (0, stats_1.referenceDispersion)(counts, exports.TOLERATED_SLOW_SHARE, extra, 0);
    const found = { ...(0, evidence_1.referenceEvidence)(counts, { rate: exports.TOLERATED_SLOW_SHARE, dispersion }), dispersion };
    const value = found.value;
    const canary = counts.reduce((s, m) => ({ trials: s.trials + m.trials, events: s.events + m.events }), { trials: 0, events: 0 });
    const share = canary.trials ? canary.events / canary.trials : 0;
    const bar = 1 / t.alphas.postLatency;
    const near = share + 2 * Math.sqrt(found.dispersion * (share * (1 - share)) / Math.max(1, canary.trials)) > exports.TOLERATED_SLOW_SHARE;
    const verdict = status(found, bar, share > exports.TOLERATED_SLOW_SHARE, near, canary.events >= exports.MIN_CANARY_EVENTS);
    const e = Math.round(t.slowThresholdMs);
    const observed = `at 100%: ${(0, format_1.rateWithCounts)(canary.events, canary.trials)} of canary requests slower than ${e} ms, evidence ${(0, format_1.evidence)(value)}`;
    const barText = `evidence ≥ ${(0, format_1.evidence)(bar)} that more than ${(0, format_1.percent)(exports.TOLERATED_SLOW_SHARE)} are slower than ${e} ms`;
    const detail = verdict === 'fail'
        ? `at 100% ${(0, format_1.percent)(share)} of requests are slower than ${e} ms (${t.maxLatencyRatio}× the original's p95; tolerated ${(0, format_1.percent)(exports.TOLERATED_SLOW_SHARE)}), evidence ${(0, format_1.evidence)(value)} ≥ ${(0, format_1.evidence)(bar)}.`
        : verdict === 'hold' ? `latency at 100% may be above tolerance (${(0, format_1.percent)(share)} slower than ${e} ms): holding until the test decides.`
            : `latency at 100% within tolerance (${(0, format_1.percent)(share)} slower than ${e} ms).`;
    return { reason: { check: 'post-latency', status: verdict, observed, bar: barText, detail }, evidence: value, bar };
}
/** Standard error of the difference of two observed rates. */
function standardError(a, b) {
    const v = (x) => {
        if (x.requests <= 0)
            return 0;
        const p = x.errors / x.requests;
        return (p * (1 - p)) / x.requests;
    };
    return Math.sqrt(v(a) + v(b));
}
function sumCounts(counts) {
    return counts.reduce((s, m) => ({
        canaryTrials: s.canaryTrials + m.canaryTrials, canaryEvents: s.canaryEvents + m.canaryEvents,
        baselineTrials: s.baselineTrials + m.baselineTrials, baselineEvents: s.baselineEvents + m.baselineEvents,
    }), { canaryTrials: 0, canaryEvents: 0, baselineTrials: 0, baselineEvents: 0 });
}
