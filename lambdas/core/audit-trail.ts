/**
 * The audit trail's full verification (docs/audit.md), pure (`node:crypto` only, no AWS, time as
 * an argument): the hash chain of `audit-chain.ts`, every record's signature with the pinned trust
 * root's public key, time, and the table against every anchor version in the Object Lock bucket
 * (`audit-anchor.ts`, indexed by `audit-anchor-index.ts`). Each problem names the record (sequence
 * number; 0 for the trail) and why (`audit-problems.ts`).
 *
 * One pass over the records in sequence order and one over the anchors, with maps keyed by
 * sequence number and hash: linear in records, anchors and problems.
 */
import { createPublicKey } from 'node:crypto';

import { type AnchorObject, escapeControl, signatureValid } from './audit-anchor';
import { indexAnchors, MIN_RETENTION_S } from './audit-anchor-index';
import { type AuditRecord, GENESIS_HASH, hashRecord, isSequenceNumber, RECORD_FORMAT, signedFields, type TrustRoot } from './audit-chain';
import { type AddProblem, compareProblems, iso, type ProblemCode, short, type TrailProblem } from './audit-problems';
import { describeMove, malformation, shownValue, signatureAsWritten, signedAsAnchored } from './audit-record-checks';

export type { Anchor, AnchorObject } from './audit-anchor';
export { ANCHOR_TIME_TOLERANCE_MS, MIN_RETENTION_S } from './audit-anchor-index';
export type { ProblemCode, TrailProblem } from './audit-problems';
export { malformation } from './audit-record-checks';

export interface RecordVerdict {
  readonly sk: number;
  readonly deploymentId?: string;
  readonly ok: boolean;
  readonly problems: readonly string[];
}

export interface TrailVerification {
  readonly ok: boolean;
  /** Records checked (the table's). */
  readonly checked: number;
  /** Anchor objects read. */
  readonly anchors: number;
  /** Whether signatures were checked (a trust root was given). */
  readonly signaturesChecked: boolean;
  /** Sequence numbers accounted for as expired (TTL), not deleted. */
  readonly expired: number;
  /** Records still in the table past their expiry: their anchors may be gone, so only their signature vouches for them. */
  readonly pastExpiry: number;
  /** Sequence numbers of unexpired anchors behind a delete marker (read anyway: every version is listed). */
  readonly hidden: readonly number[];
  /** Every problem: trail-level first, then by ascending sequence number. */
  readonly problems: readonly TrailProblem[];
  /** One verdict per table record, ascending. */
  readonly records: readonly RecordVerdict[];
}

export interface VerifiedRoot extends TrustRoot {
  /** DER SubjectPublicKeyInfo of the key (KMS GetPublicKey). */
  readonly publicKeyDer: Uint8Array;
}

export interface TrailInput {
  readonly service: string;
  /** The table's items of the service's partition, ideally ascending by sk (sorted here otherwise). */
  readonly records: ReadonlyArray<Record<string, unknown>>;
  /** The pinned key and bucket; absent: nothing can be trusted, a `trust-root` problem. */
  readonly root?: VerifiedRoot;
  /** Why the trust root is not trusted (the caller's checks of the pin against the metadata parameter). */
  readonly rootProblems?: readonly string[];
  /** Every anchor object of the service in the pinned bucket (all versions). */
  readonly anchors: readonly AnchorObject[];
  /** Epoch ms, to tell an expired record (TTL) from a deleted one. */
  readonly now: number;
}

/** A verification fed one item at a time, in ascending sort-key order (as a Query returns them), then finished. */
export interface TrailStream {
  add(item: Record<string, unknown>): void;
  /** A problem the reader found outside the items (what it showed is not what it verified). */
  report(sk: number, code: ProblemCode, problem: string): void;
  finish(): TrailVerification;
}

/**
 * Verifies a trail as its items stream in (ascending sk, as DynamoDB's Query returns a partition):
 * the anchors are indexed first, then each record is checked against them and its predecessor
 * only, so nothing but the anchors' index and one verdict per record is kept.
 */
export function trailVerifier(input: Omit<TrailInput, 'records'>): TrailStream {
  const problems: TrailProblem[] = [];
  const own = new Map<number, string[]>();
  // Texts quote anchor keys and table strings: escaped once here, so none can print a line of its own.
  const add: AddProblem = (sk, code, text) => {
    const problem = escapeControl(text);
    problems.push({ sk, code, problem });
    const list = own.get(sk);
    if (list) list.push(problem);
    else own.set(sk, [problem]);
  };
  for (const why of input.rootProblems ?? []) add(0, 'trust-root', why);
  if (!input.root)
    add(
      0,
      'trust-root',
      'no signing key and anchor bucket to verify against: signatures and anchors cannot be checked, so nothing is verified',
    );
  const key = input.root ? createPublicKey({ key: Buffer.from(input.root.publicKeyDer), format: 'der', type: 'spki' }) : undefined;
  const anchors = indexAnchors(input, key, add);

  let expired = 0;
  let pastExpiry = 0;
  let anchorAt = 0;
  let previous: AuditRecord | undefined;
  let checked = 0;
  const verdictsOf: Array<{ sk: number; deploymentId: string }> = [];
  const explainGap = (from: number, to: number, next: AuditRecord | undefined) => {
    // Live anchors in [from, to]: those records were deleted (or cut off the end).
    while (anchorAt < anchors.liveSks.length && anchors.liveSks[anchorAt] < from) anchorAt += 1;
    const deleted = new Set<number>();
    for (; anchorAt < anchors.liveSks.length && anchors.liveSks[anchorAt] <= to; anchorAt += 1) {
      const sk = anchors.liveSks[anchorAt];
      const anchor = anchors.live.get(sk)![0];
      deleted.add(sk);
      if (next)
        add(sk, 'missing', `record ${sk} (${anchor.deploymentId}, anchored, expires ${iso(anchor.expiresAt)}) was deleted from the table`);
      else
        add(
          sk,
          'truncated',
          `record ${sk} (${anchor.deploymentId}, anchored, expires ${iso(anchor.expiresAt)}) is missing from the end of the table: the trail was truncated after record ${previous?.sk ?? 'none'}`,
        );
    }
    if (!next) return;
    // The successor vouches for its predecessor's expiry.
    if (
      next.format === RECORD_FORMAT &&
      !deleted.has(to) &&
      typeof next.prevExpiresAt === 'number' &&
      next.prevExpiresAt * 1000 > input.now
    ) {
      deleted.add(to);
      add(to, 'missing', `record ${to} was deleted from the table: record ${next.sk} says it expires ${iso(next.prevExpiresAt)}`);
    }
    // Records written after `previous` expire at least a day after it: before then, a gap is no expiry.
    const silent = to - from + 1 - deleted.size;
    if (silent > 0 && previous && Date.parse(previous.at) + MIN_RETENTION_S * 1000 > input.now) {
      add(from, 'gap', `records ${from}..${to} are missing and cannot have expired yet (record ${previous.sk} was written ${previous.at})`);
    } else {
      expired += silent;
    }
  };

  const step = (record: AuditRecord) => {
    const sk = record.sk;
    const here = anchors.live.get(sk);
    const anchoredHere = here?.some((a) => a.hash === record.hash) ?? false;
    const copyOf = anchoredHere ? undefined : anchors.byHash.get(record.hash);
    const expiredRecord = record.expiresAt * 1000 <= input.now;
    if (expiredRecord) pastExpiry += 1;
    if (sk > (previous?.sk ?? 0) + 1) explainGap((previous?.sk ?? 0) + 1, sk - 1, record);
    if (copyOf && copyOf.sk !== sk) {
      describeMove(record, copyOf, here?.[0], add);
    } else {
      if (hashRecord(record) !== record.hash) add(sk, 'altered', `record ${sk} was altered: its content no longer matches its hash`);
      if (record.format !== RECORD_FORMAT) {
        add(
          sk,
          'legacy',
          `record ${sk} was written before expiry and write time were signed (format ${record.format ?? 1}): it is not trusted`,
        );
      } else if (key && input.root) {
        if (typeof record.signature !== 'string') {
          add(
            sk,
            'unsigned',
            `record ${sk} is not signed${record.signatureError ? ` (the engine could not sign: ${escapeControl(String(record.signatureError))})` : ' by the engine'}`,
          );
        } else if (
          !signedAsAnchored(anchors.verified.get(record.signature), record, () =>
            signatureValid(key, input.root!, signedFields(record), record.signature as string),
          )
        ) {
          add(
            sk,
            'bad-signature',
            `record ${sk}'s signature does not verify with the pinned key: it was changed after signing, or signed by another key`,
          );
        } else if (!signatureAsWritten(record.signature, here, record.hash)) {
          // Base64 decoding skips characters it does not know, and an ECDSA signature has a second valid form (s → n − s):
          // neither changes what verifies, but the engine writes one text, the same in the record and its anchor.
          add(
            sk,
            'bad-signature',
            `record ${sk}'s signature verifies but is not the text the engine wrote (${here ? 'its anchor carries another' : 'not canonical base64'}): the attribute was rewritten`,
          );
        }
      }
      if (!key) {
        // Without a trust root no anchor can be read: the trust-root problem says so, once.
      } else if (!here && !expiredRecord) {
        add(
          sk,
          'no-anchor',
          `record ${sk} (${escapeControl(record.deploymentId)}) has no anchor in the bucket: it was inserted, or its anchor was never written`,
        );
      } else if (here && !anchoredHere) {
        const other = here[0];
        add(
          sk,
          'not-anchored-as',
          `record ${sk} is not the record anchored at ${sk} (${other.deploymentId}, hash ${short(other.hash)}, written ${new Date(other.atMs).toISOString()}; the table has ${escapeControl(record.deploymentId)}, ${short(record.hash)}, at ${escapeControl(record.at)})`,
        );
      }
    }
    if (previous && sk === previous.sk + 1) {
      if (record.prevHash !== previous.hash)
        add(
          sk,
          'broken-link',
          `record ${sk} does not follow record ${previous.sk}: prevHash ${short(record.prevHash)} ≠ ${short(previous.hash)}`,
        );
      else if (record.format === RECORD_FORMAT && previous.format === RECORD_FORMAT && record.prevExpiresAt !== previous.expiresAt) {
        add(
          sk,
          'broken-link',
          `record ${sk} says record ${previous.sk} expires ${iso(Number(record.prevExpiresAt))}, but record ${previous.sk} says ${iso(previous.expiresAt)}`,
        );
      }
      if (Date.parse(record.at) < Date.parse(previous.at))
        add(
          sk,
          'time-reversed',
          `record ${sk} is dated ${escapeControl(record.at)}, before record ${previous.sk} (${previous.at}): time never runs backwards in the chain`,
        );
    }
    if (sk > 1 && record.prevHash === GENESIS_HASH)
      add(sk, 'broken-link', `record ${sk} claims to start a chain, but chains start at record 1`);
    previous = record;
    checked += 1;
    verdictsOf.push({ sk, deploymentId: record.deploymentId });
  };

  const addItem = (item: Record<string, unknown>) => {
    if (!isSequenceNumber(item.sk)) {
      add(
        0,
        'malformed',
        `an item of ${input.service} has sort key ${shownValue(item.sk)}; sequence numbers are positive integers: it was inserted outside the chain`,
      );
      return;
    }
    const bad = malformation(item);
    if (bad) add(item.sk, 'malformed', `record ${item.sk} is malformed: ${bad}`);
    else if (previous && item.sk <= previous.sk)
      add(item.sk, 'malformed', `record ${item.sk} was read after record ${previous.sk}: the items are not in sequence order`);
    else step(item as unknown as AuditRecord);
  };

  const finish = (): TrailVerification => {
    explainGap((previous?.sk ?? 0) + 1, Number.MAX_SAFE_INTEGER, undefined);

    problems.sort(compareProblems);
    const verdicts = verdictsOf.map(({ sk, deploymentId }): RecordVerdict => {
      const mine = own.get(sk) ?? [];
      return { sk, deploymentId, ok: mine.length === 0, problems: mine };
    });
    return {
      ok: problems.length === 0,
      checked,
      anchors: input.anchors.length,
      signaturesChecked: key !== undefined,
      expired,
      pastExpiry,
      hidden: anchors.hidden,
      problems,
      records: verdicts,
    };
  };
  return { add: addItem, report: add, finish };
}

/** Verifies a whole trail given as an array in any order (sorted here when it is not ascending). */
export function verifyTrail(input: TrailInput): TrailVerification {
  const order = (item: Record<string, unknown>) => (isSequenceNumber(item.sk) ? item.sk : 0);
  let items = input.records;
  for (let i = 1; i < items.length; i += 1) {
    if (order(items[i]) < order(items[i - 1])) {
      items = [...items].sort((a, b) => order(a) - order(b));
      break;
    }
  }
  const stream = trailVerifier(input);
  for (const item of items) stream.add(item);
  return stream.finish();
}
