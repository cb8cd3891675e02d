/**
 * The audit trail against the fake AWS (real ECDSA P-256 keys in the fake KMS, an Object
 * Lock bucket in the fake S3). The engine's append path (appendAudit + anchorRecord) writes the
 * trail; each test forges it as an attacker without the engine's role would, and `canary history
 * --verify` must exit 1 naming the first bad record and why.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { type CliDeps, createClients } from '../../cli/context';
import { runCli } from '../../cli/program';
import { anchorRecord, appendAudit, type AuditTable } from '../../lambdas/aws/dynamodb';
import { type AuditDraft, type AuditRecord, hashRecord, signedFields, signingPayload } from '../../lambdas/core/audit-chain';
import { FakeAws, type FakeService } from '../support';

const DAY_S = 86_400;
let world: FakeAws;
let web: FakeService;
let table: AuditTable;

function engineTable(retentionDays = 90): AuditTable {
  return {
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }), { marshallOptions: { removeUndefinedValues: true } }),
    tableName: web.metadata.auditTableName!,
    service: 'web',
    retentionDays,
    signer: { client: new KMSClient({ region: 'us-east-1' }), keyArn: web.metadata.auditKeyArn! },
    anchors: { client: new S3Client({ region: 'us-east-1' }), bucket: web.metadata.auditAnchorBucket! },
  };
}

/** What the engine does for each decision: append (signed), then anchor. */
async function engineWrites(deploymentId: string, verdict: AuditDraft['verdict'], reason: string, t = table): Promise<AuditRecord> {
  const record = await appendAudit(t, { kind: 'decision', deploymentId, verdict, reason, actor: 'engine' }, world.clock.now());
  await anchorRecord(t, record);
  await world.clock.advance(60_000);
  return record;
}

async function history(...args: string[]) {
  const out = {
    text: '',
    write(t: string) {
      this.text += t;
      return true;
    },
  };
  const err = {
    text: '',
    write(t: string) {
      this.text += t;
      return true;
    },
  };
  const deps: CliDeps = {
    stdout: out,
    stderr: err,
    env: { CANARY_ACTOR: 'auditor', CANARY_AUDIT_TRUST_ROOT: `${web.metadata.auditKeyArn},${web.metadata.auditAnchorBucket}` },
    now: () => world.clock.date(),
    sleep: (ms) => world.clock.advance(ms),
    clients: (o) => createClients({ region: 'us-east-1', ...o }),
  };
  const code = await runCli(['history', 'web', ...args], deps);
  return { code, stdout: out.text, stderr: err.text, last: err.text.trim().split('\n').at(-1) ?? '' };
}

const items = () =>
  world.dynamodb.items(web.metadata.auditTableName!).filter((i) => i.pk === 'web' && i.sk >= 1) as unknown as AuditRecord[];
const put = (item: object) => world.dynamodb.putItem({ TableName: web.metadata.auditTableName!, Item: item } as never);
const remove = (sk: number) => world.dynamodb.deleteItem({ TableName: web.metadata.auditTableName!, Key: { pk: 'web', sk } } as never);

/**
 * Rewrites records from `from` on as an attacker who can write the table would: content changed, every later
 * hash recomputed, signatures kept or made by `sign`.
 */
async function rewriteFrom(from: number, change: (r: AuditRecord) => AuditRecord, sign?: (r: AuditRecord) => Promise<string>) {
  let prev = items().find((r) => r.sk === from - 1);
  for (const original of items().filter((r) => r.sk >= from)) {
    const changed = original.sk === from ? change(original) : original;
    const { hash: _h, signature, ...rest } = { ...changed, prevHash: prev?.hash ?? changed.prevHash };
    const hash = hashRecord(rest as AuditRecord);
    const next = { ...rest, hash, signature: sign ? await sign({ ...rest, hash } as AuditRecord) : signature } as AuditRecord;
    put(next);
    prev = next;
  }
}

beforeEach(async () => {
  world = new FakeAws().install();
  web = world.addService({ name: 'web' });
  table = engineTable();
  await engineWrites('d-A', 'start', 'rollout started: 5%');
  await engineWrites('d-A', 'promote', 'stage 1 passed');
  await engineWrites('d-A', 'succeed', 'released');
  await engineWrites('d-B', 'start', 'rollout started: 5%');
  await engineWrites('d-B', 'rollback', 'canary 5xx 4.8% vs baseline 0.3%');
  await engineWrites('d-B', 'restore', 'restored 100% to the original');
});
afterEach(() => world.restore());

describe('the signed, anchored audit trail', () => {
  it('verifies an intact trail: hash chain, every signature with the public key (one GetPublicKey), every anchor', async () => {
    // The engine's appends read the public key too (to check the record they follow): count the verifier's calls only.
    const before = world.calls.length;
    const result = await history('--verify');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(
      /^hash chain verified: 6 records intact \(hash chain, signatures \(key .*, pinned\), 6 anchors \(every version\)\)$/,
    );
    expect(world.calls.slice(before).filter((c) => c.command === 'GetPublicKeyCommand')).toHaveLength(1);
    expect(world.kms.signed.filter((s) => s.keyArn === web.metadata.auditKeyArn)).toHaveLength(6);
    expect(world.callsOf('ListObjectVersionsCommand')).toHaveLength(1);
    expect(items().every((r) => typeof r.signature === 'string')).toBe(true);
  });

  it('a rollback rewritten as "succeed" with every later hash recomputed, not re-signed: the first bad record is named', async () => {
    await rewriteFrom(5, (r) => ({ ...r, verdict: 'succeed', reason: 'released' }));
    const result = await history('--verify');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("!!! first bad record: #5 (bad-signature): record 5's signature does not verify with the pinned key");
    expect(result.stderr).toContain('record 5 is not the record anchored at 5');
    expect(result.last).toMatch(/^failed: the audit trail of web is broken \(\d+ problem\(s\)\); first bad record #5 \(bad-signature\): /);
  });

  it('the same forgery re-signed with another KMS key: detected, the signature named', async () => {
    const otherKey = world.kms.addSigningKey();
    const kms = new KMSClient({ region: 'us-east-1' });
    const signWithOther = async (r: AuditRecord) =>
      Buffer.from(
        (
          await kms.send(
            new SignCommand({
              KeyId: otherKey,
              Message: Buffer.from(
                signingPayload(signedFields(r), { keyArn: web.metadata.auditKeyArn!, bucket: web.metadata.auditAnchorBucket! }),
              ),
              MessageType: 'RAW',
              SigningAlgorithm: 'ECDSA_SHA_256',
            }),
          )
        ).Signature!,
      ).toString('base64');
    await rewriteFrom(5, (r) => ({ ...r, verdict: 'succeed' }), signWithOther);
    const result = await history('--verify');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "first bad record: #5 (bad-signature): record 5's signature does not verify with the pinned key: it was changed after signing, or signed by another key",
    );
  });

  it('a record forged by a writer without kms:Sign (appended unsigned): named unsigned and not anchored', async () => {
    const tip = items().at(-1)!;
    const forged = {
      pk: 'web',
      sk: 7,
      kind: 'decision',
      deploymentId: 'd-B',
      verdict: 'succeed',
      reason: 'released',
      actor: 'engine',
      at: world.clock.date().toISOString(),
      prevHash: tip.hash,
      expiresAt: tip.expiresAt,
      format: 2,
      prevExpiresAt: tip.expiresAt,
    };
    put({ ...forged, hash: hashRecord(forged as never) });
    const result = await history('--verify');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('first bad record: #7 (unsigned): record 7 is not signed by the engine');
    expect(result.stderr).toContain('record 7 (d-B) has no anchor in the bucket');
  });

  it('truncation: records cut off the end are named from the anchors', async () => {
    remove(6);
    remove(5);
    const result = await history('--verify');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('first bad record: #5 (truncated): record 5 (d-B, anchored');
    expect(result.stderr).toContain('the trail was truncated after record 4');
  });

  it('deleting the first record is named (the anchor of record 1 has not expired)', async () => {
    remove(1);
    const result = await history('--verify');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/first bad record: #1 \(missing\): record 1 \(d-A, anchored, expires .*\) was deleted from the table/);
  });

  it('reordering two records (their sequence numbers swapped) is named', async () => {
    const [r2, r3] = [items()[1], items()[2]];
    put({ ...r2, sk: 3 });
    put({ ...r3, sk: 2 });
    const result = await history('--verify');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('record 2 is record 3 of d-A moved: the records were reordered');
    expect(result.stderr).toContain('record 3 is record 2 of d-A moved: the records were reordered');
  });

  it("a replay of another deployment's records in place of the rollback is named", async () => {
    const successOfA = items().find((r) => r.sk === 3)!;
    put({ ...successOfA, sk: 5 });
    const result = await history('--verify');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("record 5 replays record 3 of deployment d-A; the record anchored at 5 is deployment d-B's");
  });

  it('a missing anchor (never written, or hidden behind a delete marker) is named', async () => {
    const record = await appendAudit(
      table,
      { kind: 'event', deploymentId: 'd-B', verdict: 'restore', reason: 'guard', actor: 'guard' },
      world.clock.now(),
    );
    const result = await history('--verify');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`first bad record: #${record.sk} (no-anchor): record ${record.sk} (d-B) has no anchor in the bucket`);
  });

  it('Object Lock (compliance): an anchor version cannot be deleted or overwritten while retained; it can after the retention', async () => {
    const bucket = web.metadata.auditAnchorBucket!;
    const [key] = world.s3.keys(bucket);
    const version = world.s3.buckets.get(bucket)!.versions.get(key)![0];
    expect(version.lockMode).toBe('COMPLIANCE');
    expect(version.retainUntil).toBe(items()[0].expiresAt * 1000);
    expect(() => world.s3.deleteObject({ Bucket: bucket, Key: key, VersionId: version.versionId })).toThrow(
      /object protected by object lock/,
    );
    expect(() => world.s3.putObject({ Bucket: bucket, Key: key, Body: 'forged', IfNoneMatch: '*' })).toThrow(/pre-conditions/);
    await world.clock.advance(91 * DAY_S * 1000);
    expect(world.s3.deleteObject({ Bucket: bucket, Key: key, VersionId: version.versionId })).toEqual({ VersionId: version.versionId });
  });

  it('two ticks and the guard appending at once: no fork, no gap, every record signed and anchored', async () => {
    const writers = ['tick-1', 'tick-2', 'guard'].map((actor) =>
      appendAudit(engineTable(), { kind: 'decision', deploymentId: 'd-B', verdict: 'hold', reason: actor, actor }, world.clock.now()).then(
        (r) => anchorRecord(table, r).then(() => r),
      ),
    );
    const written = await Promise.all(writers);
    expect(written.map((r) => r.sk).sort()).toEqual([7, 8, 9]);
    expect(world.callsOf('PutCommand').filter((c) => c.error === 'ConditionalCheckFailedException').length).toBeGreaterThan(0);
    const result = await history('--verify');
    expect(result.stdout.trim()).toMatch(
      /^hash chain verified: 9 records intact \(hash chain, signatures \(key .*, pinned\), 9 anchors \(every version\)\)$/,
    );
  });

  it('90-day TTL: records and anchors expire together, and an expired record is not reported missing', async () => {
    const first = items()[0];
    expect(first.expiresAt).toBe(Math.floor(Date.parse(first.at) / 1000) + 90 * DAY_S);
    await world.clock.advance(89 * DAY_S * 1000);
    await engineWrites('d-C', 'start', 'a later rollout');
    await world.clock.advance(2 * DAY_S * 1000);
    expect(world.dynamodb.expireItems(web.metadata.auditTableName!, 'expiresAt', world.clock.now() / 1000)).toBe(6);
    const result = await history('--verify');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(
      /^hash chain verified: 1 records intact \(hash chain, signatures \(key .*, pinned\), 7 anchors \(every version\), 6 expired\)$/,
    );
  });

  it('--format csv and json carry the verification of each record', async () => {
    await rewriteFrom(5, (r) => ({ ...r, verdict: 'succeed' }));
    const csv = await history('--format', 'csv', '--limit', '6');
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('sk,at,deploymentId,hook,kind,verdict,action,actor,reason,figures,hash,signed,verified,problems');
    expect(rows.find((r) => r.startsWith('4,'))).toMatch(/,true,true,$/);
    expect(rows.find((r) => r.startsWith('5,'))).toMatch(/,true,false,"?record 5's signature does not verify/);
    const json = JSON.parse((await history('--format', 'json')).stdout) as {
      verification: { ok: boolean; problems: Array<{ sk: number; code: string }> };
      records: Array<{ sk: number; verification: { ok: boolean } }>;
    };
    expect(json.verification.ok).toBe(false);
    expect(json.verification.problems[0]).toMatchObject({ sk: 5, code: 'bad-signature' });
    expect(json.records.find((r) => r.sk === 4)!.verification.ok).toBe(true);
    expect(json.records.find((r) => r.sk === 5)!.verification.ok).toBe(false);
    expect((await history('--format', 'yaml')).last).toMatch(/--format is "yaml"; accepted: text, json, csv/);
  });
});
