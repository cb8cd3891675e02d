import type { SimulationResult, TimelineEntry } from './engine';
/** The timeline as lines, one per decision, then the outcome. */
export declare function renderTimeline(result: SimulationResult): string[];
interface Series {
    readonly name: string;
    readonly colour: string;
    readonly points: ReadonlyArray<readonly [number, number | undefined]>;
}
/** One SVG line chart over minutes since the start, with the decisions as vertical markers. */
export declare function lineChart(title: string, unit: string, series: readonly Series[], decisions: readonly TimelineEntry[], start: number, end: number, step?: boolean): string;
/** The whole page: three charts and the decision table. */
export declare function renderHtml(result: SimulationResult, service: string, planLines?: readonly string[]): string;
export {};
