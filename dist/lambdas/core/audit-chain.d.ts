/** The prevHash of the very first record of a service's chain. */
export declare const GENESIS_HASH: string;
export type Verdict = 'promote' | 'hold' | 'rollback' | 'restore' | 'fail' | 'succeed' | 'pause' | 'resume' | 'abort' | 'start' | 'abandon';
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
    readonly stage?: {
        readonly index: number;
        readonly weight: number;
    };
    readonly weights?: {
        readonly original: number;
        readonly replacement: number;
    };
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
/**
 * What the engine's KMS key signs: the service, the sequence number and the record's hash, which
 * covers the record's canonical form and its prevHash, so the signature covers both.
 */
export declare function signingPayload(record: Pick<AuditRecord, 'pk' | 'sk' | 'hash'>): string;
/** JSON with object keys sorted recursively; `undefined` members are left out, as JSON.stringify does. */
export declare function canonicalJson(value: unknown): string;
/** The hash of a record: sha256 hex of its prevHash followed by the canonical JSON of everything but `hash` and the signature. */
export declare function hashRecord(record: Omit<AuditRecord, 'hash'> | AuditRecord): string;
/** The newest record of a chain as far as appending needs it. */
export interface ChainTip {
    readonly sk: number;
    readonly hash: string;
}
/**
 * The next record of a service's chain. `retentionDays` sets `expiresAt` (the table's TTL
 * attribute); `now` is epoch ms.
 */
export declare function buildRecord(service: string, tip: ChainTip | undefined, draft: AuditDraft, now: number, retentionDays: number): AuditRecord;
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
export declare function verifyChain(items: ReadonlyArray<Record<string, unknown>>): ChainVerification;
