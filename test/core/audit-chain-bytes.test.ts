import { createHash } from 'node:crypto';

import { type AuditDraft, buildRecord, canonicalJson, GENESIS_HASH, hashRecord } from '../../lambdas/core/audit-chain';

// The chain's hashes must never move: these are the canonical form and the draft copy as first
// defined (map/filter/sort/join and a JSON round trip), against which the current code is checked.
function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => referenceCanonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${referenceCanonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

function referenceRecord(service: string, draft: AuditDraft, now: number, retentionDays: number) {
  const unsigned = {
    ...(JSON.parse(JSON.stringify(draft)) as AuditDraft),
    pk: service,
    sk: 1,
    at: new Date(now).toISOString(),
    prevHash: GENESIS_HASH,
    expiresAt: Math.floor(now / 1000) + Math.round(retentionDays * 86_400),
    format: 2,
    prevExpiresAt: 0,
  };
  const rest: Record<string, unknown> = { ...unsigned };
  const hash = createHash('sha256')
    .update(String(rest.prevHash) + referenceCanonicalJson(rest))
    .digest('hex');
  return { ...unsigned, hash };
}

class Reading {
  constructor(
    readonly value: number,
    readonly unit = 'ms',
  ) {}
}

/** Values a draft's figures may carry, the awkward ones included. */
function figureValues(): Record<string, unknown> {
  const shared = { n: 1 };
  return {
    text: 'quote " backslash \\ newline \n tab \t unicode é \u2028 lone \ud800 emoji 😀',
    numbers: [0, -0, 1.5, -2e-7, 1e21, 123456789012345680000, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE],
    nonFinite: [NaN, Infinity, -Infinity],
    nested: { z: 1, a: { y: [1, { b: 2, a: 1 }], x: null }, m: undefined },
    integerKeys: { 10: 'ten', 2: 'two', b: 'b', a: 'a' },
    holes: [1, , 3], // eslint-disable-line no-sparse-arrays
    undefinedMembers: [undefined, null, () => 1, Symbol('s')],
    functionsAndSymbols: { f: () => 1, s: Symbol('s'), ok: true },
    date: new Date(Date.UTC(2026, 0, 5, 10)),
    dates: [new Date(0), new Date(Number.NaN)],
    classInstance: new Reading(42),
    map: new Map([[1, 2]]),
    set: new Set([1]),
    boxed: [Object(1), Object('s'), Object(true)],
    bytes: new Uint8Array([1, 2, 3]),
    buffer: Buffer.from('abc'),
    error: new RangeError('out of range'),
    shared: [shared, shared],
    nullPrototype: Object.assign(Object.create(null) as object, { k: 'v' }),
    protoKey: JSON.parse('{"__proto__": {"polluted": true}, "after": 1}'),
    outerRealm: structuredClone({ list: [1, { a: 2 }], at: new Date(5) }),
    deep: JSON.parse('['.repeat(300) + ']'.repeat(300)),
  };
}

function drafts(): Array<[string, AuditDraft]> {
  const base: AuditDraft = { kind: 'decision', deploymentId: 'd-ABC123', reason: 'clean at 5%', actor: 'engine-tick' };
  const figures = figureValues();
  return [
    ['a minimal draft', base],
    [
      'a full decision',
      {
        ...base,
        hook: 'AfterAllowTestTraffic',
        stage: { index: 1, weight: 25 },
        weights: { original: 75, replacement: 25 },
        verdict: 'promote',
        action: 'shift',
        reasons: [{ check: 'errors', status: 'pass', observed: '0.1%', bar: '1%', detail: 'x' }],
      },
    ],
    ['undefined optional fields', { ...base, hook: undefined, verdict: undefined, figures: undefined }],
    ...Object.entries(figures).map(([name, value]): [string, AuditDraft] => [
      `figures with ${name}`,
      { ...base, figures: { [name]: value } },
    ]),
    ['every figure at once', { ...base, figures }],
  ];
}

describe('audit chain: the canonical form and record hash are byte for byte those first defined', () => {
  it.each(drafts())('%s', (_, draft) => {
    const now = Date.UTC(2026, 0, 5, 10, 0, 0, 123);
    const record = buildRecord('web', undefined, draft, now, 30);
    const expected = referenceRecord('web', draft, now, 30);
    expect(record).toStrictEqual(expected);
    expect(hashRecord(record)).toBe(expected.hash);
  });

  it.each(Object.entries(figureValues()))('canonicalJson of %s', (_, value) => {
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
    expect(canonicalJson({ value, list: [value] })).toBe(referenceCanonicalJson({ value, list: [value] }));
  });

  it('canonicalJson of top-level primitives', () => {
    for (const value of ['s', 0, -0, NaN, true, false, null, undefined, Symbol('s'), () => 1]) {
      expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
    }
    expect(() => canonicalJson(1n)).toThrow(TypeError);
  });

  it('a draft JSON cannot copy is refused as the JSON round trip refuses it', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const base: AuditDraft = { kind: 'event', deploymentId: 'd-1', reason: 'r', actor: 'a' };
    expect(() => buildRecord('web', undefined, { ...base, figures: { cyclic } }, 0, 1)).toThrow(/circular/);
    expect(() => buildRecord('web', undefined, { ...base, figures: { big: 1n } }, 0, 1)).toThrow(/BigInt/);
  });
});
