/**
 * Renders a simulation: the timeline as text, and a self-contained HTML page whose charts of
 * weight, error rate and p95 for canary and baseline over time are a Vega-Lite spec rendered to
 * inline SVG by Vega in Node: no script, no external URL, the same page for the same result.
 */
import type { TopLevelSpec } from 'vega-lite';

import type { JudgePolicy } from '../../lambdas/core/judge';
import type { SimMinute } from '../../sim';
import { withoutVerdict } from '../progress/verdict-text';
import type { SimulationResult, TimelineEntry } from './engine';

const MINUTE_MS = 60_000;
/** Minutes of traffic before the deployment the charts show (the engine keeps ten). */
const LEAD_IN_MINUTES = 10;
const minutesFrom = (start: number, at: number) => (at - start) / MINUTE_MS;
const clockOf = (start: number, at: number) => {
  const m = Math.round(minutesFrom(start, at) * 60) / 60;
  const whole = Math.floor(m);
  return `T+${String(whole).padStart(3, ' ')}:${String(Math.round((m - whole) * 60)).padStart(2, '0')}`;
};

/** The weight a decision was taken at: its stage's (a rollback at 5% leaves the listener at 0%). */
export const decidedAt = (e: TimelineEntry): number => e.stage?.weight ?? e.weight;

/** How a run ended, without its reason: a failed run's reason is the CLI's last line, printed once. */
export function outcomeText(result: SimulationResult): string {
  const minutes = Math.round(minutesFrom(result.startTime, result.endTime));
  if (result.outcome === 'Succeeded') return `outcome: Succeeded after ${minutes} min: ${result.reason}`;
  const last = result.timeline.at(-1);
  const how = last?.verdict === 'rollback' ? 'rolled back' : (last?.verdict ?? 'stopped');
  return `outcome: Failed after ${minutes} min${last ? `, ${how} at ${decidedAt(last)}%` : ''} (the reason is the last line)`;
}

/** The timeline as lines: a header, one line per decision (weight: where it was decided), then the outcome. */
export function renderTimeline(result: SimulationResult): string[] {
  const lines = [
    `simulate ${result.scenario}: ${result.timeline.length} decisions`,
    `${'time'.padEnd(9)}  ${'hook'.padEnd(21)} ${'at'.padStart(4)}  ${'verdict'.padEnd(8)} reason`,
  ];
  result.timeline.forEach((e, i) => {
    // The deciding decision of a failed run: its reason is the CLI's last line, not repeated here.
    const deciding = result.outcome === 'Failed' && i === result.timeline.length - 1 && e.reason === result.reason;
    const reason = deciding ? '(the reason is the last line)' : e.verdict ? withoutVerdict(e.verdict, e.reason) : e.reason;
    lines.push(
      `${clockOf(result.startTime, e.at)}  ${e.hook.padEnd(21)} ${String(decidedAt(e)).padStart(3)}%  ${(e.verdict ?? '-').padEnd(8)} ${reason}`,
    );
  });
  lines.push(outcomeText(result));
  return lines;
}

/** Series colours; the screenshot test counts pixels of these exact values. */
const SERIES_COLOURS = { weight: '#1565c0', canary: '#e65100', baseline: '#455a64' } as const;
const RED = '#c62828';
const GREEN = '#2e7d32';
const GREY = '#9e9e9e';
/** Verdicts in legend order; those a run does not reach stay out of its legend. */
const VERDICTS = ['start', 'promote', 'succeed', 'hold', 'pause', 'resume', 'rollback', 'restore', 'fail', 'abort', 'abandon'] as const;
const verdictColour = (verdict: string) =>
  verdict === 'rollback' || verdict === 'fail' || verdict === 'abort' ? RED : verdict === 'hold' ? GREY : GREEN;

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

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

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

/** One layer of a chart, as Vega-Lite types it. */
type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

const WIDTH = 700;
const HEIGHT = 140;
const X_TITLE = 'minutes since the deployment started';

/** Colour of the judge's lines (absolute bars, tolerance): none of the series' or the decisions'. */
const BAR_COLOUR = '#6a1b9a';

/** A horizontal rule the judge holds the data to, at `value` on the y axis, with its label. */
interface JudgeLine {
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

/** What "evidence X ≥ Y" in a reason means, shown under the charts. */
export const EVIDENCE_NOTE =
  "evidence X ≥ Y in a reason: X is the judge's sequential evidence, a likelihood ratio built up minute by minute, that the canary is worse than the original by more than the tolerance; " +
  'Y is the bar a rollback needs, set so that a canary within the tolerance reaches it with probability at most α (docs/judge.md).';

/** The Vega-Lite spec of the three charts, one vconcat over a shared time axis; pure. `policy` adds the judge's lines. */
export function chartSpec(result: SimulationResult, policy?: JudgePolicy): TopLevelSpec {
  const data = chartData(result);
  const lines = policy ? judgeLines(result, policy) : { errors: [], latency: [] };
  const verdicts = VERDICTS.filter((v) => [...data.markers, ...data.holds].some((m) => m.verdict === v));
  const x = (title: string | null) => ({
    field: 'minute',
    type: 'quantitative' as const,
    scale: { domain: [...data.domain], nice: false, zero: false },
    axis: { values: [...data.ticks], title, grid: true, gridColor: '#eeeeee' },
  });
  // Series by colour, decisions by stroke: two scales, so two legends.
  const colour = {
    field: 'series',
    type: 'nominal' as const,
    scale: { domain: Object.keys(SERIES_COLOURS), range: Object.values(SERIES_COLOURS) },
    legend: { title: 'series', orient: 'top' as const, symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300 },
  };
  const stroke = {
    field: 'verdict',
    type: 'nominal' as const,
    scale: { domain: verdicts, range: verdicts.map(verdictColour) },
    legend: {
      title: 'decision',
      orient: 'top' as const,
      symbolType: 'stroke',
      symbolStrokeWidth: 2,
      symbolSize: 300,
      symbolDash: [6, 4],
      // A hold is drawn as a ring, not a rule: its legend entry too.
      encode: {
        symbols: {
          update: {
            shape: { signal: "datum.value === 'hold' ? 'circle' : 'stroke'" },
            size: { signal: "datum.value === 'hold' ? 24 : 300" },
            strokeDash: { signal: "datum.value === 'hold' ? [] : [6, 4]" },
          },
        },
      },
    },
  };
  const markers = (xTitle: string | null): Layer => ({
    data: { name: 'markers' },
    mark: { type: 'rule', strokeWidth: 2, strokeDash: [6, 4], clip: true },
    encoding: { x: x(xTitle), stroke, description: { field: 'label' } },
  });
  // Each judge line: a dashed rule across the chart and its label at the right end, above it.
  const judgeRules = (rules: readonly JudgeLine[], yMax: number): Layer[] =>
    rules.length === 0
      ? []
      : [
          {
            data: { values: rules.map((r) => ({ ...r })) },
            mark: { type: 'rule', stroke: BAR_COLOUR, strokeDash: [2, 3], strokeWidth: 1.5 },
            encoding: { y: { field: 'value', type: 'quantitative', scale: { domain: [0, yMax], nice: true } } },
          },
          ...(['left', 'right'] as const)
            .filter((side) => rules.some((r) => r.side === side))
            .map((side): Layer => ({
              data: { values: rules.filter((r) => r.side === side).map((r) => ({ ...r })) },
              mark: {
                type: 'text',
                align: side,
                baseline: 'bottom',
                dy: -2,
                x: side === 'left' ? 4 : WIDTH - 4,
                fontSize: 10,
                fill: BAR_COLOUR,
              },
              encoding: { y: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
            })),
        ];
  const perMinute = (name: 'errors' | 'latency', yTitle: string, yMax: number, xTitle: string | null): Layer => ({
    data: { name },
    // Points as well as the line: a minute between two gaps is a point, not invisible.
    mark: { type: 'line', strokeWidth: 2, clip: true, point: { filled: true, size: 14 } },
    encoding: {
      x: x(xTitle),
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { domain: [0, yMax], nice: true } },
      color: colour,
    },
  });
  // A square-root scale: 5% takes a fifth of the height instead of a hair of a 0–100 axis.
  const weightAxis = {
    field: 'value',
    type: 'quantitative' as const,
    title: 'weight % (√ scale)',
    scale: { type: 'sqrt' as const, domain: [0, 100] },
    axis: { values: [0, 5, 25, 50, 100] },
  };
  const errorMax = Math.max(data.errorMax, ...lines.errors.map((l) => l.value));
  const latencyMax = Math.max(data.latencyMax, ...lines.latency.map((l) => l.value));
  const chart = (title: string, layer: Layer[]) => ({ title, width: WIDTH, height: HEIGHT, layer });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    padding: 8,
    config: {
      font: 'sans-serif',
      title: { anchor: 'start', frame: 'group', fontSize: 13, offset: 6 },
      axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
      legend: { labelFontSize: 11, titleFontSize: 11 },
      view: { stroke: '#dddddd' },
    },
    datasets: { weight: data.weight, errors: data.errors, latency: data.latency, markers: data.markers, holds: data.holds },
    vconcat: [
      chart('Replacement weight (% of production)', [
        markers(null),
        {
          data: { name: 'weight' },
          mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after', clip: true },
          encoding: {
            x: x(null),
            y: weightAxis,
            color: colour,
          },
        },
        // Holds are one a minute: full-height rules would hide the data, so they are rings on the
        // weight line where the judge looked and held; the decision table lists each with its reason.
        {
          data: { name: 'holds' },
          mark: { type: 'point', size: 24, strokeWidth: 1.5, filled: false, opacity: 1, clip: true },
          encoding: { x: x(null), y: { ...weightAxis, field: 'weight' }, stroke, description: { field: 'label' } },
        },
      ]),
      chart('Error rate per minute (5xx + connection errors)', [
        markers(null),
        perMinute('errors', 'error rate %', errorMax, null),
        ...judgeRules(lines.errors, errorMax),
      ]),
      chart('p95 latency per minute', [
        markers(X_TITLE),
        perMinute('latency', 'p95 ms', latencyMax, X_TITLE),
        ...judgeRules(lines.latency, latencyMax),
      ]),
    ],
    resolve: { scale: { x: 'shared', color: 'shared', stroke: 'shared' }, legend: { color: 'shared', stroke: 'shared' } },
  };
  return spec;
}

// Vega numbers the SVG clip paths from a counter in the module; it exports the reset, untyped.
declare module 'vega' {
  export function resetSVGDefIds(): void;
}

/** Renders one at a time, so each render's clip ids start at 1 whatever else is rendering. */
let rendering: Promise<unknown> = Promise.resolve();

/**
 * The charts as one inline `<svg>` element, rendered by Vega without a browser; the same SVG for
 * the same spec. Vega loads here, not with the CLI: every other command starts without it.
 */
export async function renderCharts(spec: TopLevelSpec): Promise<string> {
  const [{ parse, resetSVGDefIds, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const vega = compile(spec).spec;
  // Vega-Lite lists the legends in the order it meets them (the markers first); the series read first.
  vega.legends?.sort((a, b) => Number(b.title === 'series') - Number(a.title === 'series'));
  const render = async () => {
    const view = new View(parse(vega), { renderer: 'none' });
    try {
      resetSVGDefIds();
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  };
  const svg = rendering.then(render, render);
  rendering = svg.catch(() => undefined);
  return svg;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** The whole page: the outcome, the plan, the charts with the judge's lines, and the decision table. */
export async function renderHtml(
  result: SimulationResult,
  service: string,
  planLines: readonly string[] = [],
  policy?: JudgePolicy,
): Promise<string> {
  const svg = await renderCharts(chartSpec(result, policy));
  const rows = result.timeline.map(
    (e) =>
      `<tr class="${escapeHtml(e.verdict ?? '')}"><td>${escapeHtml(clockOf(result.startTime, e.at))}</td><td>${escapeHtml(e.hook)}</td><td>${decidedAt(e)}%</td><td>${e.weight}%</td><td>${escapeHtml(e.verdict ?? '')}</td><td>${escapeHtml(e.verdict ? withoutVerdict(e.verdict, e.reason) : e.reason)}</td></tr>`,
  );
  const head =
    '<thead><tr><th>time</th><th>hook</th><th title="the stage weight the decision was taken at">at</th><th title="the replacement\'s weight after the decision">weight after</th><th>verdict</th><th>reason</th></tr></thead>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ecs-canary simulation: ${escapeHtml(service)} / ${escapeHtml(result.scenario)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#212121}figure{margin:16px 0}figure svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:13px}th{text-align:left;border-bottom:2px solid #bdbdbd;padding:3px 8px}td{border-bottom:1px solid #eee;padding:3px 8px;vertical-align:top}td:first-child{white-space:nowrap}pre{overflow-x:auto}
tr.rollback td,tr.fail td{color:#c62828}tr.promote td,tr.succeed td,tr.start td{color:#2e7d32}.outcome{font-size:18px;font-weight:600}.outcome.failed{color:#8e0000}.outcome.ok{color:#1b5e20}.note{font-size:13px;color:#424242;max-width:60em}</style></head>
<body><h1>${escapeHtml(service)}: scenario ${escapeHtml(result.scenario)}</h1>
<p class="outcome ${result.outcome === 'Succeeded' ? 'ok' : 'failed'}" id="outcome">${escapeHtml(result.outcome)}: ${escapeHtml(result.reason)}</p>
${planLines.length ? `<h2>What this plan can detect at this traffic</h2><pre id="plan">${escapeHtml(planLines.join('\n'))}</pre>\n` : ''}<figure id="charts">${svg}</figure>
${policy ? `<p class="note" id="lines">Dashed purple lines: the judge's absolute bars (a canary above one is rolled back) and the error tolerance above the original's rate (a rollback on errors needs the canary beyond it).</p>\n` : ''}<p class="note" id="evidence">${escapeHtml(EVIDENCE_NOTE)}</p>
<h2>Decisions</h2><table id="decisions">${head}<tbody>${rows.join('')}</tbody></table>
</body></html>
`;
}
