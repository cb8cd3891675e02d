/**
 * Reads a service's audit records (contracts.md, "Audit table"), newest first: `canary status`
 * and the cdk-deploy custom resource quote the judge's newest reason when a deployment fails.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../core/audit-chain';
import { awsCall } from './deploy-errors';

/** Newest audit records first (sk > 0), optionally of one deployment only, at most `limit`. */
export async function newestAuditRecords(
  ddb: DynamoDBDocumentClient,
  request: { readonly tableName: string; readonly service: string; readonly deploymentId?: string; readonly limit: number },
): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb:Query', () =>
      ddb.send(
        new QueryCommand({
          TableName: request.tableName,
          KeyConditionExpression: 'pk = :pk AND sk > :zero',
          ExpressionAttributeValues: {
            ':pk': request.service,
            ':zero': 0,
            ...(request.deploymentId ? { ':d': request.deploymentId } : {}),
          },
          ...(request.deploymentId ? { FilterExpression: 'deploymentId = :d' } : {}),
          ScanIndexForward: false,
          Limit: request.deploymentId ? Math.max(request.limit, 50) : request.limit,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    records.push(...((page.Items ?? []) as AuditRecord[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey && records.length < request.limit);
  return records.slice(0, request.limit);
}

/** The newest reason the audit table gives for one deployment, or undefined (none, or no table). */
export async function newestAuditReason(
  ddb: DynamoDBDocumentClient,
  request: { readonly tableName?: string; readonly service: string; readonly deploymentId: string },
): Promise<string | undefined> {
  if (!request.tableName) return undefined;
  const [newest] = await newestAuditRecords(ddb, { tableName: request.tableName, service: request.service, deploymentId: request.deploymentId, limit: 1 });
  return newest?.reason;
}
