import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AuditDraft, type AuditRecord } from '../core/audit-chain';
import type { Fence } from '../core/guard';
import { type AnchorStore } from './audit-anchors';
import { type AuditSigner } from './audit-signing';
export interface AuditTable {
    readonly client: DynamoDBDocumentClient;
    readonly tableName: string;
    readonly service: string;
    readonly retentionDays: number;
    /** The service's signing key; absent (tests of the chain alone, old stacks): records are written unsigned. */
    readonly signer?: AuditSigner;
    /** The Object Lock bucket of the chain's anchors; absent: no anchor is written. */
    readonly anchors?: AnchorStore;
}
/**
 * Appends one record after the newest, signed; on a concurrent append it re-reads the tip, signs
 * again and retries. A failed Sign never holds up the action the record announces (a restore must
 * not wait for KMS): the record is written with `signatureError`, which every verification reports.
 */
export declare function appendAudit(table: AuditTable, draft: AuditDraft, now: number): Promise<AuditRecord>;
/**
 * Writes the anchor of an appended record (after the put, so only a record that is in the chain is
 * anchored). Unsigned records and tables without a bucket are not anchored; `canary history`
 * names every record without an anchor.
 */
export declare function anchorRecord(table: AuditTable, record: AuditRecord): Promise<string | undefined>;
/**
 * Writes the deployment's fence unless one exists (a redelivered event keeps the first); returns
 * the fence in force. It expires with the audit records.
 */
export declare function writeFence(table: AuditTable, fence: Fence, now: number): Promise<Fence>;
/** The deployment's fence, or undefined: a strongly consistent read, so a fence written before it is seen. */
export declare function readFence(table: AuditTable, deploymentId: string): Promise<Fence | undefined>;
