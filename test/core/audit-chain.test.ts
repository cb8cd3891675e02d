import { createHash } from 'node:crypto';

import {
  type AuditDraft,
  type AuditRecord,
  buildRecord,
  canonicalJson,
  GENESIS_HASH,
  hashRecord,
  isSequenceNumber,
  signedFields,
  signingPayload,
  verifyChain,
} from '../../lambdas/core/audit-chain';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const draft = (reason: string): AuditDraft => ({
  kind: 'decision',
  deploymentId: 'd-1',
  verdict: 'hold',
  reason,
  actor: 'engine',
  figures: { canary: { requests: 120, errors: 1 } },
});

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < length; i += 1) records.push(buildRecord('orders', records.at(-1), draft(`tick ${i}`), T0 + i * 60_000, 30));
  return records;
}

describe('audit-chain', () => {
  describe('canonicalJson', () => {
    it.each([
      [{ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } }, '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}'],
      [{ a: undefined, b: null }, '{"b":null}'],
      [[undefined, 'x'], '[null,"x"]'],
      ['é"', '"é\\""'],
    ])('renders %j as %s', (value, expected) => {
      expect(canonicalJson(value)).toBe(expected);
    });

    it('does not depend on key order', () => {
      expect(canonicalJson({ x: 1, y: { b: 2, a: 1 } })).toBe(canonicalJson({ y: { a: 1, b: 2 }, x: 1 }));
    });
  });

  describe('buildRecord', () => {
    it('starts a chain at sk 1 from the genesis hash, with the TTL from the retention', () => {
      const first = buildRecord('orders', undefined, draft('start'), T0, 30);
      expect(first).toMatchObject({
        pk: 'orders',
        sk: 1,
        prevHash: GENESIS_HASH,
        at: '2026-11-21T10:00:00.000Z',
        expiresAt: T0 / 1000 + 30 * 86_400,
      });
      expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('links each record to the previous one, its hash and its expiry (format 2)', () => {
      const [a, b] = chain(2);
      expect(a).toMatchObject({ format: 2, prevExpiresAt: 0 });
      expect(b).toMatchObject({ sk: 2, prevHash: a.hash, prevExpiresAt: a.expiresAt, format: 2 });
    });

    it('continues from a forged fractional tip at the next whole number', () => {
      const [a] = chain(1);
      expect(buildRecord('orders', { ...a, sk: 7.5 }, draft('next'), T0, 30).sk).toBe(8);
    });

    it('signs sequence, deployment, hash, expiry, write time, key and bucket', () => {
      const [a] = chain(1);
      const payload = signingPayload(signedFields(a), { keyArn: 'arn:aws:kms:us-east-1:111111111111:key/k', bucket: 'b' });
      expect(payload.split('\n')).toEqual([
        'ecs-canary audit v2',
        'orders',
        '1',
        'd-1',
        a.hash,
        String(a.expiresAt),
        String(T0),
        'arn:aws:kms:us-east-1:111111111111:key/k',
        'b',
      ]);
    });

    it.each([
      [1, true],
      [42, true],
      [0, false],
      [-1, false],
      [0.5, false],
      [Number.NaN, false],
      ['1', false],
    ])('sequence number %p: %p', (sk, ok) => {
      expect(isSequenceNumber(sk)).toBe(ok);
    });

    it('hashes prevHash followed by the canonical JSON of the record without its hash', () => {
      const record = buildRecord('orders', undefined, draft('x'), T0, 1);
      const { hash, ...rest } = record;
      const expected = createHash('sha256')
        .update(GENESIS_HASH + canonicalJson(rest))
        .digest('hex');
      expect(hash).toBe(expected);
      expect(hashRecord(record)).toBe(hash);
    });
  });

  describe('verifyChain', () => {
    it('accepts an intact chain in any order and ignores the control record', () => {
      const records = chain(5);
      const result = verifyChain([
        records[3],
        { pk: 'orders', sk: 0, kind: 'control' },
        records[0],
        records[4],
        records[2],
        records[1],
      ] as never);
      expect(result).toEqual({ ok: true, checked: 5, problems: [] });
    });

    it('accepts a chain whose oldest records expired', () => {
      expect(verifyChain(chain(6).slice(2) as never).ok).toBe(true);
    });

    it.each([
      [
        'an altered reason',
        (r: AuditRecord[]) => {
          r[2] = { ...r[2], reason: 'promote' };
        },
        3,
        /altered/,
      ],
      [
        'an altered figure',
        (r: AuditRecord[]) => {
          r[1] = { ...r[1], figures: { canary: { requests: 120, errors: 0 } } };
        },
        2,
        /altered/,
      ],
      [
        'a removed record',
        (r: AuditRecord[]) => {
          r.splice(2, 1);
        },
        4,
        /missing/,
      ],
      [
        'a rehashed record',
        (r: AuditRecord[]) => {
          const forged = { ...r[2], reason: 'forged' };
          r[2] = { ...forged, hash: hashRecord(forged) };
        },
        4,
        /does not follow/,
      ],
    ])('detects %s', (_name, tamper, sk, problem) => {
      const records = chain(5);
      tamper(records);
      const result = verifyChain(records as never);
      expect(result.ok).toBe(false);
      expect(result.problems).toContainEqual({ sk, problem: expect.stringMatching(problem) });
    });

    it('detects a fork: two records built on the same tip', () => {
      const records = chain(3);
      const fork = buildRecord('orders', records[1], draft('other writer'), T0, 30);
      const result = verifyChain([records[0], records[1], fork, { ...records[2], sk: 4 }] as never);
      expect(result.ok).toBe(false);
    });
  });
});
