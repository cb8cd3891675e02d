/**
 * On-call's two levers against the real rollout engine (hooks, tick, guard and the synthesized
 * state machine over the fake AWS, sim traffic; test/e2e/support): `canary freeze` during a
 * rollout at 25% and `canary rollback`, each followed by `canary status --watch`, which ends with
 * the deployment and says who stopped it and where production traffic is now.
 */
import { EngineWorld } from '../e2e/support/engine-world';
import { runCliOn } from '../support/cli';

const MINUTE = 60_000;
let env: EngineWorld;
afterEach(() => env?.restore());

async function run(argv: string[]) {
  const { code, stdout, stderr } = await runCliOn(env.world, argv, { region: 'us-east-1' });
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => l.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''));
  return { code, lines, lastError: stderr.trim().split('\n').at(-1) ?? '' };
}

async function reach25() {
  env = new EngineWorld({ totalRps: 50 });
  env.deploy();
  expect(await env.world.clock.advanceUntil(() => env.replacementPercent() === 25, 90 * MINUTE, 10_000)).toBe(true);
}

const TRAFFIC_RESTORED = '  traffic now: 100% original (svc-blue), 0% replacement (svc-green) — read from the production listener';

describe('on-call stops a rollout at 25%', () => {
  it('canary freeze: warned, the engine restores the original at its next tick, status --watch names the switch and exits 1', async () => {
    await reach25();
    const id = env.deployment.id;
    const frozenAt = env.world.clock.now();
    const freeze = await run(['freeze', 'svc', '--reason', 'incident 7', '--yes']);
    expect(freeze.code).toBe(0);
    expect(freeze.lines[0]).toBe(
      `warning: svc has a rollout in progress (${id}): the running rollout will be stopped and production returned to the original within a minute`,
    );

    const watch = await run(['status', 'svc', '--watch', '--poll-seconds', '30']);
    expect(watch.code).toBe(1);
    expect(watch.lastError).toMatch(
      new RegExp(
        `^failed: deployment ${id} failed and rolled back: frozen by oncall: incident 7; production returned to the original; CodeDeploy: HOOK_EXECUTION_FAILURE`,
      ),
    );
    // A plain watch prints only what changed: its last headline is the outcome; the whole screen is status's.
    expect(watch.lines.filter((l) => l.startsWith('svc  ')).at(-1)).toMatch(
      new RegExp(`^svc  ${id}  ROLLED BACK \\(Failed at .*\\) · AfterAllowTestTraffic, stage 2/3 \\(25%\\)$`),
    );
    const screen = (await run(['status', 'svc'])).lines;
    expect(screen).toContain('  why     frozen by oncall: incident 7; production returned to the original');
    expect(screen).toContain('  by      the freeze switch, set by oncall (canary freeze)');
    expect(screen).toContain(TRAFFIC_RESTORED);
    expect(screen.find((l) => l.startsWith('  freeze'))).toMatch(/^ {2}freeze {2}FROZEN by oncall at .*: incident 7$/);

    // What the warning promised: the first write that takes the replacement to 0% comes at the next tick.
    const listener = env.service.metadata.productionListenerArn;
    const restore = env.world.elbv2.writes.find(
      (w) => w.listenerArn === listener && w.at >= frozenAt && w.forward[env.deployment.replacementTargetGroupArn] === 0,
    );
    expect(restore!.actor).toBe('client');
    expect(restore!.at - frozenAt).toBeLessThanOrEqual(MINUTE);
    expect(env.violations).toEqual([]);
  });

  it('canary rollback: status names the operator and shows the original serving 100%', async () => {
    await reach25();
    const id = env.deployment.id;
    expect((await run(['rollback', 'svc', '--reason', 'customer reports'])).code).toBe(0);
    const watch = await run(['status', 'svc', '--watch', '--poll-seconds', '30']);
    expect(watch.code).toBe(1);
    const screen = (await run(['status', 'svc'])).lines;
    expect(screen[0]).toMatch(
      new RegExp(`^svc  ${id}  ROLLED BACK \\((Stopped|Failed) at .*\\) · AfterAllowTestTraffic, stage 2/3 \\(25%\\)$`),
    );
    expect(screen.find((l) => l.startsWith('  by'))).toMatch(/^ {2}by {6}operator oncall \(canary rollback\)/);
    expect(screen.find((l) => l.startsWith('  why'))).toMatch(/customer reports/);
    expect(screen).toContain(TRAFFIC_RESTORED);
    expect(env.violations).toEqual([]);
  });
});

describe('a deployment waiting in Ready (the start check has not let it go on yet)', () => {
  it('status says what it waits for and what ends the wait, and that a frozen service makes it stop', async () => {
    // No START or READY delivered and no sweep: nothing continues it, so it stays in Ready.
    env = new EngineWorld({ totalRps: 50, startCheck: true, readyWait: 'BeforeAllowTraffic', startCheckEvents: [] });
    const id = env.deploy();
    expect(await env.world.clock.advanceUntil(() => env.deployment.status === 'Ready', 30 * MINUTE, 1_000)).toBe(true);

    const screen = (await run(['status', 'svc'])).lines;
    expect(screen[0]).toMatch(new RegExp(`^svc  ${id}  IN PROGRESS \\(Ready\\)`));
    const stage = screen.findIndex((l) => l.startsWith('  stage'));
    expect(screen.slice(stage, stage + 4)).toEqual([
      '  stage   waiting in Ready, before CodeDeploy reroutes production',
      "          the start check (on its events and every minute) lets it go on if its AppSpec names the engine's hooks",
      '          and its replacement has a healthy target, and stops it if either is missing',
      '          CodeDeploy stops it if it still waits after the ready wait (20 minutes as ecs-canary sets it up)',
    ]);

    expect((await run(['freeze', 'svc', '--reason', 'incident 9', '--yes'])).code).toBe(0);
    const frozen = (await run(['status', 'svc'])).lines;
    expect(frozen[frozen.findIndex((l) => l.startsWith('  stage')) + 1]).toBe(
      '          the service is frozen: the start check stops it at its next run (within a minute)',
    );
  });
});
