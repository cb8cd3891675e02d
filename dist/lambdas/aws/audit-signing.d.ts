/**
 * The audit trail's KMS key (docs/audit.md): the engine signs each record's `signingPayload`
 * (ECDSA_SHA_256, MessageType RAW: KMS hashes the payload with SHA-256, AWS KMS API Reference,
 * Sign); verifiers read the public key once (GetPublicKey) and check signatures locally, so they
 * need no signing right.
 */
import { type KMSClient } from '@aws-sdk/client-kms';
import { type AuditRecord } from '../core/audit-chain';
export interface AuditSigner {
    readonly client: KMSClient;
    readonly keyArn: string;
}
/** The record's signature, base64 of KMS's DER-encoded ECDSA signature. */
export declare function signRecord(signer: AuditSigner, record: Pick<AuditRecord, 'pk' | 'sk' | 'hash'>): Promise<string>;
/** The DER SubjectPublicKeyInfo of the signing key (one kms:GetPublicKey). */
export declare function auditPublicKey(kms: KMSClient, keyArn: string): Promise<Uint8Array>;
