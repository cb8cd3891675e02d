/**
 * The guard against a tick already in flight (docs/guard-fence.md): the real tick, guard and state
 * machine over the stateful fake, with the tick held on the fake clock at a chosen point of its
 * write while the deployment stops and the guard runs. Whatever the interleaving, production ends
 * 100% on the original; the only write the engine cannot prevent is the one already in flight.
 */
import { CodeDeployClient, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetCommand } from '@aws-sdk/lib-dynamodb';

import { RECHECK_AFTER_FENCE_MS } from '../../lambdas/core/guard';
import type { InvariantViolation } from '../support';
import { EngineWorld } from './support/engine-world';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
let env: EngineWorld;
afterEach(() => env?.restore());

type Send = (command: unknown, ...rest: unknown[]) => Promise<unknown>;

/**
 * Holds the first call of `client` that `matches` (the tick's: the guard writes only restores and
 * never reads the fence) on the fake clock until `release`, then lets it through; `failNext` makes
 * the next matching call fail instead, as if the tick's Lambda had timed out there.
 */
class Gate {
  paused = false;
  private armed = false;
  private released = false;
  private failing: ((command: unknown) => boolean) | undefined;

  constructor(
    private readonly world: EngineWorld['world'],
    client: object,
  ) {
    const target = client as { send: Send };
    const send = target.send.bind(client) as Send;
    target.send = async (command, ...rest) => {
      if (this.failing?.(command)) {
        this.failing = undefined;
        throw Object.assign(new Error('Task timed out after 60.00 seconds'), { name: 'Sandbox.Timedout' });
      }
      if (this.armed && this.matches(command)) {
        this.armed = false;
        this.paused = true;
        while (!this.released) await this.world.clock.sleep(SECOND);
        this.paused = false;
      }
      return send(command, ...rest);
    };
  }

  private matches: (command: unknown) => boolean = () => false;

  arm(matches: (command: unknown) => boolean): void {
    this.matches = matches;
    this.armed = true;
  }

  release(): void {
    this.released = true;
  }

  failNext(matches: (command: unknown) => boolean): void {
    this.failing = matches;
  }
}

const stop = (id: string, autoRollbackEnabled: boolean) =>
  new CodeDeployClient({}).send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled }));

/** A ModifyListener that sends the replacement something: a shift (the guard writes only restores). */
const isShift = (command: unknown) =>
  command instanceof ModifyListenerCommand &&
  (command.input.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? []).some(
    (g) => g.TargetGroupArn === env.deployment.replacementTargetGroupArn && (g.Weight ?? 0) > 0,
  );
const isFenceRead = (command: unknown) => command instanceof GetCommand && String(command.input.Key?.pk).startsWith('fence#');

/** Replacement percentage of every engine write of the production default action, in order. */
const engineWrites = () =>
  env.world.elbv2.writes
    .filter((w) => w.actor === 'client' && w.operation === 'ModifyListener' && w.listenerArn === env.service.metadata.productionListenerArn)
    .map((w) => ({ at: w.at, replacement: w.forward[env.deployment.replacementTargetGroupArn] ?? 0 }));
const unique = (violations: InvariantViolation[]) => [...new Set(violations.map((v) => `[${v.invariant}] ${v.at} ${v.message}`))];
const guardRecords = () => env.auditRecords().filter((r) => r.actor === 'guard');

/** Runs a clean rollout to 5%, then holds the tick at the next shift's write (or its fence read). */
async function holdTheNextShift(at: 'write' | 'fence read'): Promise<{ id: string; gate: Gate }> {
  env = new EngineWorld({ totalRps: 50 });
  const gate = at === 'write' ? new Gate(env.world, env.runtime.clients.elbv2) : new Gate(env.world, env.runtime.audit.client);
  const id = env.deploy();
  await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, 60 * MINUTE, 10 * SECOND);
  gate.arm(at === 'write' ? isShift : isFenceRead);
  await env.world.clock.advanceUntil(() => gate.paused, 30 * MINUTE, SECOND);
  expect(gate.paused).toBe(true);
  expect(env.deployment.status).toBe('InProgress');
  return { id, gate };
}

describe('guard against a tick in flight', () => {
  it('a shift in flight while the guard restores is undone by the same tick at once', async () => {
    const { id, gate } = await holdTheNextShift('write');
    await stop(id, false);
    await env.world.clock.advance(2 * SECOND);
    expect(env.replacementPercent()).toBe(0);
    expect(guardRecords()).toHaveLength(1);
    const restoredAt = env.world.clock.now();

    gate.release();
    await env.world.clock.advance(2 * SECOND);
    // The late 25% landed and was taken back by the tick itself, long before the guard's re-check.
    expect(
      engineWrites()
        .filter((w) => w.at >= restoredAt - 2 * SECOND)
        .map((w) => w.replacement),
    ).toEqual([0, 25, 0]);
    expect(env.replacementPercent()).toBe(0);
    expect(env.auditRecords().at(-1)).toMatchObject({
      actor: 'engine',
      verdict: 'abandon',
      reason: expect.stringMatching(/^deployment is Stopped \(fenced by the guard at .*\), no longer InProgress$/),
    });

    await env.world.clock.advance(RECHECK_AFTER_FENCE_MS + MINUTE);
    expect(env.replacementPercent()).toBe(0);
    expect(guardRecords()).toHaveLength(1);
    const late = engineWrites().find((w) => w.replacement === 25)!;
    expect(unique(env.invariants())).toEqual([
      expect.stringMatching(
        new RegExp(`^\\[3\\] ${new Date(late.at).toISOString()} client ModifyListener \\(production\\): ${id} was Stopped`),
      ),
    ]);
  });

  it('a tick that reaches its fence read after the guard writes nothing but the restore', async () => {
    const { id, gate } = await holdTheNextShift('fence read');
    await stop(id, false);
    await env.world.clock.advance(2 * SECOND);
    expect(env.replacementPercent()).toBe(0);

    gate.release();
    await env.world.clock.advance(RECHECK_AFTER_FENCE_MS + MINUTE);
    expect(engineWrites().map((w) => w.replacement)).toEqual([5, 0]);
    expect(env.replacementPercent()).toBe(0);
    expect(
      env
        .auditRecords()
        .filter((r) => r.verdict === 'abandon')
        .map((r) => r.reason),
    ).toEqual([expect.stringMatching(/fenced by the guard/)]);
    expect(unique(env.violations)).toEqual([]);
    expect(env.invariants()).toEqual([]);
  });

  it("a tick that dies after its late write is undone by the guard's re-check", async () => {
    const { id, gate } = await holdTheNextShift('write');
    await stop(id, false);
    await env.world.clock.advance(2 * SECOND);
    const fencedAt = env.world.clock.now() - 2 * SECOND;

    // The tick's post-write fence read (audit client) fails: it never learns its write was late.
    new Gate(env.world, env.runtime.audit.client).failNext(isFenceRead);
    gate.release();
    await env.world.clock.advance(2 * SECOND);
    expect(env.replacementPercent()).toBe(25);

    await env.world.clock.advanceUntil(() => env.replacementPercent() === 0, RECHECK_AFTER_FENCE_MS, SECOND);
    expect(env.replacementPercent()).toBe(0);
    expect(env.world.clock.now()).toBeGreaterThanOrEqual(fencedAt + RECHECK_AFTER_FENCE_MS - 2 * SECOND);
    expect(guardRecords().at(-1)?.reason).toMatch(
      /^re-check 9\d s after the fence: the listener sent 25% to the replacement after the restore/,
    );
    await env.world.clock.advance(MINUTE);
    expect(env.replacementPercent()).toBe(0);
    expect(unique(env.invariants()).map((v) => v.slice(0, 3))).toEqual(['[3]']);
  });

  it('a shift that lands after CodeDeploy rolled back is undone at once, not left on a replacement without tasks', async () => {
    const { id, gate } = await holdTheNextShift('write');
    await stop(id, true);
    await env.world.clock.advanceUntil(
      () => env.world.codedeploy.deployment(env.deployment.rollbackInfo!.rollbackDeploymentId!).status === 'Succeeded',
      5 * MINUTE,
      SECOND,
    );
    gate.release();
    await env.world.clock.advance(2 * SECOND);
    expect(env.replacementPercent()).toBe(0);
    await env.world.clock.advance(RECHECK_AFTER_FENCE_MS + MINUTE);
    expect(env.replacementPercent()).toBe(0);
    // Every violation is the one write that was already in flight.
    const late = engineWrites().find((w) => w.replacement === 25)!;
    expect(unique(env.invariants()).every((v) => v.includes(new Date(late.at).toISOString()))).toBe(true);
  });
});
