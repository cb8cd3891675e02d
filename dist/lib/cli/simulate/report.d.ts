/**
 * Renders a simulation: the timeline as text, and a self-contained HTML page whose charts of
 * weight, error rate and p95 for canary and baseline over time are a Vega-Lite spec rendered to
 * inline SVG by Vega in Node: no script, no external URL, the same page for the same result.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SimulationResult } from './engine';
/** The timeline as lines, one per decision, then the outcome. */
export declare function renderTimeline(result: SimulationResult): string[];
/** Series colours; the screenshot test counts pixels of these exact values. */
declare const SERIES_COLOURS: {
    readonly weight: "#1565c0";
    readonly canary: "#e65100";
    readonly baseline: "#455a64";
};
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
    readonly weight: ReadonlyArray<{
        readonly minute: number;
        readonly series: 'weight';
        readonly value: number;
    }>;
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
/** The data of the charts; pure. */
export declare function chartData(result: SimulationResult): ChartData;
/** The Vega-Lite spec of the three charts, one vconcat over a shared time axis; pure. */
export declare function chartSpec(result: SimulationResult): TopLevelSpec;
declare module 'vega' {
    function resetSVGDefIds(): void;
}
/**
 * The charts as one inline `<svg>` element, rendered by Vega without a browser; the same SVG for
 * the same spec. Vega loads here, not with the CLI: every other command starts without it.
 */
export declare function renderCharts(spec: TopLevelSpec): Promise<string>;
/** The whole page: the outcome, the plan, the charts and the decision table. */
export declare function renderHtml(result: SimulationResult, service: string, planLines?: readonly string[]): Promise<string>;
export {};
