/**
 * Renders a simulation as a self-contained HTML page whose charts of weight, error rate and p95 for
 * canary and baseline over time are a Vega-Lite spec (`chart-spec.ts`) rendered to inline SVG by
 * Vega in Node: no script, no external URL, the same page for the same result. The timeline as
 * text is `timeline-text.ts`; this module re-exports it and the charts' data and spec.
 */
import type { TopLevelSpec } from 'vega-lite';

import type { JudgePolicy } from '../../lambdas/core/judge';
import { UsageError } from '../exit';
import { withoutVerdict } from '../progress/verdict-text';
import { chartSpec } from './chart-spec';
import type { SimulationResult } from './engine';
import { clockOf, decidedAt } from './timeline-text';

export { type ChartData, chartData, type DecisionPoint, judgeLines, type Series, type SeriesPoint } from './chart-data';
export { chartSpec } from './chart-spec';
export { decidedAt, outcomeText, renderTimeline } from './timeline-text';

/** What "evidence X ≥ Y" in a reason means, shown under the charts. */
export const EVIDENCE_NOTE =
  "evidence X ≥ Y in a reason: X is the judge's sequential evidence, a likelihood ratio built up minute by minute, that the canary is worse than the original by more than the tolerance; " +
  'Y is the bar a rollback needs, set so that a canary within the tolerance reaches it with probability at most α (docs/judge.md).';

// Vega numbers the SVG clip paths from a counter in the module; it exports the reset, untyped.
declare module 'vega' {
  export function resetSVGDefIds(): void;
}

/** The command that installs the chart packages, in the ranges of package.json's peerDependencies. */
export const CHART_PACKAGES_INSTALL = 'npm install vega@^5.33.1 vega-lite@^5.23.0';

const importChartPackages = () => Promise.all([import('vega'), import('vega-lite')]);
type ChartPackages = Awaited<ReturnType<typeof importChartPackages>>;

const isNotFound = (error: unknown, name: string): boolean =>
  ['MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND'].includes(String((error as { code?: unknown })?.code)) &&
  String((error as Error).message).includes(`'${name}'`);

/**
 * Vega and Vega-Lite, loaded only to draw the charts: they are optional peer dependencies, so an
 * app that uses the constructs does not install them. A missing one is named, with the command
 * that installs both (exit 2).
 */
export async function loadChartPackages(load: () => Promise<ChartPackages> = importChartPackages): Promise<ChartPackages> {
  try {
    return await load();
  } catch (error) {
    const missing = ['vega', 'vega-lite'].find((name) => isNotFound(error, name));
    if (!missing) throw error;
    throw new UsageError(
      `--html draws its charts with vega and vega-lite, optional peer dependencies of ecs-canary, and ${missing} is not installed: run ${CHART_PACKAGES_INSTALL}`,
      { cause: error },
    );
  }
}

/** Renders one at a time, so each render's clip ids start at 1 whatever else is rendering. */
let rendering: Promise<unknown> = Promise.resolve();

/**
 * The charts as one inline `<svg>` element, rendered by Vega without a browser; the same SVG for
 * the same spec. Vega loads here, not with the CLI: every other command starts without it.
 */
export async function renderCharts(spec: TopLevelSpec): Promise<string> {
  const [{ parse, resetSVGDefIds, View }, { compile }] = await loadChartPackages();
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
