import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { BENCH_POLICY, JUDGE_NAMES, runScenario } from '../../bench/judge';
import { exactTestMinimum, quantile, summarize } from '../../bench/judge/metrics';
import { evaluateTargets, powerComparison, type ScenarioResult } from '../../bench/judge/report';
import { POST_BAKE_STAGE, type RolloutOutcome, runEngineRollout, runPeerRollout } from '../../bench/judge/rollout';
import { builtInScenarios, loadScenarioDir, SHAPE_ROWS, TRAFFIC_LEVELS } from '../../bench/judge/scenarios';
import { flagger, kayenta, seedRule } from '../../bench/peers';
import type { Scenario } from '../../sim';
import { scratchDir } from '../scratch';

const QUIET = { gammaShape: null, shockRate: 0, burstRate: 0 };
const scenario = (overrides: Partial<Scenario>): Scenario => ({
  name: 'test',
  seed: 7,
  runs: 2,
  totalRps: 500,
  baselineErrorRate: 0.005,
  noise: QUIET,
  regression: null,
  ...overrides,
});

describe('judge benchmark', () => {
  describe('ecs-canary through the controller', () => {
    it('takes a clean release through 5/25/50%, 100% and the post-traffic bake, deterministically', () => {
      const outcome = runEngineRollout(scenario({}), 7, BENCH_POLICY);
      expect(outcome).toMatchObject({ result: 'promoted', insufficientEvidence: false, reached100: true, badRequests: 0 });
      // At least the bakes: 5 + 10 + 15 data-minutes to 100%, then 15 more.
      expect(outcome.minutesTo100).toBeGreaterThanOrEqual(30);
      expect(outcome.minutesToDecision).toBeGreaterThanOrEqual(45);
      expect(runEngineRollout(scenario({}), 7, BENCH_POLICY)).toEqual(outcome);
    });

    it('rolls back +5 pp in the first stage, replaying the decision to find the data-minutes it needed', () => {
      const outcome = runEngineRollout(scenario({ regression: { kind: 'errors', deltaPp: 5 } }), 7, BENCH_POLICY);
      expect(outcome).toMatchObject({ result: 'rolledBack', stage: 0, onsetStage: 0, reached100: false, insufficientEvidence: false });
      expect(outcome.dataMinutesToDetect).toBeGreaterThanOrEqual(1);
      expect(outcome.dataMinutesToDetect).toBeLessThanOrEqual(3);
      expect(outcome.requestsToDetect).toBeGreaterThan(0);
      expect(outcome.badRequests).toBeGreaterThan(0);
    });

    it('catches a regression that appears only at 25% in a later stage', () => {
      const outcome = runEngineRollout(scenario({ regression: { kind: 'errors', deltaPp: 5, minWeight: 25 } }), 7, BENCH_POLICY);
      expect(outcome).toMatchObject({ result: 'rolledBack', onsetStage: 1, reached100: false });
      expect(outcome.stage).toBeGreaterThanOrEqual(1);
    });

    it('rolls a service too quiet for the bakes back for insufficient evidence', () => {
      expect(runEngineRollout(scenario({ totalRps: 0.05 }), 7, BENCH_POLICY)).toMatchObject({
        result: 'rolledBack',
        stage: 0,
        insufficientEvidence: true,
        reached100: false,
      });
    });
  });

  describe('peers on the same pipeline', () => {
    it.each([[seedRule], [flagger], [kayenta]])('%p promotes a clean release through the post-traffic bake', (peer) => {
      // Flagger needs the p99 and Kayenta the original's p95 (and, at 100%, the original's minutes before): read for them.
      const outcome = runPeerRollout(scenario({}), 7, peer, BENCH_POLICY);
      expect(outcome).toMatchObject({ result: 'promoted', reached100: true });
      expect(outcome.minutesToDecision).toBeGreaterThanOrEqual(45);
    });

    it('enforces the hold limit for a peer that never decides', () => {
      const never = { name: 'never', decide: () => ({ decision: 'hold' as const, reason: 'waiting' }) };
      const outcome = runPeerRollout(scenario({}), 7, never, BENCH_POLICY);
      expect(outcome).toMatchObject({ result: 'rolledBack', stage: 0, insufficientEvidence: true });
      // Bake 5 + hold limit 10, at the next tick.
      expect(outcome.minutesToDecision).toBeGreaterThanOrEqual(15);
      expect(outcome.minutesToDecision).toBeLessThan(16.5);
    });

    it('counts a rollback in the post-traffic bake as stage 3', () => {
      const atFull = {
        name: 'at-100',
        decide: (input: { stage: { weight: number } }) =>
          input.stage.weight === 100 ? { decision: 'rollback' as const, reason: 'no' } : { decision: 'promote' as const, reason: 'ok' },
      };
      expect(runPeerRollout(scenario({}), 7, atFull, BENCH_POLICY)).toMatchObject({
        result: 'rolledBack',
        stage: POST_BAKE_STAGE,
        reached100: true,
      });
    });
  });

  describe('metrics', () => {
    it.each([
      [0.001, 0.051, 75],
      [0.005, 0.055, 120],
      [0.01, 0.03, 590],
    ])('exact-test minimum at %d → %d is %d requests', (base, canary, expected) => {
      expect(exactTestMinimum(base, canary)).toBe(expected);
    });

    it('takes quantiles by rank', () => {
      expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
      expect(quantile([], 0.5)).toBeUndefined();
    });

    it('summarizes detections, stages and releases reaching 100%', () => {
      const base = { insufficientEvidence: false, onsetAt: 0, onsetStage: 0 };
      const outcomes: RolloutOutcome[] = [
        {
          ...base,
          result: 'rolledBack',
          stage: 0,
          reached100: false,
          minutesToDecision: 3,
          dataMinutesToDetect: 2,
          wallMinutesToDetect: 3,
          requestsToDetect: 300,
          badRequests: 10,
        },
        {
          ...base,
          result: 'rolledBack',
          stage: 3,
          reached100: true,
          minutesTo100: 36,
          minutesToDecision: 40,
          dataMinutesToDetect: 7,
          wallMinutesToDetect: 9,
          requestsToDetect: 900,
          badRequests: 30,
        },
        { ...base, result: 'promoted', reached100: true, minutesTo100: 36, minutesToDecision: 53, badRequests: 50 },
      ];
      expect(summarize(outcomes, true)).toMatchObject({
        runs: 3,
        detectedWithin2: 1 / 3,
        detectedWithin3: 1 / 3,
        detectedWithin10: 2 / 3,
        detectedByStage: [1 / 3, 1 / 3, 1 / 3, 2 / 3],
        detectedBeforeNextShift: 1 / 3,
        reached100: 2,
        silentPromotions: 1,
        postBakeRollbackRate: 1 / 3,
        meanBadRequests: 30,
        medianMinutesTo100: 36,
        medianMinutesToPromote: 53,
      });
    });
  });

  describe('targets', () => {
    const summary = (overrides: Partial<ReturnType<typeof summarize>>) => ({
      ...summarize(
        [{ result: 'promoted', insufficientEvidence: false, reached100: true, minutesTo100: 35, minutesToDecision: 52, badRequests: 0 }],
        false,
      ),
      ...overrides,
    });
    const cell = (rps: number, rate: number): ScenarioResult => ({
      scenario: scenario({ name: `A/A ${rps}`, totalRps: rps }),
      judges: Object.fromEntries(JUDGE_NAMES.map((j) => [j, summary({ runs: 300, rollbackRate: rate })])),
    });

    it('fails the A/A target naming the cell over its bar (1% at ≥ 30/min, 2% at 6/min)', () => {
      const [aa] = evaluateTargets([cell(2, 0.015), cell(10, 0.02), cell(50, 0.005)], 'ecs-canary', ['seed rule']);
      expect(aa.met).toBe(false);
      expect(aa.detail).toMatch(/over the bar: A\/A 10 2\.0%/);
      expect(aa.detail).not.toMatch(/over the bar: A\/A 2 /);
      expect(evaluateTargets([cell(2, 0.015), cell(10, 0.01)], 'ecs-canary', [])[0].met).toBe(true);
    });

    it('fails the bad-release target when a +2 pp release reaches 100% at 30/min, not when it is within tolerance', () => {
      const bad = (regression: Scenario['regression']): ScenarioResult => ({
        scenario: scenario({ name: 'r', totalRps: 10, regression }),
        judges: Object.fromEntries(JUDGE_NAMES.map((j) => [j, summary({ runs: 100, reached100: 1 })])),
      });
      const target = (regression: Scenario['regression']) =>
        evaluateTargets([bad(regression)], 'ecs-canary', []).find((t) => t.target.startsWith('No release'))!;
      expect(target({ kind: 'errors', deltaPp: 2 }).met).toBe(false);
      expect(target({ kind: 'latency', ratio: 1.5 }).met).toBe(true);
    });

    it('predicts +5 pp detection rising stage by stage and more likely with more traffic', () => {
      const results = [2, 500].map((rps) => ({
        scenario: scenario({ name: `+5 ${rps}`, totalRps: rps, regression: { kind: 'errors', deltaPp: 5 } }),
        judges: { 'ecs-canary': summary({ detectedByStage: [0.5, 1, 1, 1] }) },
      }));
      const rows = powerComparison(results, 'ecs-canary', BENCH_POLICY)
        .slice(2)
        .map((line) =>
          line
            .split('|')[2]
            .split('/')
            .map((v) => parseFloat(v)),
        );
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row).toEqual([...row].sort((a, b) => a - b));
      expect(rows[1][0]).toBeGreaterThan(rows[0][0]);
    });
  });

  describe('scenarios', () => {
    it("builds judge.md's grid: 36 A/A and 52 regression scenarios, each with its own seed", () => {
      const all = builtInScenarios(1, 2, 1).filter((s) => s.row === undefined);
      expect(all.filter((s) => s.regression === null)).toHaveLength(36);
      expect(all.filter((s) => s.regression !== null)).toHaveLength(52);
      expect(all.filter((s) => s.regression?.intermittent)).toHaveLength(4);
      expect(new Set(builtInScenarios(1, 2, 1).map((s) => s.seed)).size).toBe(builtInScenarios(1, 2, 1).length);
    });

    it('adds every traffic shape row at 6, 30, 150 and 1500 canary req/min under shared and independent noise', () => {
      const rows = builtInScenarios(1, 2, 1).filter((s) => s.row !== undefined);
      expect(rows).toHaveLength(SHAPE_ROWS.length * TRAFFIC_LEVELS.length * 2);
      for (const shape of SHAPE_ROWS) {
        const cells = rows.filter((s) => s.row === shape.row);
        expect(new Set(cells.map((s) => `${s.totalRps} ${s.noiseModel}`)).size).toBe(8);
        expect(cells.filter((s) => s.noise.shared)).toHaveLength(4);
      }
    });

    it('judges with the configuration defaults users get', () => {
      expect(BENCH_POLICY).toEqual({
        maxErrorRatePercent: 1,
        maxP95Ms: 1000,
        minRequests: 300,
        maxErrorIncreasePp: 1,
        maxLatencyRatio: 1.5,
      });
    });

    it('runs external scenario files with every judge', () => {
      const dir = scratchDir('scenarios-');
      writeFileSync(join(dir, 'crash.json'), JSON.stringify(scenario({ name: 'crash', runs: 1, regression: { kind: 'crash' } })));
      const [loaded] = loadScenarioDir(dir);
      const result = runScenario(loaded);
      expect(Object.keys(result.judges)).toEqual(['ecs-canary', 'seed rule', 'Flagger-style', 'Kayenta MW']);
      expect(result.judges['ecs-canary']).toMatchObject({ reached100: 0, rollbackRate: 1 });
    });

    it('names the file and field of a bad scenario', () => {
      const dir = scratchDir('scenarios-');
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...scenario({}), runs: 0 }));
      expect(() => loadScenarioDir(dir)).toThrow(/bad\.json: runs: got 0; accepted: a whole number ≥ 1/);
      expect(() => loadScenarioDir(join(dir, 'missing'))).toThrow(/cannot read the directory/);
    });
  });
});
