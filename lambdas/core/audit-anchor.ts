/**
 * The anchor of an audit record (docs/audit.md): one S3 object per record in the Object Lock
 * bucket whose key carries everything verification relies on — sequence number, deployment, hash,
 * expiry, write time — and the record's signature, which covers all of them and the trust root
 * (`signingPayload`). So one ListObjectVersions page checks a thousand records with no GetObject.
 * Pure: `node:crypto` only.
 */
import { type KeyObject, verify } from 'node:crypto';

import { type SignedFields, signingPayload, type TrustRoot } from './audit-chain';

export interface Anchor extends SignedFields {
  readonly service: string;
  /** base64 DER ECDSA signature, the record's. */
  readonly signature: string;
}

/** One anchor object as listed (every version, delete markers resolved by the adapter). */
export interface AnchorObject {
  readonly key: string;
  /** S3's LastModified of the object's oldest version (epoch ms): S3's own record of when it was written. */
  readonly lastModified: number;
  /** A delete marker is the key's latest version: ListObjectsV2 would not show it. */
  readonly hidden: boolean;
}

const SK_DIGITS = 12;
const b64url = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (text: string) => {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return b64 + '='.repeat((4 - (b64.length % 4)) % 4);
};

/** The anchor object key of a signed record: `<service>/<sk, 12 digits>/<deployment>/<hash>.<expiresAt>.<at ms>.<signature>`. */
export function anchorKey(fields: SignedFields & { readonly signature: string }): string {
  return `${fields.pk}/${String(fields.sk).padStart(SK_DIGITS, '0')}/${fields.deploymentId}/${fields.hash}.${fields.expiresAt}.${fields.atMs}.${b64url(fields.signature)}`;
}

const ANCHOR_KEY = /^([^/]+)\/(\d{12})\/([^/]+)\/([0-9a-f]{64})\.(\d{1,12})\.(\d{1,15})\.([A-Za-z0-9_-]+)$/;
/** The key of an anchor written before expiry and write time were signed: `<hash>.<signature>.<expiresAt>`. */
const LEGACY_ANCHOR_KEY = /^[^/]+\/\d{12}\/[^/]+\/[0-9a-f]{64}\.[A-Za-z0-9_-]+\.\d+$/;

/** Parses an anchor key; undefined for a key that is not one (the verifier names it). */
export function parseAnchorKey(key: string): Anchor | undefined {
  const match = ANCHOR_KEY.exec(key);
  if (!match) return undefined;
  return {
    service: match[1],
    pk: match[1],
    sk: Number(match[2]),
    deploymentId: match[3],
    hash: match[4],
    expiresAt: Number(match[5]),
    atMs: Number(match[6]),
    signature: fromB64url(match[7]),
  };
}

export const isLegacyAnchorKey = (key: string): boolean => LEGACY_ANCHOR_KEY.test(key);

/** The prefix under which a service's anchors are listed. */
export const anchorPrefix = (service: string) => `${service}/`;

/** The prefix of the anchors of one sequence number: one record's, or several when it was forked. */
export const anchorPrefixAt = (service: string, sk: number) => `${service}/${String(sk).padStart(SK_DIGITS, '0')}/`;

/** Whether `signature` is the trust root's key's signature of `fields` for that root. */
export function signatureValid(key: KeyObject, root: TrustRoot, fields: SignedFields, signature: unknown): boolean {
  if (typeof signature !== 'string' || signature === '') return false;
  try {
    return verify('sha256', Buffer.from(signingPayload(fields, root)), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Control characters, newlines and ANSI escapes made visible (`\n`, `\u001b`), for one-line terminal
 * output; so are the invisible and bidirectional formatting characters (U+202E shows a line
 * reversed), so that what prints is what is stored.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
