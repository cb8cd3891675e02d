import { type AuditRecord } from './audit-chain';
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
export type ProblemCode = 'altered' | 'unsigned' | 'bad-signature' | 'gap' | 'broken-link' | 'missing' | 'truncated' | 'reordered' | 'replayed' | 'not-anchored-as' | 'no-anchor' | 'forged-anchor' | 'fork';
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
/** The anchor object key of a signed record. */
export declare function anchorKey(record: Pick<AuditRecord, 'pk' | 'sk' | 'deploymentId' | 'hash' | 'expiresAt'> & {
    readonly signature: string;
}): string;
/** Parses an anchor key; undefined for a key that is not one (named by the caller). */
export declare function parseAnchorKey(key: string): Anchor | undefined;
/** The prefix under which a service's anchors are listed. */
export declare const anchorPrefix: (service: string) => string;
export declare function verifyTrail(input: TrailInput): TrailVerification;
