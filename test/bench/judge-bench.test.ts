import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ecsCanary, runScenario } from '../../bench/judge';
import { exactTestMinimum, quantile, summarize } from '../../bench/judge/metrics';
import { evaluateTargets } from '../../bench/judge/report';
import { runRollout } from '../../bench/judge/rollout';
import { builtInScenarios, loadScenarioDir } from '../../bench/judge/scenarios';
import type { Scenario } from '../../lib/sim';

const QUIET = { gammaShape: null, shockRate: 0, burstRate: 0 };
const scenario = (overrides: Partial<Scenario>): Scenario => ({
  name: 'test', seed: 7, runs: 4, totalRps: 500, baselineErrorRate: 0.005, noise: QUIET, regression: null, ...overrides,
});

describe('judge benchmark', () => {
  describe('runRollout', () => {
    it('promotes a clean release at high traffic after the bakes, deterministically', () => {
      const outcome = runRollout(scenario({}), 7, ecsCanary);
      expect(outcome).toMatchObject({ result: 'promoted', insufficientEvidence: false, badRequests: 0 });
      expect(outcome.minutesToDecision).toBeGreaterThanOrEqual(30);
      expect(runRollout(scenario({}), 7, ecsCanary)).toEqual(outcome);
    });

    it('rolls back a +5 pp release in the first stage and counts what it cost', () => {
      const outcome = runRollout(scenario({ regression: { kind: 'errors', deltaPp: 5 } }), 7, ecsCanary);
      expect(outcome).toMatchObject({ result: 'rolledBack', stage: 0, onsetStage: 0 });
      expect(outcome.dataMinutesToDetect).toBeGreaterThanOrEqual(1);
      expect(outcome.requestsToDetect).toBeGreaterThan(0);
      expect(outcome.badRequests).toBeGreaterThan(0);
    });

    it('rolls back a quiet service for insufficient evidence', () => {
      expect(runRollout(scenario({ totalRps: 2 }), 7, ecsCanary)).toMatchObject({ result: 'rolledBack', stage: 0, insufficientEvidence: true });
    });
  });

  describe('metrics', () => {
    it.each([[0.001, 0.051, 75], [0.005, 0.055, 120], [0.01, 0.03, 590]])('exact-test minimum at %d → %d is %d requests', (base, canary, expected) => {
      expect(exactTestMinimum(base, canary)).toBe(expected);
    });

    it('takes quantiles by rank', () => {
      expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
      expect(quantile([5, 1, 3, 2, 4, 6, 7, 8, 9, 10], 0.9)).toBe(9);
      expect(quantile([], 0.5)).toBeUndefined();
    });

    it('summarizes detections and silent promotions', () => {
      const summary = summarize([
        { result: 'rolledBack', stage: 0, insufficientEvidence: false, minutesToDecision: 3, onsetAt: 0, onsetStage: 0, dataMinutesToDetect: 2, wallMinutesToDetect: 3, requestsToDetect: 300, badRequests: 10 },
        { result: 'rolledBack', stage: 1, insufficientEvidence: false, minutesToDecision: 9, onsetAt: 0, onsetStage: 0, dataMinutesToDetect: 7, wallMinutesToDetect: 9, requestsToDetect: 900, badRequests: 30 },
        { result: 'promoted', insufficientEvidence: false, minutesToDecision: 30, onsetAt: 0, onsetStage: 0, badRequests: 50 },
      ], true);
      expect(summary).toMatchObject({ runs: 3, detectedWithin2: 1 / 3, detectedWithin10: 2 / 3, detectedBeforeNextShift: 1 / 3, silentPromotions: 1, meanBadRequests: 30 });
    });
  });

  describe('scenarios', () => {
    it('builds the built-in grid: 36 A/A and 52 regression scenarios', () => {
      const all = builtInScenarios(1, 2, 1);
      expect(all.filter((s) => s.regression === null)).toHaveLength(36);
      expect(all.filter((s) => s.regression !== null)).toHaveLength(52);
      expect(new Set(all.map((s) => s.seed)).size).toBe(all.length);
    });

    it('runs external scenario files with every judge', () => {
      const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
      writeFileSync(join(dir, 'crash.json'), JSON.stringify(scenario({ name: 'crash', runs: 2, regression: { kind: 'crash' } })));
      const [loaded] = loadScenarioDir(dir);
      const result = runScenario(loaded);
      expect(Object.keys(result.judges)).toEqual(['ecs-canary', 'seed rule', 'Flagger-style', 'Kayenta MW']);
      expect(result.judges['ecs-canary'].silentPromotions).toBe(0);
      expect(evaluateTargets([result], 'ecs-canary', ['seed rule']).map((t) => t.target)).toContain('zero silent promotions of a bad release');
    });

    it('names the file and field of a bad scenario', () => {
      const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...scenario({}), runs: 0 }));
      expect(() => loadScenarioDir(dir)).toThrow(/bad\.json: runs: .*\(got 0\)/);
      expect(() => loadScenarioDir(join(dir, 'missing'))).toThrow(/cannot read the directory/);
    });
  });
});
