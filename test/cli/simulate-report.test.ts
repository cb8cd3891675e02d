/**
 * What the simulation's HTML report and terminal output explain: the judge's bars and tolerance
 * as labelled lines, what "evidence X ≥ Y" means, a weight axis where 5% is visible, a decision
 * table with a header and the weight a decision was taken at, and a failed run's reason said once,
 * at the end, without the verdict twice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { UsageError } from '../../cli/exit';
import { verdictText } from '../../cli/progress/verdict-text';
import { simulateRollout } from '../../cli/simulate/engine';
import {
  CHART_PACKAGES_INSTALL,
  chartSpec,
  decidedAt,
  EVIDENCE_NOTE,
  judgeLines,
  loadChartPackages,
  renderHtml,
  renderTimeline,
} from '../../cli/simulate/report';
import { NAMED_SCENARIOS } from '../../cli/simulate/scenarios';
import { compilePlan } from '../../lambdas/core/rollout-plan';
import { loadServiceConfigFile } from '../../lib/config';
import { run } from './harness';

const config = loadServiceConfigFile(join(__dirname, '../../services/demo.yaml'));
const simulate = (scenario: keyof typeof NAMED_SCENARIOS) =>
  simulateRollout({
    service: 'demo',
    plan: compilePlan(config.rollout),
    policy: config.thresholds,
    scenario: NAMED_SCENARIOS[scenario],
    startTime: Date.parse('2026-01-01T00:00:00.000Z'),
  });

type AnyLayer = {
  mark: { type: string } | string;
  data?: { values?: Array<{ value: number; label: string }> };
  encoding?: { y?: { scale?: { type?: string; domain?: number[] } } };
  layer?: AnyLayer[];
};

describe('the simulation report', () => {
  const result = simulate('errors-5pp');

  describe('judgeLines', () => {
    it("draws the absolute bars and the tolerance above the original's rate, named by their fields", () => {
      const lines = judgeLines(result, config.thresholds);
      expect(lines.errors.map((l) => l.label)).toEqual([
        'bar: error rate 1% (maxErrorRatePercent)',
        expect.stringMatching(/^tolerance: original 0\.\d+% \+ 1 pp \(maxErrorIncreasePp\)$/),
      ]);
      expect(lines.errors[1].value).toBeGreaterThan(1);
      expect(lines.errors[1].value).toBeLessThan(1.5);
      expect(lines.latency).toEqual([{ value: 1000, label: 'bar: p95 1000 ms (maxP95Ms)', side: 'right' }]);
    });
  });

  describe('chartSpec', () => {
    const charts = (chartSpec(result, config.thresholds) as unknown as { vconcat: Array<{ layer: AnyLayer[] }> }).vconcat;

    it('puts each judge line on its chart as a rule with a text label, inside the y scale', () => {
      for (const [chart, expected] of [
        [charts[1], judgeLines(result, config.thresholds).errors],
        [charts[2], judgeLines(result, config.thresholds).latency],
      ] as const) {
        const rules = chart.layer.filter((l) => (l.mark as { type: string }).type === 'rule' && l.data?.values);
        const texts = chart.layer.filter((l) => (l.mark as { type: string }).type === 'text');
        expect(rules.flatMap((l) => l.data!.values!.map((v) => v.value))).toEqual(expected.map((l) => l.value));
        expect(texts.flatMap((l) => l.data!.values!.map((v) => v.label)).sort()).toEqual(expected.map((l) => l.label).sort());
        const top = rules[0].encoding!.y!.scale!.domain![1];
        for (const line of expected) expect(line.value).toBeLessThanOrEqual(top);
      }
    });

    it('draws no judge line without the thresholds', () => {
      const plain = (chartSpec(result) as unknown as { vconcat: Array<{ layer: AnyLayer[] }> }).vconcat;
      expect(plain.flatMap((c) => c.layer).filter((l) => (l.mark as { type: string }).type === 'text')).toEqual([]);
    });

    it('scales the weight axis by square root, with a 5% tick: 5% is a fifth of the height, not a hair', () => {
      const weight = charts[0].layer.find((l) => JSON.stringify(l).includes('"step-after"')) as unknown as {
        encoding: { y: { scale: { type: string; domain: number[] }; axis: { values: number[] } } };
      };
      expect(weight.encoding.y.scale).toEqual({ type: 'sqrt', domain: [0, 100] });
      expect(weight.encoding.y.axis.values).toContain(5);
      expect(Math.sqrt(5 / 100)).toBeGreaterThan(0.2);
    });
  });

  describe('renderHtml', () => {
    let html: string;
    beforeAll(async () => {
      html = await renderHtml(result, 'demo', [], config.thresholds);
    });

    it('labels the judge\'s lines in the charts and explains "evidence X ≥ Y" under them', () => {
      expect(html).toContain('>bar: error rate 1% (maxErrorRatePercent)</text>');
      expect(html).toContain('>bar: p95 1000 ms (maxP95Ms)</text>');
      expect(html).toMatch(/>tolerance: original 0\.\d+% \+ 1 pp \(maxErrorIncreasePp\)<\/text>/);
      expect(html).toContain(`<p class="note" id="evidence">${EVIDENCE_NOTE.replace(/'/g, '&#39;')}</p>`);
      expect(result.reason).toMatch(/evidence \d+ ≥ \d+/);
    });

    it('gives the decision table a header and the weight a rollback was decided at, not the 0% after it', () => {
      expect(html).toMatch(
        /<table id="decisions"><thead><tr><th>time<\/th><th>hook<\/th><th[^>]*>at<\/th><th[^>]*>weight after<\/th><th>verdict<\/th><th>reason<\/th><\/tr><\/thead>/,
      );
      const rollback = /<tr class="rollback">(.*?)<\/tr>/.exec(html)![1];
      expect([...rollback.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]).slice(1, 5)).toEqual([
        'AfterAllowTestTraffic',
        '5%',
        '0%',
        'rollback',
      ]);
      expect(rollback).not.toContain('rollback: canary');
    });
  });

  describe('the terminal', () => {
    it('lists each decision at the weight it was taken at, under a header', () => {
      const lines = renderTimeline(result);
      expect(lines[1]).toMatch(/^time\s+hook\s+at\s+verdict\s+reason$/);
      expect(lines.at(-2)).toMatch(/^T\+\s+\d+:\d\d\s+AfterAllowTestTraffic\s+5%\s+rollback\s+\(the reason is the last line\)$/);
      expect(decidedAt(result.timeline.at(-1)!)).toBe(5);
    });

    it("prints a failed run's reason once, on the last line, with the verdict said once", async () => {
      const { stdout, stderr, code } = await run(['simulate', 'demo', '--scenario', 'errors-5pp']);
      expect(code).toBe(1);
      const all = `${stdout.text}${stderr.text}`;
      const reason = result.reason.replace(/^rollback: /, '');
      expect(all.split(reason).length - 1).toBe(1);
      expect(stderr.lines().at(-1)).toBe(`failed: simulated rollout rolled back at 5%: ${reason}`);
      expect(all).not.toMatch(/rollback: rollback:|rolled back: rollback:/);
    });

    it.each([
      ['rollback', 'rollback: canary 5xx 3.4%', 'rollback: canary 5xx 3.4%'],
      ['hold', 'hold (3 min left): baking', 'hold: hold (3 min left): baking'],
      ['promote', 'promoted from 5% to 25%', 'promote: promoted from 5% to 25%'],
    ])('says the verdict %s once before its reason', (verdict, reason, expected) => {
      expect(verdictText(verdict, reason)).toBe(expected);
    });
  });

  describe('loadChartPackages', () => {
    /** What Node throws for a package that is not installed. */
    const notFound = (name: string) =>
      Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /app/node_modules/ecs-canary/dist/cli/simulate/report.js`), {
        code: 'MODULE_NOT_FOUND',
      });

    it.each(['vega', 'vega-lite'])('names a missing %s and the command that installs both, as a usage error', async (name) => {
      const error = await loadChartPackages(() => Promise.reject(notFound(name))).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        `--html draws its charts with vega and vega-lite, optional peer dependencies of ecs-canary, and ${name} is not installed: run npm install vega@^5.33.1 vega-lite@^5.23.0`,
      );
    });

    it('passes on any other failure as it is', async () => {
      const other = notFound('d3-array');
      await expect(loadChartPackages(() => Promise.reject(other))).rejects.toBe(other);
    });

    it("installs the ranges of package.json's optional peer dependencies", () => {
      const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
        peerDependencies: Record<string, string>;
        peerDependenciesMeta: Record<string, { optional?: boolean }>;
      };
      expect(CHART_PACKAGES_INSTALL).toBe(`npm install vega@${pkg.peerDependencies.vega} vega-lite@${pkg.peerDependencies['vega-lite']}`);
      expect([pkg.peerDependenciesMeta.vega, pkg.peerDependenciesMeta['vega-lite']]).toEqual([{ optional: true }, { optional: true }]);
    });
  });
});
