import { type AuditRecord, buildRecord, hashRecord } from '../../lambdas/core/audit-chain';
import { findChainTip, isEngineRecord } from '../../lambdas/core/audit-tip';

const T0 = Date.parse('2026-11-01T00:00:00Z');

/** A chain of `n` records as the engine writes them, each "signed" (the check below accepts `sig-<sk>`). */
function chain(n: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < n; i += 1) {
    const record = buildRecord(
      'web',
      records.at(-1),
      { kind: 'decision', deploymentId: 'd-1', reason: `step ${i}`, actor: 'engine' },
      T0 + i * 60_000,
      90,
    );
    records.push({ ...record, signature: `sig-${record.sk}` });
  }
  return records;
}
const signed = (record: AuditRecord) => record.signature === `sig-${record.sk}`;
/** A planted item: the tip's fields at another sort key, hashed again (so shape and hash look right), unsigned. */
const planted = (from: AuditRecord, sk: number): Record<string, unknown> => {
  const { signature: _signature, hash: _hash, ...rest } = { ...from, sk, reason: 'planted' };
  return { ...rest, hash: hashRecord(rest) };
};
const newestFirst = (...items: Array<Record<string, unknown>>) => [...items].sort((a, b) => (b.sk as number) - (a.sk as number));

describe('audit tip', () => {
  const records = chain(6);
  const six = records[5] as unknown as Record<string, unknown>;

  describe('findChainTip', () => {
    it.each([
      ['the newest record when it is the engine’s', [], 6],
      ['record 6 past an unsigned item at 6.5', [planted(records[5], 6.5)], 6],
      ['record 6 past an unsigned item at 10^9', [planted(records[5], 1e9)], 6],
      ['record 6 past an item at 10^9 with a signature that is not its own', [{ ...planted(records[5], 1e9), signature: 'sig-6' }], 6],
      ['record 6 past an item whose content no longer matches its hash', [{ ...planted(records[5], 1e9), hash: records[5].hash }], 6],
      ['the item at 7 when it takes the number after record 6 (nothing else can follow 6)', [planted(records[5], 7)], 7],
      [
        'the last of the taken numbers after record 6 (7, 8), not a far item at 10^9',
        [planted(records[5], 7), planted(records[5], 8), planted(records[5], 1e9)],
        8,
      ],
    ])('takes %s', (_what, extra, sk) => {
      const items = newestFirst(...(records as unknown as Array<Record<string, unknown>>), ...extra);
      expect(findChainTip(items, true, signed)).toMatchObject({ settled: true, tip: { sk } });
    });

    it('asks for older items while the ones read hold no engine record', () => {
      expect(findChainTip([planted(records[5], 1e9)], false, signed)).toEqual({ settled: false });
      expect(findChainTip([planted(records[5], 1e9), six], false, signed)).toMatchObject({
        settled: true,
        tip: { sk: 6, hash: records[5].hash },
      });
    });

    it('links to the newest whole sequence number when no engine record is left at all, and starts a chain when nothing is', () => {
      expect(findChainTip([planted(records[5], 1e9)], true, signed).tip?.sk).toBe(1e9);
      expect(findChainTip([planted(records[5], 6.5)], true, signed)).toEqual({ settled: true });
    });

    it('checks shape and hash alone when no signature check is given (a table without a signing key)', () => {
      const unsigned = records.map(({ signature: _s, ...r }) => r as Record<string, unknown>);
      expect(findChainTip(newestFirst(...unsigned, planted(records[5], 6.5)), true).tip?.sk).toBe(6);
    });
  });

  describe('isEngineRecord', () => {
    it.each([
      ['a field of the wrong type', { ...six, reason: 42 }],
      ['a sort key beyond 2^53', { ...six, sk: 1e20 }],
      ['figures that are a set', { ...six, figures: new Set(['x']) }],
    ])('refuses %s', (_what, item) => {
      expect(isEngineRecord(item, signed)).toBe(false);
    });
  });
});
