/**
 * Reads a service's audit records (contracts.md, "Audit table"), newest first: `canary status`
 * and the cdk-deploy custom resource quote the judge's newest reason when a deployment fails,
 * once that record verifies (`audit-record-check.ts`).
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

import type { AuditRecord } from '../core/audit-chain';
import { awsCall } from './deploy-errors';

/**
 * Audit records of a service (sk > 0), in chain order (`oldest-first`) or newest first, optionally
 * of one deployment only and at most `limit` (default: all). One paginated query for every reader:
 * `canary history` verifies the whole chain, `status` and the cdk-deploy resource quote the newest.
 */
export async function queryAuditRecords(
  ddb: DynamoDBDocumentClient,
  request: {
    readonly tableName: string;
    readonly service: string;
    readonly order: 'oldest-first' | 'newest-first';
    readonly deploymentId?: string;
    readonly limit?: number;
  },
): Promise<AuditRecord[]> {
  const limit = request.limit ?? Number.POSITIVE_INFINITY;
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
          ScanIndexForward: request.order === 'oldest-first',
          // A filter applies after the limit, so read pages of a useful size when filtering.
          ...(Number.isFinite(limit) ? { Limit: request.deploymentId ? Math.max(limit, 50) : limit } : {}),
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    records.push(...((page.Items ?? []) as AuditRecord[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey && records.length < limit);
  return Number.isFinite(limit) ? records.slice(0, limit) : records;
}

/** Newest audit records first (sk > 0), optionally of one deployment only, at most `limit`. */
export function newestAuditRecords(
  ddb: DynamoDBDocumentClient,
  request: { readonly tableName: string; readonly service: string; readonly deploymentId?: string; readonly limit: number },
): Promise<AuditRecord[]> {
  return queryAuditRecords(ddb, { ...request, order: 'newest-first' });
}

/**
 * Every item of the service's partition, page by page, ascending by sort key, for verification:
 * no key condition on sk, so an item inserted at sk 0, -1 or 0.5 is read and named too.
 */
export async function* auditPartitionPages(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  service: string,
): AsyncGenerator<Array<Record<string, unknown>>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb:Query', () =>
      ddb.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': service },
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Every item of the service's partition, ascending by sort key. */
export async function wholeAuditChain(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  service: string,
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for await (const page of auditPartitionPages(ddb, tableName, service)) items.push(...page);
  return items;
}
