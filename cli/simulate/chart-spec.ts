/**
 * The Vega-Lite spec of a simulation's three charts (weight, error rate, p95) over a shared time
 * axis, with the decisions as rules and the judge's lines; pure.
 */
import type { TopLevelSpec } from 'vega-lite';

import type { JudgePolicy } from '../../lambdas/core/judge';
import { chartData, type JudgeLine, judgeLines, SERIES_COLOURS } from './chart-data';
import type { SimulationResult } from './engine';

const RED = '#c62828';
const GREEN = '#2e7d32';
const GREY = '#9e9e9e';
/** Verdicts in legend order; those a run does not reach stay out of its legend. */
const VERDICTS = ['start', 'promote', 'succeed', 'hold', 'pause', 'resume', 'rollback', 'restore', 'fail', 'abort', 'abandon'] as const;
const verdictColour = (verdict: string) =>
  verdict === 'rollback' || verdict === 'fail' || verdict === 'abort' ? RED : verdict === 'hold' ? GREY : GREEN;

/** One layer of a chart, as Vega-Lite types it. */
type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

const WIDTH = 700;
const HEIGHT = 140;
const X_TITLE = 'minutes since the deployment started';

/** Colour of the judge's lines (absolute bars, tolerance): none of the series' or the decisions'. */
const BAR_COLOUR = '#6a1b9a';

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
