"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.renderTimeline = renderTimeline;
exports.lineChart = lineChart;
exports.renderHtml = renderHtml;
const minutesFrom = (start, at) => (at - start) / 60_000;
const clockOf = (start, at) => {
    const m = Math.round(minutesFrom(start, at) * 60) / 60;
    const whole = Math.floor(m);
    return `T+${String(whole).padStart(3, ' ')}:${String(Math.round((m - whole) * 60)).padStart(2, '0')}`;
};
/** The timeline as lines, one per decision, then the outcome. */
function renderTimeline(result) {
    const lines = [`simulate ${result.scenario}: ${result.timeline.length} decisions`];
    for (const e of result.timeline) {
        lines.push(`${clockOf(result.startTime, e.at)}  ${e.hook.padEnd(21)} ${String(e.weight).padStart(3)}%  ${(e.verdict ?? '-').padEnd(8)} ${e.reason}`);
    }
    lines.push(`outcome: ${result.outcome} after ${Math.round(minutesFrom(result.startTime, result.endTime))} min: ${result.reason}`);
    return lines;
}
const WIDTH = 900;
const HEIGHT = 220;
const PAD = { left: 56, right: 16, top: 24, bottom: 28 };
function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
/** One SVG line chart over minutes since the start, with the decisions as vertical markers. */
function lineChart(title, unit, series, decisions, start, end, step = false) {
    const xs = [minutesFrom(start, start - 10 * 60_000), minutesFrom(start, end)];
    const values = series.flatMap((s) => s.points.map(([, y]) => y).filter((y) => y !== undefined));
    const maxY = Math.max(1e-9, ...values) * 1.1;
    const x = (m) => PAD.left + ((m - xs[0]) / Math.max(1e-9, xs[1] - xs[0])) * (WIDTH - PAD.left - PAD.right);
    const y = (v) => HEIGHT - PAD.bottom - (v / maxY) * (HEIGHT - PAD.top - PAD.bottom);
    const paths = series.map((s) => {
        let d = '';
        let pen = false;
        let lastY;
        for (const [m, v] of s.points) {
            if (v === undefined) {
                pen = false;
                continue;
            }
            if (step && pen && lastY !== undefined)
                d += `L${x(m).toFixed(1)},${y(lastY).toFixed(1)}`;
            d += `${pen ? 'L' : 'M'}${x(m).toFixed(1)},${y(v).toFixed(1)}`;
            pen = true;
            lastY = v;
        }
        return `<path class="series" data-series="${escapeHtml(s.name)}" d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"/>`;
    });
    const markers = decisions.map((e) => {
        const colour = e.verdict === 'rollback' || e.verdict === 'fail' || e.verdict === 'abort' ? '#c62828' : e.verdict === 'hold' ? '#9e9e9e' : '#2e7d32';
        // Whole pixel + 0.5: a 1 px line drawn crisp, in its exact colour.
        const mx = (Math.round(x(minutesFrom(start, e.at))) + 0.5).toFixed(1);
        const faint = e.verdict === 'hold' ? ' stroke-opacity="0.3"' : '';
        return `<line class="decision" data-verdict="${escapeHtml(e.verdict ?? '')}" x1="${mx}" x2="${mx}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="${colour}"${faint} stroke-dasharray="3,3"><title>${escapeHtml(`${clockOf(start, e.at)} ${e.hook} ${e.verdict ?? ''}: ${e.reason}`)}</title></line>`;
    });
    const ticks = [0, 0.5, 1].map((f) => `<text x="${PAD.left - 6}" y="${y(maxY * f / 1.1).toFixed(1)}" text-anchor="end" font-size="11">${(maxY * f / 1.1).toFixed(maxY < 10 ? 2 : 0)}${unit}</text>`);
    const xTicks = [];
    for (let m = 0; m <= xs[1]; m += 10)
        xTicks.push(`<text x="${x(m).toFixed(1)}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="middle" font-size="11">${m}</text>`);
    const legend = series.map((s, i) => `<text x="${PAD.left + 10 + i * 140}" y="16" font-size="12" fill="${s.colour}">■ ${escapeHtml(s.name)}</text>`);
    return [
        `<figure><figcaption>${escapeHtml(title)}</figcaption>`,
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">`,
        `<rect x="${PAD.left}" y="${PAD.top}" width="${WIDTH - PAD.left - PAD.right}" height="${HEIGHT - PAD.top - PAD.bottom}" fill="#fafafa" stroke="#ddd"/>`,
        ...ticks,
        ...xTicks,
        `<text x="${WIDTH - PAD.right}" y="${PAD.top - 8}" text-anchor="end" font-size="11">minutes since the deployment started</text>`,
        ...markers,
        ...paths,
        ...legend,
        '</svg></figure>',
    ].join('\n');
}
const rate = (g) => (g.requests > 0 ? ((g.errors5xx + g.connectionErrors) / g.requests) * 100 : undefined);
/** The whole page: three charts and the decision table. */
function renderHtml(result, service, planLines = []) {
    const at = (m) => minutesFrom(result.startTime, m.start + 30_000);
    const decisions = result.timeline.filter((e) => e.verdict !== undefined);
    const weightPoints = [[-10, 0]];
    for (const e of result.timeline)
        weightPoints.push([minutesFrom(result.startTime, e.at), e.weight]);
    weightPoints.push([minutesFrom(result.startTime, result.endTime), weightPoints[weightPoints.length - 1][1]]);
    const charts = [
        lineChart('Replacement weight (% of production)', '%', [{ name: 'weight', colour: '#1565c0', points: weightPoints }], decisions, result.startTime, result.endTime, true),
        lineChart('Error rate per minute (5xx + connection errors)', '%', [
            { name: 'canary', colour: '#e65100', points: result.minutes.map((m) => [at(m), rate(m.canary)]) },
            { name: 'baseline', colour: '#455a64', points: result.minutes.map((m) => [at(m), rate(m.baseline)]) },
        ], decisions, result.startTime, result.endTime),
        lineChart('p95 latency per minute', ' ms', [
            { name: 'canary', colour: '#e65100', points: result.minutes.map((m) => [at(m), m.canary.p95Ms]) },
            { name: 'baseline', colour: '#455a64', points: result.minutes.map((m) => [at(m), m.baseline.p95Ms]) },
        ], decisions, result.startTime, result.endTime),
    ];
    const rows = result.timeline.map((e) => `<tr class="${escapeHtml(e.verdict ?? '')}"><td>${escapeHtml(clockOf(result.startTime, e.at))}</td><td>${escapeHtml(e.hook)}</td><td>${e.weight}%</td><td>${escapeHtml(e.verdict ?? '')}</td><td>${escapeHtml(e.reason)}</td></tr>`);
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ecs-canary simulation: ${escapeHtml(service)} / ${escapeHtml(result.scenario)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#212121}figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}
table{border-collapse:collapse;font-size:13px}td{border-bottom:1px solid #eee;padding:3px 8px;vertical-align:top}td:first-child{white-space:nowrap}
tr.rollback td,tr.fail td{color:#c62828}tr.promote td,tr.succeed td,tr.start td{color:#2e7d32}.outcome{font-size:18px;font-weight:600}.outcome.failed{color:#8e0000}.outcome.ok{color:#1b5e20}</style></head>
<body><h1>${escapeHtml(service)}: scenario ${escapeHtml(result.scenario)}</h1>
<p class="outcome ${result.outcome === 'Succeeded' ? 'ok' : 'failed'}" id="outcome">${escapeHtml(result.outcome)}: ${escapeHtml(result.reason)}</p>
${planLines.length ? `<h2>What this plan can detect at this traffic</h2><pre id="plan">${escapeHtml(planLines.join('\n'))}</pre>\n` : ''}${charts.join('\n')}
<h2>Decisions</h2><table><tbody>${rows.join('')}</tbody></table>
</body></html>
`;
}
