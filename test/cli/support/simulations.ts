/**
 * The named scenarios simulated with the default plan and the demo thresholds, once per test
 * file: what the simulate tests share.
 */
import { simulateRollout, type SimulationResult } from '../../../cli/simulate/engine';
import { NAMED_SCENARIOS } from '../../../cli/simulate/scenarios';
import { compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../../lambdas/core/rollout-plan';

export const plan = compilePlan(DEFAULT_ROLLOUT_PLAN);
export const policy = { maxErrorRatePercent: 1, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 };
export const START = Date.parse('2026-01-01T00:00:00.000Z');

const cache = new Map<string, SimulationResult>();
export function simulate(name: string): SimulationResult {
  if (!cache.has(name))
    cache.set(name, simulateRollout({ service: 'demo', plan, policy, scenario: NAMED_SCENARIOS[name], startTime: START }));
  return cache.get(name)!;
}
