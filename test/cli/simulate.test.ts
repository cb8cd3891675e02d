import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as controller from '../../lambdas/core/controller';
import { compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../lambdas/core/plan';
import { simulateRollout, type SimulationResult } from '../../lib/cli/simulate/engine';
import { lineChart, renderHtml, renderTimeline } from '../../lib/cli/simulate/report';
import { NAMED_SCENARIOS, resolveScenario } from '../../lib/cli/simulate/scenarios';
import { run } from './harness';
import { scenarioDetection } from '../../lib/cli/commands/simulate';
import { renderPlan } from '../../lib/plan/render';

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
    it.each(['clean', 'low-traffic'])('takes the %s release through 5, 25, 50 and 100%% to success', (name) => {
      const result = simulate(name);
      expect(result.outcome).toBe('Succeeded');
      expect(shifts(result)).toEqual([5, 25, 50, 100]);
      expect(result.timeline.at(-1)).toMatchObject({ hook: 'AfterAllowTraffic', verdict: 'succeed' });
      // Each stage promoted only after its bake: 5 + 10 + 15 data-minutes to 100%, 15 more at 100%.
      const at = (weight: number) => result.timeline.find((e) => e.weight === weight)!.at;
      expect(at(100) - at(5)).toBeGreaterThanOrEqual(30 * 60_000);
      expect(result.endTime - at(100)).toBeGreaterThanOrEqual(15 * 60_000);
    });

    it.each<[string, number[], RegExp]>([
      ['errors-5pp', [5, 0], /canary 5xx/],
      ['latency', [5, 0], /p95 is above 1\.5× the original's: .* slower than \d+ ms/],
      ['crash', [5, 0], /./],
      ['late-regression', [5, 25, 0], /canary 5xx/],
      ['too-quiet', [5, 0], /insufficient evidence: .* Hint: a service this quiet/],
    ])('rolls back %s (weights %j) with the judge reason', (name, weights, reason) => {
      const result = simulate(name);
      expect(result.outcome).toBe('Failed');
      expect(shifts(result)).toEqual(weights);
      expect(result.reason).toMatch(reason);
    });

    it("gives each window's first tick the original's history and the rollout record of the windows before", () => {
      const spy = jest.spyOn(controller, 'next');
      try {
        simulateRollout({ service: 'demo', plan, policy, scenario: NAMED_SCENARIOS.clean, startTime: START });
        const starts = spy.mock.calls.filter(([state]) => state.status === 'starting');
        expect(starts.map(([state]) => state.hook)).toEqual(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']);
        for (const [, observation, now] of starts) {
          expect(observation.metrics).toBeUndefined();
          // The hour before: complete minutes only (CloudWatch is 1–3 minutes late).
          expect(observation.history!.length).toBeGreaterThanOrEqual(55);
          expect(observation.history!.every((b) => b.start >= now - 60 * 60_000 && b.start + 60_000 <= now - 90_000)).toBe(true);
        }
        const [first, ...later] = starts.map(([, observation]) => observation.rollout);
        expect(first).toBeNull();
        expect(later).toEqual([expect.objectContaining({ startedAt: starts[0][2], slowThresholdMs: expect.any(Number) }), later[0]]);
        // Every judged tick reads the whole rollout: the replacement from the first shift, the original an hour before it.
        const judged = spy.mock.calls.filter(([state]) => state.status === 'baking');
        const last = judged[judged.length - 1][1].metrics!;
        expect(last.replacement[0].start).toBeLessThanOrEqual(starts[0][2]);
        expect(last.original[0].start).toBeLessThanOrEqual(starts[0][2] - 55 * 60_000);
      } finally {
        spy.mockRestore();
      }
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
      ['nope', /neither a named scenario nor a readable file; accepted: clean, errors-5pp, latency, crash, late-regression, low-traffic, too-quiet/],
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

    it('prints what the plan can detect at the scenario\'s traffic before the timeline, and puts it in the HTML report', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'canary-sim-')), 'report.html');
      const result = await run(['simulate', 'demo', '--scenario', 'clean', '--html', file]);
      const expected = renderPlan('demo', scenarioDetection(plan, NAMED_SCENARIOS.clean, policy));
      expect(result.stdout.lines().slice(0, expected.length)).toEqual(expected);
      expect(readFileSync(file, 'utf8')).toContain('<pre id="plan">canary plan demo at');
      const json = await run(['--json', 'simulate', 'demo', '--scenario', 'clean']);
      expect(JSON.parse(json.stdout.lines()[0])).toMatchObject({ type: 'plan', stages: expect.any(Array) });
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
