/**
 * Fake Amazon S3 for the audit anchors: buckets with versioning and (optionally) Object Lock,
 * PutObject, GetObject, DeleteObject and ListObjectsV2. Modelled from the Amazon S3 User Guide
 * and API Reference:
 * - Object Lock works only in versioned buckets; "retention periods and legal holds don't prevent
 *   new versions of an object from being created or delete markers to be added on top of an object",
 *   and a PUT with an existing key creates a new version while the protected one stays locked
 *   (User Guide, "Locking objects with Object Lock",
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
 * - Compliance mode: "a protected object version can't be overwritten or deleted by any user,
 *   including the root user in your AWS account" until its retain-until date; a DeleteObject that
 *   names such a version fails with AccessDenied (User Guide, "Retention modes").
 * - PutObject with ObjectLockMode needs ObjectLockRetainUntilDate (and the reverse), in the future;
 *   on a bucket without Object Lock it fails with InvalidRequest ("Bucket is missing Object Lock
 *   Configuration") (API Reference, PutObject).
 * - Conditional writes: PutObject with `IfNoneMatch: '*'` fails with 412 PreconditionFailed when the
 *   key has a current object (User Guide, "Preventing object overwrites with conditional writes").
 * - ListObjectsV2: keys in UTF-8 binary (here: lexicographic) order, at most MaxKeys (default and
 *   limit 1000) with NextContinuationToken; keys whose current version is a delete marker are left
 *   out (API Reference, ListObjectsV2).
 * - ListObjectVersions: every version and delete marker under the prefix, keys in order and each
 *   key's versions newest first, `IsLatest` on the key's newest; at most MaxKeys (default and
 *   limit 1000) versions and markers together, then IsTruncated with NextKeyMarker and
 *   NextVersionIdMarker, "the first key/version not returned", given back as KeyMarker and
 *   VersionIdMarker (API Reference, ListObjectVersions,
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html). IAM: the
 *   action is s3:ListBucketVersions on the bucket.
 * Not modelled: bucket policies and IAM (test/iam simulates those), governance mode and bypass,
 * legal holds, multipart uploads, checksums (the SDK adds the checksum Object Lock requires).
 * GetObject's Body is the stored bytes (a Uint8Array), not the SDK's stream mixin.
 */
import {
  AccessDenied,
  DeleteObjectCommand,
  GetObjectCommand,
  InvalidRequest,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NoSuchBucket,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';

import type { FakeClock } from './clock';
import { awsError, nextId, serviceError } from './errors';
import type { Handlers } from './mocks';

export interface ObjectVersion {
  readonly versionId: string;
  readonly key: string;
  readonly body?: Uint8Array;
  readonly deleteMarker: boolean;
  readonly lastModified: number;
  readonly lockMode?: 'COMPLIANCE' | 'GOVERNANCE';
  readonly retainUntil?: number;
}

export interface FakeBucket {
  readonly name: string;
  readonly objectLock: boolean;
  /** Every version of every key, oldest first. */
  readonly versions: Map<string, ObjectVersion[]>;
}

const MAX_KEYS = 1000;

export class FakeS3 {
  readonly buckets = new Map<string, FakeBucket>();

  constructor(private readonly clock: FakeClock) {}

  /** Test setup: a bucket (always versioned here; Object Lock needs versioning). */
  createBucket(name: string, options: { objectLock?: boolean } = {}): FakeBucket {
    const bucket: FakeBucket = { name, objectLock: options.objectLock ?? false, versions: new Map() };
    this.buckets.set(name, bucket);
    return bucket;
  }

  putObject(input: {
    Bucket?: string;
    Key?: string;
    Body?: string | Uint8Array;
    ObjectLockMode?: string;
    ObjectLockRetainUntilDate?: Date | string;
    IfNoneMatch?: string;
  }) {
    const bucket = this.bucket(input.Bucket);
    if (!input.Key) throw serviceError(S3ServiceException, 'InvalidArgument', 'Key is required');
    const lock = input.ObjectLockMode !== undefined || input.ObjectLockRetainUntilDate !== undefined;
    if (lock && !bucket.objectLock) throw awsError(InvalidRequest, 'Bucket is missing Object Lock Configuration');
    if (lock && (input.ObjectLockMode === undefined || input.ObjectLockRetainUntilDate === undefined)) {
      throw serviceError(
        S3ServiceException,
        'InvalidArgument',
        'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
      );
    }
    if (lock && !['COMPLIANCE', 'GOVERNANCE'].includes(input.ObjectLockMode!))
      throw serviceError(S3ServiceException, 'InvalidArgument', `Unknown wormMode directive ${input.ObjectLockMode}`);
    const retainUntil = lock ? new Date(input.ObjectLockRetainUntilDate!).getTime() : undefined;
    if (retainUntil !== undefined && !(retainUntil > this.clock.now())) {
      throw serviceError(S3ServiceException, 'InvalidArgument', 'The retain until date must be in the future!');
    }
    const versions = bucket.versions.get(input.Key) ?? [];
    const current = versions.at(-1);
    if (input.IfNoneMatch === '*' && current && !current.deleteMarker) {
      throw serviceError(S3ServiceException, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412);
    }
    const body = typeof input.Body === 'string' ? new TextEncoder().encode(input.Body) : new Uint8Array(input.Body ?? []);
    const version: ObjectVersion = {
      versionId: nextId(16),
      key: input.Key,
      body,
      deleteMarker: false,
      lastModified: this.clock.now(),
      ...(lock ? { lockMode: input.ObjectLockMode as 'COMPLIANCE', retainUntil } : {}),
    };
    bucket.versions.set(input.Key, [...versions, version]);
    return { VersionId: version.versionId, ETag: `"${version.versionId}"` };
  }

  getObject(input: { Bucket?: string; Key?: string; VersionId?: string }) {
    const bucket = this.bucket(input.Bucket);
    const versions = bucket.versions.get(input.Key ?? '') ?? [];
    const version = input.VersionId ? versions.find((v) => v.versionId === input.VersionId) : versions.at(-1);
    if (!version || version.deleteMarker) throw awsError(NoSuchKey, 'The specified key does not exist.');
    return {
      Body: version.body,
      VersionId: version.versionId,
      LastModified: new Date(version.lastModified),
      ContentLength: version.body?.length ?? 0,
      ...(version.lockMode ? { ObjectLockMode: version.lockMode, ObjectLockRetainUntilDate: new Date(version.retainUntil!) } : {}),
    };
  }

  /** Without VersionId: a delete marker (allowed under Object Lock). With it: refused while the version is retained in compliance mode. */
  deleteObject(input: { Bucket?: string; Key?: string; VersionId?: string }) {
    const bucket = this.bucket(input.Bucket);
    const versions = bucket.versions.get(input.Key ?? '') ?? [];
    if (!input.VersionId) {
      const marker: ObjectVersion = { versionId: nextId(16), key: input.Key ?? '', deleteMarker: true, lastModified: this.clock.now() };
      bucket.versions.set(input.Key ?? '', [...versions, marker]);
      return { DeleteMarker: true, VersionId: marker.versionId };
    }
    const version = versions.find((v) => v.versionId === input.VersionId);
    if (!version) return {};
    if (version.lockMode === 'COMPLIANCE' && version.retainUntil! > this.clock.now()) {
      throw awsError(
        AccessDenied,
        `Access Denied because object protected by object lock (compliance mode until ${new Date(version.retainUntil!).toISOString()})`,
      );
    }
    bucket.versions.set(
      input.Key ?? '',
      versions.filter((v) => v !== version),
    );
    return { VersionId: version.versionId };
  }

  listObjectsV2(input: { Bucket?: string; Prefix?: string; MaxKeys?: number; ContinuationToken?: string; StartAfter?: string }) {
    const bucket = this.bucket(input.Bucket);
    const limit = Math.min(input.MaxKeys ?? MAX_KEYS, MAX_KEYS);
    const after = input.ContinuationToken ? Buffer.from(input.ContinuationToken, 'base64').toString() : (input.StartAfter ?? '');
    const keys = [...bucket.versions.entries()]
      .filter(([key, versions]) => key.startsWith(input.Prefix ?? '') && key > after && !versions.at(-1)!.deleteMarker)
      .map(([key]) => key)
      .sort();
    const page = keys.slice(0, limit);
    const truncated = keys.length > limit;
    return {
      Contents: page.map((key) => {
        const current = bucket.versions.get(key)!.at(-1)!;
        return { Key: key, Size: current.body?.length ?? 0, LastModified: new Date(current.lastModified) };
      }),
      KeyCount: page.length,
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: Buffer.from(page.at(-1)!).toString('base64') } : {}),
      ...(input.Prefix !== undefined ? { Prefix: input.Prefix } : {}),
    };
  }

  listObjectVersions(input: { Bucket?: string; Prefix?: string; MaxKeys?: number; KeyMarker?: string; VersionIdMarker?: string }) {
    const bucket = this.bucket(input.Bucket);
    const limit = Math.min(input.MaxKeys ?? MAX_KEYS, MAX_KEYS);
    const entries = [...bucket.versions.entries()]
      .filter(([key]) => key.startsWith(input.Prefix ?? ''))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([, versions]) => [...versions].reverse().map((version, i) => ({ version, isLatest: i === 0 })));
    let start = 0;
    if (input.KeyMarker !== undefined) {
      const marker = input.VersionIdMarker
        ? entries.findIndex((e) => e.version.key === input.KeyMarker && e.version.versionId === input.VersionIdMarker)
        : -1;
      start = marker >= 0 ? marker : entries.findIndex((e) => e.version.key > input.KeyMarker!);
      if (start < 0) start = entries.length;
    }
    const page = entries.slice(start, start + limit);
    const next = entries[start + limit];
    const entry = ({ version, isLatest }: (typeof entries)[number]) => ({
      Key: version.key,
      VersionId: version.versionId,
      IsLatest: isLatest,
      LastModified: new Date(version.lastModified),
    });
    return {
      Versions: page.filter((e) => !e.version.deleteMarker).map((e) => ({ ...entry(e), Size: e.version.body?.length ?? 0 })),
      DeleteMarkers: page.filter((e) => e.version.deleteMarker).map(entry),
      IsTruncated: next !== undefined,
      ...(next ? { NextKeyMarker: next.version.key, NextVersionIdMarker: next.version.versionId } : {}),
      ...(input.Prefix !== undefined ? { Prefix: input.Prefix } : {}),
    };
  }

  /** Test shortcut: the current keys of a bucket. */
  keys(bucket: string): string[] {
    return this.listObjectsV2({ Bucket: bucket, MaxKeys: MAX_KEYS }).Contents.map((c) => c.Key);
  }

  private bucket(name: string | undefined): FakeBucket {
    const bucket = name ? this.buckets.get(name) : undefined;
    if (!bucket) throw awsError(NoSuchBucket, `The specified bucket does not exist: ${String(name)}`);
    return bucket;
  }

  handlers(): Handlers {
    return {
      client: S3Client,
      commands: [
        [PutObjectCommand, (i) => this.putObject(i as never)],
        [GetObjectCommand, (i) => this.getObject(i as never)],
        [DeleteObjectCommand, (i) => this.deleteObject(i as never)],
        [ListObjectsV2Command, (i) => this.listObjectsV2(i as never)],
        [ListObjectVersionsCommand, (i) => this.listObjectVersions(i as never)],
      ],
    };
  }
}
