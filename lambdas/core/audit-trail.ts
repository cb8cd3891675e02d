/**
 * The audit trail's full verification (docs/audit.md), pure (`node:crypto` only, no AWS, time as
 * an argument): the hash chain of `audit-chain.ts`, every record's KMS signature checked with the
 * service key's public key, and the table compared with the anchors the engine wrote to the S3
 * Object Lock bucket. Each problem names the record (sequence number) and why.
 *
 * An anchor is one S3 object per record whose key carries everything verification needs
 * (`<service>/<sk>/<deploymentId>/<hash>.<signature>.<expiresAt>`), so one ListObjectsV2 page
 * checks a thousand records with no GetObject.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { hashRecord, signingPayload, type AuditRecord } from './audit-chain';

export interface Anchor {
  readonly service: string;
  readonly sk: number;
  readonly deploymentId: string;
  readonly hash: string;
  /** base64 DER ECDSA signature, as in the record. */
  readonly signature: string;
  /** The record's TTL (epoch seconds): after it, a record missing from the table has expired. */
  readonly expiresAt: number;
}

export type ProblemCode =
  | 'altered' | 'unsigned' | 'bad-signature' | 'gap' | 'broken-link'
  | 'missing' | 'truncated' | 'reordered' | 'replayed' | 'not-anchored-as' | 'no-anchor' | 'forged-anchor' | 'fork';

export interface TrailProblem {
  readonly sk: number;
  readonly code: ProblemCode;
  readonly problem: string;
}

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
  /** Anchors read (undefined: no anchor bucket was checked). */
  readonly anchors?: number;
  /** Whether signatures were checked (a public key was given). */
  readonly signaturesChecked: boolean;
  /** Every problem, by ascending sequence number: the first is the first bad record. */
  readonly problems: readonly TrailProblem[];
  /** One verdict per table record, ascending. */
  readonly records: readonly RecordVerdict[];
}

export interface TrailInput {
  readonly service: string;
  /** The table's records (control and other `sk = 0` items are ignored), any order. */
  readonly records: ReadonlyArray<Record<string, unknown>>;
  /** DER SubjectPublicKeyInfo of the service's signing key (KMS GetPublicKey); absent: signatures are not checked. */
  readonly publicKeyDer?: Uint8Array;
  /** The anchors listed from the bucket; absent: not checked. */
  readonly anchors?: readonly Anchor[];
  /** Epoch ms, to tell an expired record (TTL) from a deleted one. */
  readonly now: number;
}

const SK_DIGITS = 12;
const b64url = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (text: string) => {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return b64 + '='.repeat((4 - (b64.length % 4)) % 4);
};

/** The anchor object key of a signed record. */
export function anchorKey(record: Pick<AuditRecord, 'pk' | 'sk' | 'deploymentId' | 'hash' | 'expiresAt'> & { readonly signature: string }): string {
  return `${record.pk}/${String(record.sk).padStart(SK_DIGITS, '0')}/${record.deploymentId}/${record.hash}.${b64url(record.signature)}.${record.expiresAt}`;
}

/** Parses an anchor key; undefined for a key that is not one (named by the caller). */
export function parseAnchorKey(key: string): Anchor | undefined {
  const match = /^([^/]+)\/(\d{12})\/([^/]+)\/([0-9a-f]{64})\.([A-Za-z0-9_-]+)\.(\d+)$/.exec(key);
  if (!match) return undefined;
  return { service: match[1], sk: Number(match[2]), deploymentId: match[3], hash: match[4], signature: fromB64url(match[5]), expiresAt: Number(match[6]) };
}

/** The prefix under which a service's anchors are listed. */
export const anchorPrefix = (service: string) => `${service}/`;

function signatureValid(key: KeyObject, payload: { pk: string; sk: number; hash: string }, signature: unknown): boolean {
  if (typeof signature !== 'string' || signature === '') return false;
  try {
    return verify('sha256', Buffer.from(signingPayload(payload)), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function verifyTrail(input: TrailInput): TrailVerification {
  const records = input.records
    .filter((item) => typeof item.sk === 'number' && item.sk >= 1)
    .sort((a, b) => (a.sk as number) - (b.sk as number)) as unknown as AuditRecord[];
  const key = input.publicKeyDer ? createPublicKey({ key: Buffer.from(input.publicKeyDer), format: 'der', type: 'spki' }) : undefined;
  const problems: TrailProblem[] = [];
  const add = (sk: number, code: ProblemCode, problem: string) => problems.push({ sk, code, problem });

  records.forEach((record, i) => {
    if (hashRecord(record) !== record.hash) add(record.sk, 'altered', `record ${record.sk} was altered: its content no longer matches its hash`);
    if (key) {
      if (typeof record.signature !== 'string') {
        add(record.sk, 'unsigned', `record ${record.sk} is not signed${record.signatureError ? ` (the engine could not sign: ${record.signatureError})` : ' by the engine'}`);
      } else if (!signatureValid(key, { pk: input.service, sk: record.sk, hash: record.hash }, record.signature)) {
        add(record.sk, 'bad-signature', `record ${record.sk}'s signature does not verify with the service's key: it was changed after signing, or signed by another key`);
      }
    }
    if (i === 0) return;
    const previous = records[i - 1];
    if (record.sk !== previous.sk + 1) add(record.sk, 'gap', `records ${previous.sk + 1}..${record.sk - 1} are missing`);
    if (record.prevHash !== previous.hash) {
      add(record.sk, 'broken-link', `record ${record.sk} does not follow record ${previous.sk}: prevHash ${short(record.prevHash)} ≠ ${short(previous.hash)}`);
    }
  });

  if (input.anchors) checkAnchors(input, records, key, add);
  problems.sort((a, b) => a.sk - b.sk);
  const verdicts = records.map((record): RecordVerdict => {
    const own = problems.filter((p) => p.sk === record.sk).map((p) => p.problem);
    return { sk: record.sk, deploymentId: record.deploymentId, ok: own.length === 0, problems: own };
  });
  return {
    ok: problems.length === 0,
    checked: records.length,
    ...(input.anchors ? { anchors: input.anchors.length } : {}),
    signaturesChecked: key !== undefined,
    problems,
    records: verdicts,
  };
}

/** The table against the anchors: every anchored record present and the same, every record anchored once. */
function checkAnchors(input: TrailInput, records: readonly AuditRecord[], key: KeyObject | undefined, add: (sk: number, code: ProblemCode, problem: string) => void): void {
  const bySk = new Map<number, Anchor[]>();
  for (const anchor of input.anchors!) {
    if (anchor.service !== input.service) continue;
    if (key && !signatureValid(key, { pk: anchor.service, sk: anchor.sk, hash: anchor.hash }, anchor.signature)) {
      add(anchor.sk, 'forged-anchor', `the anchor of record ${anchor.sk} (${anchor.deploymentId}) is not signed by the service's key: it was not written by the engine`);
      continue;
    }
    bySk.set(anchor.sk, [...(bySk.get(anchor.sk) ?? []), anchor]);
  }
  const byHash = new Map<string, Anchor>();
  for (const [sk, anchors] of bySk) {
    for (const anchor of anchors) byHash.set(anchor.hash, anchor);
    if (new Set(anchors.map((a) => a.hash)).size > 1) add(sk, 'fork', `record ${sk} has ${anchors.length} different anchors (${anchors.map((a) => `${a.deploymentId} ${short(a.hash)}`).join(', ')}): the chain was forked`);
  }
  const table = new Map(records.map((r) => [r.sk, r]));
  const last = records.at(-1)?.sk ?? 0;
  const nowSeconds = input.now / 1000;
  for (const [sk, anchors] of [...bySk].sort((a, b) => a[0] - b[0])) {
    const anchor = anchors[0];
    if (table.has(sk) || anchor.expiresAt <= nowSeconds) continue;
    if (sk > last) {
      add(sk, 'truncated', `record ${sk} (${anchor.deploymentId}, anchored, expires ${new Date(anchor.expiresAt * 1000).toISOString()}) is missing from the end of the table: the trail was truncated after record ${last || 'none'}`);
    } else {
      add(sk, 'missing', `record ${sk} (${anchor.deploymentId}, anchored, expires ${new Date(anchor.expiresAt * 1000).toISOString()}) was deleted from the table`);
    }
  }
  for (const record of records) {
    const anchors = bySk.get(record.sk);
    const copyOf = byHash.get(record.hash);
    if (!anchors) {
      if (copyOf && copyOf.sk !== record.sk) describeMove(record, copyOf, add);
      else add(record.sk, 'no-anchor', `record ${record.sk} (${record.deploymentId}) has no anchor in the bucket: it was inserted, or its anchor was never written`);
      continue;
    }
    if (anchors.some((a) => a.hash === record.hash)) continue;
    if (copyOf && copyOf.sk !== record.sk) describeMove(record, copyOf, add, anchors[0]);
    else add(record.sk, 'not-anchored-as', `record ${record.sk} is not the record anchored at ${record.sk} (${anchors[0].deploymentId}, hash ${short(anchors[0].hash)}; the table has ${record.deploymentId}, ${short(record.hash)})`);
  }
}

/** A record whose hash is anchored at another sequence number: moved within its deployment, or another deployment's replayed. */
function describeMove(record: AuditRecord, copyOf: Anchor, add: (sk: number, code: ProblemCode, problem: string) => void, here?: Anchor): void {
  if (here && here.deploymentId !== copyOf.deploymentId) {
    add(record.sk, 'replayed', `record ${record.sk} replays record ${copyOf.sk} of deployment ${copyOf.deploymentId}; the record anchored at ${record.sk} is deployment ${here.deploymentId}'s`);
  } else if (!here && copyOf.deploymentId !== record.deploymentId) {
    add(record.sk, 'replayed', `record ${record.sk} replays record ${copyOf.sk} of deployment ${copyOf.deploymentId}`);
  } else {
    add(record.sk, 'reordered', `record ${record.sk} is record ${copyOf.sk} of ${copyOf.deploymentId} moved: the records were reordered`);
  }
}

function short(hash: unknown): string {
  return typeof hash === 'string' ? hash.slice(0, 12) : String(hash);
}
