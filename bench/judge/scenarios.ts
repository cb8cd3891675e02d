/**
 * The benchmark's built-in scenarios (judge.md), in the external scenario format, and the loader
 * for `--scenarios DIR`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { JudgePolicy } from '../../lambdas/core/judge';
import { Noise, parseScenario, Regression, Scenario, ScenarioError, Shape } from '../../sim';

/**
 * A built-in scenario: its row of the version-3 table (real services' traffic shapes) when
 * `row` is set, with the target it is held to and any policy setting that differs from the
 * configuration defaults (a noisy service sets its error bar above its own rate).
 */
export interface BenchScenario extends Scenario {
  readonly row?: string;
  readonly target?: 'clean' | 'caught';
  readonly noiseModel?: 'shared' | 'independent';
  /** False when the row's target does not apply under this noise model (the figure is reported). */
  readonly targeted?: boolean;
  readonly policy?: Partial<JudgePolicy>;
}

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

/**
 * Real services' traffic shapes (version 3), each at every traffic level under shared and under
 * independent per-group Gamma noise (shocks and bursts as above). `clean`: identical versions,
 * held to ≤ 1% false rollbacks (≤ 2% at 6/min); `caught`: a release beyond the tolerance, held to
 * ≤ 1% reaching 100%. Fixed before any run; never changed to meet a target.
 */
export const SHAPE_ROWS: ReadonlyArray<{
  row: string;
  target: 'clean' | 'caught';
  baselineErrorRate: number;
  gammaShape: number;
  regression?: Regression;
  shape?: Shape;
  policy?: Partial<JudgePolicy>;
  /** The target applies under this noise model only (the other is reported). @default both */
  targetNoise?: 'shared';
}> = [
  { row: 'service above the bar, base 2%', target: 'clean', baselineErrorRate: 0.02, gammaShape: 4 },
  { row: 'service above the bar, base 10%', target: 'clean', baselineErrorRate: 0.1, gammaShape: 4 },
  // Both versions ×20 errors for 3 minutes, starting 2–10 minutes into the post-traffic bake.
  {
    row: 'incident in the post-traffic bake',
    target: 'clean',
    baselineErrorRate: 0.005,
    gammaShape: 4,
    shape: { incident: { atWeight: 100, fromMinute: 2, toMinute: 10, minutes: 3, multiplier: 20 } },
  },
  {
    row: 'traffic gap of 10 min at 5%',
    target: 'clean',
    baselineErrorRate: 0.005,
    gammaShape: 4,
    shape: { gap: { atWeight: 5, afterMinutes: 2, minutes: 10 } },
  },
  {
    row: 'noisy service (base 10%, Gamma 2), bar 15%',
    target: 'clean',
    baselineErrorRate: 0.1,
    gammaShape: 2,
    policy: { maxErrorRatePercent: 15 },
  },
  {
    row: 'noisy service (base 10%, Gamma 2), bar 15%, +5pp',
    target: 'caught',
    baselineErrorRate: 0.1,
    gammaShape: 2,
    policy: { maxErrorRatePercent: 15 },
    regression: { kind: 'errors', deltaPp: 5 },
    targetNoise: 'shared',
  },
  // The canary's latency ×3, ×2, ×1.5 in its first three minutes of traffic.
  {
    row: 'cold start (latency ×3, ×2, ×1.5)',
    target: 'clean',
    baselineErrorRate: 0.005,
    gammaShape: 4,
    shape: { coldStartLatency: [3, 2, 1.5] },
  },
  {
    row: 'bursty bad task (1 of 4 at 20%)',
    target: 'caught',
    baselineErrorRate: 0.005,
    gammaShape: 4,
    regression: { kind: 'errors', deltaPp: 20, taskShare: 0.25, burstShape: 0.5 },
  },
  {
    row: 'slow burn (+0 → +5pp over 30 min)',
    target: 'caught',
    baselineErrorRate: 0.005,
    gammaShape: 4,
    regression: { kind: 'errors', deltaPp: 5, rampMinutes: 30 },
  },
  {
    row: 'better canary (errors ×0.5)',
    target: 'clean',
    baselineErrorRate: 0.005,
    gammaShape: 4,
    regression: { kind: 'errors', ratio: 0.5 },
  },
  {
    row: 'traffic ramp (×3 over 60 min)',
    target: 'clean',
    baselineErrorRate: 0.005,
    gammaShape: 4,
    shape: { ramp: { factor: 3, minutes: 60 } },
  },
];

/** Every built-in scenario with its own derived seed; runs per A/A and per regression scenario. */
export function builtInScenarios(seed: number, runsAa: number, runsRegression: number): BenchScenario[] {
  const scenarios: BenchScenario[] = [];
  let index = 0;
  for (const totalRps of TRAFFIC_LEVELS) {
    for (const baselineErrorRate of BASELINE_RATES) {
      for (const { label, noise } of NOISE_LEVELS) {
        scenarios.push({
          name: `A/A ${totalRps} rps, base ${pct(baselineErrorRate)}, ${label}`,
          seed: seed + 1000 * index++,
          runs: runsAa,
          totalRps,
          baselineErrorRate,
          noise,
          regression: null,
        });
      }
    }
  }
  for (const { label, regression, baselines } of REGRESSIONS) {
    for (const totalRps of TRAFFIC_LEVELS) {
      for (const baselineErrorRate of baselines ?? [0.005]) {
        scenarios.push({
          name: `${label}, ${totalRps} rps, base ${pct(baselineErrorRate)}, gamma 4`,
          seed: seed + 1000 * index++,
          runs: runsRegression,
          totalRps,
          baselineErrorRate,
          noise: NOISE_LEVELS[1].noise,
          regression,
        });
      }
    }
  }
  for (const shape of SHAPE_ROWS) {
    for (const totalRps of TRAFFIC_LEVELS) {
      for (const noiseModel of ['shared', 'independent'] as const) {
        const noise: Noise = {
          gammaShape: shape.gammaShape,
          shockRate: 0.02,
          burstRate: 0.01,
          ...(noiseModel === 'shared' ? { shared: true } : {}),
        };
        scenarios.push({
          name: `${shape.row}, ${totalRps} rps, ${noiseModel} gamma ${shape.gammaShape}`,
          seed: seed + 1000 * index++,
          runs: shape.target === 'clean' ? runsAa : runsRegression,
          totalRps,
          baselineErrorRate: shape.baselineErrorRate,
          noise,
          regression: shape.regression ?? null,
          ...(shape.shape ? { shape: shape.shape } : {}),
          row: shape.row,
          target: shape.target,
          noiseModel,
          targeted: !shape.targetNoise || shape.targetNoise === noiseModel,
          ...(shape.policy ? { policy: shape.policy } : {}),
        });
      }
    }
  }
  return scenarios;
}

/** Every `*.json` in `dir`, validated; errors name the file and field. */
export function loadScenarioDir(dir: string): Scenario[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
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
