/**
 * The red team at the level of one item: attribute types, extra and missing attributes, what
 * DynamoDB's wire format can carry that JSON cannot (a `__proto__` attribute, sets, binary,
 * numbers beyond 2^53), unicode, very large records, expiries, and records moved between
 * services and deployments. Items are read as the DocumentClient returns them
 * (`throughTheWire`); every tamper makes `canary history --verify` exit 1 naming the break.
 */
import { type AuditRecord } from '../../lambdas/core/audit-chain';
import { DAY_MS, TrailWorld } from './trail-world';

/** The order of P-256's group: (r, s) and (r, n − s) are both valid ECDSA signatures of one message. */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** The other valid form of a DER ECDSA signature. */
function malleated(signature: string): string {
  const der = Buffer.from(signature, 'base64');
  const rLength = der[3];
  const r = der.subarray(4, 4 + rLength);
  const s = BigInt(`0x${der.subarray(6 + rLength).toString('hex')}`);
  let hex = (P256_ORDER - s).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const sBytes = Buffer.from(hex, 'hex');
  const body = Buffer.concat([Buffer.from([0x02, r.length]), r, Buffer.from([0x02, sBytes.length]), sBytes]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64');
}

let t: TrailWorld;
beforeEach(async () => {
  t = new TrailWorld();
  await t.twoRollouts();
});
afterEach(() => t.restore());

const expectBroken = (code: string, sk: number, text?: string | RegExp) => t.expectBroken(code, sk, text);

/** An item with an own attribute named `__proto__` (JSON.parse makes it own, as DynamoDB stores it). */
const withProto = (record: AuditRecord, proto: object) => ({
  ...record,
  ...(JSON.parse(`{"__proto__":${JSON.stringify(proto)}}`) as object),
});

describe('red team: items the engine never writes', () => {
  it("an attribute named __proto__ on a signed record (its members would show as the record's own): malformed", async () => {
    t.put(withProto(t.record(5), { action: 'approved by CAB', hook: 'AfterAllowTraffic' }));
    await expectBroken('malformed', 5, /record 5 is malformed: .*__proto__/);
    const plain = await t.history([]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).not.toContain('approved by CAB');
  });

  it('a __proto__ attribute nested in figures: malformed', async () => {
    const r = t.record(5);
    t.put({ ...r, figures: JSON.parse('{"__proto__":{"requestId":"req-1"}}') });
    await expectBroken('malformed', 5, /record 5 is malformed/);
  });

  it('figures replaced by a string set (a set hashes as {}): malformed', async () => {
    const r = await t.engineWrites('d-B', 'hold', 'no figures', 90, { figures: {} });
    t.put({ ...t.record(r.sk), figures: new Set(['approved by CAB']) });
    await expectBroken('malformed', r.sk, /field figures .*accepted/);
  });

  it('a binary attribute in place of an object with numeric keys: malformed', async () => {
    const r = await t.engineWrites('d-B', 'hold', 'figures by index', 90, { figures: { '0': 1, '1': 2 } });
    t.put({ ...t.record(r.sk), figures: new Uint8Array([1, 2]) });
    await expectBroken('malformed', r.sk, /record 7 is malformed/);
  });

  it('a number beyond 2^53 in figures (read back as BigInt): malformed, never a crash', async () => {
    t.put({ ...t.record(4), figures: { bytes: 2 ** 64 } });
    await expectBroken('malformed', 4, /record 4 is malformed: field figures/);
    expect((await t.history([])).code).toBe(1);
  });

  it('an item at a sort key beyond 2^53 (read back as BigInt): named, never a crash', async () => {
    t.put({ ...t.record(6), sk: 1e20 });
    await expectBroken('malformed', 0, /sort key 100000000000000000000; sequence numbers are positive integers/);
    const plain = await t.history([]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('#100000000000000000000  ');
  });

  it('a verbatim copy of a record at a sort key DynamoDB keeps apart and JavaScript reads as the same (6.0000000000000001): named', async () => {
    const copy = { ...t.record(6) } as Record<string, unknown>;
    t.afterQuery = (items, command) => (command.input.ScanIndexForward === false ? [copy, ...items] : [...items, copy]);
    await expectBroken('malformed', 6, /record 6 was read after record 6: the items are not in sequence order/);
    const plain = await t.history([]);
    expect(plain.code).toBe(1);
  });

  it('signatureError added to a signed record (outside the hash): malformed', async () => {
    t.put({ ...t.record(5), signatureError: 'KMS throttled: the verdict was forced' });
    await expectBroken('malformed', 5, /signatureError/);
  });

  it('a record carrying type "chain" and ok true cannot pass for the verdict line of --json', async () => {
    t.put({ ...t.record(6), type: 'chain', ok: true, problems: [] });
    const result = await t.history(['--json']);
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; ok?: boolean });
    expect(lines.filter((l) => l.type === 'chain')).toEqual([expect.objectContaining({ type: 'chain', ok: false })]);
    expect(lines.filter((l) => l.type === 'record')).toHaveLength(6);
  });

  it('a forged reason that conceals the terminal (ANSI 8m) is escaped in --format csv, so the report after it stays visible', async () => {
    t.put({ ...t.record(6), reason: 'restored\u001b[8m' });
    const result = await t.history(['--format', 'csv']);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toContain('restored\\u001b[8m');
    expect(result.stderr).toContain('!!! first bad record: #6 (altered)');
  });

  it('characters base64 decoding skips appended to a signature (it still verifies): named', async () => {
    t.put({ ...t.record(4), signature: `${t.record(4).signature} !!` });
    await expectBroken('bad-signature', 4, /signature verifies but is not the text the engine wrote \(its anchor carries another\)/);
  });

  it("a signature's other valid ECDSA form (s → n − s, computable without the key): named", async () => {
    t.put({ ...t.record(4), signature: malleated(t.record(4).signature!) });
    await expectBroken('bad-signature', 4, /not the text the engine wrote/);
  });

  it('LIMIT (docs/audit.md): past its expiry, with its anchor gone, a record keeps verifying with the other ECDSA form; skipped characters are named', async () => {
    await t.world.clock.advance(91 * DAY_MS);
    for (const key of t.anchorKeys(4)) t.world.s3.buckets.get(t.root.bucket)!.versions.delete(key);
    t.put({ ...t.record(4), signature: malleated(t.record(4).signature!) });
    expect((await t.history(['--verify'])).code).toBe(0);
    t.put({ ...t.record(4), signature: `${t.record(4).signature}\n` });
    await expectBroken('bad-signature', 4, /not canonical base64/);
  });

  it('expiresAt as a string: malformed', async () => {
    t.put({ ...t.record(3), expiresAt: String(t.record(3).expiresAt) });
    await expectBroken('malformed', 3, /field expiresAt is ".*"; accepted: epoch seconds/);
  });

  it('format as a string: altered', async () => {
    t.put({ ...t.record(3), format: '2' });
    await expectBroken('altered', 3);
  });

  it('prevExpiresAt set far beyond any date (a crash in the message would hide the record): named', async () => {
    t.put({ ...t.record(6), prevExpiresAt: 9e15 });
    const result = await expectBroken('altered', 6);
    expect(result.stderr).toContain('(broken-link): record 6 says record 5 expires 9000000000000000, but record 5 says');
  });

  it('an extra attribute: altered', async () => {
    t.put({ ...t.record(2), approvedBy: 'cab' });
    await expectBroken('altered', 2);
  });

  it('a missing attribute (verdict): altered', async () => {
    const { verdict: _v, ...rest } = t.record(5);
    t.put(rest);
    await expectBroken('altered', 5);
  });

  it('the reason in another unicode normal form (NFD): altered', async () => {
    const r = await t.engineWrites('d-B', 'abort', 'aborted by René');
    t.put({ ...t.record(r.sk), reason: 'aborted by René'.normalize('NFD') });
    await expectBroken('altered', r.sk);
  });

  it('a bidirectional override in a reason is shown escaped, so the line reads as stored', async () => {
    await t.engineWrites('d-B', 'abort', 'canary 5xx \u202e%8.4 esab\u202c ok');
    const plain = await t.history([]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('\u202e');
    expect(plain.stdout).toContain('canary 5xx \\u202e%8.4 esab\\u202c ok');
  });

  it('a very large record (300 KB of reason) verifies; one character changed is altered', async () => {
    const big = await t.engineWrites('d-B', 'hold', 'x'.repeat(300_000));
    expect((await t.history(['--verify'])).code).toBe(0);
    t.put({ ...t.record(big.sk), reason: `${'x'.repeat(299_999)}y` });
    await expectBroken('altered', big.sk);
  });

  it('expiresAt lengthened without re-signing (TTL would keep it longer): bad signature', async () => {
    const r = t.record(3);
    t.put(t.rehash(r, { expiresAt: r.expiresAt + 365 * 86_400 }));
    await expectBroken('unsigned', 3);
    t.put({ ...t.rehash(r, { expiresAt: r.expiresAt + 365 * 86_400 }), signature: r.signature });
    const result = await expectBroken('bad-signature', 3);
    expect(result.stderr).toContain('(not-anchored-as)');
  });

  it('a record moved to another deployment (deploymentId changed, hashes recomputed): named', async () => {
    t.put({ ...t.rehash(t.record(5), { deploymentId: 'd-A' }), signature: t.record(5).signature });
    await expectBroken('bad-signature', 5);
  });
});

describe('red team: an item far ahead of the chain', () => {
  it('an unsigned item at sort key 10^9: named, and the engine goes on from its own newest record', async () => {
    const tip = t.record(6);
    const forged = t.rehash({ ...tip, sk: 1e9, reason: 'planted', prevHash: tip.hash, prevExpiresAt: tip.expiresAt });
    t.put(forged);
    const next = await t.engineWrites('d-C', 'start', 'rollout started: 5%');
    expect(next).toMatchObject({ sk: 7, prevHash: tip.hash });
    const result = await t.history(['--verify']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('#1000000000 (unsigned): record 1000000000 is not signed by the engine');
    expect(result.stderr).toContain('#1000000000 (no-anchor)');
    expect(result.stderr).not.toMatch(/#7 \(/);
    t.remove(1e9);
    expect((await t.history(['--verify'])).code).toBe(0);
  });

  it('an unsigned item at sort key 6.5: named, and the engine links its next record to record 6', async () => {
    t.put(t.rehash({ ...t.record(6), sk: 6.5, reason: 'planted' }));
    const next = await t.engineWrites('d-C', 'start', 'rollout started: 5%');
    expect(next).toMatchObject({ sk: 7, prevHash: t.record(6).hash });
    expect((await t.history(['--verify'])).code).toBe(1);
    t.remove(6.5);
    expect((await t.history(['--verify'])).code).toBe(0);
  });

  it('fifteen unsigned items between 6 and 7 (more than a page of the tip search): the engine still links to record 6', async () => {
    for (let i = 1; i <= 15; i += 1) t.put(t.rehash({ ...t.record(6), sk: 6 + i / 100, reason: `planted ${i}` }));
    const next = await t.engineWrites('d-C', 'start', 'rollout started: 5%');
    expect(next).toMatchObject({ sk: 7, prevHash: t.record(6).hash });
  });

  it("an item at 10^9 carrying a copy of record 6's signature: named, and not linked to", async () => {
    const tip = t.record(6);
    t.put({
      ...t.rehash({ ...tip, sk: 1e9, reason: 'planted', prevHash: tip.hash, prevExpiresAt: tip.expiresAt }),
      signature: tip.signature,
    });
    const next = await t.engineWrites('d-C', 'start', 'rollout started: 5%');
    expect(next).toMatchObject({ sk: 7, prevHash: tip.hash });
    const result = await t.history(['--verify']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('#1000000000 (');
    expect(result.stderr).not.toMatch(/#7 \(/);
  });

  it('an unsigned item at the next sequence number (7): named; the engine, with no slot after record 6, follows it at 8', async () => {
    const tip = t.record(6);
    t.put(t.rehash({ ...tip, sk: 7, reason: 'planted', prevHash: tip.hash, prevExpiresAt: tip.expiresAt }));
    const next = await t.engineWrites('d-C', 'start', 'rollout started: 5%');
    expect(next.sk).toBe(8);
    await expectBroken('unsigned', 7, /record 7 is not signed by the engine/);
  });
});

describe('red team: records of another service', () => {
  it("another service's signed record copied into this partition (pk rewritten): named", async () => {
    const api = t.world.addService({ name: 'api' });
    const apiRoot = { keyArn: api.metadata.auditKeyArn!, bucket: api.metadata.auditAnchorBucket! };
    const tip = t.record(6);
    const apiRecord = t.rehash({ ...tip, pk: 'api', sk: 7, prevHash: tip.hash, prevExpiresAt: tip.expiresAt });
    const signature = await t.sign(t.signedFieldsOf(apiRecord), apiRoot.keyArn, apiRoot);
    t.put({ ...apiRecord, pk: 'web', signature });
    await expectBroken('altered', 7);
  });

  it("another service's record signed by the same key (a shared trust root) replayed with its own pk: named", async () => {
    const tip = t.record(6);
    const moved = t.rehash({ ...tip, pk: 'api', sk: 7, prevHash: tip.hash, prevExpiresAt: tip.expiresAt });
    const signature = await t.sign(t.signedFieldsOf(moved));
    t.put({ ...moved, pk: 'web', signature });
    await expectBroken('altered', 7);
  });
});
