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

export type Verdict = 'promote' | 'hold' | 'rollback' | 'restore' | 'fail' | 'succeed' | 'pause' | 'resume' | 'abort' | 'start' | 'abandon' | 'ignore';

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
  readonly sk: number;
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly expiresAt: number;
  /** ECDSA_SHA_256 signature (base64, DER) of `signingPayload(record)` by the service's KMS key; outside the hash. */
  readonly signature?: string;
  /** Why the engine wrote the record unsigned (KMS failed): the restore is never held up by a signature. Outside the hash. */
  readonly signatureError?: string;
}

/** Members of a record that the hash does not cover: the hash itself and what signs it. */
const UNHASHED = ['hash', 'signature', 'signatureError'] as const;

/**
 * What the engine's KMS key signs: the service, the sequence number and the record's hash, which
 * covers the record's canonical form and its prevHash, so the signature covers both.
 */
export function signingPayload(record: Pick<AuditRecord, 'pk' | 'sk' | 'hash'>): string {
  return `ecs-canary audit v1\n${record.pk}\n${record.sk}\n${record.hash}`;
}

/** JSON with object keys sorted recursively; `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** The hash of a record: sha256 hex of its prevHash followed by the canonical JSON of everything but `hash` and the signature. */
export function hashRecord(record: Omit<AuditRecord, 'hash'> | AuditRecord): string {
  const rest: Record<string, unknown> = { ...record };
  for (const key of UNHASHED) delete rest[key];
  return createHash('sha256').update(String(rest.prevHash) + canonicalJson(rest)).digest('hex');
}

/** The newest record of a chain as far as appending needs it. */
export interface ChainTip {
  readonly sk: number;
  readonly hash: string;
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
  const unsigned = {
    ...stripUndefined(draft),
    pk: service,
    sk: tip === undefined ? 1 : tip.sk + 1,
    at: new Date(now).toISOString(),
    prevHash: tip?.hash ?? GENESIS_HASH,
    expiresAt: Math.floor(now / 1000) + Math.round(retentionDays * 86_400),
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

/**
 * Verifies a chain given in any order (control records, `sk = 0`, are skipped). The oldest
 * surviving record is trusted for its prevHash (older ones may have expired through TTL).
 */
export function verifyChain(items: ReadonlyArray<Record<string, unknown>>): ChainVerification {
  const records = items
    .filter((item) => typeof item.sk === 'number' && item.sk >= 1)
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
      problems.push({ sk: record.sk, problem: `record ${record.sk} does not follow record ${previous.sk}: prevHash ${short(record.prevHash)} ≠ ${short(previous.hash)}` });
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
