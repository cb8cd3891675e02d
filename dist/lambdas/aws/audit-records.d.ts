/**
 * Reads a service's audit records (contracts.md, "Audit table"), newest first: `canary status`
 * and the cdk-deploy custom resource quote the judge's newest reason when a deployment fails.
 */
import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../core/audit-chain';
/**
 * Audit records of a service (sk > 0), in chain order (`oldest-first`) or newest first, optionally
 * of one deployment only and at most `limit` (default: all). One paginated query for every reader:
 * `canary history` verifies the whole chain, `status` and the cdk-deploy resource quote the newest.
 */
export declare function queryAuditRecords(ddb: DynamoDBDocumentClient, request: {
    readonly tableName: string;
    readonly service: string;
    readonly order: 'oldest-first' | 'newest-first';
    readonly deploymentId?: string;
    readonly limit?: number;
}): Promise<AuditRecord[]>;
/** Newest audit records first (sk > 0), optionally of one deployment only, at most `limit`. */
export declare function newestAuditRecords(ddb: DynamoDBDocumentClient, request: {
    readonly tableName: string;
    readonly service: string;
    readonly deploymentId?: string;
    readonly limit: number;
}): Promise<AuditRecord[]>;
/** The whole surviving chain of a service, oldest first (for verification). */
export declare function wholeAuditChain(ddb: DynamoDBDocumentClient, tableName: string, service: string): Promise<AuditRecord[]>;
/** The newest reason the audit table gives for one deployment, or undefined (none, or no table). */
export declare function newestAuditReason(ddb: DynamoDBDocumentClient, request: {
    readonly tableName?: string;
    readonly service: string;
    readonly deploymentId: string;
}): Promise<string | undefined>;
