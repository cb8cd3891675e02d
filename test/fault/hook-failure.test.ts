/**
 * The campaign's world answers a hook whose every attempt dies the way production does: Lambda
 * sends the record to the hooks' on-failure destination (wired from the synthesized template),
 * which restores, answers Failed and notifies. The soak found this case at about 1 in 1,000 hooks at 5%.
 */
import { checkInvariants } from '../support';
import { CampaignWorld, START_CHECK_FUNCTION } from './support/world';

const MINUTE = 60_000;

describe('the campaign world: a hook invocation Lambda gives up on', () => {
  let cw: CampaignWorld;
  afterEach(() => cw.restore());

  it('is answered Failed by the destination, with production back on the original and the invariants held', async () => {
    cw = new CampaignWorld(10529, { delayMinutes: 0, missing: 0, late: 0, lateMinutes: 0 });
    const { world, service } = cw;
    const hookFunction = service.metadata.hooks!.BeforeAllowTraffic;
    world.lambda.wrapper = (invocation, run) =>
      invocation.functionName === hookFunction ? Promise.reject(new Error('Runtime.ExitError')) : run();
    // The start-check rule: the group waits in Ready until the start check continues it.
    world.codedeploy.onStateChange((event) => {
      if (cw.isStartEvent(event)) world.lambda.invokeAsync(START_CHECK_FUNCTION, event);
    });
    const deploymentId = cw.deploy(0, false);
    await world.clock.advanceUntil(
      () => ['Succeeded', 'Failed', 'Stopped'].includes(world.codedeploy.deployment(deploymentId).status),
      90 * MINUTE,
      10_000,
    );

    const deployment = world.codedeploy.deployment(deploymentId);
    expect(deployment.status).toBe('Failed');
    expect(deployment.errorInformation?.code).not.toBe('TIMEOUT');
    expect(deployment.hookReports.map((r) => `${r.hook} ${r.status}`)).toEqual([
      'AfterAllowTestTraffic Succeeded',
      'BeforeAllowTraffic Failed',
    ]);
    expect(world.lambda.failureRecords.map((r) => r.record.requestContext.condition)).toEqual(['RetriesExhausted']);
    expect(world.elbv2.percents(service.metadata.productionListenerArn)[deployment.originalTargetGroupArn]).toBe(100);
    expect(checkInvariants(world)).toEqual([]);
  });
});
