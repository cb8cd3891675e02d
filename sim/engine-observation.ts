/**
 * What the Tick sees of a simulated service: the same reads (`metricReads`), the same queries
 * (`seriesFor`/`seriesId`/`slowRequestStat`, as lambdas/aws/cloudwatch.ts `buildMetricQueries`
 * builds them), answered by `simulatedMetricData` as `readMetrics` returns them, and turned into
 * minute buckets by the Tick's own `toMinuteBuckets`. `canary simulate` and `bench:judge` use it,
 * so both hand the judge what production would (test/e2e/judge-input-parity.test.ts proves it).
 * No AWS SDK import: the query is described by its fields, not a `MetricDataQuery`.
 */
import { metricReads } from '../lambdas/core/controller';
import type { SeriesResult } from '../lambdas/core/observation';
import {
  type MinuteBuckets,
  type ReadPurpose,
  type RoleWindows,
  seriesFor,
  seriesId,
  slowRequestStat,
  type TargetRole,
  toMinuteBuckets,
} from '../lambdas/core/observation';
import type { RolloutState } from '../lambdas/core/rollout-state';
import { type MetricQuery, type ObservationOptions, publishedAt, simulatedMetricData } from './cloudwatch';
import { MINUTE_MS, type SimMinute } from './traffic';

/** One read of a tick: which minutes of which role, for what, and the latency bar E if known. */
export interface TickRead {
  readonly reads: RoleWindows;
  readonly purpose: ReadPurpose;
  /** E, ms (TC(E:) is requested only when it is known). */
  readonly slowThresholdMs?: number;
}

/** The read the Tick makes for a controller state at `now` (lambdas/handlers/tick.ts `readMinutes`). */
export function tickRead(state: RolloutState, now: number): TickRead {
  return {
    reads: metricReads(state, now),
    purpose: state.status === 'starting' ? 'history' : 'judge',
    ...(state.rollout?.slowThresholdMs !== undefined ? { slowThresholdMs: state.rollout.slowThresholdMs } : {}),
  };
}

const ROLES: readonly TargetRole[] = ['replacement', 'original'];

/**
 * The queries of one read: per role read, the series `seriesFor` names, 60-second periods, one
 * window for all of them (from the earliest role's `from` to `now`, as the Tick asks).
 */
export function metricQueries(read: TickRead, now: number): MetricQuery[] {
  const roles = ROLES.filter((role) => read.reads[role] !== undefined);
  if (roles.length === 0) return [];
  const from = Math.min(...roles.map((role) => read.reads[role]!.from));
  return roles.flatMap((role) =>
    seriesFor(role, read.purpose, read.slowThresholdMs).map((series) => ({
      id: seriesId(role, series.key),
      group: role === 'replacement' ? ('canary' as const) : ('baseline' as const),
      metricName: series.metricName,
      stat: series.stat === 'TC(T:)' ? slowRequestStat(read.slowThresholdMs as number) : series.stat,
      startTime: from,
      endTime: now,
      period: 60,
    })),
  );
}

/** The minute buckets a read returns at `now` from the simulated minutes (empty roles when nothing is read). */
export function observedBuckets(minutes: readonly SimMinute[], now: number, read: TickRead, options: ObservationOptions): MinuteBuckets {
  const queries = metricQueries(read, now);
  if (queries.length === 0) return { replacement: [], original: [] };
  return toMinuteBuckets(metricData(minutes, now, queries, options), now, read.reads);
}

/** Per delay model (the options object) and minute: when it is complete, and its answer to each query (null: no point) from then on. */
const published = new WeakMap<ObservationOptions, WeakMap<SimMinute, { at: number; values: Map<string, number | null> }>>();

/**
 * `simulatedMetricData` for 60-second queries, remembering the answers of fully published minutes
 * (a tick re-reads the whole rollout, but only its newest minutes can still change). The same
 * result as calling it directly: one-minute periods are answered minute by minute.
 */
export function metricData(
  minutes: readonly SimMinute[],
  now: number,
  queries: readonly MetricQuery[],
  options: ObservationOptions,
): SeriesResult[] {
  if (queries.some((q) => (q.period ?? 60) !== 60)) return simulatedMetricData(minutes, now, queries, options);
  const live = simulatedMetricData(
    minutes.filter((m) => m.start + MINUTE_MS <= now && publishedOf(m, options).at > now),
    now,
    queries,
    options,
  );
  return queries.map((query, i) => {
    const startTime = Math.floor(query.startTime / MINUTE_MS) * MINUTE_MS;
    const endTime = Math.max(Math.ceil(query.endTime / MINUTE_MS) * MINUTE_MS, startTime + MINUTE_MS);
    const key = `${query.group}|${query.metricName}|${query.stat}`;
    const timestamps: number[] = [];
    const values: number[] = [];
    const fresh = live[i];
    let j = 0;
    for (const minute of minutes) {
      if (minute.start < startTime || minute.start >= endTime || minute.start + MINUTE_MS > now) continue;
      const entry = publishedOf(minute, options);
      if (entry.at > now) {
        // Not yet complete: the live answer (oldest first, like the minutes).
        while (j < fresh.timestamps.length && fresh.timestamps[j] < minute.start) j++;
        if (j < fresh.timestamps.length && fresh.timestamps[j] === minute.start) {
          timestamps.push(minute.start);
          values.push(fresh.values[j]);
        }
        continue;
      }
      let value = entry.values.get(key);
      if (value === undefined) {
        const [one] = simulatedMetricData(
          [minute],
          now,
          [{ ...query, startTime: minute.start, endTime: minute.start + MINUTE_MS }],
          options,
        );
        value = one.values.length ? one.values[0] : null;
        entry.values.set(key, value);
      }
      if (value !== null) {
        timestamps.push(minute.start);
        values.push(value);
      }
    }
    return { id: query.id, timestamps, values };
  });
}

function publishedOf(minute: SimMinute, options: ObservationOptions) {
  let byMinute = published.get(options);
  if (!byMinute) {
    byMinute = new WeakMap();
    published.set(options, byMinute);
  }
  let entry = byMinute.get(minute);
  if (!entry) {
    entry = { at: publishedAt(minute.start, options), values: new Map() };
    byMinute.set(minute, entry);
  }
  return entry;
}

/** The buckets the Tick would see for `state` at `now`: on a starting tick the original's history, later the whole rollout. */
export function tickBuckets(minutes: readonly SimMinute[], state: RolloutState, now: number, options: ObservationOptions): MinuteBuckets {
  return observedBuckets(minutes, now, tickRead(state, now), options);
}
