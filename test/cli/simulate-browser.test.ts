/**
 * The HTML report as a person sees it: opened in headless Chromium (Debian's `chromium`), the
 * screenshot must show the weight line, both series of the error and latency charts and the
 * rollback marker. Skipped, saying so, where no Chromium is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../lambdas/core/plan';
import { simulateRollout } from '../../lib/cli/simulate/engine';
import { renderHtml } from '../../lib/cli/simulate/report';
import { NAMED_SCENARIOS } from '../../lib/cli/simulate/scenarios';
import { countColour, readPng, rowsWithColour } from './support/png';

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((name) => spawnSync('which', [name]).status === 0);
// Measured on a page whose charts have no data (legends, axes and a flat weight line only):
// canary 244, baseline 968, rollback 0 pixels; the weight line spans 2 rows. With data: about
// canary 1600, baseline 3200, rollback markers 175 (three dashed lines), weight steps 150 rows.
const CANARY_PIXELS = 800;
const BASELINE_PIXELS = 2000;
const MARKER_PIXELS = 100;
const WEIGHT_STEP_ROWS = 20;
const describeWithBrowser = chromium ? describe : describe.skip;
if (!chromium) process.stderr.write('simulate-browser.test: no chromium installed (apt-get install chromium); screenshot test skipped\n');

describeWithBrowser('simulate report in headless Chromium', () => {
  describe('renderHtml', () => {
    it('shows the charts, both series and the rollback marker', () => {
      const result = simulateRollout({
        service: 'demo',
        plan: compilePlan(DEFAULT_ROLLOUT_PLAN),
        policy: { maxErrorRatePercent: 1, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 },
        scenario: NAMED_SCENARIOS['late-regression'],
        startTime: Date.parse('2026-01-01T00:00:00.000Z'),
      });
      const dir = mkdtempSync(join(tmpdir(), 'canary-report-'));
      const page = join(dir, 'report.html');
      const shot = join(dir, 'report.png');
      writeFileSync(page, renderHtml(result, 'demo'));
      execFileSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1000,950', `--screenshot=${shot}`, `file://${page}`], { stdio: 'ignore', timeout: 60_000 });
      const image = readPng(readFileSync(shot));
      expect([image.width, image.height]).toEqual([1000, 950]);
      const pixels = {
        // Rows of the weight chart (right of its legend) the blue line reaches: steps, not a flat line.
        weightRows: rowsWithColour(image, '#1565c0', { fromX: 300, toX: 960, fromY: 150, toY: 400 }),
        canary: countColour(image, '#e65100'),
        baseline: countColour(image, '#455a64'),
        rollback: countColour(image, '#c62828'),
      };
      process.stdout.write(`screenshot colour counts ${JSON.stringify(pixels)}\n`);
      // Thresholds well above what the legends and the table text alone draw.
      expect(pixels.weightRows).toBeGreaterThan(WEIGHT_STEP_ROWS);
      expect(pixels.canary).toBeGreaterThan(CANARY_PIXELS);
      expect(pixels.baseline).toBeGreaterThan(BASELINE_PIXELS);
      expect(pixels.rollback).toBeGreaterThan(MARKER_PIXELS);
    });
  });
});
