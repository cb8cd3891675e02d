/**
 * The red team as a compromised engine role (tick, guard or a hook): it holds kms:Sign on the
 * service's key, an unconditional dynamodb:PutItem on the table and s3:PutObject under the
 * service's anchor prefix, but no DeleteItem and no anchor deletion (red-team-iam.test.ts). Every
 * tamper of what is already anchored is named; appending a new, well-formed record is the one
 * thing it can do unseen, stated as a limit in docs/audit.md and asserted here as such.
 */
import { DAY_MS, TrailWorld } from './trail-world';

let t: TrailWorld;
beforeEach(async () => {
  t = new TrailWorld();
  await t.twoRollouts();
});
afterEach(() => t.restore());

const nowS = () => Math.floor(t.world.clock.now() / 1000);

const expectBroken = (code: string, sk: number, text?: string | RegExp) => t.expectBroken(code, sk, text);

describe('red team: a compromised engine role (kms:Sign, PutItem, anchor PutObject)', () => {
  it('a signed record inserted at sort key 0.5: named as outside the chain', async () => {
    const first = t.record(1);
    const forged = t.rehash({ ...first, sk: 0.5 });
    t.put({ ...forged, signature: await t.sign(t.signedFieldsOf(forged)) });
    await expectBroken('malformed', 0, /sort key 0\.5/);
  });

  it('the tail shortened: rewritten (re-signed, PutItem is unconditional) with a past expiresAt, so that TTL deletes it', async () => {
    const shortened = t.rehash(t.record(6), { expiresAt: nowS() - 1 });
    t.put({ ...shortened, signature: await t.sign(t.signedFieldsOf(shortened)) });
    expect(t.expireTtl()).toBe(1);
    await expectBroken('truncated', 6, /record 6 \(d-B, anchored, expires .*\) is missing from the end of the table/);
  });

  it('the head shortened the same way, with a signed anchor copy whose expiry says "expired"', async () => {
    const shortened = t.rehash(t.record(1), { expiresAt: nowS() - 1 });
    const signature = await t.sign(t.signedFieldsOf(shortened));
    t.put({ ...shortened, signature });
    t.putAnchor({ ...t.signedFieldsOf(shortened), signature });
    t.expireTtl();
    const result = await expectBroken('missing', 1);
    expect(result.stderr).toContain('(bad-expiry): the anchor of record 1 (d-A) says it expires');
  });

  it('a signed "expired" anchor copy backdated so that its expiry looks honest: S3 dates it', async () => {
    const r = t.record(6);
    const backdated = { ...t.signedFieldsOf(r), atMs: t.world.clock.now() - 3 * DAY_MS, expiresAt: nowS() - DAY_MS / 1000 + 60 };
    backdated.expiresAt = Math.floor(backdated.atMs / 1000) + 86_400 + 1;
    t.putAnchor({ ...backdated, signature: await t.sign(backdated) });
    t.remove(6);
    const result = await expectBroken('backdated', 6, /says it was written .* but S3 stored its anchor/);
    expect(result.stderr).toContain('(truncated): record 6');
  });

  it('a record rewritten with new content, re-signed and anchored again: two signed anchors for one sequence number', async () => {
    const changed = t.rehash(t.record(6), { verdict: 'succeed', reason: 'released' });
    const signature = await t.sign(t.signedFieldsOf(changed));
    t.put({ ...changed, signature });
    t.putAnchor({ ...t.signedFieldsOf(changed), signature }, t.root.bucket, changed.expiresAt * 1000);
    await expectBroken('fork', 6, /record 6 has 2 different signed anchors/);
  });

  it('a signed "promote" appended two days later with its time backdated before the rollback', async () => {
    await t.world.clock.advance(2 * DAY_MS);
    const tip = t.record(6);
    const at = new Date(Date.parse(t.record(5).at) - 1000).toISOString();
    const forged = t.rehash({
      ...tip,
      sk: 7,
      verdict: 'promote',
      reason: 'stage 2 passed',
      at,
      prevHash: tip.hash,
      prevExpiresAt: tip.expiresAt,
    });
    const signature = await t.sign(t.signedFieldsOf(forged));
    t.put({ ...forged, signature });
    t.putAnchor({ ...t.signedFieldsOf(forged), signature }, t.root.bucket, forged.expiresAt * 1000);
    const result = await expectBroken('backdated', 7, /record 7 \(d-B\) says it was written .*, but S3 stored its anchor/);
    expect(result.stderr).toMatch(/\(time-reversed\): record 7 is dated .* before record 6/);
  });

  it('a signed anchor at sequence 0: listed as not an anchor, not as a record 0', async () => {
    const r = t.record(1);
    const zero = { ...t.signedFieldsOf(r), sk: 0 };
    t.putAnchor({ ...zero, signature: await t.sign(zero) });
    const result = await expectBroken(
      'malformed-anchor',
      0,
      /web\/000000000000\/.* is not an anchor of web \(sequence numbers start at 1\)/,
    );
    expect(result.stderr).not.toContain('record 0 ');
  });

  it('anchors written ahead of the chain: the next honest record is named as a fork, not the anchors as a truncation only', async () => {
    const tip = t.record(6);
    const ahead = t.rehash({ ...tip, sk: 7, reason: 'planted', prevHash: tip.hash, prevExpiresAt: tip.expiresAt });
    t.putAnchor({ ...t.signedFieldsOf(ahead), signature: await t.sign(t.signedFieldsOf(ahead)) }, t.root.bucket, ahead.expiresAt * 1000);
    expect((await expectBroken('truncated', 7)).stderr).toContain('the trail was truncated after record 6');
    await t.engineWrites('d-C', 'start', 'rollout started: 5%');
    await expectBroken('fork', 7, /record 7 has 2 different signed anchors/);
  });

  it("LIMIT (docs/audit.md): a new record appended, signed and anchored, in time and in sequence, is indistinguishable from the engine's", async () => {
    await t.engineWrites('d-B', 'succeed', 'released (forged by a compromised role)');
    const result = await t.history(['--verify']);
    expect(result.code).toBe(0);
  });
});
