/**
 * The red team, as an IAM administrator without kms:Sign on the service's key (the key policy
 * denies it; red-team-iam.test.ts simulates who may make which write) and at the S3 level: every
 * tamper must make `canary history --verify` exit 1 naming the break. Table writes here stand for
 * what such an administrator can do once the table's resource policy is out of the way (the
 * account's root user can always delete it, docs/audit.md).
 */
import { type AuditRecord, hashRecord } from '../../lambdas/core/audit-chain';
import { DAY_MS, TrailWorld } from './trail-world';

let t: TrailWorld;
beforeEach(async () => {
  t = new TrailWorld();
  await t.twoRollouts();
});
afterEach(() => t.restore());

const expectBroken = (code: string, sk: number, text?: string | RegExp) => t.expectBroken(code, sk, text);

/** Rewrites records from `from` on: content changed, every later hash and link recomputed, signatures dropped or made by `sign`. */
async function rewriteFrom(from: number, change: (r: AuditRecord) => Partial<AuditRecord>, sign?: (r: AuditRecord) => Promise<string>) {
  let prev = t.items().find((r) => r.sk === from - 1);
  for (const original of t.items().filter((r) => r.sk >= from)) {
    const changed = t.rehash(original, { ...(original.sk === from ? change(original) : {}), ...(prev ? { prevHash: prev.hash } : {}) });
    const next = sign ? { ...changed, signature: await sign(changed) } : { ...changed, signature: original.signature };
    t.put(next);
    prev = next as AuditRecord;
  }
}

describe('red team: an administrator without kms:Sign, and S3-level tampering', () => {
  it('the intact trail verifies: every signature with the pinned key, every anchor version', async () => {
    const result = await t.history(['--verify']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(
      /^hash chain verified: 6 records intact \(hash chain, signatures \(key .*, pinned\), 6 anchors \(every version\)\)$/,
    );
  });

  it('a record inserted at sort key 0.5 (unsigned): named as outside the chain', async () => {
    const first = t.record(1);
    t.put(t.rehash({ ...first, sk: 0.5, reason: 'pre-approved by CAB' } as AuditRecord));
    await expectBroken('malformed', 0, /sort key 0\.5; sequence numbers are positive integers/);
    const plain = await t.history([]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('#0.5  ');
    expect(plain.stderr).toContain('!!! NOT VERIFIED among the records above: #0.5');
  });

  it('a rollback rewritten as "succeed" with every later hash recomputed, not re-signed', async () => {
    await rewriteFrom(5, () => ({ verdict: 'succeed', reason: 'released' }));
    const result = await expectBroken('bad-signature', 5);
    expect(result.stderr).toContain('record 5 is not the record anchored at 5');
  });

  it('the same forgery re-signed with a key the administrator owns', async () => {
    const own = t.world.kms.addSigningKey();
    await rewriteFrom(
      5,
      () => ({ verdict: 'succeed' }),
      (r) => t.sign(t.signedFieldsOf(r), own),
    );
    await expectBroken('bad-signature', 5, /does not verify with the pinned key/);
  });

  it('a record appended without a signature', async () => {
    const tip = t.record(6);
    const forged = {
      pk: 'web',
      sk: 7,
      kind: 'decision',
      deploymentId: 'd-B',
      verdict: 'succeed',
      reason: 'released',
      actor: 'engine',
      at: t.world.clock.date().toISOString(),
      prevHash: tip.hash,
      expiresAt: tip.expiresAt + 600,
      format: 2,
      prevExpiresAt: tip.expiresAt,
    };
    t.put({ ...forged, hash: hashRecord(forged as never) });
    const result = await expectBroken('unsigned', 7);
    expect(result.stderr).toContain('record 7 (d-B) has no anchor in the bucket');
  });

  it('the tail truncated: named from the anchors', async () => {
    t.remove(6);
    t.remove(5);
    await expectBroken('truncated', 5, /the trail was truncated after record 4/);
  });

  it('the tail truncated and its anchors hidden behind delete markers (a lifecycle Expiration rule): every version is still read', async () => {
    t.remove(6);
    t.remove(5);
    for (const sk of [5, 6]) for (const key of t.anchorKeys(sk)) t.hide(key);
    const result = await expectBroken('truncated', 5);
    expect(result.stderr).toContain('2 unexpired anchors behind delete markers, read anyway (#5, #6)');
  });

  it('the tail removed with forged "expired" copies of its anchors (no kms:Sign: signed with another key)', async () => {
    const own = t.world.kms.addSigningKey();
    for (const sk of [5, 6]) {
      const r = t.record(sk);
      const fields = { ...t.signedFieldsOf(r), expiresAt: Math.floor(t.world.clock.now() / 1000) - 60 };
      t.putAnchor({ ...fields, signature: await t.sign(fields, own) });
      t.remove(sk);
    }
    const result = await expectBroken('truncated', 5);
    expect(result.stderr).toContain('(forged-anchor): the anchor of record 5 (d-B) is not signed by the pinned key');
  });

  it('the head removed with forged "expired" copies of its anchors', async () => {
    const own = t.world.kms.addSigningKey();
    const r = t.record(1);
    const fields = { ...t.signedFieldsOf(r), expiresAt: Math.floor(t.world.clock.now() / 1000) - 60 };
    t.putAnchor({ ...fields, signature: await t.sign(fields, own) });
    t.remove(1);
    const result = await expectBroken('missing', 1, /record 1 \(d-A, anchored, expires .*\) was deleted from the table/);
    expect(result.stderr).toContain('#1 (forged-anchor): the anchor of record 1 (d-A) is not signed by the pinned key');
  });

  it('a record shortened: rewritten with a past expiresAt (unsigned) so that TTL deletes it', async () => {
    t.put({ ...t.record(6), expiresAt: Math.floor(t.world.clock.now() / 1000) - 1 });
    expect(t.expireTtl()).toBe(1);
    await expectBroken('truncated', 6);
  });

  it('the first record deleted (its anchor has not expired)', async () => {
    t.remove(1);
    await expectBroken('missing', 1, /record 1 \(d-A, anchored, expires .*\) was deleted from the table/);
  });

  it('a record in the middle deleted: named missing, not a gap', async () => {
    t.remove(3);
    await expectBroken('missing', 3);
  });

  it('two records swapped: named reordered, not altered', async () => {
    const [r2, r3] = [t.record(2), t.record(3)];
    t.put({ ...r2, sk: 3 });
    t.put({ ...r3, sk: 2 });
    const result = await expectBroken('reordered', 2, /record 2 is record 3 of d-A moved/);
    expect(result.stderr).toContain('#3 (reordered): record 3 is record 2 of d-A moved');
    expect(result.stderr).not.toContain('(altered)');
  });

  it("another deployment's record replayed in place of the rollback: named replayed first", async () => {
    t.put({ ...t.record(3), sk: 5 });
    await expectBroken('replayed', 5, /record 5 replays record 3 of deployment d-A; the record anchored at 5 is deployment d-B's/);
  });

  it('the metadata parameter rewritten without the key and the bucket: a failure, never a skipped check', async () => {
    const name = '/ecs-canary/web/deployment';
    const { auditKeyArn: _k, auditAnchorBucket: _b, ...rest } = JSON.parse(t.world.ssm.value(name)!);
    t.world.ssm.putParameter({ Name: name, Value: JSON.stringify(rest), Overwrite: true });
    await expectBroken('trust-root', 0, /names signing key null, not the pinned/);
    const unpinned = await t.history(['--verify'], false);
    expect(unpinned.code).toBe(1);
    expect(unpinned.stderr).toContain('the trust root is not pinned');
    expect(unpinned.stderr).toContain('names no signing key: the trail cannot be verified');
  });

  it("the parameter pointed at the administrator's own key and bucket, the chain re-signed and re-anchored there (the parameter deleted and recreated first)", async () => {
    const ownKey = t.world.kms.addSigningKey();
    const ownBucket = t.world.s3.createBucket('attacker-anchors', { objectLock: true }).name;
    const ownRoot = { keyArn: ownKey, bucket: ownBucket };
    await rewriteFrom(5, () => ({ verdict: 'succeed', reason: 'released' }));
    for (const r of t.items()) {
      const signature = await t.sign(t.signedFieldsOf(r), ownKey, ownRoot);
      t.put({ ...r, signature });
      t.putAnchor({ ...t.signedFieldsOf(r), signature }, ownBucket, r.expiresAt * 1000);
    }
    const name = '/ecs-canary/web/deployment';
    const metadata = JSON.parse(t.world.ssm.value(name)!);
    t.world.ssm.deleteParameter({ Name: name });
    t.world.ssm.putParameter({ Name: name, Value: JSON.stringify({ ...metadata, auditKeyArn: ownKey, auditAnchorBucket: ownBucket }) });
    // Unpinned, the forged root verifies: that is why the verdict is a failure without a pin.
    const unpinned = await t.history(['--verify'], false);
    expect(unpinned.code).toBe(1);
    expect(unpinned.stderr).toContain('first bad record: #0 (trust-root): the trust root is not pinned');
    const result = await expectBroken('trust-root', 0, new RegExp(`names signing key "${ownKey}", not the pinned`));
    expect(result.stderr).toContain('(bad-signature)');
    expect(result.stderr).toContain(
      `SSM records version 1 of ${name} as written by arn:aws:sts::123456789012:assumed-role/operator/oncall at `,
    );
    expect(result.stderr).toContain('(version 1: the parameter was created anew, or its history deleted with it)');
  });

  it('--trust-root pins the root on the command line; a value that is not <key ARN>,<bucket> is refused in one line', async () => {
    const pinned = await t.history(['--verify', '--trust-root', `${t.root.keyArn},${t.root.bucket}`], false);
    expect(pinned.code).toBe(0);
    const bad = await t.history(['--verify', '--trust-root', 'my-key'], false);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(
      '--trust-root is "my-key"; accepted: <KMS key ARN>,<bucket name>, as the service stack\'s output AuditTrustRoot prints it',
    );
  });

  it('an object under the service prefix that is not an anchor is listed', async () => {
    t.world.s3.putObject({ Bucket: t.root.bucket, Key: 'web/000000000007/d-B/not-an-anchor', Body: '{}' });
    await expectBroken('malformed-anchor', 0, /object web\/000000000007\/d-B\/not-an-anchor in the anchor bucket is not an anchor of web/);
  });

  it('a malformed item (reasons: 5) does not crash plain history; it is named', async () => {
    t.put({ ...t.record(6), sk: 7, reasons: 5 });
    const plain = await t.history([]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('#7  ');
    expect(plain.stderr).toContain('record 7 is malformed: field reasons is 5; accepted: a list of checks');
  });

  it('plain history escapes control characters: a reason cannot print forged lines', async () => {
    await t.engineWrites(
      'd-B',
      'abort',
      'bye\n#99  2026-12-01T00:00:00.000Z  d-B  verdict succeed  by engine\n\u001b[32mhash chain verified: 99 records intact\u001b[0m',
    );
    const plain = await t.history([]);
    expect(plain.code).toBe(0);
    const lines = plain.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('#99'))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('hash chain verified'))).toHaveLength(1);
    expect(plain.stdout).not.toContain('\u001b');
    expect(plain.stdout).toContain('bye\\n#99');
  });

  it('who acted: the document claims, SSM says who wrote it', async () => {
    const requestId = 'req-42';
    t.world.sts.as('arn:aws:sts::111111111111:assumed-role/operator/mallory');
    t.world.ssm.putParameter({
      Name: t.web.metadata.controlParameterName!,
      Value: JSON.stringify({
        deploymentId: 'd-B',
        command: 'abort',
        requestedBy: 'alice',
        callerArn: 'arn:aws:sts::111111111111:assumed-role/operator/alice',
        at: t.world.clock.date().toISOString(),
        requestId,
      }),
      Type: 'String',
      Overwrite: true,
    });
    await t.engineWrites('d-B', 'abort', 'aborted by alice', 90, {
      actor: 'alice',
      figures: { requestId, callerArn: 'arn:aws:sts::111111111111:assumed-role/operator/alice' },
    });
    await t.engineWrites('d-B', 'abort', 'aborted by engine', 90, { actor: 'engine', figures: { requestId: 'never-written' } });
    const plain = await t.history([]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(
      'claimed by alice (arn:aws:sts::111111111111:assumed-role/operator/alice); verified: arn:aws:sts::111111111111:assumed-role/operator/mallory wrote the request (SSM parameter history)',
    );
    expect(plain.stdout).toContain('claimed by engine; not verified: SSM has no version of the control parameter with this request id');
  });

  it('plain history shows the newest records before it verifies, and says what it verified', async () => {
    const plain = await t.history(['--limit', '2']);
    expect(plain.code).toBe(0);
    expect(plain.stdout.split('\n')[0]).toMatch(/^#6 /);
    expect(plain.stdout.trim().split('\n').at(-1)).toMatch(
      /^hash chain verified: 6 records intact \(hash chain, signatures \(key arn:aws:kms:.*, bucket web-audit-anchors, pinned\), 6 anchors \(every version\)\)$/,
    );
    expect(t.world.callsOf('ListObjectVersionsCommand').length).toBeGreaterThan(0);
  });

  it('an expired-looking gap within a day of its predecessor is a gap', async () => {
    t.remove(5);
    for (const key of t.anchorKeys(5)) t.world.s3.buckets.get(t.root.bucket)!.versions.delete(key);
    await expectBroken('missing', 5, /record 6 says it expires/);
  });

  it('legitimate expiry keeps verifying after 91 days (records and anchors expire together)', async () => {
    await t.world.clock.advance(91 * DAY_MS);
    t.expireTtl();
    const result = await t.history(['--verify']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('hash chain verified: 0 records intact');
  });
});
