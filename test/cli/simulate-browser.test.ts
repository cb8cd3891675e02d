/**
 * The HTML report as a person sees it: opened in headless Chromium (Debian's `chromium`), the
 * screenshot must show the weight line's steps, both series of the error and latency charts and
 * the rollback marker, and no chart text may fall outside the chart. Skipped, saying so, where
 * no Chromium is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { simulateRollout } from '../../cli/simulate/engine';
import { renderHtml } from '../../cli/simulate/report';
import { NAMED_SCENARIOS } from '../../cli/simulate/scenarios';
import { compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../lambdas/core/rollout-plan';
import { scratchDir } from '../scratch';
import { countColour, readPng, rowsWithColour } from './support/png';

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((name) => spawnSync('which', [name]).status === 0);
// Measured on this page (Chromium 150, 1000×950): with data, weight steps over 36 rows of the
// weight chart, canary 774, baseline 3157 and rollback 248 pixels (three dashed rules and the
// legend's). With the same page's charts empty (no minutes, no decisions): the weight line flat
// on 1 row, canary 32 and baseline 784 (legend symbols; grey text antialiasing matches the
// baseline's colour), rollback 0. The thresholds sit between, about half the measured figures.
const WEIGHT_STEP_ROWS = 20;
const CANARY_PIXELS = 380;
const BASELINE_PIXELS = 2000;
const MARKER_PIXELS = 120;
/** The weight chart's plot in the screenshot, below the legends: only the line's steps reach many rows. */
const WEIGHT_PLOT = { fromX: 100, toX: 790, fromY: 215, toY: 375 };
const WINDOW = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1000,950'];
const describeWithBrowser = chromium ? describe : describe.skip;
if (!chromium) process.stderr.write('simulate-browser.test: no chromium installed (apt-get install chromium); screenshot test skipped\n');

/**
 * A copy of the page with a script that lists the chart's texts Chromium lays out (its fonts,
 * not Vega's estimates) outside the SVG, which would be cut off. The report itself has no script.
 */
const CLIP_PROBE = `<script>
const svg = document.querySelector('#charts svg');
const box = svg.getBoundingClientRect();
const texts = [...svg.querySelectorAll('text')].map((t) => [t.textContent, t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
const outside = texts.filter(([, r]) => r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom).map(([text]) => text);
document.body.setAttribute('data-probe', JSON.stringify({ texts: texts.length, outside }));
</script>`;

describeWithBrowser('simulate report in headless Chromium', () => {
  describe('renderHtml', () => {
    const result = simulateRollout({
      service: 'demo',
      plan: compilePlan(DEFAULT_ROLLOUT_PLAN),
      policy: { maxErrorRatePercent: 1, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 },
      scenario: NAMED_SCENARIOS['late-regression'],
      startTime: Date.parse('2026-01-01T00:00:00.000Z'),
    });
    const dir = scratchDir('canary-report-');
    let html: string;
    beforeAll(async () => {
      html = await renderHtml(result, 'demo');
    });

    it('shows the charts, both series and the rollback marker', () => {
      const page = join(dir, 'report.html');
      const shot = join(dir, 'report.png');
      writeFileSync(page, html);
      execFileSync(chromium!, [...WINDOW, `--screenshot=${shot}`, `file://${page}`], { stdio: 'ignore', timeout: 60_000 });
      const image = readPng(readFileSync(shot));
      expect([image.width, image.height]).toEqual([1000, 950]);
      const pixels = {
        weightRows: rowsWithColour(image, '#1565c0', WEIGHT_PLOT),
        canary: countColour(image, '#e65100'),
        baseline: countColour(image, '#455a64'),
        rollback: countColour(image, '#c62828'),
      };
      expect(pixels.weightRows).toBeGreaterThan(WEIGHT_STEP_ROWS);
      expect(pixels.canary).toBeGreaterThan(CANARY_PIXELS);
      expect(pixels.baseline).toBeGreaterThan(BASELINE_PIXELS);
      expect(pixels.rollback).toBeGreaterThan(MARKER_PIXELS);
    });

    it('lays every chart text out inside the chart, none cut off', () => {
      const page = join(dir, 'probe.html');
      writeFileSync(page, html.replace('</body>', `${CLIP_PROBE}</body>`));
      const dom = execFileSync(chromium!, [...WINDOW, '--dump-dom', `file://${page}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 60_000,
      });
      const probe = JSON.parse(decodeHtml(/data-probe="([^"]*)"/.exec(dom)![1])) as { texts: number; outside: string[] };
      // Titles, axis labels and titles, legend titles and labels.
      expect(probe.texts).toBeGreaterThan(40);
      expect(probe.outside).toEqual([]);
    });
  });
});

function decodeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
