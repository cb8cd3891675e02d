/**
 * The red team against how `canary history` reads the trail: a table changed between the read
 * that prints and the read that verifies, tampering beyond the first Query page, the trust root's
 * key disabled, the metadata parameter pointing at another table, a wiped trail, and anchors whose
 * keys try to print lines of their own. Every tamper exits 1 naming the break.
 */
import { anchorRecord, appendAudit } from '../../lambdas/aws/dynamodb';
import { DAY_MS, TrailWorld } from './trail-world';

let t: TrailWorld;
beforeEach(async () => {
  t = new TrailWorld();
  await t.twoRollouts();
});
afterEach(() => t.restore());

const expectBroken = (code: string, sk: number, text?: string | RegExp) => t.expectBroken(code, sk, text);
const parameterName = '/ecs-canary/web/deployment';
const keySchema = { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'N' } } as const;

describe('red team: between and across the reads of history', () => {
  it('a forged record shown by the first read, the original back for the second: the printed record is named', async () => {
    const original = t.record(5);
    t.beforeQuery = (_command, index) => {
      if (index === 0) t.put({ ...original, verdict: 'succeed', reason: 'released' });
      if (index === 1) t.put(original);
    };
    const plain = await t.history([]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('verdict succeed');
    expect(plain.stderr).toContain(
      '!!! first bad record: #5 (changed-while-read): record 5 changed between the read that printed it and the read that verified it',
    );
    expect(plain.stderr).toContain('!!! NOT VERIFIED among the records above: #5');
  });

  it('a forged record shown by the first read, deleted before the second: named', async () => {
    const tip = t.record(6);
    t.beforeQuery = (_command, index) => {
      if (index === 0) t.put({ ...tip, sk: 7, reason: 'approved by CAB' });
      if (index === 1) t.remove(7);
    };
    const plain = await t.history([]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('approved by CAB');
    expect(plain.stderr).toContain('#7 (changed-while-read): record 7 was printed above but is gone from the table when verified');
  });

  it('a record altered on the third page of the Query (pages of two items): named', async () => {
    t.beforeQuery = (command) => {
      if (command.input.KeyConditionExpression === 'pk = :pk') command.input.Limit = 2;
    };
    expect((await t.history(['--verify'])).code).toBe(0);
    t.put({ ...t.record(5), verdict: 'succeed' });
    t.remove(2);
    const result = await expectBroken('missing', 2);
    expect(result.stderr).toContain('#5 (altered)');
    expect(t.world.callsOf('QueryCommand').length).toBeGreaterThan(3);
  });

  it('the tail truncated at a page boundary (pages of three, records 4..6 gone): named', async () => {
    t.beforeQuery = (command) => {
      if (command.input.KeyConditionExpression === 'pk = :pk') command.input.Limit = 3;
    };
    for (const sk of [4, 5, 6]) t.remove(sk);
    await expectBroken('truncated', 4, /the trail was truncated after record 3/);
  });
});

describe('red team: the trust root and what the parameter names', () => {
  it('the signing key disabled: trust-root, nothing verified', async () => {
    t.world.kms.key(t.root.keyArn).enabled = false;
    await expectBroken('trust-root', 0, /the signing key .* cannot be read \(.*is disabled.*\): no signature can be checked/);
  });

  it('the parameter pointed at a copy of the table without the rollback: named from the anchors', async () => {
    t.world.dynamodb.createTable('web-audit-copy', keySchema);
    for (const r of t.items()) if (r.sk !== 5) t.world.dynamodb.putItem({ TableName: 'web-audit-copy', Item: r } as never);
    const metadata = JSON.parse(t.world.ssm.value(parameterName)!);
    t.world.ssm.putParameter({
      Name: parameterName,
      Value: JSON.stringify({ ...metadata, auditTableName: 'web-audit-copy' }),
      Overwrite: true,
    });
    await expectBroken('missing', 5, /record 5 \(d-B, anchored, expires .*\) was deleted from the table/);
  });

  it('the parameter pointed at an empty table: the whole trail is named truncated', async () => {
    t.world.dynamodb.createTable('web-audit-empty', keySchema);
    const metadata = JSON.parse(t.world.ssm.value(parameterName)!);
    t.world.ssm.putParameter({
      Name: parameterName,
      Value: JSON.stringify({ ...metadata, auditTableName: 'web-audit-empty' }),
      Overwrite: true,
    });
    await expectBroken('truncated', 1, /the trail was truncated after record none/);
  });
  it('LIMIT (docs/audit.md): the signing key replaced around the retained table is named under either pin, never clean', async () => {
    const newKey = t.world.kms.addSigningKey();
    const engine = t.engineTable();
    const table = { ...engine, signer: { ...engine.signer!, keyArn: newKey } };
    const record = await appendAudit(
      table,
      { kind: 'event', deploymentId: 'd-C', reason: 'new stack', actor: 'engine' },
      t.world.clock.now(),
    );
    await anchorRecord(table, record);
    const metadata = JSON.parse(t.world.ssm.value(parameterName)!);
    t.world.ssm.putParameter({ Name: parameterName, Value: JSON.stringify({ ...metadata, auditKeyArn: newKey }), Overwrite: true });
    const underNew = await t.history(['--verify'], { ...t.root, keyArn: newKey });
    expect(underNew.code).toBe(1);
    expect(underNew.stderr).toContain('!!! first bad record: #1 (bad-signature)');
    const underOld = await t.history(['--verify']);
    expect(underOld.code).toBe(1);
    expect(underOld.stderr).toContain('#7 (bad-signature)');
  });
});

describe('red team: a wiped trail versus an empty one', () => {
  it('every record deleted while their anchors are retained: truncated from record 1', async () => {
    for (const r of t.items()) t.remove(r.sk);
    const result = await expectBroken('truncated', 1);
    expect(result.stderr).toContain('6 problem(s) in 0 records');
  });

  it('a service whose trail has legitimately expired verifies as empty, and says how many records expired', async () => {
    await t.world.clock.advance(91 * DAY_MS);
    t.expireTtl();
    const result = await t.history(['--verify']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('hash chain verified: 0 records intact');
  });
});

describe('red team: old valid records and the retention levers', () => {
  it("a replayer puts back the old chain's genuine records after they expired: verified by signature only, and said so", async () => {
    const old = t.items();
    await t.world.clock.advance(91 * DAY_MS);
    t.expireTtl();
    for (const r of old) t.put(r);
    const result = await t.history(['--verify']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('6 records intact');
    expect(result.stdout).toContain('6 past their expiry, vouched for by their signature only');
  });

  it('old records replayed after a redeploy started a new chain: named', async () => {
    const old = t.items();
    await t.world.clock.advance(91 * DAY_MS);
    t.expireTtl();
    await t.engineWrites('d-C', 'start', 'rollout started: 5%');
    await t.engineWrites('d-C', 'succeed', 'released');
    for (const r of old.filter((r) => r.sk > 2)) t.put(r);
    await expectBroken('broken-link', 3, /record 3 does not follow record 2/);
  });

  it('the TTL attribute switched to prevExpiresAt (the break-glass lever): a record deleted before its own expiry is named', async () => {
    await t.engineWrites('d-C', 'start', 'short retention', 1);
    await t.engineWrites('d-C', 'succeed', 'long retention', 90);
    await t.world.clock.advance(2 * DAY_MS);
    // Record 1 (prevExpiresAt 0) goes too in the fake; record 8 is deleted 88 days before its own expiry.
    expect(t.world.dynamodb.expireItems(t.tableName, 'prevExpiresAt', t.world.clock.now() / 1000)).toBe(2);
    t.expireTtl();
    const result = await expectBroken('missing', 1);
    expect(result.stderr).toMatch(/#8 \(truncated\): record 8 \(d-C, anchored, expires .*\) is missing from the end of the table/);
  });

  it('LIMIT (docs/audit.md): the control parameter repointed in the metadata parameter turns "verified" into "not verified", never into another writer', async () => {
    const requestId = 'req-7';
    t.world.sts.as('arn:aws:sts::123456789012:assumed-role/operator/alice');
    t.world.ssm.putParameter({
      Name: t.web.metadata.controlParameterName!,
      Value: JSON.stringify({ deploymentId: 'd-B', command: 'abort', requestedBy: 'alice', requestId }),
      Type: 'String',
      Overwrite: true,
    });
    await t.engineWrites('d-B', 'abort', 'aborted by alice', 90, { actor: 'alice', figures: { requestId } });
    expect((await t.history([])).stdout).toContain('verified: arn:aws:sts::123456789012:assumed-role/operator/alice wrote the request');
    const metadata = JSON.parse(t.world.ssm.value(parameterName)!);
    t.world.ssm.putParameter({
      Name: parameterName,
      Value: JSON.stringify({ ...metadata, controlParameterName: '/elsewhere/control' }),
      Overwrite: true,
    });
    const plain = await t.history([]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('claimed by alice; not verified: SSM has no version of the control parameter with this request id');
  });
});

describe('red team: writes delayed and reordered', () => {
  it('anchors written in reverse order, 5 minutes late, verify; an anchor held back 20 minutes is named backdated', async () => {
    const engine = t.engineTable();
    const draft = { kind: 'decision', deploymentId: 'd-C', reason: 'held', actor: 'engine' } as const;
    const first = await appendAudit(engine, draft, t.world.clock.now());
    const second = await appendAudit(engine, draft, t.world.clock.now());
    await t.world.clock.advance(5 * 60_000);
    await anchorRecord(engine, second);
    await anchorRecord(engine, first);
    expect((await t.history(['--verify'])).code).toBe(0);
    const third = await appendAudit(engine, draft, t.world.clock.now());
    await t.world.clock.advance(20 * 60_000);
    await anchorRecord(engine, third);
    await expectBroken('backdated', 9, /record 9 \(d-C\) says it was written .*, but S3 stored its anchor .* \(tolerance 15 min\)/);
  });
});

describe('red team: anchors overwritten or hidden', () => {
  it('an anchor written again two days later, behind a delete marker (an engine role replacing it): its oldest version dates it, nothing changes', async () => {
    const [key] = t.anchorKeys(6);
    t.hide(key);
    await t.world.clock.advance(2 * DAY_MS);
    t.world.s3.putObject({ Bucket: t.root.bucket, Key: key, Body: '{"verdict":"succeed"}' });
    const result = await t.history(['--verify']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('6 records intact');
  });

  it('an anchor permanently deleted before its retention: refused by Object Lock', () => {
    const [key] = t.anchorKeys(6);
    const [version] = t.world.s3.buckets.get(t.root.bucket)!.versions.get(key)!;
    expect(() => t.world.s3.deleteObject({ Bucket: t.root.bucket, Key: key, VersionId: version.versionId })).toThrow(
      /protected by object lock \(compliance mode until/,
    );
  });
});

describe('red team: anchors that try to print', () => {
  it('an anchor key carrying a newline and an ANSI code: its problem is one escaped line', async () => {
    const r = t.record(6);
    const fields = { ...t.signedFieldsOf(r), sk: 7, deploymentId: 'd-B\n\u001b[32mhash chain verified: 7 records intact\u001b[0m' };
    const own = t.world.kms.addSigningKey();
    t.putAnchor({ ...fields, signature: await t.sign(fields, own) });
    const result = await expectBroken('forged-anchor', 7);
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr.split('\n').filter((l) => l.startsWith('hash chain verified'))).toEqual([]);
    expect(result.stderr).toContain('d-B\\n\\u001b[32mhash chain verified');
  });
});
