/**
 * The rollout record (audit table, `pk = rollout#<deploymentId>`, `sk = 0`, outside the hash
 * chain): the first shift's time and the latency bar E, written once by the first window and read
 * by every later window, so that the whole rollout is one evidence process with one E.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

import type { RolloutContext } from '../core/judge/input';
import type { AuditTable } from './dynamodb';

const DAY_S = 86_400;
const key = (deploymentId: string) => ({ pk: `rollout#${deploymentId}`, sk: 0 });

/** The rollout record, or null when no window has written one yet. */
export async function readRolloutRecord(table: AuditTable, deploymentId: string): Promise<RolloutContext | null> {
  const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: key(deploymentId), ConsistentRead: true }));
  if (!Item || typeof Item.startedAt !== 'number') return null;
  return { startedAt: Item.startedAt, ...(typeof Item.slowThresholdMs === 'number' ? { slowThresholdMs: Item.slowThresholdMs } : {}) };
}

/** Writes the record unless one exists (first writer wins); returns the record that stands. */
export async function writeRolloutRecord(
  table: AuditTable,
  deploymentId: string,
  rollout: RolloutContext,
  now: number,
): Promise<RolloutContext> {
  try {
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...key(deploymentId),
          kind: 'rollout',
          deploymentId,
          ...rollout,
          expiresAt: Math.floor(now / 1000) + table.retentionDays * DAY_S,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return rollout;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return (await readRolloutRecord(table, deploymentId)) ?? rollout;
  }
}
