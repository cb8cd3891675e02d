/**
 * The bounded fault campaign CI runs: whole rollouts of the real hooks, tick, guard and state
 * machine over the fake, under faults, retries, late events and operator disruptions, with
 * invariants 1–9 checked after every step (test/fault/support). A failing run prints its seed, the
 * command that reproduces it alone and a minimal trace. Size and rate: see support/config.ts.
 */
import { describeFailure, type RunResult } from './support/campaign';
import { campaignConfig, runCampaign } from './support/config';

const config = campaignConfig();
// The campaign is about 1.1 s of CPU per release; a shared machine can stretch that several times.
jest.setTimeout(90 * 60_000);

describe('fault campaign', () => {
  let results: RunResult[] = [];
  beforeAll(async () => {
    results = await runCampaign(config);
  });

  it(config.seeds ? `runs seed ${config.seeds.join(', ')}` : `rolls out at least ${config.rollouts} releases`, () => {
    const releases = results.reduce((sum, r) => sum + r.releases.length, 0);
    expect(releases).toBeGreaterThanOrEqual(config.seeds ? 1 : config.rollouts);
  });

  it('injects faults and kills invocations (the campaign is not a clean run)', () => {
    expect(results.reduce((sum, r) => sum + r.figures.faults, 0)).toBeGreaterThan(0);
    if (!config.seeds) expect(results.reduce((sum, r) => sum + r.figures.deaths, 0)).toBeGreaterThan(0);
  });

  it('holds invariants 1–9 after every step of every run', () => {
    const failed = results.filter((r) => r.violations.length > 0);
    const summary = `${failed.length} of ${results.length} runs broke an invariant; seeds ${failed.map((r) => r.seed).join(', ')}`;
    expect(failed.length === 0 ? 'no violation' : `${summary}\n\n${failed.map(describeFailure).join('\n\n')}`).toBe('no violation');
  });
});
