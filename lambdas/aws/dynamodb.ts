/**
 * Audit table adapter (contracts.md): append to the service's hash chain with a conditional put
 * (two writers can never fork it), read the operator control record (`sk = 0`), and write/read
 * the guard's fence of a deployment (`pk = fence#<deploymentId>`, `sk = 0`: outside the chain).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { buildRecord, type AuditDraft, type AuditRecord, type ChainTip } from '../core/audit-chain';
import type { ControlRecord } from '../core/rollout-state';
import type { Fence } from '../core/guard';
import { AuditAppendError } from './errors';

export interface AuditTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly service: string;
  readonly retentionDays: number;
}

const MAX_APPEND_ATTEMPTS = 5;

async function chainTip(table: AuditTable): Promise<ChainTip | undefined> {
  const { Items = [] } = await table.client.send(new QueryCommand({
    TableName: table.tableName,
    KeyConditionExpression: 'pk = :pk AND sk > :zero',
    ExpressionAttributeValues: { ':pk': table.service, ':zero': 0 },
    ScanIndexForward: false,
    Limit: 1,
    ConsistentRead: true,
  }));
  const last = Items[0];
  return last ? { sk: last.sk as number, hash: last.hash as string } : undefined;
}

/** Appends one record after the newest; on a concurrent append it re-reads the tip and retries. */
export async function appendAudit(table: AuditTable, draft: AuditDraft, now: number): Promise<AuditRecord> {
  for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt += 1) {
    const record = buildRecord(table.service, await chainTip(table), draft, now, table.retentionDays);
    try {
      await table.client.send(new PutCommand({ TableName: table.tableName, Item: record, ConditionExpression: 'attribute_not_exists(sk)' }));
      return record;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || attempt === MAX_APPEND_ATTEMPTS) {
        throw new AuditAppendError(`could not append to the audit chain of ${table.service} in ${table.tableName} (attempt ${attempt}): ${(error as Error).message}`, { cause: error });
      }
    }
  }
  throw new AuditAppendError('unreachable');
}

/** The operator control record, or undefined when none was written. */
export async function readControl(table: AuditTable): Promise<ControlRecord | undefined> {
  const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: { pk: table.service, sk: 0 }, ConsistentRead: true }));
  if (!Item || Item.kind !== 'control') return undefined;
  const commands = ['promote', 'pause', 'resume', 'abort'];
  if (typeof Item.deploymentId !== 'string' || !commands.includes(Item.command) || typeof Item.requestId !== 'string' || typeof Item.requestedBy !== 'string') return undefined;
  return {
    deploymentId: Item.deploymentId,
    command: Item.command,
    requestedBy: Item.requestedBy,
    requestId: Item.requestId,
    at: String(Item.at ?? ''),
    ...(typeof Item.reason === 'string' ? { reason: Item.reason } : {}),
  };
}

const fenceKey = (deploymentId: string) => ({ pk: `fence#${deploymentId}`, sk: 0 });

/**
 * Writes the deployment's fence unless one exists (a redelivered event keeps the first); returns
 * the fence in force. It expires with the audit records.
 */
export async function writeFence(table: AuditTable, fence: Fence, now: number): Promise<Fence> {
  const expiresAt = Math.floor(now / 1000) + table.retentionDays * 86_400;
  try {
    await table.client.send(new PutCommand({
      TableName: table.tableName,
      Item: { ...fenceKey(fence.deploymentId), kind: 'fence', ...fence, expiresAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
    return fence;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return (await readFence(table, fence.deploymentId)) ?? fence;
  }
}

/** The deployment's fence, or undefined: a strongly consistent read, so a fence written before it is seen. */
export async function readFence(table: AuditTable, deploymentId: string): Promise<Fence | undefined> {
  const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: fenceKey(deploymentId), ConsistentRead: true }));
  if (Item?.kind !== 'fence') return undefined;
  return { deploymentId, state: String(Item.state ?? 'unknown'), at: String(Item.at ?? '') };
}
