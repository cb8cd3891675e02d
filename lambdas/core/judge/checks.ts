/**
 * The judge's other checks: the catastrophe rule and the policy's absolute bars (rollback), target
 * health, and the conditions of a promotion (bake in data-minutes, traffic, `minRequests` before
 * the final shift). Each returns one reason: `fail` rolls back, `hold` blocks a promotion.
 */
import { inWarmUp, MINUTE_MS, type RolloutData, totals } from './data';
import { referenceEvidence } from './evidence';
import { duration, evidence, percent, rateWithCounts } from './format';
import { persistenceAt100, type Thresholds, TRANSIENT_MINUTES } from './rollback';
import { referenceDispersion, relativeExtraVariance } from './stats';
import type { JudgeInput, MinuteBucket, Reason } from './types';

/** Catastrophe: this many canary errors in a minute … */
export const CATASTROPHE_ERRORS = 10;
/** … at this error rate or more … */
export const CATASTROPHE_RATE = 0.2;
/** … in this many of the last CATASTROPHE_WINDOW canary minutes (no single minute decides: one client's burst is one minute). */
export const CATASTROPHE_MINUTES = 2;
export const CATASTROPHE_WINDOW = 5;
/** A catastrophe minute is the canary's own: the original's rate must be below 1/2 of the canary's and of the catastrophe rate. */
export const SHARED_SHOCK_RATIO = 2;
/** The p95 bar counts a minute only with this many canary requests. */
export const P95_MIN_REQUESTS = 200;
/** Unhealthy canary targets are tolerated this long after the shift … */
export const HEALTH_GRACE_MS = 2 * MINUTE_MS;
/** … and after that roll back once seen this many consecutive minutes. */
export const UNHEALTHY_MINUTES = 2;

/**
 * The canary failing outright: in 2 of its last 5 minutes ≥ 10 errors at ≥ 20% — and at more than
 * twice the worst minute the original had in its history (at 100% there is no concurrent control
 * to tell a service-wide shock from the canary's own failure), and not in a minute where the
 * original itself spiked.
 */
export function catastropheCheck(data: RolloutData): Reason {
  const original = new Map(data.paired.map(({ baseline }) => [baseline.start, baseline.errors / baseline.requests]));
  // The original's worst minute in its history and while it served during the rollout: at 100%
  // (no concurrent control) a shared shock seen in the stages still counts as the service's own.
  const worstOriginal = data.baseline
    .filter((b) => b.requests >= CATASTROPHE_ERRORS)
    .reduce((max, b) => Math.max(max, b.errors / b.requests), 0);
  const catastropheRate = Math.max(CATASTROPHE_RATE, SHARED_SHOCK_RATIO * worstOriginal);
  const own = (b: MinuteBucket) => {
    if (!(b.errors >= CATASTROPHE_ERRORS && b.errors >= catastropheRate * b.requests) || data.incidents.has(b.start)) return false;
    const rate = original.get(b.start) ?? 0;
    return rate * SHARED_SHOCK_RATIO < b.errors / b.requests && rate * SHARED_SHOCK_RATIO < CATASTROPHE_RATE;
  };
  const recent = data.canary.slice(-CATASTROPHE_WINDOW);
  const bad = recent.filter(own);
  const bar = `< ${CATASTROPHE_ERRORS} errors or < ${percent(catastropheRate)} in all but one of the last ${CATASTROPHE_WINDOW} minutes`;
  const at = (b: MinuteBucket) => new Date(b.start).toISOString().slice(11, 16);
  if (bad.length >= CATASTROPHE_MINUTES && data.postTraffic) {
    // No concurrent control at 100%: a failure counts from the shift on, or once it outlasts a transient episode.
    const stage = data.stage.filter((b) => b.requests > 0);
    let run = 0;
    for (let i = stage.length - 1; i >= 0 && own(stage[i]); i--) run++;
    const fromShift = stage.length >= CATASTROPHE_MINUTES && run === stage.length;
    if (!fromShift && run <= TRANSIENT_MINUTES) {
      const list = bad.map((b) => `${rateWithCounts(b.errors, b.requests)} at ${at(b)}`).join(', ');
      return run > 0
        ? {
            check: 'catastrophe',
            status: 'hold',
            observed: list,
            bar,
            detail: `at 100% the canary has failed outright for ${run} minute(s) since ${at(stage[stage.length - run])} UTC, not from the shift: holding to see whether the episode ends (a downstream incident would) or lasts more than ${TRANSIENT_MINUTES} minutes.`,
          }
        : {
            check: 'catastrophe',
            status: 'pass',
            observed: list,
            bar,
            detail: `an episode of outright failures at 100% (${list} UTC) ended within ${TRANSIENT_MINUTES} minutes: reported, not rolled back.`,
          };
    }
  }
  if (bad.length >= CATASTROPHE_MINUTES) {
    const list = bad.map((b) => `${rateWithCounts(b.errors, b.requests)} at ${at(b)}`).join(', ');
    return {
      check: 'catastrophe',
      status: 'fail',
      observed: list,
      bar,
      detail: `the canary failed outright in ${bad.length} of its last ${recent.length} minutes (${list} UTC); that alone is a rollback.`,
    };
  }
  const peak = recent.reduce((max, b) => Math.max(max, b.errors), 0);
  return {
    check: 'catastrophe',
    status: 'pass',
    observed: `at most ${peak} canary errors in a recent minute`,
    bar,
    detail: 'no sustained burst of canary failures.',
  };
}

/**
 * The configured maximum error rate as a sequential test: evidence that the canary's rate in this
 * stage is above `maxErrorRate` (the original's noise as the discount), outside service-wide
 * incidents, spanning two minutes, on at least `minRequests` requests.
 */
export function errorRateBarCheck(data: RolloutData, t: Thresholds): Reason {
  // What the original does, over its history and the rollout (service-wide spikes left out): a bar
  // it breaks itself cannot tell the versions apart, so it rolls back nothing (the relative tests decide).
  const original = totals(data.baseline.filter((b) => !data.incidents.has(b.start)));
  const ownRate = original.requests ? original.errors / original.requests : 0;
  if (original.requests > 0 && ownRate >= t.maxErrorRate) {
    return {
      check: 'error-rate-bar',
      status: 'pass',
      observed: `the original's own 5xx rate ${rateWithCounts(original.errors, original.requests)} (history and rollout)`,
      bar: `≤ ${percent(t.maxErrorRate)}`,
      detail: `the original itself fails ${percent(ownRate)} of requests, at or above the ${percent(t.maxErrorRate)} bar: the bar cannot roll back what the original does too, so the relative error tests decide (set maxErrorRatePercent above the service's own rate).`,
    };
  }
  const originalRate = new Map(data.baseline.map((b) => [b.start, b.errors / b.requests]));
  const counted = data.stage.filter(
    (b) => b.requests > 0 && !data.incidents.has(b.start) && !((originalRate.get(b.start) ?? 0) > t.maxErrorRate),
  );
  const counts = counted.map((b) => ({ trials: b.requests, events: b.errors }));
  const requests = counts.reduce((s, m) => s + m.trials, 0);
  const errors = counts.reduce((s, m) => s + m.events, 0);
  const rate = requests ? errors / requests : 0;
  const history = data.baseline.filter((b) => b.start < data.rolloutStartedAt);
  const extra = relativeExtraVariance(
    history.map((b) => ({ trials: b.requests, events: b.errors })),
    { keepSpikes: true },
  );
  const found = referenceEvidence(counts, {
    rate: t.maxErrorRate,
    dispersion: referenceDispersion(counts, t.maxErrorRate, extra, 0),
    episodeMinutes: TRANSIENT_MINUTES,
  });
  const bar = 1 / t.alphas.errorBar;
  const observed = `canary 5xx ${rateWithCounts(errors, requests)} in this stage, evidence ${evidence(found.value)} that it is above ${percent(t.maxErrorRate)}`;
  const barText = `evidence ≥ ${evidence(bar)} (≥ ${evidence(Math.sqrt(bar))} without its strongest minute) on ≥ ${t.minRequests} requests`;
  // At 100% (no concurrent original) only an excess from the shift on, or a lasting one, counts.
  const persistence = data.postTraffic ? persistenceAt100(counts, found, bar, (m) => m.events / m.trials > t.maxErrorRate) : 'persistent';
  if (persistence === 'ended' || persistence === 'in-progress') {
    const holding = persistence === 'in-progress' && found.value >= Math.sqrt(bar);
    return {
      check: 'error-rate-bar',
      status: holding ? 'hold' : 'pass',
      observed,
      bar: barText,
      detail: holding
        ? `at 100% the canary's error rate is above ${percent(t.maxErrorRate)} since after the shift, not from it: holding to see whether the episode ends or lasts more than ${TRANSIENT_MINUTES} minutes.`
        : `canary error rate not shown above the configured maximum ${percent(t.maxErrorRate)} for longer than a transient episode${found.value >= Math.sqrt(bar) ? ' (an episode that ended is reported, not rolled back)' : ''}.`,
    };
  }
  const spans = found.withoutStrongestMinute >= Math.sqrt(bar);
  if (found.value >= bar && spans && requests >= t.minRequests && rate > t.maxErrorRate) {
    return {
      check: 'error-rate-bar',
      status: 'fail',
      observed,
      bar: barText,
      detail: `canary error rate ${percent(rate)} is above the configured maximum ${percent(t.maxErrorRate)} over ${requests} requests (evidence ${evidence(found.value)}).`,
    };
  }
  if (spans && rate > t.maxErrorRate) {
    return {
      check: 'error-rate-bar',
      status: 'hold',
      observed,
      bar: barText,
      detail: `canary error rate ${percent(rate)} may be above the configured maximum ${percent(t.maxErrorRate)}: holding until the test decides.`,
    };
  }
  return {
    check: 'error-rate-bar',
    status: 'pass',
    observed,
    bar: barText,
    detail: `canary error rate not shown above the configured maximum ${percent(t.maxErrorRate)}.`,
  };
}

export function p95BarCheck(data: RolloutData, t: Thresholds): Reason {
  // A bar the original breaks itself rolls back nothing: its p95 over its history (the
  // request-weighted median minute), and, while it serves, its concurrent minute.
  const history = data.baseline
    .filter((b) => b.start < data.rolloutStartedAt && b.p95Ms !== undefined)
    .sort((a, b) => (a.p95Ms as number) - (b.p95Ms as number));
  const half = history.reduce((s, b) => s + b.requests, 0) / 2;
  let seen = 0;
  const ownP95 = history.find((b) => (seen += b.requests) >= half)?.p95Ms;
  if (ownP95 !== undefined && ownP95 >= t.maxP95Ms) {
    return {
      check: 'p95-bar',
      status: 'pass',
      observed: `the original's own p95 ${Math.round(ownP95)} ms over its history`,
      bar: `≤ ${t.maxP95Ms} ms`,
      detail: `the original's own p95 is ${Math.round(ownP95)} ms, at or above the ${t.maxP95Ms} ms bar: the bar cannot roll back what the original does too, so the latency test decides (set maxP95Ms above the service's p95).`,
    };
  }
  const originalP95 = new Map(data.baseline.map((b) => [b.start, b.p95Ms]));
  const recent = data.stage.slice(-4).filter((b) => !((originalP95.get(b.start) ?? 0) > t.maxP95Ms));
  // The latency warm-up after the first shift is left out (docs/judge.md, "Warm-up").
  const counted = recent.filter(
    (b) => b.p95Ms !== undefined && b.requests >= P95_MIN_REQUESTS && !inWarmUp(data.rolloutStartedAt, b.start),
  );
  const over = counted.filter((b) => (b.p95Ms as number) > t.maxP95Ms);
  const list = recent.map((b) => (b.p95Ms === undefined ? '–' : `${Math.round(b.p95Ms)}`)).join(', ');
  const observed = recent.length ? `canary p95 of the last ${recent.length} minutes: ${list} ms` : 'no canary minutes at this weight yet';
  const bar = `≤ ${t.maxP95Ms} ms (rollback if above in 3 of the last 4 minutes with ≥ ${P95_MIN_REQUESTS} requests each)`;
  if (over.length >= 3) {
    return {
      check: 'p95-bar',
      status: 'fail',
      observed,
      bar,
      detail: `canary p95 was above ${t.maxP95Ms} ms in ${over.length} of the last ${recent.length} minutes.`,
    };
  }
  if (over.length > 0) {
    return {
      check: 'p95-bar',
      status: 'hold',
      observed,
      bar,
      detail: `canary p95 was above ${t.maxP95Ms} ms in ${over.length} recent minute(s); waiting to see whether it persists.`,
    };
  }
  return { check: 'p95-bar', status: 'pass', observed, bar, detail: `canary p95 within ${t.maxP95Ms} ms.` };
}

export function healthCheck(input: JudgeInput, data: RolloutData): Reason {
  const live = input.canaryTargets;
  const bar = `a healthy target while weighted; no target unhealthy ${UNHEALTHY_MINUTES} minutes after a ${duration(HEALTH_GRACE_MS)} grace`;
  const liveText = live ? `live: ${live.healthy} healthy, ${live.unhealthy} unhealthy` : 'live health unknown';
  const sick = (b: MinuteBucket) => (b.unhealthyHosts ?? 0) > 0 || b.healthyHosts === 0;
  let run = 0;
  let longest = 0;
  for (const bucket of data.stage.filter((b) => b.start >= input.stage.startedAt + HEALTH_GRACE_MS)) {
    run = sick(bucket) ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const observed = `${liveText}; longest unhealthy streak after grace ${longest} min`;
  if (live && live.healthy === 0 && input.stage.weight > 0) {
    return {
      check: 'health',
      status: 'fail',
      observed,
      bar,
      detail: `no healthy canary target while it receives ${input.stage.weight}% of traffic.`,
    };
  }
  if (longest >= UNHEALTHY_MINUTES) {
    return {
      check: 'health',
      status: 'fail',
      observed,
      bar,
      detail: `canary targets were unhealthy for ${longest} consecutive minutes after the ${duration(HEALTH_GRACE_MS)} grace.`,
    };
  }
  const newest = data.stage[data.stage.length - 1];
  if ((live && live.unhealthy > 0) || (newest && sick(newest))) {
    return {
      check: 'health',
      status: 'hold',
      observed,
      bar,
      detail: 'a canary target is unhealthy right now; waiting to see whether it recovers.',
    };
  }
  return { check: 'health', status: 'pass', observed, bar, detail: 'canary targets healthy.' };
}

/** Bake minutes of the stage (its minBakeMs in whole minutes). */
export const bakeMinutes = (input: JudgeInput) => Math.ceil(input.stage.minBakeMs / MINUTE_MS);

/** The bake counts complete data-minutes at the stage's weight, not wall time (CloudWatch is 1–3 minutes late). */
export function bakeCheck(input: JudgeInput, data: RolloutData): Reason {
  const needed = bakeMinutes(input);
  const have = data.stage.length;
  const observed = `${have} complete data-minute(s) at ${input.stage.weight}% (${duration(input.now - input.stage.startedAt)} since the shift)`;
  const bar = `≥ ${needed} data-minutes`;
  return have >= needed
    ? { check: 'bake', status: 'pass', observed, bar, detail: 'the bake is over.' }
    : { check: 'bake', status: 'hold', observed, bar, detail: `baking: ${needed - have} data-minute(s) left.` };
}

/** A stage must have served at least one canary request per bake minute. */
export function trafficCheck(input: JudgeInput, data: RolloutData): Reason {
  const needed = bakeMinutes(input);
  const served = data.stage.reduce((s, b) => s + b.requests, 0);
  const observed = `${served} canary requests at ${input.stage.weight}%`;
  const bar = `≥ ${needed} (one per bake minute)`;
  return served >= needed
    ? { check: 'traffic', status: 'pass', observed, bar, detail: 'the stage served traffic.' }
    : {
        check: 'traffic',
        status: 'hold',
        observed,
        bar,
        // Right after a shift no minute at the new weight is published yet: say that, not "no traffic".
        detail:
          data.stage.length === 0
            ? `no data-minute at ${input.stage.weight}% published yet (CloudWatch is 1–3 minutes late).`
            : `the stage has served ${served} canary requests, fewer than one per bake minute.`,
      };
}

/** Before the final shift the rollout must have served `minRequests` canary requests. */
export function minRequestsCheck(input: JudgeInput, data: RolloutData, t: Thresholds): Reason {
  const observed = `${data.rolloutRequests} canary requests since the first shift`;
  const bar = `≥ ${t.minRequests} before the shift to 100%`;
  if (!input.stage.final) return { check: 'min-requests', status: 'pass', observed, bar, detail: 'not the final shift yet.' };
  return data.rolloutRequests >= t.minRequests
    ? { check: 'min-requests', status: 'pass', observed, bar, detail: 'the rollout has served enough requests for the final shift.' }
    : {
        check: 'min-requests',
        status: 'hold',
        observed,
        bar,
        detail: `the rollout has served ${data.rolloutRequests} of the ${t.minRequests} canary requests needed before 100%.`,
      };
}
