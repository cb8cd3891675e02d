import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { scenarioDetection } from '../../cli/commands/simulate';
import { renderPlan } from '../../cli/forecast/forecast-text';
import { simulateRollout, type SimulationResult } from '../../cli/simulate/engine';
import { chartData, chartSpec, renderHtml, renderTimeline, type SeriesPoint } from '../../cli/simulate/report';
import { NAMED_SCENARIOS, resolveScenario } from '../../cli/simulate/scenarios';
import * as controller from '../../lambdas/core/controller';
import { run } from './harness';

/** A named pipe nobody writes to: reading it would block. */
function fifo(): string {
  const file = join(scratchDir('canary-sim-'), 'scenario.fifo');
  expect(spawnSync('mkfifo', [file]).status).toBe(0);
  return file;
}

function bigFile(): string {
  const file = join(scratchDir('canary-sim-'), 'big.json');
  writeFileSync(file, ' '.repeat(1024 * 1024 + 1));
  return file;
}
import { scratchDir } from '../scratch';
import { plan, policy, simulate, START } from './support/simulations';

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
      // Every request ×2 slower: 12% above E, within the warm-up's allowance for the first three minutes, so caught at 25%.
      ['latency', [5, 25, 0], /p95 is above 1\.5× the original's: .* slower than \d+ ms/],
      ['crash', [5, 0], /./],
      ['late-regression', [5, 25, 0], /canary 5xx/],
      ['too-quiet', [5, 0], /insufficient evidence: .* Hint: at 5% the canary gets about .* a weight of at least \d+% for this step/],
      // Orders per request 10% → 8% on the canary: the KPI comparison rolls back, naming the metric and both versions' figures.
      [
        'kpi-drop',
        [5, 25, 0],
        /orders: the canary's orders per request is 8\.\d% vs the original's (9\.\d|10\.\d)% \(-\d+\.\d%\), lower by more than the 5\.0% tolerated/,
      ],
      // Memory 300 → 450 MB on the canary: the value comparison (Average, 20% tolerated) rolls back, naming the metric.
      [
        'kpi-memory',
        [5, 25, 0],
        /memory: the canary's Average of memory is higher than 20\.0% beyond the original's: \d+(\.\d)?% of its samples are above 3\d\d/,
      ],
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
      expect(lines.at(-1)).toMatch(/^outcome: Failed after \d+ min, rolled back at 5% \(the reason is the last line\)$/);
    });

    describe('chartData', () => {
      const result = simulate('late-regression');
      const data = chartData(result);
      const minute = (at: number) => (at - START) / 60_000;
      const rollback = minute(result.timeline.find((e) => e.verdict === 'rollback')!.at);
      const lastMinuteEnd = minute(result.minutes.at(-1)!.start) + 1;
      const values = (points: readonly SeriesPoint[], series: string) => points.filter((p) => p.series === series && p.value !== null);

      it('spans the run from ten minutes before on an axis ticked every 5 minutes', () => {
        expect(data.domain[0]).toBe(-10);
        expect(data.domain[1]).toBeGreaterThanOrEqual(lastMinuteEnd);
        expect(data.ticks[0]).toBe(-10);
        expect(data.ticks.length).toBeGreaterThanOrEqual(5);
        expect(data.ticks.at(-1)).toBeGreaterThan(rollback);
        for (let i = 1; i < data.ticks.length; i++) expect(data.ticks[i] - data.ticks[i - 1]).toBe(5);
      });

      it('keeps every point inside the axes: the baseline after the deployment ended too', () => {
        const inX = (m: number) => m >= data.domain[0] && m <= data.domain[1];
        for (const p of [...data.weight, ...data.errors, ...data.latency, ...data.markers, ...data.holds]) expect(inX(p.minute)).toBe(true);
        expect(values(data.errors, 'baseline').some((p) => p.minute > rollback + 3)).toBe(true);
        for (const p of values(data.errors, 'baseline')) expect(p.value).toBeLessThanOrEqual(data.errorMax);
        for (const p of values(data.latency, 'baseline')) expect(p.value).toBeLessThanOrEqual(data.latencyMax);
      });

      it('ends the canary series at the rollback: no point after it, and no 0 in its place', () => {
        for (const points of [data.errors, data.latency]) {
          const canary = values(points, 'canary');
          expect(canary.length).toBeGreaterThan(5);
          expect(Math.max(...canary.map((p) => p.minute))).toBeLessThan(rollback);
          const after = points.filter((p) => p.series === 'canary' && p.minute > rollback);
          expect(after.length).toBeGreaterThan(0);
          expect(after.every((p) => p.value === null)).toBe(true);
        }
        // Before the rollout the canary served nothing either: absent, not 0.
        expect(data.errors.filter((p) => p.series === 'canary' && p.minute < 0).every((p) => p.value === null)).toBe(true);
      });

      it('steps the weight through the shifts and marks every decision but the holds', () => {
        expect(data.weight.map((p) => p.value)).toEqual([0, 5, 25, 0, 0]);
        expect(data.weight.at(-1)!.minute).toBe(data.domain[1]);
        const decided = result.timeline.filter((e) => e.verdict !== undefined && e.verdict !== 'hold');
        expect(data.markers.map((m) => [m.minute, m.verdict])).toEqual(decided.map((e) => [expect.closeTo(minute(e.at), 3), e.verdict]));
        expect(data.markers.map((m) => m.verdict)).toEqual(['start', 'promote', 'rollback']);
        expect(data.holds.length).toBe(result.timeline.filter((e) => e.verdict === 'hold').length);
      });

      it('ends the baseline where all traffic went to the replacement', () => {
        const clean = simulate('clean');
        const allTraffic = minute(clean.timeline.find((e) => e.hook === 'AllowTraffic')!.at);
        const cleanData = chartData(clean);
        expect(Math.max(...values(cleanData.errors, 'baseline').map((p) => p.minute))).toBeLessThan(allTraffic);
        expect(values(cleanData.errors, 'canary').some((p) => p.minute > allTraffic)).toBe(true);
      });
    });

    describe('chartSpec', () => {
      const result = simulate('late-regression');
      const spec = chartSpec(result) as {
        vconcat: Array<{ title: string; layer: Array<{ data: { name: string }; encoding: { x: { scale: { domain: number[] } } } }> }>;
        datasets: Record<string, unknown[]>;
      };

      it('stacks three charts over one time axis, the decisions on each, from the data', () => {
        const data = chartData(result);
        expect(spec.vconcat.map((c) => c.title)).toEqual([
          'Replacement weight (% of production)',
          'Error rate per minute (5xx + connection errors)',
          'p95 latency per minute',
        ]);
        for (const chart of spec.vconcat) {
          expect(chart.layer.map((l) => l.data.name)).toContain('markers');
          for (const layer of chart.layer) expect(layer.encoding.x.scale.domain).toEqual([...data.domain]);
        }
        expect(spec.datasets.errors).toEqual(data.errors);
        expect(spec.datasets.markers).toEqual(data.markers);
      });
    });

    describe('renderHtml', () => {
      const result = simulate('late-regression');
      let html: string;
      beforeAll(async () => {
        html = await renderHtml(result, 'demo', ['plan line']);
      });

      it('draws the charts as one inline SVG: no script, nothing fetched', () => {
        expect(html.match(/<svg /g)).toHaveLength(1);
        expect(html).not.toMatch(/<script/i);
        // The only URLs are the SVG namespaces; no href, src, url(http…), @import or font.
        expect((html.match(/https?:\/\/[^"\s)]+/g) ?? []).sort()).toEqual(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
        expect(html).not.toMatch(/\b(href|src)=|@import|@font-face/);
        expect(html).toContain('<pre id="plan">plan line</pre>');
        expect(html).toContain('id="outcome">Failed: rollback: canary 5xx');
      });

      it('labels the time axis with ticks across the run, and has both legends', () => {
        const labelGroups = [...html.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g)].map((m) =>
          [...m[1].matchAll(/>([^<]*)<\/text>/g)].map((t) => t[1]),
        );
        const ticks = chartData(result).ticks.map((t) => String(t).replace('-', '−'));
        expect(labelGroups.filter((labels) => labels.join() === ticks.join())).toHaveLength(3);
        expect(html).toContain("X-axis titled 'minutes since the deployment started'");
        expect(html).toMatch(/aria-label="Symbol legend titled 'series' [^"]*: weight, canary, baseline"/);
        expect(html).toMatch(/aria-label="Symbol legend titled 'decision' [^"]*: start, promote, hold, rollback"/);
      });

      it('draws each decision but the holds as a rule in its colour on each chart', () => {
        const rules = [
          ...html.matchAll(/<line aria-label="([^"]*)"[^>]*aria-roledescription="rule mark"[^>]*stroke="(#[0-9a-f]{6})"/g),
        ].map((m) => [m[1], m[2]]);
        expect(rules).toHaveLength(3 * 3);
        expect(rules.filter(([label]) => label.endsWith(' rollback')).map(([, colour]) => colour)).toEqual([
          '#c62828',
          '#c62828',
          '#c62828',
        ]);
        expect(rules.filter(([label]) => label.endsWith(' promote')).map(([, colour]) => colour)).toEqual([
          '#2e7d32',
          '#2e7d32',
          '#2e7d32',
        ]);
      });

      it('gives the same page for the same result', async () => {
        expect(await renderHtml(result, 'demo', ['plan line'])).toBe(html);
      });

      it('escapes text into the page, in the HTML and in the SVG', async () => {
        const hostile = '<script>alert("x")</script>&';
        const page = await renderHtml(
          {
            ...result,
            scenario: hostile,
            timeline: [
              ...result.timeline,
              { at: result.endTime, hook: hostile as 'AllowTraffic', weight: 0, verdict: 'abort', reason: hostile },
            ],
          },
          hostile,
          [hostile],
        );
        expect(page).not.toMatch(/<script/i);
        expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
        // Vega's own escaping, in the marker label of the extra decision.
        const seconds = Math.round((result.endTime - result.startTime) / 1000);
        const clock = `T+${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
        expect(page).toContain(`aria-label="${clock} &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp; abort"`);
      });
    });
  });

  describe('resolveScenario', () => {
    const dir = scratchDir('canary-sim-');

    it('reads a scenario file', () => {
      const file = join(dir, 'mine.json');
      writeFileSync(file, JSON.stringify({ ...NAMED_SCENARIOS.clean, name: 'mine' }));
      expect(resolveScenario(file).name).toBe('mine');
    });

    it.each([
      [
        'nope',
        /neither a named scenario nor a readable file; accepted: clean, errors-5pp, latency, crash, late-regression, low-traffic, too-quiet, above-the-bar, incident-at-100, /,
      ],
    ])('rejects %s naming what is accepted', (name, message) => {
      expect(() => resolveScenario(name)).toThrow(message);
    });

    it('refuses a KPI regression with a bad field in one line naming it', () => {
      const file = join(dir, 'kpi.json');
      writeFileSync(
        file,
        JSON.stringify({ ...NAMED_SCENARIOS['kpi-drop'], kpi: { metric: 'orders', ratePerRequest: 2, canaryFactor: 0.8 } }),
      );
      expect(() => resolveScenario(file)).toThrow(
        /kpi\.ratePerRequest: got 2; accepted: events per request on the original, above 0 and at most 1/,
      );
    });

    it('refuses a value regression with a bad field in one line naming it', () => {
      const file = join(dir, 'value.json');
      writeFileSync(
        file,
        JSON.stringify({ ...NAMED_SCENARIOS['kpi-memory'], valueKpi: { ...NAMED_SCENARIOS['kpi-memory'].valueKpi, statistic: 'Maximum' } }),
      );
      expect(() => resolveScenario(file)).toThrow(
        /valueKpi\.statistic: got "Maximum"; accepted: Average or a percentile p1 to p99\.99 such as p95/,
      );
    });

    it('lists every named scenario, and only those, in docs/simulate.md', () => {
      const doc = readFileSync(join(__dirname, '../../docs/simulate.md'), 'utf8');
      const section = doc.slice(doc.indexOf('## Named scenarios'), doc.indexOf('## Scenario files'));
      const listed = [...section.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
      expect(listed).toEqual(Object.keys(NAMED_SCENARIOS));
    });
  });

  describe("real services' traffic shapes", () => {
    it.each([
      ['above-the-bar', 'Succeeded'],
      ['incident-at-100', 'Succeeded'],
      ['traffic-gap', 'Succeeded'],
      ['noisy-shared', 'Succeeded'],
      ['cold-start', 'Succeeded'],
      ['better-canary', 'Succeeded'],
      ['traffic-ramp', 'Succeeded'],
      ['bursty-task', 'Failed'],
      ['slow-burn', 'Failed'],
    ])('%s: %s', (name, outcome) => {
      const result = simulate(name);
      expect(result.outcome).toBe(outcome);
      // A bad release is rolled back before it reaches 100% of production.
      if (outcome === 'Failed') expect(result.timeline.some((e) => e.weight === 100)).toBe(false);
    });
  });

  describe('canary simulate', () => {
    it('exits 0 for a clean rollout and writes the HTML report', async () => {
      const file = join(scratchDir('canary-sim-'), 'report.html');
      const result = await run(['simulate', 'demo', '--scenario', 'clean', '--html', file]);
      expect(result.code).toBe(0);
      expect(result.stdout.lines().at(-1)).toBe(`wrote ${file}`);
      expect(readFileSync(file, 'utf8')).toContain('id="outcome">Succeeded');
    });

    it("prints what the plan can detect at the scenario's traffic before the timeline, and puts it in the HTML report", async () => {
      const file = join(scratchDir('canary-sim-'), 'report.html');
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
      expect(result.stderr.lines().at(-1)).toMatch(/^failed: simulated rollout rolled back at 5%: canary 5xx/);
    });

    it('prints decisions and exactly one result event with --json, last, with the same members whatever the outcome', async () => {
      const failed = await run(['--json', 'simulate', 'demo', '--scenario', 'errors-5pp']);
      const events = failed.stdout.lines().map((l) => JSON.parse(l));
      expect(events.filter((e) => e.type === 'result')).toEqual([
        {
          type: 'result',
          at: expect.any(String),
          exitCode: 1,
          scenario: 'errors-5pp',
          outcome: 'Failed',
          reason: expect.stringMatching(/^failed: .*canary 5xx/),
        },
      ]);
      expect(events.at(-1).type).toBe('result');
      expect(events.filter((e) => e.type === 'decision').length).toBeGreaterThan(1);
      const clean = await run(['--json', 'simulate', 'demo', '--scenario', 'clean']);
      expect(JSON.parse(clean.stdout.lines().at(-1)!)).toEqual({
        type: 'result',
        at: expect.any(String),
        exitCode: 0,
        scenario: 'clean',
        outcome: 'Succeeded',
        reason: expect.any(String),
      });
    });

    it('lists --speed and the global options in its --help', async () => {
      const result = await run(['simulate', '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout.text).toMatch(/--speed <factor>/);
      expect(result.stdout.text).toMatch(/Global Options:[\s\S]*--region <region>[\s\S]*--json/);
    });

    it('reports a bad service file as a configuration error naming the file, the field and what is accepted', async () => {
      const file = join(scratchDir('canary-sim-'), 'bad.yaml');
      writeFileSync(file, 'name: demo\nimage: public.ecr.aws/nginx/nginx:1.27\nrollout: { steps: [ { weight: 5 } ] }\n');
      const result = await run(['simulate', 'demo', '--config', file, '--scenario', 'clean']);
      expect(result.code).toBe(2);
      expect(result.stderr.text).toMatch(/^configuration error: /);
      expect(result.stderr.text).toContain(`${file}: rollout.steps[0].bakeMinutes: missing; accepted: at least 1 minute`);
    });

    it("states a quiet scenario's traffic as it is (0.05 req/s, not rounded to 0.1)", async () => {
      const result = await run(['simulate', 'demo', '--scenario', 'too-quiet']);
      expect(result.stdout.lines()[0]).toMatch(/^canary plan demo at 0\.05 req\/s \(3 a minute\)/);
    });

    it('refuses an --html path it cannot write before running, exit 2 naming --html', async () => {
      const result = await run(['simulate', 'demo', '--scenario', 'clean', '--html', '/nonexistent/dir/report.html'], { tty: true });
      expect(result.code).toBe(2);
      expect(result.stderr.lines()).toEqual([
        'usage error: --html /nonexistent/dir/report.html: cannot write there (ENOENT); accepted: a file in an existing, writable directory',
      ]);
      expect(result.stdout.text).toBe('');
      expect(result.slept).toBe(0);
    });

    it("ends a parse error with one usage line naming the subcommand's help, and a result event with --json", async () => {
      const result = await run(['--json', 'simulate', 'demo', '--scenario', 'clean', '--htm', 'x']);
      expect(result.code).toBe(2);
      expect(result.stderr.lines()).toEqual(["usage error: unknown option '--htm' (Did you mean --html?); see canary simulate --help"]);
      expect(JSON.parse(result.stdout.lines().at(-1)!)).toMatchObject({
        type: 'result',
        exitCode: 2,
        reason: expect.stringMatching(/^usage error: unknown option/),
      });
    });

    it.each<[string[], RegExp]>([
      [['simulate', 'demo', '--scenario', 'nope'], /neither a named scenario/],
      [
        ['simulate', 'ghost', '--scenario', 'clean'],
        /no service file services\/ghost.yaml; accepted: --config <file>, --services-dir <dir>/,
      ],
      [['simulate', 'demo'], /required option '--scenario/],
      [['simulate', 'demo', '--scenario', ''], /--scenario is "": neither a named scenario nor a readable file; accepted: clean, /],
      [
        ['simulate', 'demo', '--scenario', tmpdir()],
        /--scenario is ".*": a directory; accepted: clean, .* or a scenario JSON file of at most 1,048,576 bytes$/,
      ],
      // Reading a device never ends (and a FIFO blocks): only a regular file of scenario size is read.
      [['simulate', 'demo', '--scenario', '/dev/zero'], /--scenario is "\/dev\/zero": not a regular file; accepted: clean, /],
      [['simulate', 'demo', '--scenario', fifo()], /--scenario is ".*scenario\.fifo": not a regular file; accepted: clean, /],
      [['simulate', 'demo', '--scenario', bigFile()], /--scenario is ".*big\.json": a file of 1,048,577 bytes; accepted: clean, /],
      [['simulate', 'demo', '--scenario', 'clean', '--speed', 'NaN'], /--speed "NaN" is not a replay speed; accepted: a number above 0/],
      [['simulate', 'demo', '--scenario', 'clean', '--speed', '1e400'], /--speed "1e400" is not a replay speed/],
      // The service names the file read: a path or a name no service may have is refused as such.
      [['simulate', '../services/demo', '--scenario', 'clean'], /service is "\.\.\/services\/demo"; accepted: a name of 2 to 27/],
      [['simulate', '', '--scenario', 'clean'], /service is ""; accepted: a name of 2 to 27/],
      [
        ['simulate', 'demo', '--scenario', 'clean', '--html', ''],
        /^usage error: --html "": is empty; accepted: the path of a file to write/,
      ],
      // A directory was found only after the whole run, as "failed: EISDIR" (exit 1).
      [
        ['simulate', 'demo', '--scenario', 'clean', '--html', tmpdir()],
        /^usage error: --html ".*": is a directory; accepted: the path of a file to write/,
      ],
      [['plan', 'demo', '--rps', '10', '--error-rate', 'Infinity'], /--error-rate is "Infinity"; accepted: a percentage from 0 to 100/],
      [['plan', 'demo', '--rps', '١٠', '--error-rate', '1'], /--rps is "١٠"; accepted: requests per second above 0/],
      [['plan', 'demo', '--rps', '10', '--error-rate', '1', '--p95', '0'], /--p95 is "0"; accepted: milliseconds above 0/],
      [['plan', 'demo', '--p95', '100'], /--p95 given without --rps; accepted: --rps and --error-rate together/],
      // --config names the file: a --services-dir beside it was ignored without a word.
      [
        ['simulate', 'demo', '--scenario', 'clean', '--config', 'services/demo.yaml', '--services-dir', 'services'],
        /^usage error: option '--services-dir <dir>' cannot be used with option '--config <file>'; see canary simulate --help$/,
      ],
      [
        ['plan', 'demo', '--rps', '1', '--error-rate', '1', '--config', 'services/demo.yaml', '--services-dir', 'services'],
        /^usage error: option '--services-dir <dir>' cannot be used with option '--config <file>'; see canary plan --help$/,
      ],
    ])('exits 2 on %j', async (argv, message) => {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.stderr.lines().at(-1)).toMatch(message);
    });
  });
});
