/**
 * `structuredClone` for the plain data the fake passes around (SDK inputs and outputs, stored
 * items, events), at a fraction of its cost: objects, arrays, primitives, Dates and Uint8Arrays
 * (Buffers included) are copied here with structuredClone's result; anything else (Maps, class
 * instances, other typed arrays, holes, symbols, functions, proxies, a `__proto__` key) goes to
 * structuredClone itself, which copies it or throws its DataCloneError.
 *
 * The result is structuredClone's: `undefined` members kept, -0 and NaN kept, a shared or cyclic
 * reference cloned once, every Date a plain Date (a subclass's too), a Buffer a plain Uint8Array over
 * a copy of its whole ArrayBuffer (same byteOffset), and every object made in the realm
 * structuredClone makes it in (under jest, the outer one: its Object, Array and Date prototypes).
 */
import { types } from 'node:util';

/** Raised inside the walk for what only structuredClone copies. */
const UNSUPPORTED = Symbol('unsupported');

// The realm structuredClone creates its copies in, read from its own results.
const objectPrototype = Object.getPrototypeOf(structuredClone({})) as object;
const RealmArray = (structuredClone([]) as unknown[]).constructor as ArrayConstructor;
const RealmDate = (structuredClone(new Date(0)) as Date).constructor as DateConstructor;
const RealmUint8Array = (structuredClone(new Uint8Array(0)) as Uint8Array).constructor as Uint8ArrayConstructor;
const plainPrototypes = new Set<unknown>([null, Object.prototype, objectPrototype]);
const arrayPrototypes = new Set<unknown>([Array.prototype, RealmArray.prototype]);
const newObject: () => Record<string, unknown> =
  objectPrototype === Object.prototype ? () => ({}) : () => Object.create(objectPrototype) as Record<string, unknown>;

/** structuredClone(value), faster for plain data. */
export function cloneData<T>(value: T): T {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'symbol' || typeof value === 'function' ? structuredClone(value) : value;
  }
  try {
    return copy(value, { objects: new Map(), buffers: new Map() }) as T;
  } catch (error) {
    if (error === UNSUPPORTED) return structuredClone(value);
    throw error;
  }
}

/** The copies made so far: each object, and each ArrayBuffer under a Uint8Array, is copied once. */
interface Copies {
  readonly objects: Map<object, unknown>;
  readonly buffers: Map<ArrayBufferLike, Uint8Array>;
}

function copy(value: unknown, seen: Copies): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'symbol' || typeof value === 'function') throw UNSUPPORTED;
    return value;
  }
  const done = seen.objects.get(value);
  if (done !== undefined) return done;
  if (types.isProxy(value)) throw UNSUPPORTED;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    if (!arrayPrototypes.has(prototype)) throw UNSUPPORTED;
    const length = value.length;
    // Members other than the elements (or holes, which structuredClone keeps) are left to it.
    if (Object.keys(value).length !== length) throw UNSUPPORTED;
    const result = new RealmArray<unknown>();
    seen.objects.set(value, result);
    for (let i = 0; i < length; i++) {
      if (!(i in value)) throw UNSUPPORTED;
      result.push(copy(value[i], seen));
    }
    return result;
  }
  if (plainPrototypes.has(prototype)) {
    // The exotic objects born with these prototypes: structuredClone refuses them.
    if (types.isArgumentsObject(value) || types.isModuleNamespaceObject(value)) throw UNSUPPORTED;
    const result = newObject();
    seen.objects.set(value, result);
    for (const key of Object.keys(value)) {
      if (key === '__proto__') throw UNSUPPORTED;
      result[key] = copy((value as Record<string, unknown>)[key], seen);
    }
    return result;
  }
  if (types.isDate(value)) {
    const result = new RealmDate((value as Date).getTime());
    seen.objects.set(value, result);
    return result;
  }
  if (types.isUint8Array(value)) {
    const view = value as Uint8Array;
    const buffer = view.buffer;
    if (!types.isArrayBuffer(buffer) || (buffer as ArrayBuffer & { resizable?: boolean }).resizable) throw UNSUPPORTED;
    let bytes = seen.buffers.get(buffer);
    if (!bytes) {
      bytes = new RealmUint8Array(buffer.byteLength);
      bytes.set(new Uint8Array(buffer));
      seen.buffers.set(buffer, bytes);
    }
    const result = new RealmUint8Array(bytes.buffer, view.byteOffset, view.length);
    seen.objects.set(value, result);
    return result;
  }
  throw UNSUPPORTED;
}
