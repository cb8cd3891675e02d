/**
 * The benchmark's built-in scenarios (judge.md), in the external scenario format, and the loader
 * for `--scenarios DIR`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Noise, parseScenario, Regression, Scenario, ScenarioError } from '../../lib/sim';

/** Total rates (requests/s) ≈ 6, 30, 150, 1500 canary requests/min at 5%. */
export const TRAFFIC_LEVELS = [2, 10, 50, 500];
export const BASELINE_RATES = [0.0005, 0.005, 0.02];
/** Shocks ×20 in 2% of minutes and one client's 10-error bursts in 1% of group-minutes, always. */
export const NOISE_LEVELS: ReadonlyArray<{ label: string; noise: Noise }> = [
  { label: 'no gamma', noise: { gammaShape: null, shockRate: 0.02, burstRate: 0.01 } },
  { label: 'gamma 4', noise: { gammaShape: 4, shockRate: 0.02, burstRate: 0.01 } },
  { label: 'gamma 2', noise: { gammaShape: 2, shockRate: 0.02, burstRate: 0.01 } },
];

/** judge.md's regressions; all on gamma-4 noise with shocks and bursts, at 0.5% unless said. */
const REGRESSIONS: ReadonlyArray<{ label: string; regression: Regression; baselines?: readonly number[] }> = [
  { label: 'errors +5pp', regression: { kind: 'errors', deltaPp: 5 }, baselines: BASELINE_RATES },
  { label: 'errors +2pp', regression: { kind: 'errors', deltaPp: 2 } },
  { label: 'errors x3', regression: { kind: 'errors', ratio: 3 }, baselines: [0.02] },
  { label: 'intermittent +10pp every other minute', regression: { kind: 'errors', deltaPp: 10, intermittent: true } },
  { label: 'endpoint 10% at 50%', regression: { kind: 'endpoint', share: 0.1 } },
  { label: 'p95 +50%', regression: { kind: 'latency', ratio: 1.5 } },
  { label: 'p95 x2', regression: { kind: 'latency', ratio: 2 } },
  { label: '5% of requests +1s', regression: { kind: 'latency', extraMs: 1000, share: 0.05 } },
  { label: 'crash loop', regression: { kind: 'crash' } },
  { label: 'errors +5pp only at >=25%', regression: { kind: 'errors', deltaPp: 5, minWeight: 25 } },
  { label: 'errors +5pp from minute 10 (mid 25% stage)', regression: { kind: 'errors', deltaPp: 5, onsetMinute: 10 } },
];

const pct = (rate: number) => `${+(rate * 100).toFixed(2)}%`;

/** Every built-in scenario with its own derived seed; runs per A/A and per regression scenario. */
export function builtInScenarios(seed: number, runsAa: number, runsRegression: number): Scenario[] {
  const scenarios: Scenario[] = [];
  let index = 0;
  for (const totalRps of TRAFFIC_LEVELS) {
    for (const baselineErrorRate of BASELINE_RATES) {
      for (const { label, noise } of NOISE_LEVELS) {
        scenarios.push({ name: `A/A ${totalRps} rps, base ${pct(baselineErrorRate)}, ${label}`, seed: seed + 1000 * index++, runs: runsAa, totalRps, baselineErrorRate, noise, regression: null });
      }
    }
  }
  for (const { label, regression, baselines } of REGRESSIONS) {
    for (const totalRps of TRAFFIC_LEVELS) {
      for (const baselineErrorRate of baselines ?? [0.005]) {
        scenarios.push({ name: `${label}, ${totalRps} rps, base ${pct(baselineErrorRate)}, gamma 4`, seed: seed + 1000 * index++, runs: runsRegression, totalRps, baselineErrorRate, noise: NOISE_LEVELS[1].noise, regression });
      }
    }
  }
  return scenarios;
}

/** Every `*.json` in `dir`, validated; errors name the file and field. */
export function loadScenarioDir(dir: string): Scenario[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (cause) {
    throw new ScenarioError(`--scenarios ${dir}: cannot read the directory; accepted: a directory of *.json scenario files`, { cause });
  }
  if (files.length === 0) throw new ScenarioError(`--scenarios ${dir}: no *.json files found`);
  return files.map((file) => {
    const path = join(dir, file);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } catch (cause) {
      throw new ScenarioError(`${path}: not valid JSON (${(cause as Error).message})`, { cause });
    }
    return parseScenario(value, path);
  });
}
