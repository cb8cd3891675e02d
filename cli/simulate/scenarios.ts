/**
 * The named scenarios of `canary simulate` (a file in the `sim` scenario format may be given
 * instead). Rates are chosen so that each one shows one behaviour of the judge clearly.
 */
import { readFileSync, statSync } from 'node:fs';

import { parseScenario, type Scenario, ScenarioError } from '../../sim';

const quietNoise = { gammaShape: 4, shockRate: 0, burstRate: 0 };
/** A noisy service's per-minute noise, one multiplier a minute for both versions. */
const sharedNoise = { gammaShape: 2, shockRate: 0, burstRate: 0, shared: true };

export const NAMED_SCENARIOS: Readonly<Record<string, Scenario>> = {
  clean: { name: 'clean', seed: 1, runs: 1, totalRps: 50, baselineErrorRate: 0.002, noise: quietNoise, regression: null },
  'errors-5pp': {
    name: 'errors-5pp',
    seed: 2,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: { kind: 'errors', deltaPp: 5 },
  },
  latency: {
    name: 'latency',
    seed: 3,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: { kind: 'latency', ratio: 2 },
  },
  crash: { name: 'crash', seed: 4, runs: 1, totalRps: 50, baselineErrorRate: 0.002, noise: quietNoise, regression: { kind: 'crash' } },
  'late-regression': {
    name: 'late-regression',
    seed: 5,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: { kind: 'errors', deltaPp: 5, minWeight: 25 },
  },
  /** 0.5 req/s (≈ 1.5 canary requests a minute at 5%): quiet, but enough for the bakes and minRequests. */
  'low-traffic': { name: 'low-traffic', seed: 6, runs: 1, totalRps: 0.5, baselineErrorRate: 0.002, noise: quietNoise, regression: null },
  /** 0.05 req/s: fewer canary requests than bake minutes at 5%, so "insufficient evidence" with the hint. */
  'too-quiet': { name: 'too-quiet', seed: 7, runs: 1, totalRps: 0.05, baselineErrorRate: 0.002, noise: quietNoise, regression: null },
  /** Real services' traffic shapes (the rows of docs/judge-benchmark.md, version 3). */
  'above-the-bar': { name: 'above-the-bar', seed: 8, runs: 1, totalRps: 50, baselineErrorRate: 0.02, noise: quietNoise, regression: null },
  'incident-at-100': {
    name: 'incident-at-100',
    seed: 9,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: null,
    shape: { incident: { atWeight: 100, fromMinute: 4, toMinute: 4, minutes: 3, multiplier: 20 } },
  },
  'traffic-gap': {
    name: 'traffic-gap',
    seed: 10,
    runs: 1,
    totalRps: 10,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: null,
    shape: { gap: { atWeight: 5, afterMinutes: 2, minutes: 10 } },
  },
  'noisy-shared': {
    name: 'noisy-shared',
    seed: 11,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.1,
    noise: { ...sharedNoise },
    regression: null,
  },
  'cold-start': {
    name: 'cold-start',
    seed: 12,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: null,
    shape: { coldStartLatency: [3, 2, 1.5] },
  },
  'bursty-task': {
    name: 'bursty-task',
    seed: 13,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: { kind: 'errors', deltaPp: 20, taskShare: 0.25, burstShape: 0.5 },
  },
  'slow-burn': {
    name: 'slow-burn',
    seed: 14,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: { kind: 'errors', deltaPp: 5, rampMinutes: 30 },
  },
  'better-canary': {
    name: 'better-canary',
    seed: 15,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.005,
    noise: quietNoise,
    regression: { kind: 'errors', ratio: 0.5 },
  },
  'traffic-ramp': {
    name: 'traffic-ramp',
    seed: 16,
    runs: 1,
    totalRps: 20,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: null,
    shape: { ramp: { factor: 3, minutes: 60 } },
  },
  /** Orders per request fall 20% on the canary (10% → 8%): the KPI check rolls back, naming it. */
  'kpi-drop': {
    name: 'kpi-drop',
    seed: 17,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: null,
    kpi: { metric: 'orders', ratePerRequest: 0.1, canaryFactor: 0.8 },
  },
  /**
   * Memory 50% above the original's (300 MB → 450 MB a sample, under a 512 MB bar): the comparison
   * with the original (its Average may rise 20%) rolls back, naming the metric.
   */
  'kpi-memory': {
    name: 'kpi-memory',
    seed: 18,
    runs: 1,
    totalRps: 50,
    baselineErrorRate: 0.002,
    noise: quietNoise,
    regression: null,
    valueKpi: { metric: 'memory', statistic: 'Average', median: 300, spread: 0.1, samplesPerRequest: 0.1, canaryFactor: 1.5 },
  },
};

/** The largest scenario file read (a scenario is a few hundred bytes of JSON). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** A named scenario, or a JSON file in the scenario format; throws `ScenarioError` naming what is accepted. */
export function resolveScenario(nameOrFile: string): Scenario {
  const named = NAMED_SCENARIOS[nameOrFile];
  if (named) return named;
  let text: string;
  try {
    // Only a regular file of scenario size is read: a FIFO or a device (/dev/zero) would block or never end.
    const stat = statSync(nameOrFile);
    if (!stat.isFile() || stat.size > MAX_SCENARIO_BYTES) {
      const got = stat.isFile()
        ? `a file of ${stat.size.toLocaleString('en-US')} bytes`
        : stat.isDirectory()
          ? 'a directory'
          : 'not a regular file';
      throw new ScenarioError(
        `--scenario is ${JSON.stringify(nameOrFile)}: ${got}; accepted: ${Object.keys(NAMED_SCENARIOS).join(', ')} or a scenario JSON file of at most ${MAX_SCENARIO_BYTES.toLocaleString('en-US')} bytes`,
      );
    }
    text = readFileSync(nameOrFile, 'utf8');
  } catch (cause) {
    if (cause instanceof ScenarioError) throw cause;
    throw new ScenarioError(
      `--scenario is ${JSON.stringify(nameOrFile)}: neither a named scenario nor a readable file; accepted: ${Object.keys(NAMED_SCENARIOS).join(', ')} or a path to a scenario JSON file`,
      { cause },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ScenarioError(`${nameOrFile} is not JSON: ${(cause as Error).message}`, { cause });
  }
  return parseScenario(value, nameOrFile);
}
