/**
 * What the simulation's charts draw, pure: the replacement weight over time, each side's error rate
 * and p95 per minute (placed in the part of the minute that side served), the decisions, and the
 * judge's lines.
 */
import type { JudgePolicy } from '../../lambdas/core/judge';
import type { SimMinute } from '../../sim';
import type { SimulationResult, TimelineEntry } from './engine';
import { clockOf, MINUTE_MS, minutesFrom } from './timeline-text';

/** Minutes of traffic before the deployment the charts show (the engine keeps ten). */
const LEAD_IN_MINUTES = 10;

/** Series colours; the screenshot test counts pixels of these exact values. */
export const SERIES_COLOURS = { weight: '#1565c0', canary: '#e65100', baseline: '#455a64' } as const;

export type Series = keyof typeof SERIES_COLOURS;
/** One point of a per-minute series; `value` null where that side served no request (a gap, not 0). */
export interface SeriesPoint {
  readonly minute: number;
  readonly series: Series;
  readonly value: number | null;
}
export interface DecisionPoint {
  readonly minute: number;
  readonly verdict: string;
  readonly weight: number;
  readonly label: string;
}
/** What the charts draw, in minutes since the deployment started. */
export interface ChartData {
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly weight: ReadonlyArray<{ readonly minute: number; readonly series: 'weight'; readonly value: number }>;
  readonly errors: readonly SeriesPoint[];
  readonly latency: readonly SeriesPoint[];
  /** Upper ends of the y scales: every value, and at least 1% and 100 ms so a flat 0 sits on the axis. */
  readonly errorMax: number;
  readonly latencyMax: number;
  /** Every decision with a verdict but hold: a rule across all three charts. */
  readonly markers: readonly DecisionPoint[];
  /** The per-minute holds: rings on the weight line, not rules, so they do not hide the data. */
  readonly holds: readonly DecisionPoint[];
}

const errorRate = (g: SimMinute['canary']) => ((g.errors5xx + g.connectionErrors) / g.requests) * 100;

/**
 * The replacement weight from the timeline as [from, to, weight) stretches (0 before the first
 * shift), so a minute's point can sit in the middle of the part of it that side really served.
 */
function weightStretches(result: SimulationResult): Array<{ from: number; to: number; weight: number }> {
  const stretches = [{ from: -Infinity, to: Infinity, weight: 0 }];
  for (const e of result.timeline) {
    const last = stretches[stretches.length - 1];
    if (e.weight === last.weight) continue;
    last.to = e.at;
    stretches.push({ from: e.at, to: Infinity, weight: e.weight });
  }
  return stretches;
}

/** The middle of the part of a minute in which `serves(weight)`, in minutes; undefined if none. */
function servedMiddle(
  stretches: ReturnType<typeof weightStretches>,
  start: number,
  end: number,
  serves: (weight: number) => boolean,
  t0: number,
): number | undefined {
  let from = Infinity;
  let to = -Infinity;
  for (const s of stretches) {
    const a = Math.max(start, s.from);
    const b = Math.min(end, s.to);
    if (b > a && serves(s.weight)) {
      from = Math.min(from, a);
      to = Math.max(to, b);
    }
  }
  return from < to ? minutesFrom(t0, (from + to) / 2) : undefined;
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The data of the charts; pure. */
export function chartData(result: SimulationResult): ChartData {
  const t0 = result.startTime;
  const lastMinuteEnd = result.minutes.length ? result.minutes[result.minutes.length - 1].start + MINUTE_MS : result.endTime;
  const domain = [-LEAD_IN_MINUTES, Math.ceil(minutesFrom(t0, Math.max(result.endTime, lastMinuteEnd)))] as const;
  // Multiples of 5 minutes, or of the next round step that keeps the axis to 16 labels at most
  // (+ 0: no −0 label).
  const step = [5, 10, 15, 30, 60, 120].find((s) => (domain[1] - domain[0]) / s <= 15) ?? 240;
  const ticks: number[] = [];
  for (let m = Math.ceil(domain[0] / step) * step + 0; m <= domain[1]; m += step) ticks.push(m);

  const stretches = weightStretches(result);
  const weight = [{ minute: domain[0], series: 'weight' as const, value: 0 }];
  for (const s of stretches.slice(1)) weight.push({ minute: round(minutesFrom(t0, s.from)), series: 'weight', value: s.weight });
  weight.push({ minute: domain[1], series: 'weight', value: stretches[stretches.length - 1].weight });

  const errors: SeriesPoint[] = [];
  const latency: SeriesPoint[] = [];
  for (const m of result.minutes) {
    if (m.start < t0 - LEAD_IN_MINUTES * MINUTE_MS) continue;
    for (const series of ['canary', 'baseline'] as const) {
      const group = m[series];
      // A side that served no request this minute has no rate: a gap in its line (after a
      // rollback the canary's line ends), never a 0 that would read as a recovery.
      const served = servedMiddle(stretches, m.start, m.start + MINUTE_MS, series === 'canary' ? (w) => w > 0 : (w) => w < 100, t0);
      const minute = round(served ?? minutesFrom(t0, m.start + MINUTE_MS / 2));
      const has = group.requests > 0 && served !== undefined;
      errors.push({ minute, series, value: has ? round(errorRate(group)) : null });
      latency.push({ minute, series, value: has && group.p95Ms !== undefined ? round(group.p95Ms, 1) : null });
    }
  }

  const point = (e: TimelineEntry): DecisionPoint => ({
    minute: round(minutesFrom(t0, e.at)),
    verdict: e.verdict as string,
    weight: e.weight,
    label: `${clockOf(t0, e.at).replace(/ /g, '')} ${e.hook} ${e.verdict}`,
  });
  const decided = result.timeline.filter((e) => e.verdict !== undefined);
  const max = (points: readonly SeriesPoint[], floor: number) => Math.max(floor, ...points.map((p) => p.value ?? 0));
  return {
    domain,
    ticks,
    weight,
    errors,
    latency,
    errorMax: max(errors, 1),
    latencyMax: max(latency, 100),
    markers: decided.filter((e) => e.verdict !== 'hold').map(point),
    holds: decided.filter((e) => e.verdict === 'hold').map(point),
  };
}

/** A horizontal rule the judge holds the data to, at `value` on the y axis, with its label. */
export interface JudgeLine {
  readonly value: number;
  readonly label: string;
  /** Where the label sits: bars on the right, the tolerance on the left, so close lines stay legible. */
  readonly side: 'left' | 'right';
}

/**
 * The judge's lines per chart: the absolute bars (maxErrorRatePercent, maxP95Ms) and, on the error
 * chart, the tolerance above the original's rate over the run (maxErrorIncreasePp). Pure.
 */
export function judgeLines(result: SimulationResult, policy: JudgePolicy): { errors: JudgeLine[]; latency: JudgeLine[] } {
  const original = result.minutes.reduce(
    (sum, m) => ({ requests: sum.requests + m.baseline.requests, errors: sum.errors + m.baseline.errors5xx + m.baseline.connectionErrors }),
    { requests: 0, errors: 0 },
  );
  const originalRate = original.requests > 0 ? (original.errors / original.requests) * 100 : 0;
  return {
    errors: [
      { value: policy.maxErrorRatePercent, label: `bar: error rate ${policy.maxErrorRatePercent}% (maxErrorRatePercent)`, side: 'right' },
      {
        value: round(originalRate + policy.maxErrorIncreasePp),
        label: `tolerance: original ${round(originalRate, 2)}% + ${policy.maxErrorIncreasePp} pp (maxErrorIncreasePp)`,
        side: 'left',
      },
    ],
    latency: [{ value: policy.maxP95Ms, label: `bar: p95 ${policy.maxP95Ms} ms (maxP95Ms)`, side: 'right' }],
  };
}
