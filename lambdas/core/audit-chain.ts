/**
 * The audit trail's hash chain (contracts.md, "Audit table"): canonical JSON, record hashing,
 * record building and chain verification. Pure: `node:crypto` only, no AWS imports, no clock.
 *
 * `hash = sha256(prevHash + canonicalJson(item without hash))`, where canonical JSON sorts object
 * keys recursively and leaves out `undefined` members; verification walks ascending `sk` and checks
 * every `hash` and every `prevHash === previous.hash`, so altering, removing or inserting a record
 * in the middle of the chain is detected.
 */
import { createHash } from 'node:crypto';

/** The prevHash of the very first record of a service's chain. */
export const GENESIS_HASH = '0'.repeat(64);

export type Verdict =
  'promote' | 'hold' | 'rollback' | 'restore' | 'fail' | 'succeed' | 'pause' | 'resume' | 'abort' | 'start' | 'abandon' | 'ignore';

export interface AuditReason {
  readonly check: string;
  readonly status: string;
  readonly observed: string;
  readonly bar: string;
  readonly detail: string;
}

/** What a decision wants recorded; the chain fields are added by `buildRecord`. */
export interface AuditDraft {
  readonly kind: 'decision' | 'event';
  readonly deploymentId: string;
  readonly hook?: string;
  readonly stage?: { readonly index: number; readonly weight: number };
  readonly weights?: { readonly original: number; readonly replacement: number };
  readonly verdict?: Verdict;
  readonly action?: string;
  readonly reason: string;
  readonly reasons?: readonly AuditReason[];
  readonly figures?: Readonly<Record<string, unknown>>;
  readonly actor: string;
}

export interface AuditRecord extends AuditDraft {
  readonly pk: string;
  /** The sequence number: a positive integer, one more than the previous record's. */
  readonly sk: number;
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
  /** The record's TTL (epoch seconds), inside the hash and the signature. */
  readonly expiresAt: number;
  /** The record format: 2 since expiry and the predecessor's expiry are signed; absent in older records. */
  readonly format?: number;
  /** The previous record's `expiresAt` (0 for the first): a later record vouches for when its predecessor may expire. */
  readonly prevExpiresAt?: number;
  /** ECDSA_SHA_256 signature (base64, DER) of `signingPayload(record)` by the service's KMS key; outside the hash. */
  readonly signature?: string;
  /** Why the engine wrote the record unsigned (KMS failed): the restore is never held up by a signature. Outside the hash. */
  readonly signatureError?: string;
}

/** Members of a record that the hash does not cover: the hash itself and what signs it. */
const UNHASHED = ['hash', 'signature', 'signatureError'] as const;

/** The current record format (see `AuditRecord.format`). */
export const RECORD_FORMAT = 2;

/** Where a service's trail is signed and anchored: what verification trusts (docs/audit.md, "Trust root"). */
export interface TrustRoot {
  readonly keyArn: string;
  readonly bucket: string;
}

/** What one signature covers: the record's identity, hash, expiry and write time, and the trust root. */
export type SignedFields = Pick<AuditRecord, 'pk' | 'sk' | 'deploymentId' | 'hash' | 'expiresAt'> & { readonly atMs: number };

/**
 * What the engine's KMS key signs, once per record; the record and its anchor carry the same
 * signature. The hash covers the record's canonical form and prevHash; sequence, deployment,
 * expiry, write time and the key and bucket are named again so that an anchor, which carries no
 * record content, is checked on its own.
 */
export function signingPayload(fields: SignedFields, root: TrustRoot): string {
  return [
    'ecs-canary audit v2',
    fields.pk,
    fields.sk,
    fields.deploymentId,
    fields.hash,
    fields.expiresAt,
    fields.atMs,
    root.keyArn,
    root.bucket,
  ].join('\n');
}

/** The signed fields of a record. */
export const signedFields = (record: AuditRecord): SignedFields => ({
  pk: record.pk,
  sk: record.sk,
  deploymentId: record.deploymentId,
  hash: record.hash,
  expiresAt: record.expiresAt,
  atMs: Date.parse(record.at),
});

/** JSON with object keys sorted recursively; `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) {
    let text = '[';
    const length = value.length;
    for (let i = 0; i < length; i++) {
      if (i > 0) text += ',';
      // A hole stays empty, as Array.prototype.map and join leave it.
      if (!(i in value)) continue;
      const member: unknown = value[i];
      text += canonicalJson(member === undefined ? null : member);
    }
    return text + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let text = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    text += (text.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(member);
  }
  return text + '}';
}

/** The hash of a record: sha256 hex of its prevHash followed by the canonical JSON of everything but `hash` and the signature. */
export function hashRecord(record: Omit<AuditRecord, 'hash'> | AuditRecord): string {
  const rest: Record<string, unknown> = { ...record };
  for (const key of UNHASHED) delete rest[key];
  return createHash('sha256')
    .update(String(rest.prevHash) + canonicalJson(rest))
    .digest('hex');
}

/** The newest record of a chain as far as appending needs it. */
export interface ChainTip {
  readonly sk: number;
  readonly hash: string;
  /** The tip's TTL, recorded by its successor as `prevExpiresAt`. */
  readonly expiresAt?: number;
  /** The tip's time: a successor is never dated before it. */
  readonly at?: string;
}

/**
 * The next record of a service's chain. `retentionDays` sets `expiresAt` (the table's TTL
 * attribute); `now` is epoch ms.
 */
export function buildRecord(
  service: string,
  tip: ChainTip | undefined,
  draft: AuditDraft,
  now: number,
  retentionDays: number,
): AuditRecord {
  // Two writers racing (a tick and the guard) may hold clocks a few ms apart: the loser, appending
  // after the winner, takes the winner's time rather than date its record before it.
  const tipAt = tip?.at ? Date.parse(tip.at) : Number.NaN;
  const at = Number.isFinite(tipAt) && tipAt > now ? tipAt : now;
  const unsigned = {
    ...stripUndefined(draft),
    pk: service,
    // A forged tip at a fraction (7.5) does not derail the sequence: the next record is 8.
    sk: tip === undefined ? 1 : Math.floor(tip.sk) + 1,
    at: new Date(at).toISOString(),
    prevHash: tip?.hash ?? GENESIS_HASH,
    expiresAt: Math.floor(at / 1000) + Math.round(retentionDays * 86_400),
    format: RECORD_FORMAT,
    prevExpiresAt: tip?.expiresAt ?? 0,
  } as Omit<AuditRecord, 'hash'>;
  return { ...unsigned, hash: hashRecord(unsigned) };
}

export interface ChainProblem {
  readonly sk: number;
  readonly problem: string;
}

export interface ChainVerification {
  readonly ok: boolean;
  /** Number of records checked. */
  readonly checked: number;
  readonly problems: readonly ChainProblem[];
}

/** A sequence number is a positive integer; anything else (0.5, -1, NaN) is never a record of the chain. */
export const isSequenceNumber = (sk: unknown): sk is number => typeof sk === 'number' && Number.isSafeInteger(sk) && sk >= 1;

/**
 * Verifies the hash links of a chain given in any order (items whose sk is not a positive integer
 * are skipped). The oldest surviving record is trusted for its prevHash (older ones may have
 * expired through TTL). `audit-trail.ts` adds signatures, anchors and time.
 */
export function verifyChain(items: ReadonlyArray<Record<string, unknown>>): ChainVerification {
  const records = items
    .filter((item) => isSequenceNumber(item.sk))
    .sort((a, b) => (a.sk as number) - (b.sk as number)) as unknown as AuditRecord[];
  const problems: ChainProblem[] = [];
  records.forEach((record, i) => {
    if (hashRecord(record) !== record.hash) {
      problems.push({ sk: record.sk, problem: `record ${record.sk} was altered: its content no longer matches its hash` });
    }
    if (i === 0) return;
    const previous = records[i - 1];
    if (record.sk !== previous.sk + 1) {
      problems.push({ sk: record.sk, problem: `records ${previous.sk + 1}..${record.sk - 1} are missing` });
    }
    if (record.prevHash !== previous.hash) {
      problems.push({
        sk: record.sk,
        problem: `record ${record.sk} does not follow record ${previous.sk}: prevHash ${short(record.prevHash)} ≠ ${short(previous.hash)}`,
      });
    }
  });
  return { ok: problems.length === 0, checked: records.length, problems };
}

function short(hash: unknown): string {
  return typeof hash === 'string' ? hash.slice(0, 12) : String(hash);
}

function stripUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
