/**
 * The guard under scripted faults of its first invocation (test/fault/support/scripted-fault.ts):
 * production is restored by that invocation, what it could not finish fails it, and Lambda's retry
 * of the event finishes it — both listeners back on the original, the executions stopped — so the
 * group deploys again.
 */
import { DEPLOYMENT_AUTO_ROLLBACK } from '../../lib/private/deployment-auto-rollback';
import { checkInvariants } from '../support';
import { readsListener, scriptedFaults } from './support/scripted-fault';
import { CampaignWorld, GUARD_FUNCTION, START_CHECK_FUNCTION } from './support/world';

const MINUTE = 60_000;
const TERMINAL = ['Succeeded', 'Failed', 'Stopped'];

describe('the guard retried after a scripted fault of its first invocation', () => {
  let cw: CampaignWorld;
  afterEach(() => cw.restore());

  /** A world whose group does not roll back a stop, its start check and guard wired as the construct wires them. */
  function setUp(seed: number) {
    cw = new CampaignWorld(seed, { delayMinutes: 0, missing: 0, late: 0, lateMinutes: 0 });
    const { world } = cw;
    cw.configureAutoRollback({ ...DEPLOYMENT_AUTO_ROLLBACK, stoppedDeployment: false });
    const scripted = scriptedFaults(cw);
    world.codedeploy.onStateChange((event) => {
      if (cw.isStartEvent(event)) world.lambda.invokeAsync(START_CHECK_FUNCTION, event);
      if (cw.isGuardEvent(event)) world.lambda.invokeAsync(GUARD_FUNCTION, event);
    });
    return scripted;
  }

  /** Deploys a release and stops it without rollback once its replacement serves production traffic; `arm` scripts the fault first. */
  async function stopInCanary(arm: (deploymentId: string) => void) {
    const { world, service } = cw;
    const first = cw.deploy(0, false);
    const { replacementTargetGroupArn: replacement } = world.codedeploy.deployment(first);
    await world.clock.advanceUntil(
      () => (world.elbv2.percents(service.metadata.productionListenerArn)[replacement] ?? 0) > 0,
      120 * MINUTE,
      10_000,
    );
    expect(world.elbv2.percents(service.metadata.testListenerArn)[replacement]).toBe(100);
    arm(first);
    world.codedeploy.stopDeployment({ deploymentId: first, autoRollbackEnabled: false });
    await world.clock.advanceUntil(
      () => [...world.codedeploy.deployments.values()].every((d) => TERMINAL.includes(d.status)),
      30 * MINUTE,
      10_000,
    );
    await world.clock.advance(10 * MINUTE);
    return first;
  }

  async function nextRelease(index = 1) {
    const second = cw.deploy(index, false);
    await cw.world.clock.advanceUntil(() => TERMINAL.includes(cw.world.codedeploy.deployment(second).status), 240 * MINUTE, MINUTE);
    return cw.world.codedeploy.deployment(second).status;
  }

  it('a test listener its restore cannot read: production is restored at once, the retry restores the test listener', async () => {
    const { injector, trace, guards, failFirstGuard } = setUp(4351);
    const { world, service } = cw;
    const { productionListenerArn: production, testListenerArn: test } = service.metadata;
    const stopped = await stopInCanary((id) => failFirstGuard(id, readsListener(test)));
    const { originalTargetGroupArn: original } = world.codedeploy.deployment(stopped);

    expect(trace).toContainEqual(expect.stringMatching(/svc-guard#\d+ DescribeListeners: TimeoutError, not applied/));
    const [firstGuard, retry] = guards(stopped);
    expect(retry).toBeDefined();
    expect(trace).toContainEqual(
      expect.stringMatching(new RegExp(`svc-guard#${firstGuard!.id} \\(${stopped}\\) failed: ListenerUnreadableError`)),
    );
    // Production's restore was written by the first invocation, the test listener's by the retry.
    const byGuard = (listener: string) =>
      injector.writes.filter((w) => world.elbv2.writes.find((x) => x.seq === w.seq)?.listenerArn === listener);
    expect(byGuard(production).map((w) => w.invocation.id)).toContain(firstGuard!.id);
    expect(byGuard(test).map((w) => w.invocation.id)).toEqual([retry!.id]);
    expect(world.elbv2.percents(production)[original]).toBe(100);
    expect(world.elbv2.percents(test)[original]).toBe(100);
    expect(checkInvariants(world)).toEqual([]);

    expect(await nextRelease()).toBe('Succeeded');
    expect(checkInvariants(world)).toEqual([]);
  });

  it("StopExecution failing: production is restored first, the retry stops the release's rollout executions", async () => {
    const { injector, trace, guards, failFirstGuard } = setUp(4352);
    const { world, service } = cw;
    const { productionListenerArn: production } = service.metadata;
    const stopped = await stopInCanary((id) => failFirstGuard(id, (call) => call.command === 'StopExecutionCommand'));
    const { originalTargetGroupArn: original } = world.codedeploy.deployment(stopped);

    expect(trace).toContainEqual(expect.stringMatching(/svc-guard#\d+ StopExecution: TimeoutError, not applied/));
    const [firstGuard, retry] = guards(stopped);
    expect(trace).toContainEqual(
      expect.stringMatching(new RegExp(`svc-guard#${firstGuard!.id} \\(${stopped}\\) failed: RolloutStopError`)),
    );
    expect(retry).toBeDefined();
    // The first invocation restored production (the StopExecution that failed did not hold it up).
    const productionWrites = injector.writes.filter((w) => world.elbv2.writes.find((x) => x.seq === w.seq)?.listenerArn === production);
    expect(productionWrites.find((w) => w.invocation.functionName === GUARD_FUNCTION)?.invocation).toBe(firstGuard);
    expect(world.elbv2.percents(production)[original]).toBe(100);
    // The retry's StopExecution calls were answered; no execution of the stopped release runs on.
    const answered = world.callsOf('StopExecutionCommand').map((c) => (c.input as { executionArn: string }).executionArn.split(':').pop());
    expect(new Set(answered)).toEqual(
      new Set([`${stopped}-AfterAllowTestTraffic`, `${stopped}-BeforeAllowTraffic`, `${stopped}-AfterAllowTraffic`]),
    );
    expect([...world.sfn.executions.values()].filter((e) => e.name.startsWith(stopped) && e.status === 'RUNNING')).toEqual([]);
    expect(checkInvariants(world)).toEqual([]);

    expect(await nextRelease()).toBe('Succeeded');
    expect(checkInvariants(world)).toEqual([]);
  });

  // An operator stopped a release without rollback at 100%, and none of its engine's functions
  // acted (as when the next release beat them): production stays on its replacement, and CodeDeploy
  // fails the next release before Install. That release's guard cannot read the production listener.
  it('a production listener the guard of a release that ended before Install cannot read: the retry restores it', async () => {
    const { injector, trace, guards, failFirstGuard, failEngine } = setUp(4353);
    const { world, service } = cw;
    const { productionListenerArn: production, testListenerArn: test } = service.metadata;
    const first = cw.deploy(0, false);
    const { replacementTargetGroupArn: replacement } = world.codedeploy.deployment(first);
    await world.clock.advanceUntil(() => (world.elbv2.percents(production)[replacement] ?? 0) === 100, 240 * MINUTE, 10_000);
    failEngine(first);
    world.codedeploy.stopDeployment({ deploymentId: first, autoRollbackEnabled: false });
    const quiet = () => [...world.codedeploy.deployments.values()].every((d) => TERMINAL.includes(d.status));
    await world.clock.advanceUntil(quiet, 30 * MINUTE, 10_000);
    await world.clock.advance(10 * MINUTE);
    expect(world.elbv2.percents(production)[replacement]).toBe(100);

    const second = cw.deploy(1, false);
    failFirstGuard(second, readsListener(production));
    await world.clock.advanceUntil(quiet, 30 * MINUTE, 10_000);
    await world.clock.advance(10 * MINUTE);
    const failed = world.codedeploy.deployment(second);
    expect(failed.status).toBe('Failed');
    expect(JSON.stringify(failed)).toMatch(/Primary taskset target group must be behind listener/);
    const [firstGuard, retry] = guards(second);
    expect(trace).toContainEqual(
      expect.stringMatching(new RegExp(`svc-guard#${firstGuard!.id} \\(${second}\\) failed: ListenerUnreadableError`)),
    );
    // Nothing was written blind by the first invocation; its retry read production on the other group and restored it.
    const productionWrites = injector.writes.filter((w) => world.elbv2.writes.find((x) => x.seq === w.seq)?.listenerArn === production);
    expect(productionWrites.filter((w) => w.invocation.deploymentId === second).map((w) => w.invocation)).toEqual([retry]);
    expect(world.elbv2.percents(production)[replacement]).toBe(0);
    expect(world.elbv2.percents(test)[replacement]).toBe(0);
    expect(checkInvariants(world)).toEqual([]);

    expect(await nextRelease(2)).toBe('Succeeded');
    expect(checkInvariants(world)).toEqual([]);
  });
});
