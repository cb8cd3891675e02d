import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../lambdas/core/plan';
import { simulateRollout, type SimulationResult } from '../../lib/cli/simulate/engine';
import { lineChart, renderHtml, renderTimeline } from '../../lib/cli/simulate/report';
import { NAMED_SCENARIOS, resolveScenario } from '../../lib/cli/simulate/scenarios';
import { run } from './harness';

const plan = compilePlan(DEFAULT_ROLLOUT_PLAN);
const policy = { maxErrorRatePercent: 1, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 };
const START = Date.parse('2026-01-01T00:00:00.000Z');
const cache = new Map<string, SimulationResult>();
const simulate = (name: string) => {
  if (!cache.has(name)) cache.set(name, simulateRollout({ service: 'demo', plan, policy, scenario: NAMED_SCENARIOS[name], startTime: START }));
  return cache.get(name)!;
};
/** The replacement weights the rollout went through, in order. */
const shifts = (result: SimulationResult) => result.timeline.map((e) => e.weight).filter((w, i, all) => i === 0 || w !== all[i - 1]);

describe('simulate', () => {
  describe('simulateRollout', () => {
    it('takes a clean release through 5, 25, 50 and 100% to success', () => {
      const result = simulate('clean');
      expect(result.outcome).toBe('Succeeded');
      expect(shifts(result)).toEqual([5, 25, 50, 100]);
      expect(result.timeline.at(-1)).toMatchObject({ hook: 'AfterAllowTraffic', verdict: 'succeed' });
    });

    it.each<[string, number[], RegExp]>([
      ['errors-5pp', [5, 0], /canary 5xx/],
      ['latency', [5, 0], /slow requests/],
      ['crash', [5, 0], /./],
      ['late-regression', [5, 25, 0], /error rate/],
      ['low-traffic', [5, 0], /insufficient evidence/],
    ])('rolls back %s (weights %j) with the judge reason', (name, weights, reason) => {
      const result = simulate(name);
      expect(result.outcome).toBe('Failed');
      expect(shifts(result)).toEqual(weights);
      expect(result.reason).toMatch(reason);
    });

    it('is deterministic for a seed', () => {
      const again = simulateRollout({ service: 'demo', plan, policy, scenario: NAMED_SCENARIOS['errors-5pp'], startTime: START });
      expect(again.timeline).toEqual(simulate('errors-5pp').timeline);
    });
  });

  describe('report', () => {
    it('renders the timeline with the outcome last', () => {
      const lines = renderTimeline(simulate('errors-5pp'));
      expect(lines[0]).toMatch(/^simulate errors-5pp: \d+ decisions$/);
      expect(lines.at(-1)).toMatch(/^outcome: Failed after \d+ min: rollback: canary 5xx/);
    });

    it('writes three charts with canary and baseline series and every decision marked', () => {
      const result = simulate('late-regression');
      const html = renderHtml(result, 'demo');
      expect(html.match(/<svg /g)).toHaveLength(3);
      expect(html.match(/data-series="canary"/g)).toHaveLength(2);
      expect(html.match(/data-series="baseline"/g)).toHaveLength(2);
      const decisions = result.timeline.filter((e) => e.verdict !== undefined).length;
      expect(html.match(/class="decision"/g)).toHaveLength(3 * decisions);
      expect(html).toContain('data-verdict="rollback"');
      expect(html).not.toMatch(/<script/);
      for (const path of html.match(/ d="[^"]*"/g) ?? []) expect(path).toMatch(/^ d="M[\d.]+,[\d.]+/);
    });

    it('escapes text into the page', () => {
      const chart = lineChart('<b>', '%', [{ name: 'a&b', colour: '#000', points: [[0, 1], [1, 2]] }], [{ at: START, hook: 'AfterAllowTestTraffic', weight: 5, verdict: 'hold', reason: '<script>' }], START, START + 60_000);
      expect(chart).not.toContain('<script>');
      expect(chart).toContain('&lt;script&gt;');
      expect(chart).toContain('a&amp;b');
    });
  });

  describe('resolveScenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-sim-'));

    it('reads a scenario file', () => {
      const file = join(dir, 'mine.json');
      writeFileSync(file, JSON.stringify({ ...NAMED_SCENARIOS.clean, name: 'mine' }));
      expect(resolveScenario(file).name).toBe('mine');
    });

    it.each([
      ['nope', /neither a named scenario nor a readable file; accepted: clean, errors-5pp, latency, crash, late-regression, low-traffic/],
    ])('rejects %s naming what is accepted', (name, message) => {
      expect(() => resolveScenario(name)).toThrow(message);
    });
  });

  describe('canary simulate', () => {
    it('exits 0 for a clean rollout and writes the HTML report', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'canary-sim-')), 'report.html');
      const result = await run(['simulate', 'demo', '--scenario', 'clean', '--html', file]);
      expect(result.code).toBe(0);
      expect(result.stdout.lines().at(-1)).toBe(`wrote ${file}`);
      expect(readFileSync(file, 'utf8')).toContain('id="outcome">Succeeded');
    });

    it('exits 1 when the simulated rollout rolls back, reason last', async () => {
      const result = await run(['simulate', 'demo', '--scenario', 'errors-5pp']);
      expect(result.code).toBe(1);
      expect(result.stderr.lines().at(-1)).toMatch(/^failed: simulated rollout rolled back: rollback: canary 5xx/);
    });

    it('prints decisions and exactly one result event with --json', async () => {
      const result = await run(['--json', 'simulate', 'demo', '--scenario', 'errors-5pp']);
      const events = result.stdout.lines().map((l) => JSON.parse(l));
      expect(events.filter((e) => e.type === 'result')).toEqual([expect.objectContaining({ exitCode: 1, reason: expect.stringMatching(/canary 5xx/) })]);
      expect(events.filter((e) => e.type === 'decision').length).toBeGreaterThan(1);
    });

    it.each<[string[], RegExp]>([
      [['simulate', 'demo', '--scenario', 'nope'], /neither a named scenario/],
      [['simulate', 'ghost', '--scenario', 'clean'], /cannot read services\/ghost.yaml/],
      [['simulate', 'demo'], /required option '--scenario/],
    ])('exits 2 on %j', async (argv, message) => {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.stderr.lines().at(-1)).toMatch(message);
    });
  });
});
