/**
 * The chain's anchors in the S3 Object Lock bucket (docs/audit.md): after appending a record the
 * engine writes one object whose key carries the record's sequence number, deployment, hash,
 * signature and expiry, locked in compliance mode until the record's TTL. `canary history` lists
 * them and compares the table with them (lambdas/core/audit-trail.ts).
 */
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { anchorKey, anchorPrefix, parseAnchorKey, type Anchor } from '../core/audit-trail';
import type { AuditRecord } from '../core/audit-chain';
import { awsCall } from './deploy-errors';

export interface AnchorStore {
  readonly client: S3Client;
  readonly bucket: string;
}

/**
 * Writes the record's anchor, retained in compliance mode until the record expires. `IfNoneMatch`
 * makes a redelivered write a no-op (412, ignored) instead of a second version.
 */
export async function writeAnchor(store: AnchorStore, record: AuditRecord & { readonly signature: string }): Promise<string> {
  const key = anchorKey(record);
  try {
    await store.client.send(new PutObjectCommand({
      Bucket: store.bucket,
      Key: key,
      Body: JSON.stringify({ service: record.pk, sk: record.sk, deploymentId: record.deploymentId, at: record.at, hash: record.hash, prevHash: record.prevHash, signature: record.signature }),
      ContentType: 'application/json',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: new Date(record.expiresAt * 1000),
      IfNoneMatch: '*',
    }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'PreconditionFailed') throw error;
  }
  return key;
}

export interface AnchorListing {
  readonly anchors: Anchor[];
  /** Keys under the service's prefix that are not anchors (named by `canary history`). */
  readonly foreign: string[];
}

/** Every anchor of a service (ListObjectsV2, paged). */
export async function listAnchors(s3: S3Client, bucket: string, service: string): Promise<AnchorListing> {
  const anchors: Anchor[] = [];
  const foreign: string[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall('s3:ListBucket', () => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: anchorPrefix(service), ...(token ? { ContinuationToken: token } : {}) })));
    for (const { Key } of page.Contents ?? []) {
      const anchor = Key ? parseAnchorKey(Key) : undefined;
      if (anchor) anchors.push(anchor);
      else if (Key) foreign.push(Key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { anchors, foreign };
}
