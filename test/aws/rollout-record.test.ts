import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import type { AuditTable } from '../../lambdas/aws/dynamodb';
import { readRolloutRecord, writeRolloutRecord } from '../../lambdas/aws/rollout-record';

const ddb = mockClient(DynamoDBDocumentClient);
const table: AuditTable = {
  client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
  tableName: 'audit',
  service: 'orders',
  retentionDays: 30,
};
const T0 = Date.parse('2026-11-21T10:00:00.000Z');

/** A stand-in for the table honouring attribute_not_exists(pk). */
function statefulTable() {
  const items = new Map<string, Record<string, unknown>>();
  ddb.on(PutCommand).callsFake((input) => {
    if (items.has(input.Item.pk)) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    items.set(input.Item.pk, input.Item);
    return {};
  });
  ddb.on(GetCommand).callsFake((input) => ({ Item: items.get(input.Key.pk) }));
  return items;
}

afterEach(() => ddb.reset());

describe('rollout record adapter', () => {
  describe('writeRolloutRecord', () => {
    it('writes the first shift and E outside the chain, expiring with the audit records', async () => {
      const items = statefulTable();
      await writeRolloutRecord(table, 'd-1', { startedAt: T0, slowThresholdMs: 322 }, T0);
      expect(items.get('rollout#d-1')).toEqual({
        pk: 'rollout#d-1',
        sk: 0,
        kind: 'rollout',
        deploymentId: 'd-1',
        startedAt: T0,
        slowThresholdMs: 322,
        expiresAt: T0 / 1000 + 30 * 86_400,
      });
    });

    it("keeps the first writer's record and returns it (a redelivered start judges the same rollout)", async () => {
      statefulTable();
      await writeRolloutRecord(table, 'd-1', { startedAt: T0, slowThresholdMs: 322 }, T0);
      const standing = await writeRolloutRecord(table, 'd-1', { startedAt: T0 + 60_000 }, T0 + 60_000);
      expect(standing).toEqual({ startedAt: T0, slowThresholdMs: 322 });
    });
  });

  describe('readRolloutRecord', () => {
    it('answers null when no window has written one, and reads with strong consistency', async () => {
      statefulTable();
      expect(await readRolloutRecord(table, 'd-2')).toBeNull();
      expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({ Key: { pk: 'rollout#d-2', sk: 0 }, ConsistentRead: true });
    });
  });
});
