/**
 * A campaign's size, fault rate and seeds from the environment, so that one seed reproduces alone:
 *
 *   FAULT_SEED=1234 npx jest test/fault       one run, that seed
 *   FAULT_RATE=0.05                           share of SDK calls that fail (default: 1% on even seeds, 5% on odd ones)
 *   FAULT_ROLLOUTS=200                        runs seeds from FAULT_FIRST_SEED until this many releases were rolled out
 *   FAULT_FIRST_SEED=1
 *
 * CI runs the campaign in shards (test/fault/campaign-<n>.test.ts) that jest's workers share;
 * FAULT_SEED's seeds are run by each shard.
 */
import { EcsCanaryError } from '../../../lambdas/core/ecs-canary-error';
import { type RunResult, runRollouts } from './campaign';

/** Bad input: one line naming the variable, its value and what is accepted. */
export class CampaignConfigError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CampaignConfigError';
  }
}

export interface CampaignConfig {
  readonly seeds?: readonly number[];
  readonly firstSeed: number;
  readonly rollouts: number;
  /** Undefined: 1% on even seeds, 5% on odd ones. */
  readonly faultRate?: number;
  /** This part of the campaign: every `count`-th seed from `firstSeed + index`. @default the whole campaign */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** The shard's share of the campaign's releases: `count` shards roll out at least `rollouts` in all. */
export const shardRollouts = (config: CampaignConfig): number => Math.ceil(config.rollouts / (config.shard?.count ?? 1));

/** Part `index` (from 0) of `count` of the campaign; named seeds (FAULT_SEED) stay whole. */
export function shardOf(config: CampaignConfig, index: number, count: number): CampaignConfig & { readonly shardRollouts: number } {
  const shard = { ...config, shard: { index, count } };
  return { ...shard, shardRollouts: shardRollouts(shard) };
}

export function campaignConfig(env: NodeJS.ProcessEnv = process.env, defaults: { rollouts: number } = { rollouts: 200 }): CampaignConfig {
  const integer = (name: string, min: number): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw new CampaignConfigError(`${name} is ${JSON.stringify(value)}; accepted: a whole number ≥ ${min}`);
    return Number(value);
  };
  const rate = env.FAULT_RATE;
  if (rate !== undefined && rate !== '' && !(Number(rate) >= 0 && Number(rate) < 1))
    throw new CampaignConfigError(`FAULT_RATE is ${JSON.stringify(rate)}; accepted: a share of calls from 0 to below 1, e.g. 0.01`);
  const seed = integer('FAULT_SEED', 0);
  return {
    ...(seed !== undefined ? { seeds: [seed] } : {}),
    firstSeed: integer('FAULT_FIRST_SEED', 0) ?? 1,
    rollouts: integer('FAULT_ROLLOUTS', 1) ?? defaults.rollouts,
    ...(rate !== undefined && rate !== '' ? { faultRate: Number(rate) } : {}),
  };
}

export const rateFor = (config: CampaignConfig, seed: number): number => config.faultRate ?? (seed % 2 === 0 ? 0.01 : 0.05);

/**
 * Runs the configured seeds (or seeds from `firstSeed` until `rollouts` releases; a shard: its
 * seeds until its share of them), reporting each result as it ends.
 */
export async function runCampaign(config: CampaignConfig, onResult: (result: RunResult) => void = () => undefined): Promise<RunResult[]> {
  const results: RunResult[] = [];
  const { index, count } = config.shard ?? { index: 0, count: 1 };
  const target = shardRollouts(config);
  let releases = 0;
  for (let seed = config.firstSeed + index; config.seeds ? results.length < config.seeds.length : releases < target; seed += count) {
    const next = config.seeds ? config.seeds[results.length] : seed;
    const result = await runRollouts({ seed: next, faultRate: rateFor(config, next) });
    releases += result.releases.length;
    results.push(result);
    onResult(result);
  }
  return results;
}
