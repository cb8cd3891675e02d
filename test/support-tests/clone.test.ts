import { cloneData } from '../support/clone';

/**
 * Whether `a` and `b` are the same structure: prototypes (the realm included), own keys in order,
 * property descriptors, Date values, Uint8Array views over equal ArrayBuffers, and shared or
 * cyclic references in the same places. Returns the first difference, or undefined.
 */
function difference(a: unknown, b: unknown, path = '$', pairs = new Map<object, unknown>()): string | undefined {
  if (typeof a !== typeof b) return `${path}: ${typeof a} vs ${typeof b}`;
  if (a === null || typeof a !== 'object') return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  const x = a as Record<PropertyKey, unknown>;
  const y = b as Record<PropertyKey, unknown>;
  if (pairs.has(x)) return pairs.get(x) === y ? undefined : `${path}: shared reference not kept`;
  pairs.set(x, y);
  if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return `${path}: prototypes differ`;
  if (x instanceof Date || Object.prototype.toString.call(x) === '[object Date]') {
    if (!Object.is((x as unknown as Date).getTime(), (y as unknown as Date).getTime())) return `${path}: dates differ`;
  }
  if (ArrayBuffer.isView(x)) {
    const [u, v] = [x as unknown as Uint8Array, y as unknown as Uint8Array];
    if (u.byteOffset !== v.byteOffset || u.length !== v.length || u.buffer.byteLength !== v.buffer.byteLength)
      return `${path}: views differ`;
    if (Object.getPrototypeOf(u.buffer) !== Object.getPrototypeOf(v.buffer)) return `${path}: buffer prototypes differ`;
    if (Buffer.compare(Buffer.from(u.buffer), Buffer.from(v.buffer)) !== 0) return `${path}: buffer contents differ`;
    const shared = pairs.get(u.buffer);
    if (shared !== undefined && shared !== v.buffer) return `${path}: shared buffer not kept`;
    pairs.set(u.buffer, v.buffer);
    return undefined;
  }
  const keys = Reflect.ownKeys(x);
  const otherKeys = Reflect.ownKeys(y);
  if (keys.map(String).join() !== otherKeys.map(String).join()) return `${path}: keys ${keys.map(String)} vs ${otherKeys.map(String)}`;
  for (const key of keys) {
    const d = Object.getOwnPropertyDescriptor(x, key)!;
    const e = Object.getOwnPropertyDescriptor(y, key)!;
    if (d.enumerable !== e.enumerable || d.writable !== e.writable || d.configurable !== e.configurable)
      return `${path}.${String(key)}: descriptor`;
    const found = difference(d.value, e.value, `${path}.${String(key)}`, pairs);
    if (found) return found;
  }
  return undefined;
}

/** What structuredClone gives for `value`, or the name of what it throws. */
function outcome(clone: (value: unknown) => unknown, value: unknown): { value?: unknown; error?: string } {
  try {
    return { value: clone(value) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
class LaterDate extends Date {}

function cases(): Array<[string, unknown]> {
  const shared = { id: 1 };
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const pooled = Buffer.from('a pooled buffer');
  const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const extra = Object.assign([1, 2], { note: 'x' });
  const bytes = new Uint8Array([1, 2, 3, 4, 5, 6]);
  return [
    ['an SDK input', { TableName: 't', Key: { pk: 'web', sk: 1 }, Limit: 10, ScanIndexForward: false, ExclusiveStartKey: undefined }],
    ['numbers', { zero: -0, nan: NaN, inf: -Infinity, big: 12n, max: Number.MAX_VALUE }],
    ['undefined and null members', { a: undefined, b: null, c: [undefined, null] }],
    ['integer-like keys', { b: 1, 2: 'two', a: 2, 1: 'one' }],
    ['dates', { StartTime: new Date(1_700_000_000_000), list: [new Date(0), new Date(Number.NaN)] }],
    ['a Date subclass', { at: new LaterDate(5) }],
    ['a Buffer from the pool', { Message: pooled }],
    ['a TextEncoder array', { Message: new TextEncoder().encode('payload') }],
    ['views sharing a buffer', { a: bytes.subarray(1, 3), b: bytes.subarray(2), c: bytes }],
    ['shared references', { a: shared, b: [shared, shared] }],
    ['a cycle', cyclic],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { k: 'v' })],
    ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "x": 1}')],
    ['a sparse array', { list: sparse }],
    ['an array with a member', { list: extra }],
    ['a class instance', { p: new Point(1, 2) }],
    ['a Map and a Set', { m: new Map([[1, { a: 1 }]]), s: new Set([1]) }],
    ['an error', { e: new RangeError('out') }],
    ['other typed arrays', { f: new Float64Array([1.5]), ab: new ArrayBuffer(4) }],
    ['a function', { f: () => 1 }],
    ['a symbol', { s: Symbol('s') }],
    ['top-level primitives', 'text'],
    ['undefined', undefined],
    ['an empty array', []],
    ['deep nesting', { a: { b: { c: { d: [{ e: [1, 'x', true, { f: null }] }] } } } }],
  ];
}

describe('cloneData', () => {
  it.each(cases())('gives what structuredClone gives for %s', (_, value) => {
    const expected = outcome(structuredClone, value);
    const actual = outcome(cloneData, value);
    expect(actual.error).toBe(expected.error);
    expect(difference(expected.value, actual.value)).toBeUndefined();
  });

  it('copies: changing the copy leaves the original as it was', () => {
    const original = { list: [{ n: 1 }], bytes: new Uint8Array([7]), at: new Date(9) };
    const copy = cloneData(original);
    copy.list[0].n = 2;
    copy.bytes[0] = 8;
    copy.at.setTime(10);
    expect(original).toEqual({ list: [{ n: 1 }], bytes: new Uint8Array([7]), at: new Date(9) });
  });

  it('the comparison itself tells a plain copy in this realm from structuredClone’s', () => {
    const value = { a: [1], at: new Date(1) };
    const local = { a: [1], at: new Date(1) };
    const viaClone = structuredClone(value);
    // Under jest structuredClone builds in the outer realm; elsewhere the realms are one and the same.
    const oneRealm = Object.getPrototypeOf(viaClone) === Object.prototype;
    expect(difference(viaClone, local) === undefined).toBe(oneRealm);
    expect(difference({ a: -0 }, { a: 0 })).toBeDefined();
    expect(difference({ a: undefined }, {})).toBeDefined();
  });
});
