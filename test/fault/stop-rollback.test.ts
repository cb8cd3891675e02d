/**
 * The deployment group the campaign attacks is the one CanaryService ships: its draw of the
 * group's rollback on a stop (test/fault/support/stop-rollback.ts) reads the construct's own value,
 * and in the campaign's world a stop left to that group — an operator's `aws deploy
 * stop-deployment` without a flag — is rolled back by CodeDeploy while the guard restores too;
 * a release created as soon as the rollback ends is not touched by the stopped one's late STOP.
 */
import { DEPLOYMENT_AUTO_ROLLBACK } from '../../lib/private/deployment-auto-rollback';
import { checkInvariants } from '../support';
import { runRollouts } from './support/campaign';
import { SeededRandom } from './support/random';
import { planStopRollback, RIGHT_AFTER_SHARE, SHIPPED_STOP_ROLLBACK_SHARE } from './support/stop-rollback';
import { CampaignWorld, GUARD_FUNCTION, START_CHECK_FUNCTION } from './support/world';

const MINUTE = 60_000;
const TERMINAL = ['Succeeded', 'Failed', 'Stopped'];

describe("the campaign's draw of the group's rollback on a stop", () => {
  const plans = Array.from({ length: 2_000 }, (_, seed) => planStopRollback(new SeededRandom(seed * 6_151 + 29)));

  it("rolls back on a stop as CanaryService ships the group for most releases, and never changes failure's or an alarm's", () => {
    expect(DEPLOYMENT_AUTO_ROLLBACK.stoppedDeployment).toBe(true);
    const shipped = plans.filter((p) => p.autoRollback.stoppedDeployment).length / plans.length;
    expect(Math.abs(shipped - SHIPPED_STOP_ROLLBACK_SHARE)).toBeLessThan(0.05);
    for (const { autoRollback } of plans) {
      expect(autoRollback.failedDeployment).toBe(DEPLOYMENT_AUTO_ROLLBACK.failedDeployment);
      expect(autoRollback.deploymentInAlarm).toBe(DEPLOYMENT_AUTO_ROLLBACK.deploymentInAlarm);
    }
  });

  it('draws every operator flag and both starts of the next release', () => {
    expect(new Set(plans.map((p) => p.operatorFlag))).toEqual(new Set([undefined, true, false]));
    const rightAfter = plans.filter((p) => p.rightAfter).length / plans.length;
    expect(Math.abs(rightAfter - RIGHT_AFTER_SHARE)).toBeLessThan(0.05);
  });
});

describe("the campaign world with the group as shipped: an operator's stop without a flag", () => {
  let cw: CampaignWorld;
  afterEach(() => cw.restore());

  it("is rolled back by CodeDeploy and restored by the guard; the next release ignores the stopped one's late STOP", async () => {
    cw = new CampaignWorld(4343, { delayMinutes: 0, missing: 0, late: 0, lateMinutes: 0 });
    const { world, service } = cw;
    cw.configureAutoRollback(DEPLOYMENT_AUTO_ROLLBACK);
    const stops: unknown[] = [];
    world.codedeploy.onStateChange((event) => {
      if (cw.isStartEvent(event)) world.lambda.invokeAsync(START_CHECK_FUNCTION, event);
      if (cw.isGuardEvent(event)) {
        world.lambda.invokeAsync(GUARD_FUNCTION, event);
        if (event.detail.state === 'STOP') stops.push(event);
      }
    });
    const production = service.metadata.productionListenerArn;
    const first = cw.deploy(0, false);
    const replacement = world.codedeploy.deployment(first).replacementTargetGroupArn;
    const onReplacement = () => world.elbv2.percents(production)[replacement] ?? 0;
    await world.clock.advanceUntil(() => onReplacement() > 0, 120 * MINUTE, 10_000);
    expect(onReplacement()).toBeGreaterThan(0);

    world.codedeploy.stopDeployment({ deploymentId: first });
    await world.clock.advanceUntil(
      () => [...world.codedeploy.deployments.values()].every((d) => TERMINAL.includes(d.status)),
      30 * MINUTE,
      10_000,
    );
    const stopped = world.codedeploy.deployment(first);
    expect(stopped.status).toBe('Stopped');
    // The group decided: CodeDeploy rolled the stop back, a deployment of its own.
    const rollback = world.codedeploy.deployment(stopped.rollbackInfo!.rollbackDeploymentId!);
    expect(rollback.status).toBe('Succeeded');
    expect(world.elbv2.percents(production)[stopped.originalTargetGroupArn]).toBe(100);
    expect(world.lambda.invocations.filter((i) => i.functionName === GUARD_FUNCTION)).toHaveLength(1);
    expect(checkInvariants(world)).toEqual([]);

    // The next release as soon as the group is quiet; the first one's STOP arrives again in its canary stage.
    const second = cw.deploy(1, false);
    const secondReplacement = world.codedeploy.deployment(second).replacementTargetGroupArn;
    await world.clock.advanceUntil(() => (world.elbv2.percents(production)[secondReplacement] ?? 0) > 0, 120 * MINUTE, 10_000);
    const writesBefore = world.elbv2.writes.length;
    const shareBefore = world.elbv2.percents(production)[secondReplacement];
    expect(shareBefore).toBeGreaterThan(0);
    world.lambda.invokeAsync(GUARD_FUNCTION, stops[0]);
    await world.clock.advance(MINUTE);
    expect(world.elbv2.writes.slice(writesBefore).filter((w) => w.onBehalfOf === first)).toEqual([]);
    expect(world.codedeploy.deployment(second).status).toBe('InProgress');
    expect(checkInvariants(world)).toEqual([]);

    await world.clock.advanceUntil(() => TERMINAL.includes(world.codedeploy.deployment(second).status), 240 * MINUTE, MINUTE);
    expect(world.codedeploy.deployment(second).status).toBe('Succeeded');
    expect(checkInvariants(world)).toEqual([]);
  });
});

describe("the campaign's seeds the group's configuration found", () => {
  jest.setTimeout(10 * 60_000);

  // A retried FAILURE of a failed release placed itself as current, then read the group's
  // deployments again right before its restore and failed (5xx): it restored anyway, 90 s later,
  // over the canary of the release created meanwhile. Every restore now reads the currency with
  // retries right before its write, and the guard writes nothing when it cannot.
  it('seed 1409 at 5%: a late restore of a failed release does not write over the next release created right after it', async () => {
    const result = await runRollouts({ seed: 1409, faultRate: 0.05 });
    expect(result.trace).toContainEqual(expect.stringMatching(/release 1: .*created as soon as the group was quiet/));
    expect(result.violations).toEqual([]);
  });

  // An operator's stop without rollback after AllowTraffic left production on the stopped release's
  // replacement: its guard's retry was beaten by the next release (invariant 7), which failed before
  // Install ("Primary taskset target group must be behind listener"), as every release after it
  // would. The guard of the current release that ended before Install restores production to the
  // original task set's target group.
  it.each([1303, 50045])(
    'seed %i at 5%: a release that fails before Install moves production back from a stopped release left without rollback',
    async (seed) => {
      const result = await runRollouts({ seed, faultRate: 0.05 });
      expect(result.trace).toContainEqual(expect.stringMatching(/Primary taskset target group must be behind listener/));
      expect(result.violations).toEqual([]);
    },
  );
});
