import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AuditDraft, type AuditRecord } from '../core/audit-chain';
import type { ControlRecord } from '../core/rollout-state';
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
