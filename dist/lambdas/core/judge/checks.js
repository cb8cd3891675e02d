"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.bakeMinutes = exports.UNHEALTHY_MINUTES = exports.HEALTH_GRACE_MS = exports.P95_MIN_REQUESTS = exports.SHARED_SHOCK_RATIO = exports.CATASTROPHE_WINDOW = exports.CATASTROPHE_MINUTES = exports.CATASTROPHE_RATE = exports.CATASTROPHE_ERRORS = void 0;
exports.catastropheCheck = catastropheCheck;
exports.errorRateBarCheck = errorRateBarCheck;
exports.p95BarCheck = p95BarCheck;
exports.healthCheck = healthCheck;
exports.bakeCheck = bakeCheck;
exports.trafficCheck = trafficCheck;
exports.minRequestsCheck = minRequestsCheck;
/**
 * The judge's other checks: the catastrophe rule and the policy's absolute bars (rollback), target
 * health, and the conditions of a promotion (bake in data-minutes, traffic, `minRequests` before
 * the final shift). Each returns one reason: `fail` rolls back, `hold` blocks a promotion.
 */
const format_1 = require("./format");
const evidence_1 = require("./evidence");
const stats_1 = require("./stats");
const data_1 = require("./data");
/** Catastrophe: this many canary errors in a minute … */
exports.CATASTROPHE_ERRORS = 10;
/** … at this error rate or more … */
exports.CATASTROPHE_RATE = 0.2;
/** … in this many of the last CATASTROPHE_WINDOW canary minutes (no single minute decides: one client's burst is one minute). */
exports.CATASTROPHE_MINUTES = 2;
exports.CATASTROPHE_WINDOW = 5;
/** A catastrophe minute is the canary's own: the original's rate must be below 1/2 of the canary's and of the catastrophe rate. */
exports.SHARED_SHOCK_RATIO = 2;
/** The p95 bar counts a minute only with this many canary requests. */
exports.P95_MIN_REQUESTS = 200;
/** Unhealthy canary targets are tolerated this long after the shift … */
exports.HEALTH_GRACE_MS = 2 * data_1.MINUTE_MS;
/** … and after that roll back once seen this many consecutive minutes. */
exports.UNHEALTHY_MINUTES = 2;
/**
 * The canary failing outright: in 2 of its last 5 minutes ≥ 10 errors at ≥ 20% — and at more than
 * twice the worst minute the original had in its history (at 100% there is no concurrent control
 * to tell a service-wide shock from the canary's own failure), and not in a minute where the
 * original itself spiked.
 */
function catastropheCheck(data) {
    const original = new Map(data.paired.map(({ baseline }) => [baseline.start, baseline.errors / baseline.requests]));
    // The original's worst minute in its history and while it served during the rollout: at 100%
    // (no concurrent control) a shared shock seen in the stages still counts as the service's own.
    const worstOriginal = data.baseline.filter((b) => b.requests >= exports.CATASTROPHE_ERRORS)
        .reduce((max, b) => Math.max(max, b.errors / b.requests), 0);
    const catastropheRate = Math.max(exports.CATASTROPHE_RATE, exports.SHARED_SHOCK_RATIO * worstOriginal);
    const own = (b) => {
        if (!(b.errors >= exports.CATASTROPHE_ERRORS && b.errors >= catastropheRate * b.requests) || data.incidents.has(b.start))
            return false;
        const rate = original.get(b.start) ?? 0;
        return rate * exports.SHARED_SHOCK_RATIO < b.errors / b.requests && rate * exports.SHARED_SHOCK_RATIO < exports.CATASTROPHE_RATE;
    };
    const recent = data.canary.slice(-exports.CATASTROPHE_WINDOW);
    const bad = recent.filter(own);
    const bar = `< ${exports.CATASTROPHE_ERRORS} errors or < ${(0, format_1.percent)(catastropheRate)} in all but one of the last ${exports.CATASTROPHE_WINDOW} minutes`;
    const at = (b) => new Date(b.start).toISOString().slice(11, 16);
    if (bad.length >= exports.CATASTROPHE_MINUTES) {
        const list = bad.map((b) => `${(0, format_1.rateWithCounts)(b.errors, b.requests)} at ${at(b)}`).join(', ');
        return { check: 'catastrophe', status: 'fail', observed: list, bar,
            detail: `the canary failed outright in ${bad.length} of its last ${recent.length} minutes (${list} UTC); that alone is a rollback.` };
    }
    const peak = recent.reduce((max, b) => Math.max(max, b.errors), 0);
    return { check: 'catastrophe', status: 'pass', observed: `at most ${peak} canary errors in a recent minute`, bar, detail: 'no sustained burst of canary failures.' };
}
/**
 * The configured maximum error rate as a sequential test: evidence that the canary's rate in this
 * stage is above `maxErrorRate` (the original's noise as the discount), outside service-wide
 * incidents, spanning two minutes, on at least `minRequests` requests.
 */
function errorRateBarCheck(data, t) {
    const originalRate = new Map(data.baseline.map((b) => [b.start, b.errors / b.requests]));
    const counted = data.stage.filter((b) => b.requests > 0 && !data.incidents.has(b.start) && !((originalRate.get(b.start) ?? 0) > t.maxErrorRate));
    const counts = counted.map((b) => ({ trials: b.requests, events: b.errors }));
    const requests = counts.reduce((s, m) => s + m.trials, 0);
    const errors = counts.reduce((s, m) => s + m.events, 0);
    const rate = requests ? errors / requests : 0;
    const history = data.baseline.filter((b) => b.start < data.rolloutStartedAt);
    const extra = (0, stats_1.relativeExtraVariance)(history.map((b) => ({ trials: b.requests, events: b.errors })), { keepSpikes: true });
    const found = (0, evidence_1.referenceEvidence)(counts, { rate: t.maxErrorRate, dispersion: (0, stats_1.referenceDispersion)(counts, t.maxErrorRate, extra, 0) });
    const bar = 1 / t.alphas.errorBar;
    const observed = `canary 5xx ${(0, format_1.rateWithCounts)(errors, requests)} in this stage, evidence ${(0, format_1.evidence)(found.value)} that it is above ${(0, format_1.percent)(t.maxErrorRate)}`;
    const barText = `evidence ≥ ${(0, format_1.evidence)(bar)} (≥ ${(0, format_1.evidence)(Math.sqrt(bar))} without its strongest minute) on ≥ ${t.minRequests} requests`;
    const spans = found.withoutStrongestMinute >= Math.sqrt(bar);
    if (found.value >= bar && spans && requests >= t.minRequests && rate > t.maxErrorRate) {
        return { check: 'error-rate-bar', status: 'fail', observed, bar: barText, detail: `canary error rate ${(0, format_1.percent)(rate)} is above the configured maximum ${(0, format_1.percent)(t.maxErrorRate)} over ${requests} requests (evidence ${(0, format_1.evidence)(found.value)}).` };
    }
    if (spans && rate > t.maxErrorRate) {
        return { check: 'error-rate-bar', status: 'hold', observed, bar: barText, detail: `canary error rate ${(0, format_1.percent)(rate)} may be above the configured maximum ${(0, format_1.percent)(t.maxErrorRate)}: holding until the test decides.` };
    }
    return { check: 'error-rate-bar', status: 'pass', observed, bar: barText, detail: `canary error rate not shown above the configured maximum ${(0, format_1.percent)(t.maxErrorRate)}.` };
}
function p95BarCheck(data, t) {
    const recent = data.stage.slice(-4);
    const counted = recent.filter((b) => b.p95Ms !== undefined && b.requests >= exports.P95_MIN_REQUESTS);
    const over = counted.filter((b) => b.p95Ms > t.maxP95Ms);
    const list = recent.map((b) => (b.p95Ms === undefined ? '–' : `${Math.round(b.p95Ms)}`)).join(', ');
    const observed = recent.length ? `canary p95 of the last ${recent.length} minutes: ${list} ms` : 'no canary minutes at this weight yet';
    const bar = `≤ ${t.maxP95Ms} ms (rollback if above in 3 of the last 4 minutes with ≥ ${exports.P95_MIN_REQUESTS} requests each)`;
    if (over.length >= 3) {
        return { check: 'p95-bar', status: 'fail', observed, bar, detail: `canary p95 was above ${t.maxP95Ms} ms in ${over.length} of the last ${recent.length} minutes.` };
    }
    if (over.length > 0) {
        return { check: 'p95-bar', status: 'hold', observed, bar, detail: `canary p95 was above ${t.maxP95Ms} ms in ${over.length} recent minute(s); waiting to see whether it persists.` };
    }
    return { check: 'p95-bar', status: 'pass', observed, bar, detail: `canary p95 within ${t.maxP95Ms} ms.` };
}
function healthCheck(input, data) {
    const live = input.canaryTargets;
    const bar = `a healthy target while weighted; no target unhealthy ${exports.UNHEALTHY_MINUTES} minutes after a ${(0, format_1.duration)(exports.HEALTH_GRACE_MS)} grace`;
    const liveText = live ? `live: ${live.healthy} healthy, ${live.unhealthy} unhealthy` : 'live health unknown';
    const sick = (b) => (b.unhealthyHosts ?? 0) > 0 || b.healthyHosts === 0;
    let run = 0;
    let longest = 0;
    for (const bucket of data.stage.filter((b) => b.start >= input.stage.startedAt + exports.HEALTH_GRACE_MS)) {
        run = sick(bucket) ? run + 1 : 0;
        longest = Math.max(longest, run);
    }
    const observed = `${liveText}; longest unhealthy streak after grace ${longest} min`;
    if (live && live.healthy === 0 && input.stage.weight > 0) {
        return { check: 'health', status: 'fail', observed, bar, detail: `no healthy canary target while it receives ${input.stage.weight}% of traffic.` };
    }
    if (longest >= exports.UNHEALTHY_MINUTES) {
        return { check: 'health', status: 'fail', observed, bar, detail: `canary targets were unhealthy for ${longest} consecutive minutes after the ${(0, format_1.duration)(exports.HEALTH_GRACE_MS)} grace.` };
    }
    const newest = data.stage[data.stage.length - 1];
    if ((live && live.unhealthy > 0) || (newest && sick(newest))) {
        return { check: 'health', status: 'hold', observed, bar, detail: 'a canary target is unhealthy right now; waiting to see whether it recovers.' };
    }
    return { check: 'health', status: 'pass', observed, bar, detail: 'canary targets healthy.' };
}
/** Bake minutes of the stage (its minBakeMs in whole minutes). */
const bakeMinutes = (input) => Math.ceil(input.stage.minBakeMs / data_1.MINUTE_MS);
exports.bakeMinutes = bakeMinutes;
/** The bake counts complete data-minutes at the stage's weight, not wall time (CloudWatch is 1–3 minutes late). */
function bakeCheck(input, data) {
    const needed = (0, exports.bakeMinutes)(input);
    const have = data.stage.length;
    const observed = `${have} complete data-minute(s) at ${input.stage.weight}% (${(0, format_1.duration)(input.now - input.stage.startedAt)} since the shift)`;
    const bar = `≥ ${needed} data-minutes`;
    return have >= needed
        ? { check: 'bake', status: 'pass', observed, bar, detail: 'the bake is over.' }
        : { check: 'bake', status: 'hold', observed, bar, detail: `baking: ${needed - have} data-minute(s) left.` };
}
/** A stage must have served at least one canary request per bake minute. */
function trafficCheck(input, data) {
    const needed = (0, exports.bakeMinutes)(input);
    const served = data.stage.reduce((s, b) => s + b.requests, 0);
    const observed = `${served} canary requests at ${input.stage.weight}%`;
    const bar = `≥ ${needed} (one per bake minute)`;
    return served >= needed
        ? { check: 'traffic', status: 'pass', observed, bar, detail: 'the stage served traffic.' }
        : {
            check: 'traffic', status: 'hold', observed, bar,
            // Right after a shift no minute at the new weight is published yet: say that, not "no traffic".
            detail: data.stage.length === 0
                ? `no data-minute at ${input.stage.weight}% published yet (CloudWatch is 1–3 minutes late).`
                : `the stage has served ${served} canary requests, fewer than one per bake minute.`,
        };
}
/** Before the final shift the rollout must have served `minRequests` canary requests. */
function minRequestsCheck(input, data, t) {
    const observed = `${data.rolloutRequests} canary requests since the first shift`;
    const bar = `≥ ${t.minRequests} before the shift to 100%`;
    if (!input.stage.final)
        return { check: 'min-requests', status: 'pass', observed, bar, detail: 'not the final shift yet.' };
    return data.rolloutRequests >= t.minRequests
        ? { check: 'min-requests', status: 'pass', observed, bar, detail: 'the rollout has served enough requests for the final shift.' }
        : { check: 'min-requests', status: 'hold', observed, bar, detail: `the rollout has served ${data.rolloutRequests} of the ${t.minRequests} canary requests needed before 100%.` };
}
