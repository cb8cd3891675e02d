/**
 * The chain's anchors in the S3 Object Lock bucket (docs/audit.md): after appending a record the
 * engine writes one object whose key carries the record's sequence number, deployment, hash,
 * signature and expiry, locked in compliance mode until the record's TTL. `canary history` lists
 * them and compares the table with them (lambdas/core/audit-trail.ts).
 */
import { type S3Client } from '@aws-sdk/client-s3';
import { type Anchor } from '../core/audit-trail';
import type { AuditRecord } from '../core/audit-chain';
export interface AnchorStore {
    readonly client: S3Client;
    readonly bucket: string;
}
/**
 * Writes the record's anchor, retained in compliance mode until the record expires. `IfNoneMatch`
 * makes a redelivered write a no-op (412, ignored) instead of a second version.
 */
export declare function writeAnchor(store: AnchorStore, record: AuditRecord & {
    readonly signature: string;
}): Promise<string>;
export interface AnchorListing {
    readonly anchors: Anchor[];
    /** Keys under the service's prefix that are not anchors (named by `canary history`). */
    readonly foreign: string[];
}
/** Every anchor of a service (ListObjectsV2, paged). */
export declare function listAnchors(s3: S3Client, bucket: string, service: string): Promise<AnchorListing>;
