/**
 * One record verified on its own (what `canary status` and the cdk-deploy resource check before
 * quoting a reason; docs/audit.md, "What status and cdk deploy quote"), against the fake's real
 * ECDSA key and Object Lock bucket, with each attacker's own moves: the same codes as
 * `canary history --verify` for the record itself, and, as stated limits, nothing about its
 * neighbours.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';

import { checkAuditRecords, readTrustRoot } from '../../lambdas/aws/audit-record-check';
import { type AuditRecord, buildRecord, type TrustRoot } from '../../lambdas/core/audit-chain';
import { TrailWorld } from './trail-world';

let t: TrailWorld;
beforeEach(async () => {
  t = new TrailWorld();
  await t.twoRollouts();
});
afterEach(() => t.restore());

/** The verdict on `item` checked alone, against the pinned root, another, or none (`'none'`). */
async function checkAlone(item: Record<string, unknown>, root: TrustRoot | 'none' = t.root) {
  const trust = await readTrustRoot(new KMSClient({ region: 'us-east-1' }), root === 'none' ? undefined : root);
  const checks = await checkAuditRecords(new S3Client({ region: 'us-east-1' }), { service: 'web', trust, now: () => t.world.clock.now() }, [
    item,
  ]);
  return checks.get(item.sk)!;
}
const item = (record: AuditRecord) => record as unknown as Record<string, unknown>;

describe('one record verified on its own', () => {
  it('a genuine record verifies, and costs one listing of its own sequence number', async () => {
    const before = t.world.calls.length;
    expect(await checkAlone(item(t.record(5)))).toEqual({ ok: true });
    const listings = t.world.calls.slice(before).filter((c) => c.command === 'ListObjectVersionsCommand');
    expect(listings.map((c) => (c.input as { Prefix?: string }).Prefix)).toEqual(['web/000000000005/']);
  });

  it.each<[string, (r: AuditRecord) => Promise<Record<string, unknown>> | Record<string, unknown>, string]>([
    ['its reason rewritten', (r) => ({ ...r, reason: 'approved by CAB' }), 'altered'],
    ['rewritten and re-hashed', (r) => t.rehash(r, { reason: 'approved by CAB' }) as never, 'unsigned'],
    [
      'rewritten, re-hashed, the old signature kept',
      (r) => ({ ...t.rehash(r, { reason: 'approved by CAB' }), signature: r.signature }),
      'bad-signature',
    ],
    ['moved to the next sequence number (its hash covers it)', (r) => ({ ...r, sk: 7 }), 'altered'],
    [
      'moved and re-hashed (its signature covers the sequence number)',
      (r) => ({ ...t.rehash(r, { sk: 7 }), signature: r.signature }),
      'bad-signature',
    ],
    ['planted at a fraction after it', (r) => ({ ...r, sk: 5.5 }), 'malformed'],
    ['its figures as a set', (r) => ({ ...r, figures: new Set(['x']) }), 'malformed'],
  ])('%s: does not verify', async (_what, tamper, code) => {
    const check = await checkAlone(await tamper(t.record(5)));
    expect(check.ok).toBe(false);
    expect(check.first?.code).toBe(code);
  });

  it('a record planted by whoever can write the table but not sign: unsigned', async () => {
    const forged = buildRecord(
      'web',
      t.record(6),
      { kind: 'decision', actor: 'engine', deploymentId: 'd-B', verdict: 'rollback', reason: 'x' },
      t.world.clock.now(),
      90,
    );
    t.put(forged);
    expect((await checkAlone(item(forged))).first?.code).toBe('unsigned');
  });

  it('a compromised engine role rewrites and re-signs the record: its two anchors name the fork', async () => {
    const changed = t.rehash(t.record(6), { reason: 'released' });
    const signature = await t.sign(t.signedFieldsOf(changed));
    t.put({ ...changed, signature });
    t.putAnchor({ ...t.signedFieldsOf(changed), signature }, t.root.bucket, changed.expiresAt * 1000);
    expect((await checkAlone({ ...changed, signature })).first?.code).toBe('fork');
  });

  it('against another trust root, or a key that cannot be read: trust-root', async () => {
    expect(
      (await checkAlone(item(t.record(5)), { keyArn: 'arn:aws:kms:us-east-1:123456789012:key/other', bucket: t.root.bucket })).first?.code,
    ).toBe('trust-root');
    expect((await checkAlone(item(t.record(5)), 'none')).first?.code).toBe('trust-root');
  });

  it('LIMIT: its neighbours are not checked — with its predecessor deleted it still verifies alone, while history --verify names the deletion', async () => {
    t.remove(4);
    expect(await checkAlone(item(t.record(5)))).toEqual({ ok: true });
    await t.expectBroken('missing', 4);
  });
});
