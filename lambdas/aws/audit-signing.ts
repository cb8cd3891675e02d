/**
 * The audit trail's KMS key (docs/audit.md): the engine signs each record's `signingPayload`
 * (sequence, deployment, hash, expiry, write time, key and bucket)
 * (ECDSA_SHA_256, MessageType RAW: KMS hashes the payload with SHA-256, AWS KMS API Reference,
 * Sign); verifiers read the public key once (GetPublicKey) and check signatures locally, so they
 * need no signing right.
 */
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';

import { type SignedFields, signingPayload, type TrustRoot } from '../core/audit-chain';
import { awsCall } from './deploy-errors';

export interface AuditSigner {
  readonly client: KMSClient;
  readonly keyArn: string;
}

/** The record's signature (also its anchor's), base64 of KMS's DER-encoded ECDSA signature, for the trust root `root`. */
export async function signRecord(signer: AuditSigner, fields: SignedFields, root: TrustRoot): Promise<string> {
  const { Signature } = await signer.client.send(
    new SignCommand({
      KeyId: signer.keyArn,
      Message: new TextEncoder().encode(signingPayload(fields, root)),
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    }),
  );
  if (!Signature) throw new Error(`KMS Sign with ${signer.keyArn} returned no signature`);
  return Buffer.from(Signature).toString('base64');
}

/** The DER SubjectPublicKeyInfo of the signing key (one kms:GetPublicKey). */
export async function auditPublicKey(kms: KMSClient, keyArn: string): Promise<Uint8Array> {
  const out = await awsCall('kms:GetPublicKey', () => kms.send(new GetPublicKeyCommand({ KeyId: keyArn })));
  if (!out.PublicKey || out.KeySpec !== 'ECC_NIST_P256')
    throw new Error(`KMS key ${keyArn} is ${out.KeySpec ?? 'without a public key'}; the audit trail is signed with an ECC_NIST_P256 key`);
  return out.PublicKey;
}
