/**
 * The bounded fault campaign CI runs: whole rollouts of the real hooks, tick, guard and state
 * machine over the fake, under faults, retries, late events and operator disruptions, with
 * invariants 1–9 checked after every step (test/fault/support). A failing run prints its seed, the
 * command that reproduces it alone and a minimal trace. Size and rate: see support/config.ts.
 */
import { describeFailure, type RunResult } from './support/campaign';
import { campaignConfig, runCampaign, shardOf } from './support/config';
import { RECOVERY_RELEASES } from './support/recovery';

/**
 * One shard of the campaign (test/fault/campaign-<n>.test.ts): every `count`-th seed from the
 * first seed plus `index`, until it rolled out its share of the releases, so jest's workers share
 * the campaign. Seeds named by FAULT_SEED are run by every shard.
 */
export function describeCampaignShard(index: number, count: number): void {
  const config = shardOf(campaignConfig(), index, count);
  // A shard is about 0.6 s of CPU per release; a shared machine can stretch that several times.
  jest.setTimeout(90 * 60_000);
  describe(`fault campaign (shard ${index + 1} of ${count})`, () => {
    let results: RunResult[] = [];
    beforeAll(async () => {
      results = await runCampaign(config);
    });

    it(
      config.seeds
        ? `runs seed ${config.seeds.join(', ')}`
        : `rolls out at least ${config.shardRollouts} of the campaign's ${config.rollouts} releases`,
      () => {
        const releases = results.reduce((sum, r) => sum + r.releases.length, 0);
        expect(releases).toBeGreaterThanOrEqual(config.seeds ? 1 : config.shardRollouts);
      },
    );

    it('injects faults and kills invocations (the campaign is not a clean run)', () => {
      expect(results.reduce((sum, r) => sum + r.figures.faults, 0)).toBeGreaterThan(0);
      if (!config.seeds) expect(results.reduce((sum, r) => sum + r.figures.deaths, 0)).toBeGreaterThan(0);
    });

    it('holds invariants 1–9 after every step of every run', () => {
      const failed = results.filter((r) => r.violations.length > 0);
      const summary = `${failed.length} of ${results.length} runs broke an invariant; seeds ${failed.map((r) => r.seed).join(', ')}`;
      expect(failed.length === 0 ? 'no violation' : `${summary}\n\n${failed.map(describeFailure).join('\n\n')}`).toBe('no violation');
    });

    it(`deploys a clean release again within ${RECOVERY_RELEASES} clean releases after every stop without CodeDeploy's rollback`, () => {
      const stuck = results.filter((r) => r.recoveryFailures.length > 0);
      const summary = `${stuck.length} of ${results.length} runs left the group unable to deploy; seeds ${stuck.map((r) => r.seed).join(', ')}`;
      expect(stuck.length === 0 ? 'deploys again' : `${summary}\n\n${stuck.map(describeFailure).join('\n\n')}`).toBe('deploys again');
    });
  });
}
