/**
 * The chain's anchors in the S3 Object Lock bucket (docs/audit.md): after appending a record the
 * engine writes one object whose key carries the record's sequence number, deployment, hash,
 * expiry, write time and signature, locked in compliance mode until the record's TTL. `canary
 * history` lists every version and delete marker (ListObjectVersions), so an anchor hidden behind a
 * delete marker is still read, and compares the table with them (lambdas/core/audit-trail.ts).
 */
import { ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

import { anchorKey, type AnchorObject, anchorPrefix, anchorPrefixAt } from '../core/audit-anchor';
import { type AuditRecord, signedFields } from '../core/audit-chain';
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
  const key = anchorKey({ ...signedFields(record), signature: record.signature });
  try {
    await store.client.send(
      new PutObjectCommand({
        Bucket: store.bucket,
        Key: key,
        Body: JSON.stringify({
          service: record.pk,
          sk: record.sk,
          deploymentId: record.deploymentId,
          at: record.at,
          hash: record.hash,
          prevHash: record.prevHash,
          expiresAt: record.expiresAt,
          signature: record.signature,
        }),
        ContentType: 'application/json',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(record.expiresAt * 1000),
        IfNoneMatch: '*',
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'PreconditionFailed') throw error;
  }
  return key;
}

/**
 * Every anchor object of a service: all versions and delete markers (ListObjectVersions, paged by
 * KeyMarker/VersionIdMarker; S3 API Reference, ListObjectVersions). One entry per key, with S3's
 * LastModified of its oldest version and whether a delete marker is its latest version. With `sk`,
 * only the anchors of that sequence number (one record's, checked on its own).
 */
export async function listAnchors(s3: S3Client, bucket: string, service: string, sk?: number): Promise<AnchorObject[]> {
  const byKey = new Map<string, { lastModified: number; hidden: boolean }>();
  const seen = (key: string) => byKey.get(key) ?? byKey.set(key, { lastModified: Number.POSITIVE_INFINITY, hidden: false }).get(key)!;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await awsCall('s3:ListBucketVersions', () =>
      s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: sk === undefined ? anchorPrefix(service) : anchorPrefixAt(service, sk),
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(versionMarker ? { VersionIdMarker: versionMarker } : {}),
        }),
      ),
    );
    for (const version of page.Versions ?? []) {
      if (!version.Key) continue;
      const entry = seen(version.Key);
      entry.lastModified = Math.min(
        entry.lastModified,
        version.LastModified ? new Date(version.LastModified).getTime() : Number.POSITIVE_INFINITY,
      );
    }
    for (const marker of page.DeleteMarkers ?? []) if (marker.Key && marker.IsLatest) seen(marker.Key).hidden = true;
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  // A key with only delete markers has no anchor left to read (its versions were deleted after their retention).
  return [...byKey]
    .filter(([, v]) => Number.isFinite(v.lastModified))
    .map(([key, v]) => ({ key, lastModified: v.lastModified, hidden: v.hidden }));
}
