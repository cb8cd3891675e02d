/**
 * Checks of one audit record on its own or against its anchor: whether the item has the fields the
 * engine writes, whether its anchor settles its signature, and what a record anchored at another
 * sequence number is (moved or replayed). Pure.
 */
import { type Anchor, escapeControl } from './audit-anchor';
import type { AuditRecord } from './audit-chain';
import type { AddProblem } from './audit-problems';

/** The first field of an item that is not what the engine writes, or undefined. */
export function malformation(item: Record<string, unknown>): string | undefined {
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
  ];
  for (const [field, ok, accepted] of expect) {
    if (!ok(item[field])) return `field ${field} is ${escapeControl(JSON.stringify(item[field]) ?? 'absent')}; accepted: ${accepted}`;
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
