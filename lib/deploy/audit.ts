/**
 * Reads the service's audit table (contracts.md, "Audit table") and writes the operator control
 * record. The chain itself (hashing, verification) is `lambdas/core/audit-chain.ts`.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../../lambdas/aws/deploy-errors';

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
export function controlRecord(
  request: { readonly service: string; readonly deploymentId: string; readonly command: ControlCommand; readonly requestedBy: string; readonly reason?: string },
  now: Date,
  requestId: string = randomUUID(),
): ControlRecord {
  return {
    pk: request.service,
    sk: 0,
    kind: 'control',
    deploymentId: request.deploymentId,
    command: request.command,
    requestedBy: request.requestedBy,
    ...(request.reason ? { reason: request.reason } : {}),
    at: now.toISOString(),
    requestId,
  };
}

/** Overwrites the operator control record (the tick acts on it once). */
export async function putControlRecord(ddb: DynamoDBDocumentClient, tableName: string, record: ControlRecord): Promise<void> {
  await awsCall('dynamodb:PutItem', () => ddb.send(new PutCommand({ TableName: tableName, Item: { ...record } })));
}
