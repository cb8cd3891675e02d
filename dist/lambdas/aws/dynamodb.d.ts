import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AuditDraft, type AuditRecord } from '../core/audit-chain';
import type { ControlRecord } from '../core/rollout-state';
import type { Fence } from '../core/guard';
export interface AuditTable {
    readonly client: DynamoDBDocumentClient;
    readonly tableName: string;
    readonly service: string;
    readonly retentionDays: number;
}
/** Appends one record after the newest; on a concurrent append it re-reads the tip and retries. */
export declare function appendAudit(table: AuditTable, draft: AuditDraft, now: number): Promise<AuditRecord>;
/** The operator control record, or undefined when none was written. */
export declare function readControl(table: AuditTable): Promise<ControlRecord | undefined>;
/**
 * Writes the deployment's fence unless one exists (a redelivered event keeps the first); returns
 * the fence in force. It expires with the audit records.
 */
export declare function writeFence(table: AuditTable, fence: Fence, now: number): Promise<Fence>;
/** The deployment's fence, or undefined: a strongly consistent read, so a fence written before it is seen. */
export declare function readFence(table: AuditTable, deploymentId: string): Promise<Fence | undefined>;
