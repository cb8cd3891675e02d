/**
 * Histories nobody tampered with must verify clean (exit 0): DynamoDB's TTL deleting records out
 * of order after a retention change, a redeploy after the whole chain expired (the old anchors
 * still listed until the bucket's lifecycle removes them), records past their TTL still in the
 * table after their anchors are gone, and concurrent appends.
 */
import { anchorRecord, appendAudit } from '../../lambdas/aws/dynamodb';
import { DAY_MS, TrailWorld } from './trail-world';

let t: TrailWorld;
beforeEach(() => {
  t = new TrailWorld();
});
afterEach(() => t.restore());

async function expectClean(records: number, expired?: number) {
  const result = await t.history(['--verify']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`hash chain verified: ${records} records intact`);
  if (expired !== undefined) expect(result.stdout).toContain(`${expired} expired`);
}

/** Permanently deletes an anchor's versions after their retention, as the lifecycle's NoncurrentVersionExpiration does. */
function lifecycleDeletes(sk: number) {
  for (const key of t.anchorKeys(sk)) t.world.s3.buckets.get(t.root.bucket)!.versions.delete(key);
}

describe('legitimate histories verify clean', () => {
  it('records expired out of order after the retention was shortened, then lengthened again', async () => {
    await t.engineWrites('d-A', 'start', 'old retention', 90);
    await t.engineWrites('d-A', 'succeed', 'old retention', 90);
    await t.engineWrites('d-B', 'start', 'short retention', 1);
    await t.engineWrites('d-B', 'rollback', 'short retention', 1);
    await t.engineWrites('d-C', 'start', 'long again', 90);
    await t.world.clock.advance(2 * DAY_MS);
    expect(t.expireTtl()).toBe(2);
    await expectClean(3, 2);
    // A day later the lifecycle has removed the expired anchors too: record 5 vouches for record 4's expiry.
    lifecycleDeletes(3);
    lifecycleDeletes(4);
    await expectClean(3, 2);
  });

  it('a redeploy after the whole chain expired: a new chain from record 1 beside the old, expired anchors', async () => {
    await t.twoRollouts();
    await t.world.clock.advance(91 * DAY_MS);
    expect(t.expireTtl()).toBe(6);
    await t.engineWrites('d-C', 'start', 'rollout started: 5%');
    await t.engineWrites('d-C', 'succeed', 'released');
    await expectClean(2);
    expect(t.record(1).deploymentId).toBe('d-C');
  });

  it('records past their TTL still in the table (DynamoDB deletes within days) after their anchors are gone', async () => {
    await t.twoRollouts();
    await t.world.clock.advance(93 * DAY_MS);
    for (let sk = 1; sk <= 6; sk += 1) lifecycleDeletes(sk);
    await expectClean(6);
  });

  it('a retention decrease: the bucket lifecycle puts delete markers on anchors before their records expire', async () => {
    await t.twoRollouts();
    for (let sk = 1; sk <= 6; sk += 1) for (const key of t.anchorKeys(sk)) t.hide(key);
    const result = await t.history(['--verify']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('6 unexpired anchors behind delete markers, read anyway (#1, #2, #3, #4, #5, …)');
  });

  it('a retention change in the middle of a rollout: records with different expiries, all present', async () => {
    await t.engineWrites('d-A', 'start', 'a', 90);
    await t.engineWrites('d-A', 'promote', 'b', 30);
    await t.engineWrites('d-A', 'succeed', 'c', 365);
    await expectClean(3);
  });

  it('two writers whose clocks differ: the one appending second is never dated before the first', async () => {
    await t.twoRollouts();
    const now = t.world.clock.now();
    const guard = await appendAudit(
      t.engineTable(),
      { kind: 'event', deploymentId: 'd-B', verdict: 'restore', reason: 'guard', actor: 'guard' },
      now + 40,
    );
    const tick = await appendAudit(
      t.engineTable(),
      { kind: 'decision', deploymentId: 'd-B', verdict: 'hold', reason: 'tick', actor: 'engine' },
      now,
    );
    for (const r of [guard, tick]) await anchorRecord(t.engineTable(), r);
    expect(tick.at).toBe(guard.at);
    await expectClean(8);
  });

  it('two ticks and the guard appending at once', async () => {
    await t.twoRollouts();
    const writers = ['tick-1', 'tick-2', 'guard'].map((actor) =>
      appendAudit(
        t.engineTable(),
        { kind: 'decision', deploymentId: 'd-B', verdict: 'hold', reason: actor, actor },
        t.world.clock.now(),
      ).then((r) => anchorRecord(t.engineTable(), r).then(() => r)),
    );
    expect((await Promise.all(writers)).map((r) => r.sk).sort()).toEqual([7, 8, 9]);
    await expectClean(9);
  });

  it('a record appended and anchored while history reads the trail (after the anchor listing, before the Query) is read again, not a false alarm', async () => {
    await t.twoRollouts();
    let appended = 0;
    t.beforeQuery = async (_command, index) => {
      if (index === 0) {
        await t.engineWrites('d-C', 'start', 'rollout started: 5%');
        appended += 1;
      }
    };
    await expectClean(7);
    expect(appended).toBe(1);
    expect(t.world.callsOf('ListObjectVersionsCommand')).toHaveLength(2);
  });

  it('plain history without a pin shows an intact trail, verified against what the parameter names, with a warning (exit 0); --verify refuses it (exit 1)', async () => {
    await t.twoRollouts();
    const plain = await t.history([], false);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(
      /^warning: the trust root is not pinned: \/ecs-canary\/web\/deployment can be rewritten by anyone with ssm:PutParameter; pass --trust-root/,
    );
    expect(plain.stdout).toContain('hash chain verified: 6 records intact');
    const strict = await t.history(['--verify'], false);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('(trust-root): the trust root is not pinned');
  });
});
