/**
 * The judge's sequential rollback tests, run over the whole rollout: errors and slow requests
 * against the original in the same minutes (shared shocks and shared slowdowns cancel), and, in
 * the post-traffic bake, against the original's rates measured before. Each returns `fail`
 * (roll back), `hold` (rising: evidence ≥ √bar, let it decide) or `pass`.
 * The rules and their validity: docs/judge.md ("Rollback tests").
 */
import { pairedErrorCounts, pairedIncidents, pairedSlowCounts, postTrafficCounts, type RolloutData, sumCounts, totals } from './data';
import {
  conditionalEvidence,
  type Evidence,
  PAIRED_BET_FRACTIONS,
  type PairedCounts,
  referenceEvidence,
  type SingleCounts,
} from './evidence';
import { evidence, percent, points, rateWithCounts } from './format';
import { referenceDispersion, relativeExtraVariance, spikeShareBound, splitDispersions } from './stats';
import type { MinuteBucket, Reason } from './types';
import { watched, withoutLargestExcess } from './watch';

/** The latency tolerance as a count: at most this share of canary requests slower than E (E = ratio × the original's p95). */
export const TOLERATED_SLOW_SHARE = 0.05;
/** A rollback needs at least this many canary events in the rollout. */
export const MIN_CANARY_EVENTS = 3;
/** The original's share above E is taken as at least this when forming the latency null (θ₀ = 5% / share). */
const MIN_BASELINE_SLOW_SHARE = 0.001;
/**
 * At 100% (no concurrent control) an excess of at most this many consecutive minutes is a
 * transient episode — a downstream incident both versions would share: it is reported, not rolled
 * back, unless it started at the shift.
 */
export const TRANSIENT_MINUTES = 5;

/**
 * The largest factor one client's burst may add to a paired test: √(bar/2), so that two bursts
 * (two capped minutes) reach at most half the bar; minutes whose evidence outlasts a burst are not capped.
 */
export const burstCeiling = (bar: number) => Math.sqrt(bar / 2);

export interface TestAlphas {
  readonly errors: number;
  readonly errorBar: number;
  readonly latency: number;
  readonly postErrors: number;
  readonly postLatency: number;
}

export interface Thresholds {
  readonly alphas: TestAlphas;
  readonly maxErrorRate: number;
  readonly maxP95Ms: number;
  readonly minRequests: number;
  readonly maxErrorIncrease: number;
  readonly maxLatencyRatio: number;
  readonly slowThresholdMs?: number;
}

/** A test's reading: the reason on-call sees, its evidence and bar. */
export interface TestReading {
  readonly reason: Reason;
  readonly evidence: number;
  readonly bar: number;
  /** A passing paired test worth watching before the shift to 100% (`watched`); its evidence without its strongest minute. */
  readonly watch?: { readonly withoutStrongestMinute: number };
}

const errorsOf = (b: MinuteBucket) => b.errors;
const slowOf = (b: MinuteBucket) => b.slowRequests;

/**
 * fail: evidence ≥ bar (Ville's bound holds on this alone), still ≥ √bar without its strongest
 * minute, and the effect at least the tolerance; hold (rising): ≥ √bar without its strongest
 * minute and the effect within two standard errors of the tolerance (it may still get there);
 * else pass.
 */
export function status(e: Evidence, bar: number, effectShown: boolean, effectNear: boolean, enoughEvents: boolean): Reason['status'] {
  const spans = e.withoutStrongestMinute >= Math.sqrt(bar);
  if (e.value >= bar && spans && effectShown && enoughEvents) return 'fail';
  return spans && effectNear ? 'hold' : 'pass';
}

/** How an excess at 100% stands: from the shift on, persistent, in progress (the newest minute), or an episode that ended. */
export type Persistence = 'from-shift' | 'persistent' | 'in-progress' | 'ended';

/**
 * At 100% a rollback needs the excess to start at the shift (every post-traffic data-minute, at
 * least two, above the reference) or to persist: the evidence without its strongest run of
 * TRANSIENT_MINUTES minutes still ≥ √bar, and the newest minute still above. These conditions only
 * remove rollbacks, so the α bound stands.
 */
export function persistenceAt100(
  counts: readonly SingleCounts[],
  e: Evidence,
  bar: number,
  above: (m: SingleCounts) => boolean,
): Persistence {
  const used = counts.filter((m) => m.trials > 0);
  const newest = used[used.length - 1];
  if (used.length >= 2 && used.every(above)) return 'from-shift';
  if (newest && above(newest)) return (e.withoutStrongestEpisode ?? e.value) >= Math.sqrt(bar) ? 'persistent' : 'in-progress';
  return 'ended';
}

/**
 * The status of a test at 100%: a fail or a rise counts only when the excess is from the shift or
 * persistent; an episode in progress holds the bake (wait for it to end); one that ended passes.
 */
function statusAt100(raw: Reason['status'], persistence: Persistence): Reason['status'] {
  if (raw === 'pass') return 'pass';
  if (persistence === 'from-shift' || persistence === 'persistent') return raw;
  return persistence === 'in-progress' ? 'hold' : 'pass';
}

/** Whether the test's strongest run of TRANSIENT_MINUTES minutes alone carried ≥ √bar of evidence (an episode worth reporting). */
const episodeSeen = (e: Evidence, bar: number) => e.value >= Math.sqrt(bar) * (e.withoutStrongestEpisode ?? e.value);

const EPISODE_NOTE = (p: Persistence) =>
  p === 'ended'
    ? ` An episode of at most ${TRANSIENT_MINUTES} minutes that ended (both versions would share it, e.g. a downstream incident) is reported, not rolled back.`
    : p === 'in-progress'
      ? ' The excess began after the shift and has not lasted: holding to see whether it ends.'
      : '';

/** Error test: the canary's share of each minute's errors against θ = 1, every minute since the first shift. */
export function errorTest(data: RolloutData, t: Thresholds): TestReading {
  const counts = pairedErrorCounts(data);
  const extra = relativeExtraVariance(data.baseline.map((b) => ({ trials: b.requests, events: b.errors })));
  const dispersions = splitDispersions(
    counts,
    extra,
    1,
    pairedIncidents(data, (b) => b.errors),
  );
  const dispersion = dispersions.length ? dispersions[dispersions.length - 1] : 1;
  const bar = 1 / t.alphas.errors;
  const found = conditionalEvidence(counts, { nullRatio: 1, dispersion, dispersions, maxMinuteFactor: burstCeiling(bar) });
  const value = found.value;
  const c = data.pairedCanary;
  const b = data.pairedBaseline;
  const diff = (c.requests ? c.errors / c.requests : 0) - (b.requests ? b.errors / b.requests : 0);
  const near = diff + 2 * Math.sqrt(dispersion) * standardError(c, b) >= t.maxErrorIncrease;
  const verdict = status(found, bar, diff >= t.maxErrorIncrease, near, c.errors >= MIN_CANARY_EVENTS);
  const leftOut = data.paired.filter((p) => data.incidents.has(p.canary.start)).length;
  const observed =
    `canary 5xx ${rateWithCounts(c.errors, c.requests)} vs original ${rateWithCounts(b.errors, b.requests)} since the first shift, evidence ${evidence(value)}` +
    `${dispersion > 1 ? ` (noise of the split, newest minute ÷${dispersion.toFixed(1)})` : ''}${leftOut ? `; rates leave out ${leftOut} minute(s) of a service-wide error spike` : ''}`;
  const barText = `evidence ≥ ${evidence(bar)} (≥ ${evidence(Math.sqrt(bar))} without its strongest minute), ≥ ${points(t.maxErrorIncrease)} (the tolerance)`;
  const detail =
    verdict === 'fail'
      ? `canary 5xx ${rateWithCounts(c.errors, c.requests)} vs original ${rateWithCounts(b.errors, b.requests)}: worse by ${points(diff)}, beyond the ${points(t.maxErrorIncrease)} tolerated, evidence ${evidence(value)} ≥ ${evidence(bar)}.`
      : verdict === 'hold'
        ? `canary errors may be rising (${points(diff)}, evidence ${evidence(value)} of ${evidence(bar)}): holding until the test decides.`
        : value >= bar
          ? diff < t.maxErrorIncrease
            ? `canary errors are above the original's by ${points(diff)}, within the ${points(t.maxErrorIncrease)} tolerated.`
            : unspannedDetail(`canary errors are above the original's by ${points(diff)}`, found, bar, c.errors)
          : `no error increase found: evidence ${evidence(value)} of the ${evidence(bar)} needed to roll back.`;
  const rest = withoutLargestExcess(counts, (m) => (m.baselineTrials ? (m.canaryTrials * m.baselineEvents) / m.baselineTrials : 0));
  const restDiff = rate(rest.canaryEvents, rest.canaryTrials) - rate(rest.baselineEvents, rest.baselineTrials);
  const restError = standardError(
    { requests: rest.canaryTrials, errors: rest.canaryEvents },
    { requests: rest.baselineTrials, errors: rest.baselineEvents },
  );
  const watch = watched(found, bar, verdict, near && restDiff + 2 * Math.sqrt(dispersion) * restError >= t.maxErrorIncrease);
  return {
    reason: { check: 'errors', status: verdict, observed, bar: barText, detail },
    evidence: value,
    bar,
    ...(watch ? { watch } : {}),
  };
}

/** The original's share of requests slower than E over its minutes (history and rollout). */
export function baselineSlowShare(data: RolloutData): number | undefined {
  const measured = data.baseline.filter((b) => b.slowRequests !== undefined);
  const requests = measured.reduce((s, b) => s + b.requests, 0);
  return requests > 0 ? measured.reduce((s, b) => s + (b.slowRequests as number), 0) / requests : undefined;
}

/** A reading of the share test: the evidence, the paired totals, the canary's share beyond the threshold and its status. */
export interface ShareReading {
  readonly found: Evidence;
  readonly totals: PairedCounts;
  readonly canaryShare: number;
  readonly nullRatio: number;
  readonly status: Reason['status'];
  /** The effect is within two standard errors of the tolerated share (it may still get there). */
  readonly near: boolean;
}

/**
 * The latency test's construction for any count of events beyond a threshold E fixed before the
 * rollout: "at most `toleratedShare` of the canary's events beyond E", as the conditional test of
 * the canary's share of each minute's events beyond E against θ₀ = toleratedShare / (the
 * original's share beyond E), noise-discounted on the split (the original's `history` sets the
 * ceiling). Slow requests are one use; the service's compared values (docs/metrics.md) the other.
 */
export function shareBeyondTest(
  counts: readonly PairedCounts[],
  options: {
    readonly baselineShare: number;
    readonly toleratedShare: number;
    readonly history: readonly SingleCounts[];
    readonly incidents?: readonly boolean[];
    readonly bar: number;
    /** Alternatives relative to θ₀. @default the error test's (1.5 … 50) */
    readonly alternatives?: readonly number[];
  },
): ShareReading {
  const nullRatio = options.toleratedShare / Math.max(options.baselineShare, MIN_BASELINE_SLOW_SHARE);
  const extra = relativeExtraVariance([...options.history]);
  const found = conditionalEvidence(counts, {
    nullRatio,
    dispersion: 1,
    dispersions: splitDispersions(counts, extra, nullRatio, options.incidents ? [...options.incidents] : undefined),
    maxMinuteFactor: burstCeiling(options.bar),
    ...(options.alternatives ? { alternatives: options.alternatives } : {}),
  });
  const totals = sumCounts(counts);
  const canaryShare = totals.canaryTrials ? totals.canaryEvents / totals.canaryTrials : 0;
  const tolerated = options.toleratedShare;
  const near = canaryShare + 2 * Math.sqrt((canaryShare * (1 - canaryShare)) / Math.max(1, totals.canaryTrials)) > tolerated;
  const verdict = status(found, options.bar, canaryShare > tolerated, near, totals.canaryEvents >= MIN_CANARY_EVENTS);
  return { found, totals, canaryShare, nullRatio, status: verdict, near };
}

/**
 * Latency test: "at most 5% of canary requests slower than E", as the conditional test of the
 * canary's share of each minute's slow requests against θ₀ = 5% / (the original's share above E).
 */
export function latencyTest(data: RolloutData, t: Thresholds): TestReading | undefined {
  if (t.slowThresholdMs === undefined) return undefined;
  const share = baselineSlowShare(data);
  const counts = pairedSlowCounts(data);
  if (share === undefined || counts.length === 0) return undefined;
  const bar = 1 / t.alphas.latency;
  const reading = shareBeyondTest(counts, {
    baselineShare: share,
    toleratedShare: TOLERATED_SLOW_SHARE,
    history: data.baseline
      .filter((b) => b.slowRequests !== undefined)
      .map((b) => ({ trials: b.requests, events: b.slowRequests as number })),
    incidents: pairedIncidents(data, slowOf),
    bar,
  });
  const value = reading.found.value;
  const slow = reading.totals;
  const canaryShare = reading.canaryShare;
  const verdict = reading.status;
  const e = Math.round(t.slowThresholdMs);
  const observed = `slower than ${e} ms: canary ${rateWithCounts(slow.canaryEvents, slow.canaryTrials)} vs original ${rateWithCounts(slow.baselineEvents, slow.baselineTrials)}, evidence ${evidence(value)}`;
  const barText = `evidence ≥ ${evidence(bar)} that more than ${percent(TOLERATED_SLOW_SHARE)} of canary requests are slower than ${e} ms (p95 > ${t.maxLatencyRatio}× the original's), ≥ ${evidence(Math.sqrt(bar))} without its strongest minute`;
  const detail =
    verdict === 'fail'
      ? `the canary's p95 is above ${t.maxLatencyRatio}× the original's: ${percent(canaryShare)} of its requests are slower than ${e} ms (tolerated ${percent(TOLERATED_SLOW_SHARE)}), evidence ${evidence(value)} ≥ ${evidence(bar)}.`
      : verdict === 'hold'
        ? `the canary may be slower than tolerated (${percent(canaryShare)} slower than ${e} ms, evidence ${evidence(value)}): holding until the test decides.`
        : `no latency regression found: ${percent(canaryShare)} of canary requests slower than ${e} ms (tolerated ${percent(TOLERATED_SLOW_SHARE)}).`;
  const rest = withoutLargestExcess(counts, (m) => m.canaryTrials * TOLERATED_SLOW_SHARE);
  const restShare = rate(rest.canaryEvents, rest.canaryTrials);
  const restNear = restShare + 2 * Math.sqrt((restShare * (1 - restShare)) / Math.max(1, rest.canaryTrials)) > TOLERATED_SLOW_SHARE;
  const watch = watched(reading.found, bar, verdict, reading.near && restNear);
  return {
    reason: { check: 'latency', status: verdict, observed, bar: barText, detail },
    evidence: value,
    bar,
    ...(watch ? { watch } : {}),
  };
}

/**
 * Post-traffic bake, errors: the canary at 100% against the original's usual rate before (history
 * and stages, its spiked minutes left out) with the calm minutes' noise; the share of minutes the
 * original spiked in (an upper bound) is paid for in every factor (docs/judge.md, "The post-traffic bake").
 */
export function postErrorTest(data: RolloutData, t: Thresholds): TestReading | undefined {
  const counts = postTrafficCounts(data, errorsOf);
  if (!data.postTraffic) return undefined;
  const before = data.baseline.filter((b) => b.start < data.stageStartedAt && b.requests > 0);
  const usual = before.filter((b) => !data.incidents.has(b.start));
  const reference = totals(usual);
  if (reference.requests === 0) return undefined;
  const rate = Math.max(reference.errors, 1) / reference.requests;
  // The noise of exactly the minutes the rate keeps: the flagged ones are paid for below, not trimmed twice.
  const extra = relativeExtraVariance(
    usual.map((b) => ({ trials: b.requests, events: b.errors })),
    { keepSpikes: true },
  );
  const spikes = before.length - usual.length;
  const spikeShare = spikeShareBound(spikes, before.length);
  const dispersion = referenceDispersion(counts, rate, extra, reference.requests);
  const found = {
    ...referenceEvidence(counts, { rate, dispersion, episodeMinutes: TRANSIENT_MINUTES, spikeShare, betFractions: PAIRED_BET_FRACTIONS }),
    dispersion,
  };
  const value = found.value;
  const canary = counts.reduce((s, m) => ({ trials: s.trials + m.trials, events: s.events + m.events }), { trials: 0, events: 0 });
  const referenceRate = reference.errors / reference.requests;
  const diff = (canary.trials ? canary.events / canary.trials : 0) - referenceRate;
  const bar = 1 / t.alphas.postErrors;
  const near =
    diff + 2 * Math.sqrt(found.dispersion) * standardError({ requests: canary.trials, errors: canary.events }, reference) >=
    t.maxErrorIncrease;
  const persistence = persistenceAt100(counts, found, bar, (m) => m.events / m.trials >= referenceRate + t.maxErrorIncrease);
  const verdict = statusAt100(status(found, bar, diff >= t.maxErrorIncrease, near, canary.events >= MIN_CANARY_EVENTS), persistence);
  const observed =
    `at 100%: canary 5xx ${rateWithCounts(canary.events, canary.trials)} vs the original's usual ${rateWithCounts(reference.errors, reference.requests)} before, evidence ${evidence(value)}` +
    `${spikes ? ` (${spikes} spiked minute(s) of ${before.length} left out; each minute pays for a spike share up to ${percent(spikeShare)})` : ''}`;
  const barText = `evidence ≥ ${evidence(bar)} (≥ ${evidence(Math.sqrt(bar))} without its strongest minute), ≥ ${points(t.maxErrorIncrease)}`;
  const detail =
    verdict === 'fail'
      ? `at 100% the new version fails ${percent(canary.trials ? canary.events / canary.trials : 0)} of requests, ${points(diff)} above the original's usual ${percent(reference.errors / reference.requests)} before the shift (evidence ${evidence(value)} ≥ ${evidence(bar)}).`
      : verdict === 'hold'
        ? `errors at 100% may be rising (${points(diff)}, evidence ${evidence(value)}): holding until the test decides.${EPISODE_NOTE(persistence)}`
        : `no lasting error increase at 100% against the original's usual rate before the shift.${episodeSeen(found, bar) ? EPISODE_NOTE(persistence) : ''}`;
  return { reason: { check: 'post-errors', status: verdict, observed, bar: barText, detail }, evidence: value, bar };
}

/** Post-traffic bake, latency: the canary's share slower than E against the tolerated 5%. */
export function postLatencyTest(data: RolloutData, t: Thresholds): TestReading | undefined {
  if (!data.postTraffic || t.slowThresholdMs === undefined) return undefined;
  const counts = postTrafficCounts(data, slowOf);
  if (counts.length === 0) return undefined;
  const history = data.baseline.filter((b) => b.start < data.stageStartedAt && b.slowRequests !== undefined);
  const extra = relativeExtraVariance(
    history.map((b) => ({ trials: b.requests, events: b.slowRequests as number })),
    { keepSpikes: true },
  );
  const dispersion = referenceDispersion(counts, TOLERATED_SLOW_SHARE, extra, 0);
  const found = { ...referenceEvidence(counts, { rate: TOLERATED_SLOW_SHARE, dispersion, episodeMinutes: TRANSIENT_MINUTES }), dispersion };
  const value = found.value;
  const canary = counts.reduce((s, m) => ({ trials: s.trials + m.trials, events: s.events + m.events }), { trials: 0, events: 0 });
  const share = canary.trials ? canary.events / canary.trials : 0;
  const bar = 1 / t.alphas.postLatency;
  const near = share + 2 * Math.sqrt((found.dispersion * (share * (1 - share))) / Math.max(1, canary.trials)) > TOLERATED_SLOW_SHARE;
  const persistence = persistenceAt100(counts, found, bar, (m) => m.events / m.trials > TOLERATED_SLOW_SHARE);
  const verdict = statusAt100(status(found, bar, share > TOLERATED_SLOW_SHARE, near, canary.events >= MIN_CANARY_EVENTS), persistence);
  const e = Math.round(t.slowThresholdMs);
  const observed = `at 100%: ${rateWithCounts(canary.events, canary.trials)} of canary requests slower than ${e} ms, evidence ${evidence(value)}`;
  const barText = `evidence ≥ ${evidence(bar)} that more than ${percent(TOLERATED_SLOW_SHARE)} are slower than ${e} ms`;
  const detail =
    verdict === 'fail'
      ? `at 100% ${percent(share)} of requests are slower than ${e} ms (${t.maxLatencyRatio}× the original's p95; tolerated ${percent(TOLERATED_SLOW_SHARE)}), evidence ${evidence(value)} ≥ ${evidence(bar)}.`
      : verdict === 'hold'
        ? `latency at 100% may be above tolerance (${percent(share)} slower than ${e} ms): holding until the test decides.${EPISODE_NOTE(persistence)}`
        : `latency at 100% within tolerance (${percent(share)} slower than ${e} ms).${episodeSeen(found, bar) ? EPISODE_NOTE(persistence) : ''}`;
  return { reason: { check: 'post-latency', status: verdict, observed, bar: barText, detail }, evidence: value, bar };
}

/**
 * Why a test whose evidence and effect are past the bar does not roll back: the evidence rests on
 * one minute (one client's burst or one shock is one minute), or too few canary events.
 */
function unspannedDetail(effect: string, e: Evidence, bar: number, canaryEvents: number): string {
  if (canaryEvents < MIN_CANARY_EVENTS)
    return `${effect}, on ${canaryEvents} canary event(s): a rollback needs at least ${MIN_CANARY_EVENTS}.`;
  return `${effect}, but the evidence rests on one minute (${evidence(e.withoutStrongestMinute)} without it, ${evidence(Math.sqrt(bar))} needed): a rollback needs it to span two minutes.`;
}

const rate = (events: number, trials: number) => (trials > 0 ? events / trials : 0);

/** Standard error of the difference of two observed rates. */
function standardError(a: { requests: number; errors: number }, b: { requests: number; errors: number }): number {
  const v = (x: { requests: number; errors: number }) => {
    if (x.requests <= 0) return 0;
    const p = x.errors / x.requests;
    return (p * (1 - p)) / x.requests;
  };
  return Math.sqrt(v(a) + v(b));
}
