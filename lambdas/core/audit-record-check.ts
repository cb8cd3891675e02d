/**
 * One audit record verified on its own, for the screens that quote its reason (`canary status`,
 * the cdk-deploy resource's failure): the same verifier as `canary history --verify`
 * (`trailVerifier`), fed this record only and the anchors at its own sequence number. Pure.
 */
import type { AnchorObject } from './audit-anchor';
import { isSequenceNumber } from './audit-chain';
import type { TrailProblem } from './audit-problems';
import { trailVerifier, type VerifiedRoot } from './audit-trail';

export interface RecordCheck {
  readonly ok: boolean;
  /** The verifier's first problem with the record, or with the trust root, when it does not verify. */
  readonly first?: TrailProblem;
}

export interface RecordCheckInput {
  readonly service: string;
  /** The item as read from the table. */
  readonly record: Record<string, unknown>;
  /** The pinned (or, unpinned, the parameter's) key and bucket; absent: nothing verifies. */
  readonly root?: VerifiedRoot;
  /** Why the trust root is not trusted (a pin the parameter contradicts, a key that cannot be read). */
  readonly rootProblems?: readonly string[];
  /** Every anchor object (all versions) under the record's own sequence number. */
  readonly anchors: readonly AnchorObject[];
  /** Epoch ms. */
  readonly now: number;
}

/**
 * Whether the record is what the engine wrote: its fields, its hash, its signature with the trust
 * root, and its anchors (none other at its sequence number, none forged, backdated or shortened).
 * What needs the rest of the trail is not checked here: the links to its neighbours and records
 * deleted around it (`canary history --verify` checks them). Problems the verifier infers about
 * other sequence numbers from this record (a predecessor it vouches for) are left out.
 */
export function verifyRecordAlone(input: RecordCheckInput): RecordCheck {
  const stream = trailVerifier({
    service: input.service,
    now: input.now,
    anchors: input.anchors,
    ...(input.root ? { root: input.root } : {}),
    rootProblems: input.rootProblems ?? [],
  });
  stream.add(input.record);
  const sk = isSequenceNumber(input.record.sk) ? input.record.sk : 0;
  const mine = stream.finish().problems.filter((p) => p.sk === sk || p.sk === 0);
  return mine.length === 0 ? { ok: true } : { ok: false, first: mine[0] };
}

/** What a screen says in place of the reason of a record that does not verify: the verifier's code, and where to look. */
export function unverifiedReasonText(what: string, sk: unknown, check: RecordCheck, service: string): string {
  const code = check.first?.code ?? 'unverified';
  return `not shown: ${what} (record #${String(sk)}) does not verify (${code}); canary history ${service} --verify names the break`;
}
