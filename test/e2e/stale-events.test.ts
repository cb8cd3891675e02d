/**
 * Only the group's current deployment moves production traffic, and no write lands on a target
 * group without a healthy target (invariant 7): the real hooks, tick, guard and state machine over
 * the stateful fake, with deployments in a row (blue and green swap), a FAILURE event delivered
 * hours late and twice, target health changing between a tick's read and its write, and a tick
 * that dies after its write and is retried with its old state.
 */
import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

import { checkInvariants } from '../support';
import { EngineWorld } from './support/engine-world';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const HEADER = { name: 'X-Canary', value: 'always' };
let env: EngineWorld;
afterEach(() => env?.restore());

type Send = (command: unknown, ...rest: unknown[]) => Promise<unknown>;

/** Runs `around(command, send)` for every call of `client` (the engine's own clients only). */
function intercept(client: object, around: (command: unknown, send: () => Promise<unknown>) => Promise<unknown>): void {
  const target = client as { send: Send };
  const send = target.send.bind(client) as Send;
  target.send = (command, ...rest) => around(command, () => send(command, ...rest));
}

const production = () => env.service.metadata.productionListenerArn;
const percents = () => env.world.elbv2.percents(production());
/** Every write of the engine to production (default action and rules), with the deployment it was made for. */
const engineWrites = () => env.world.elbv2.writes.filter((w) => w.actor === 'client' && w.listenerArn === production());
const unique = (violations: ReturnType<EngineWorld['invariants']>) => [...new Set(violations.map((v) => `[${v.invariant}] ${v.message}`))];
const errors20pp = { kind: 'errors' as const, deltaPp: 20 };

/** d1 (+20 pp errors) fails and is rolled back; d2 (clean) succeeds: blue and green have swapped, d1's original has no task. */
async function failedThenSucceeded(
  lateFailure: (event: { detail: { deploymentId: string; state: string } }, d1: string) => readonly number[],
) {
  env = new EngineWorld({ totalRps: 50 });
  let d1 = '';
  env.world.codedeploy.deliverStateChanges((event) => lateFailure(event, d1));
  d1 = env.deploy({ regression: errors20pp });
  await env.runToCompletion();
  expect(env.world.codedeploy.deployment(d1).status).toBe('Failed');
  const d2 = env.deploy({ regression: null });
  await env.runToCompletion();
  expect(env.deployment).toMatchObject({ id: d2, status: 'Succeeded' });
  const d1Original = env.world.codedeploy.deployment(d1).originalTargetGroupArn;
  expect(env.world.elbv2.healthyTargetCount(d1Original)).toBe(0);
  expect(percents()[env.deployment.replacementTargetGroupArn]).toBe(100);
  return { d1, d2, d1Original };
}

const ignoredRecords = (deploymentId: string) =>
  env.auditRecords().filter((r) => r.deploymentId === deploymentId && r.verdict === 'ignore');

describe('late and duplicate events of an older deployment', () => {
  it("(a) d1's FAILURE, delivered hours late and twice after d2 succeeded, writes nothing: production stays on the healthy group", async () => {
    const delays = [3 * HOUR, 3 * HOUR + 10 * MINUTE];
    const { d1, d2, d1Original } = await failedThenSucceeded((event, id) =>
      event.detail.state === 'FAILURE' && event.detail.deploymentId === id ? delays : [0],
    );
    const serving = env.deployment.replacementTargetGroupArn;
    const before = engineWrites().length;
    await env.world.clock.advance(3 * HOUR + 15 * MINUTE);

    expect(ignoredRecords(d1)).toHaveLength(2);
    expect(ignoredRecords(d1)[0]).toMatchObject({
      actor: 'guard',
      kind: 'event',
      action: 'no listener write',
      reason: expect.stringMatching(
        new RegExp(
          `^FAILURE event of ${d1} ignored: deployment ${d1} is no longer its group's current deployment: ${d2} was created after it`,
        ),
      ),
    });
    expect(engineWrites().slice(before)).toEqual([]);
    expect(percents()).toEqual({ [serving]: 100, [d1Original]: 0 });
    expect(unique(env.violations)).toEqual([]);
    expect(unique(env.invariants())).toEqual([]);
  });

  it("(b) the same late event while d3 runs at 5% leaves d3's weights untouched, and d3 goes on to succeed", async () => {
    const { d1 } = await failedThenSucceeded((event, id) =>
      event.detail.state === 'FAILURE' && event.detail.deploymentId === id ? [] : [0],
    );
    const d3 = env.deploy({ regression: null });
    await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, HOUR, 10 * SECOND);
    const canary = env.deployment.replacementTargetGroupArn;
    // d1's original is d3's canary now: the old guard sent it 100%.
    expect(env.world.codedeploy.deployment(d1).originalTargetGroupArn).toBe(canary);
    const weightsAt5 = percents();

    env.world.codedeploy.redeliverStateChange(d1, 'FAILURE');
    await env.world.clock.advance(5 * SECOND);
    env.world.codedeploy.redeliverStateChange(d1, 'FAILURE');
    await env.world.clock.advance(5 * SECOND);
    expect(percents()).toEqual(weightsAt5);
    expect(ignoredRecords(d1)).toHaveLength(2);
    expect(engineWrites().filter((w) => w.onBehalfOf === d1 && w.seq > env.world.codedeploy.deployment(d3).statusHistory[0].seq)).toEqual(
      [],
    );

    await env.runToCompletion();
    expect(env.deployment).toMatchObject({ id: d3, status: 'Succeeded' });
    expect(unique(env.invariants())).toEqual([]);
  });
});

describe('rules and weights follow target health', () => {
  it('(c) a header rule created before the replacement went unhealthy is removed on the next hold', async () => {
    env = new EngineWorld({ totalRps: 50, spec: { canaryHeader: HEADER } });
    const id = env.deploy();
    // The first tick's rule lands; its weights fail (after the SDK's retries) and the replacement goes unhealthy.
    let failed = false;
    intercept(env.runtime.clients.elbv2, async (command, send) => {
      if (!failed && command instanceof ModifyListenerCommand) {
        failed = true;
        env.world.setReplacementHealth(id, 'unhealthy');
        throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      }
      return send();
    });
    await env.world.clock.advanceUntil(() => failed, 30 * MINUTE, SECOND);
    const rules = () => env.world.elbv2.listener(production()).rules;
    expect(rules()).toHaveLength(1);

    await env.world.clock.advanceUntil(() => rules().length === 0, 2 * MINUTE, SECOND);
    expect(rules()).toEqual([]);
    const hold = env
      .auditRecords()
      .filter((r) => r.verdict === 'hold')
      .at(-1)!;
    expect(hold).toMatchObject({
      action: 'hold at 0%, remove the canary rules (no healthy replacement target)',
      reason: expect.stringMatching(/waiting for a healthy replacement target/),
    });
    expect(env.replacementPercent()).toBe(0);
    expect(unique(env.violations)).toEqual([]);
  });

  it("(d) health that flips between the tick's read and its write: no weight lands on a group without a healthy target", async () => {
    env = new EngineWorld({ totalRps: 50 });
    const id = env.deploy();
    await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, HOUR, 10 * SECOND);
    // The promote decision is recorded after the observation; the replacement goes unhealthy right after it.
    let flipped = false;
    intercept(env.runtime.audit.client, async (command, send) => {
      const result = await send();
      if (!flipped && command instanceof PutCommand && command.input.Item?.verdict === 'promote') {
        flipped = true;
        env.world.setReplacementHealth(id, 'unhealthy');
      }
      return result;
    });
    await env.world.clock.advanceUntil(() => flipped, HOUR, 10 * SECOND);
    await env.runToCompletion();

    const replacement = env.deployment.replacementTargetGroupArn;
    expect(
      engineWrites()
        .filter((w) => w.operation === 'ModifyListener')
        .map((w) => w.forward[replacement] ?? 0),
    ).toEqual([5, 0]);
    expect(env.deployment.status).toBe('Failed');
    // Every write had a healthy target in each group it gave weight to (production sat at 5% on the
    // replacement for the minute until the judge saw its lost targets: not a write).
    expect(unique(checkInvariants(env.world, { current: false }))).toEqual([]);
  });
});

describe('tick retries', () => {
  it('(e) a tick that wrote its shift and died is retried with its old state and carries on to success', async () => {
    env = new EngineWorld({ totalRps: 50 });
    env.deploy();
    await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, HOUR, 10 * SECOND);
    // The 25% write lands; the invocation dies on its next call (the post-write fence read).
    let died = false;
    intercept(env.runtime.audit.client, async (command, send) => {
      const landed = env.replacementPercent() === 25;
      if (!died && landed && command instanceof GetCommand && String(command.input.Key?.pk).startsWith('fence#')) {
        died = true;
        throw Object.assign(new Error('Task timed out after 60.00 seconds'), { name: 'Sandbox.Timedout' });
      }
      return send();
    });
    await env.runToCompletion();

    expect(died).toBe(true);
    expect(env.deployment.status).toBe('Succeeded');
    const reasons = env.auditRecords().map((r) => r.reason);
    expect(reasons).toContainEqual(
      expect.stringMatching(/the shift this window recorded at .* before writing it \(a retried tick\); carrying on at 25%/),
    );
    expect(reasons.filter((r) => /changed outside the engine/.test(r))).toEqual([]);
    expect(unique(env.invariants())).toEqual([]);
  });
});
