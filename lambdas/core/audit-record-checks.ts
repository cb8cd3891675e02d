/**
 * Checks of one audit record on its own or against its anchor: whether the item has the fields the
 * engine writes, whether its anchor settles its signature, and what a record anchored at another
 * sequence number is (moved or replayed). Pure.
 */
import { type Anchor, escapeControl } from './audit-anchor';
import type { AuditRecord } from './audit-chain';
import type { AddProblem } from './audit-problems';

/** A value as problem texts show it: JSON, numbers beyond 2^53 (BigInt) as digits, never a throw. */
export function shownValue(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  try {
    return escapeControl(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'absent');
  } catch {
    return escapeControl(String(value));
  }
}

/**
 * Where a value is not what JSON carries, and so not what the hash covers: DynamoDB's wire can
 * also hold sets and binary (a set hashes as `{}`), numbers beyond 2^53 (read as BigInt), and an
 * attribute named `__proto__`, which the DocumentClient turns into the object's prototype, so that
 * its members read as the record's own while the hash leaves them out.
 */
function notJson(value: unknown, path: string): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${String(value)}`;
  if (typeof value === 'bigint') return `${path} is a number beyond 2^53 (${value.toString()})`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const bad = notJson(value[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (typeof value !== 'object') return `${path} is a ${typeof value}`;
  // Tags and prototypes are compared without `instanceof`, which fails across realms (a vm context, a worker).
  if (Object.prototype.toString.call(value) === '[object Set]') return `${path} is a set`;
  if (ArrayBuffer.isView(value)) return `${path} is binary`;
  if (Object.prototype.toString.call(value) !== '[object Object]') return `${path} is not a map`;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== null && Object.getPrototypeOf(proto) !== null) return `${path || 'the item'} has an attribute named __proto__`;
  for (const [key, member] of Object.entries(value)) {
    const at = path ? `${path}.${escapeControl(key)}` : `field ${escapeControl(key)}`;
    if (key === '__proto__') return `${path || 'the item'} has an attribute named __proto__`;
    const bad = notJson(member, at);
    if (bad) return bad;
  }
  return undefined;
}

/** The first field of an item that is not what the engine writes, or undefined. */
export function malformation(item: Record<string, unknown>): string | undefined {
  const foreign = notJson(item, '');
  if (foreign) return `${foreign}; accepted: strings, finite numbers, booleans, lists and maps, as the engine writes`;
  if (typeof item.signature === 'string' && item.signatureError !== undefined)
    return `it carries both a signature and signatureError ${shownValue(item.signatureError)} (outside the hash); the engine writes one or the other`;
  const expect: Array<[string, (v: unknown) => boolean, string]> = [
    ['pk', (v) => typeof v === 'string', 'a string'],
    ['at', (v) => typeof v === 'string' && Number.isFinite(Date.parse(v)), 'an ISO-8601 time'],
    ['deploymentId', (v) => typeof v === 'string', 'a string'],
    ['hash', (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), '64 hex digits'],
    ['prevHash', (v) => typeof v === 'string', 'a string'],
    ['expiresAt', (v) => typeof v === 'number' && Number.isFinite(v), 'epoch seconds'],
    ['reason', (v) => typeof v === 'string', 'a string'],
    ['actor', (v) => typeof v === 'string', 'a string'],
    ['reasons', (v) => v === undefined || (Array.isArray(v) && v.every((r) => typeof r === 'object' && r !== null)), 'a list of checks'],
    ['figures', (v) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v)), 'an object'],
    ['signature', (v) => v === undefined || typeof v === 'string', 'a string'],
    ['signatureError', (v) => v === undefined || typeof v === 'string', 'a string'],
  ];
  for (const [field, ok, accepted] of expect) {
    if (!ok(item[field])) return `field ${field} is ${shownValue(item[field])}; accepted: ${accepted}`;
  }
  return undefined;
}

/**
 * Whether the record's signature is valid, checking it only when no anchor settles it: an anchor
 * whose signature verified and is the record's signs either exactly the record's signed fields
 * (valid) or other fields (then it is not the record's: an ECDSA signature verifies one payload).
 */
export function signedAsAnchored(anchor: Anchor | undefined, record: AuditRecord, check: () => boolean): boolean {
  if (!anchor) return check();
  return (
    anchor.pk === record.pk &&
    anchor.sk === record.sk &&
    anchor.deploymentId === record.deploymentId &&
    anchor.hash === record.hash &&
    anchor.expiresAt === record.expiresAt &&
    anchor.atMs === Date.parse(record.at)
  );
}

/**
 * Whether a valid signature is the text the engine wrote: canonical base64, and the one its anchor
 * carries when the record is anchored (any anchor of the same hash at its sequence number).
 */
export function signatureAsWritten(signature: string, anchored: readonly Anchor[] | undefined, hash: string): boolean {
  if (Buffer.from(signature, 'base64').toString('base64') !== signature) return false;
  const same = anchored?.filter((a) => a.hash === hash) ?? [];
  return same.length === 0 || same.some((a) => a.signature === signature);
}

/** A record whose hash is anchored at another sequence number: moved within its deployment, or another deployment's replayed. */
export function describeMove(record: AuditRecord, copyOf: Anchor, here: Anchor | undefined, add: AddProblem): void {
  if (here && here.deploymentId !== copyOf.deploymentId) {
    add(
      record.sk,
      'replayed',
      `record ${record.sk} replays record ${copyOf.sk} of deployment ${copyOf.deploymentId}; the record anchored at ${record.sk} is deployment ${here.deploymentId}'s`,
    );
  } else if (!here && copyOf.deploymentId !== record.deploymentId) {
    add(record.sk, 'replayed', `record ${record.sk} replays record ${copyOf.sk} of deployment ${copyOf.deploymentId}`);
  } else {
    add(record.sk, 'reordered', `record ${record.sk} is record ${copyOf.sk} of ${copyOf.deploymentId} moved: the records were reordered`);
  }
}
