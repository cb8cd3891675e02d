/**
 * The campaign's world with the deployment metadata made unusable in each hook window: every
 * function's container is cold, so each reads the parameter again and cannot use it. Every hook is
 * still answered Failed within minutes — never CodeDeploy's one-hour hook timeout — and CodeDeploy's
 * rollback puts production back on the original; the invariants hold throughout. The campaign's
 * seeds with the metadata fault (test/fault/support/metadata-fault.ts) are replayed last.
 */
import { checkInvariants } from '../support';
import { runRollouts } from './support/campaign';
import { CampaignWorld, START_CHECK_FUNCTION } from './support/world';

const MINUTE = 60_000;
const METADATA = '/ecs-canary/svc/deployment';
const TERMINAL = ['Succeeded', 'Failed', 'Stopped'];

describe('the campaign world: deployment metadata that cannot be read', () => {
  let cw: CampaignWorld;
  afterEach(() => cw.restore());

  /** A clean release; `breakWhen` decides the moment the metadata is corrupted (and every container goes cold). */
  /** When the metadata was corrupted, and the replacement's share of production then. */
  let broken: { at: number; replacementWeight: number } | undefined;
  const corrupt = (deploymentId: string) => {
    broken = { at: cw.world.clock.now(), replacementWeight: replacementWeight(cw, deploymentId) };
    cw.world.ssm.putParameter({ Name: METADATA, Value: '{"version":1,', Type: 'String', Overwrite: true });
    cw.coldStart();
  };

  /**
   * A clean release; `breakWhen` decides the moment the metadata is corrupted (and every container
   * goes cold), or `breakOnReady` breaks it as the deployment enters its ready wait.
   */
  async function release(
    breakWhen: (deploymentId: string) => boolean,
    options: { killHook?: string; breakOnReady?: boolean; readyWaitBefore?: 'BeforeAllowTraffic' | 'AllowTraffic' } = {},
  ) {
    cw = new CampaignWorld(4242, { delayMinutes: 0, missing: 0, late: 0, lateMinutes: 0 }, options.readyWaitBefore);
    const { world, service } = cw;
    broken = undefined;
    world.codedeploy.onStateChange((event) => {
      const { state, deploymentId: id } = (event as { detail: { state: string; deploymentId: string } }).detail;
      if (options.breakOnReady && !broken && state === 'READY') corrupt(id);
      if (cw.isStartEvent(event)) world.lambda.invokeAsync(START_CHECK_FUNCTION, event);
    });
    if (options.killHook) {
      const hookFunction = service.metadata.hooks![options.killHook];
      world.lambda.wrapper = (invocation, run) =>
        invocation.functionName === hookFunction ? Promise.reject(new Error('Runtime.ExitError')) : run();
    }
    const deploymentId = cw.deploy(0, false);
    const deployment = () => world.codedeploy.deployment(deploymentId);
    await world.clock.advanceUntil(
      () => broken !== undefined || breakWhen(deploymentId) || TERMINAL.includes(deployment().status),
      120 * MINUTE,
      10_000,
    );
    if (!broken) {
      expect(deployment().status).toBe('InProgress');
      corrupt(deploymentId);
    }
    const { at: brokenAt, replacementWeight: weightsWhenBroken } = broken!;
    await world.clock.advanceUntil(() => TERMINAL.includes(deployment().status), 90 * MINUTE, 10_000);
    await world.clock.advance(2 * MINUTE);
    return { world, service, deployment: deployment(), brokenAt, weightsWhenBroken };
  }

  const replacementWeight = (cwWorld: CampaignWorld, deploymentId: string) =>
    cwWorld.world.elbv2.percents(cwWorld.service.metadata.productionListenerArn)[
      cwWorld.world.codedeploy.deployment(deploymentId).replacementTargetGroupArn
    ] ?? 0;
  const invoked = (deploymentId: string, hook: string) =>
    cw.world.codedeploy.deployment(deploymentId).events.some((e) => e.name === hook && e.hookExecutionId);

  it.each([
    ['before its AfterAllowTestTraffic hook runs', 'AfterAllowTestTraffic', () => true],
    ['while window 1 serves the replacement', 'AfterAllowTestTraffic', (id: string) => replacementWeight(cw, id) >= 25],
    ['while window 2 runs', 'BeforeAllowTraffic', (id: string) => invoked(id, 'BeforeAllowTraffic')],
    ['in the post-traffic bake at 100%', 'AfterAllowTraffic', (id: string) => invoked(id, 'AfterAllowTraffic')],
  ])('answers Failed %s, and production is back on the original', async (_when, failedHook, breakWhen) => {
    const { world, service, deployment, brokenAt } = await release(breakWhen);
    expect(deployment.status).toBe('Failed');
    expect(deployment.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
    const failed = deployment.hookReports.find((r) => r.status === 'Failed')!;
    expect(failed.hook).toBe(failedHook);
    // Answered within the state machine's retries, not CodeDeploy's hour.
    expect(failed.at - brokenAt).toBeLessThan(5 * MINUTE);
    expect(world.elbv2.percents(service.metadata.productionListenerArn)[deployment.originalTargetGroupArn]).toBe(100);
    const reasons = world.dynamodb.items(service.metadata.auditTableName!).map((i) => String(i.reason ?? ''));
    expect(
      reasons.some((r) => /the deployment metadata is unusable \(DeployConfigError: \/ecs-canary\/svc\/deployment is not JSON/.test(r)),
    ).toBe(true);
    expect(checkInvariants(world)).toEqual([]);
  });

  it.each(['BeforeAllowTraffic', 'AllowTraffic'] as const)(
    'stops with rollback a deployment waiting in Ready (before %s) when the metadata breaks: its start check cannot check it',
    async (readyWaitBefore) => {
      const { world, service, deployment, weightsWhenBroken, brokenAt } = await release(() => false, {
        breakOnReady: true,
        readyWaitBefore,
      });
      // The engine's window before the wait had already moved production.
      expect(weightsWhenBroken).toBeGreaterThan(0);
      expect(deployment.status).toBe('Stopped');
      expect(deployment.completeTime! - brokenAt).toBeLessThan(2 * MINUTE);
      expect(world.elbv2.percents(service.metadata.productionListenerArn)[deployment.originalTargetGroupArn]).toBe(100);
      const reasons = world.dynamodb.items(service.metadata.auditTableName!).map((i) => String(i.reason ?? ''));
      expect(reasons).toContainEqual(expect.stringMatching(/stopped with rollback in its ready wait: the deployment metadata is unusable/));
      expect(checkInvariants(world)).toEqual([]);
    },
  );

  it('answers Failed through the hook-failure function when every attempt of the hook dies', async () => {
    const { world, service, deployment } = await release((id) => invoked(id, 'BeforeAllowTraffic'), { killHook: 'BeforeAllowTraffic' });
    expect(deployment.status).toBe('Failed');
    expect(deployment.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
    expect(world.lambda.failureRecords.map((r) => r.record.requestContext.condition)).toEqual(['RetriesExhausted']);
    expect(deployment.hookReports.map((r) => `${r.hook} ${r.status}`)).toEqual([
      'AfterAllowTestTraffic Succeeded',
      'BeforeAllowTraffic Failed',
    ]);
    const reasons = world.dynamodb.items(service.metadata.auditTableName!).map((i) => String(i.reason ?? ''));
    expect(reasons).toContainEqual(
      expect.stringMatching(/^the hook-failure function for .*:function:svc-before-allow-traffic:.*: the deployment metadata is unusable/),
    );
    expect(world.elbv2.percents(service.metadata.productionListenerArn)[deployment.originalTargetGroupArn]).toBe(100);
    expect(checkInvariants(world)).toEqual([]);
  });
});

describe('the campaign: its metadata fault', () => {
  jest.setTimeout(10 * 60_000);

  it.each([
    [11, 0.05],
    [25, 0.05],
    [71, 0.05],
  ])('seed %i at %f: the release with the fault fails on it, and no invariant breaks', async (seed, faultRate) => {
    const result = await runRollouts({ seed, faultRate });
    const faulted = result.releases.filter((r) => r.disruption?.startsWith('metadata'));
    expect(faulted.length).toBeGreaterThan(0);
    for (const release of faulted) {
      expect(release.status).toBe('Failed');
      expect(release.reason).toMatch(/the deployment metadata is unusable/);
    }
    expect(result.violations).toEqual([]);
  });
});
