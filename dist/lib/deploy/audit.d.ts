import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export { newestAuditReason, newestAuditRecords, wholeAuditChain } from '../../lambdas/aws/audit-records';
export type ControlCommand = 'promote' | 'pause' | 'resume' | 'abort';
export interface ControlRecord {
    readonly pk: string;
    readonly sk: 0;
    readonly kind: 'control';
    readonly deploymentId: string;
    readonly command: ControlCommand;
    readonly requestedBy: string;
    readonly reason?: string;
    readonly at: string;
    readonly requestId: string;
}
/** Builds the control record (pure but for the generated request id). */
export declare function controlRecord(request: {
    readonly service: string;
    readonly deploymentId: string;
    readonly command: ControlCommand;
    readonly requestedBy: string;
    readonly reason?: string;
}, now: Date, requestId?: string): ControlRecord;
/** Overwrites the operator control record (the tick acts on it once). */
export declare function putControlRecord(ddb: DynamoDBDocumentClient, tableName: string, record: ControlRecord): Promise<void>;
