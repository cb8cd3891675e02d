/**
 * Fake AWS KMS, asymmetric signing keys only: CreateKey (ECC_NIST_P256, SIGN_VERIFY), Sign,
 * Verify and GetPublicKey, with real ECDSA P-256 keys from node:crypto, so a signature the fake
 * returns verifies with `crypto.verify` and the DER public key, as one from AWS does.
 *
 * Modelled from the AWS KMS API Reference:
 * - Sign (https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html): MessageType RAW
 *   (default) hashes a message of at most 4096 bytes with the algorithm's hash (DIGEST is not
 *   modelled); the key's usage must be SIGN_VERIFY (else InvalidKeyUsageException) and the
 *   algorithm one of the key spec's (ECC_NIST_P256: ECDSA_SHA_256); a disabled key fails with
 *   DisabledException; for ECDSA the signature is DER-encoded (ANSI X9.62-2005).
 * - Verify (API_Verify.html): a signature that does not verify fails with
 *   KMSInvalidSignatureException (SignatureValid is never false in a response).
 * - GetPublicKey (API_GetPublicKey.html): the DER-encoded X.509 SubjectPublicKeyInfo, KeySpec,
 *   KeyUsage and SigningAlgorithms.
 * - an unknown key id or ARN fails with NotFoundException.
 * Not modelled: key policies and grants (authorization is test/iam's), aliases, other key specs.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign as ecSign, verify as ecVerify } from 'node:crypto';

import {
  CreateKeyCommand,
  DisabledException,
  GetPublicKeyCommand,
  InvalidKeyUsageException,
  KMSClient,
  KMSInvalidSignatureException,
  KMSServiceException,
  NotFoundException,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';

import { ACCOUNT, awsError, NotModelledError, REGION, serviceError } from './errors';
import type { Handlers } from './mocks';

export interface FakeKmsKey {
  readonly keyId: string;
  readonly arn: string;
  readonly privateKey: KeyObject;
  readonly publicKeyDer: Uint8Array;
  enabled: boolean;
}

const MAX_RAW_MESSAGE = 4096;

export class FakeKms {
  readonly keys = new Map<string, FakeKmsKey>();
  /** Every message signed, for assertions (key ARN and the message's SHA-256). */
  readonly signed: Array<{ readonly keyArn: string; readonly sha256: string }> = [];
  /** Key ids count per account (not per process), so every world names its first key alike. */
  private created = 0;

  /** CreateKey: only the asymmetric signing key the audit trail uses. */
  createKey(input: { KeySpec?: string; KeyUsage?: string; Description?: string } = { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }) {
    if (input.KeySpec !== 'ECC_NIST_P256' || input.KeyUsage !== 'SIGN_VERIFY') {
      throw serviceError(
        KMSServiceException,
        'ValidationException',
        `fake KMS models KeySpec ECC_NIST_P256 with KeyUsage SIGN_VERIFY only (got ${input.KeySpec}/${input.KeyUsage})`,
      );
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.created += 1;
    const keyId = `${String(this.created).padStart(8, '0')}-0000-4000-8000-${String(this.created).padStart(12, '0')}`;
    const key: FakeKmsKey = {
      keyId,
      arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`,
      privateKey,
      publicKeyDer: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
      enabled: true,
    };
    this.keys.set(keyId, key);
    return {
      KeyMetadata: {
        KeyId: keyId,
        Arn: key.arn,
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Enabled: true,
        SigningAlgorithms: ['ECDSA_SHA_256'],
      },
    };
  }

  /** Test shortcut: a new signing key's ARN. */
  addSigningKey(): string {
    return this.createKey().KeyMetadata.Arn;
  }

  key(keyIdOrArn: string | undefined): FakeKmsKey {
    const id = keyIdOrArn?.includes(':key/') ? keyIdOrArn.split(':key/')[1] : keyIdOrArn;
    const key = id ? this.keys.get(id) : undefined;
    if (!key) throw awsError(NotFoundException, `Key '${String(keyIdOrArn)}' does not exist`);
    return key;
  }

  sign(input: { KeyId?: string; Message?: Uint8Array; MessageType?: string; SigningAlgorithm?: string }) {
    const key = this.usable(input.KeyId, input.SigningAlgorithm);
    const digest = this.digest(input.Message, input.MessageType);
    this.signed.push({ keyArn: key.arn, sha256: digest.toString('hex') });
    const signature = ecSign('sha256', Buffer.from(input.Message!), key.privateKey);
    return { KeyId: key.arn, Signature: new Uint8Array(signature), SigningAlgorithm: 'ECDSA_SHA_256' };
  }

  verify(input: { KeyId?: string; Message?: Uint8Array; MessageType?: string; Signature?: Uint8Array; SigningAlgorithm?: string }) {
    const key = this.usable(input.KeyId, input.SigningAlgorithm);
    this.digest(input.Message, input.MessageType);
    const ok =
      input.Signature !== undefined && ecVerify('sha256', Buffer.from(input.Message!), key.privateKey, Buffer.from(input.Signature));
    if (!ok) throw awsError(KMSInvalidSignatureException, 'The signature is not valid for this message and key');
    return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' };
  }

  getPublicKey(input: { KeyId?: string }) {
    const key = this.key(input.KeyId);
    if (!key.enabled) throw awsError(DisabledException, `${key.arn} is disabled.`);
    return {
      KeyId: key.arn,
      PublicKey: key.publicKeyDer,
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ECDSA_SHA_256'],
    };
  }

  private usable(keyId: string | undefined, algorithm: string | undefined): FakeKmsKey {
    const key = this.key(keyId);
    if (!key.enabled) throw awsError(DisabledException, `${key.arn} is disabled.`);
    if (algorithm !== 'ECDSA_SHA_256') {
      throw awsError(
        InvalidKeyUsageException,
        `SigningAlgorithm ${String(algorithm)} is not supported by key spec ECC_NIST_P256; accepted: ECDSA_SHA_256`,
      );
    }
    return key;
  }

  private digest(message: Uint8Array | undefined, type: string | undefined): Buffer {
    if (!message || message.length === 0)
      throw serviceError(KMSServiceException, 'ValidationException', 'Message must have length at least 1');
    if ((type ?? 'RAW') === 'RAW') {
      if (message.length > MAX_RAW_MESSAGE)
        throw serviceError(
          KMSServiceException,
          'ValidationException',
          `Message of ${message.length} bytes exceeds ${MAX_RAW_MESSAGE} (use MessageType DIGEST)`,
        );
      return createHash('sha256').update(message).digest();
    }
    // DIGEST is not used by the product; refused rather than modelled loosely.
    throw new NotModelledError(`KMS MessageType ${String(type)}`);
  }

  handlers(): Handlers {
    return {
      client: KMSClient,
      commands: [
        [CreateKeyCommand, (i) => this.createKey(i as never)],
        [SignCommand, (i) => this.sign(i as never)],
        [VerifyCommand, (i) => this.verify(i as never)],
        [GetPublicKeyCommand, (i) => this.getPublicKey(i as never)],
      ],
    };
  }
}
