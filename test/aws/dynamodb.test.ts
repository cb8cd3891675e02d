import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { parseControl } from '../../lambdas/aws/control-parameter';
import { appendAudit, type AuditTable } from '../../lambdas/aws/dynamodb';
import { AuditAppendError } from '../../lambdas/aws/engine-errors';
import { type AuditDraft, verifyChain } from '../../lambdas/core/audit-chain';

const ddb = mockClient(DynamoDBDocumentClient);
const table: AuditTable = {
  client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
  tableName: 'audit',
  service: 'orders',
  retentionDays: 30,
};
const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const draft: AuditDraft = { kind: 'decision', deploymentId: 'd-1', verdict: 'hold', reason: 'waiting', actor: 'engine' };
const conflict = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/** A stateful stand-in for the table: Query returns the newest record, PutItem honours attribute_not_exists(sk). */
function statefulTable(items: Array<Record<string, unknown>>, interleave?: () => void) {
  ddb.on(QueryCommand).callsFake(() => ({
    Items: items
      .filter((i) => (i.sk as number) > 0)
      .sort((a, b) => (b.sk as number) - (a.sk as number))
      .slice(0, 1),
  }));
  ddb.on(PutCommand).callsFake((input) => {
    interleave?.();
    if (items.some((i) => i.sk === input.Item.sk)) throw conflict();
    items.push(input.Item);
    return {};
  });
}

afterEach(() => ddb.reset());

describe('dynamodb adapter', () => {
  describe('appendAudit', () => {
    it('builds a verifiable chain with a conditional put', async () => {
      const items: Array<Record<string, unknown>> = [];
      statefulTable(items);
      for (let i = 0; i < 3; i += 1) await appendAudit(table, { ...draft, reason: `tick ${i}` }, T0 + i * 60_000);
      expect(items.map((i) => i.sk)).toEqual([1, 2, 3]);
      expect(verifyChain(items).ok).toBe(true);
      expect(ddb.commandCalls(PutCommand)[0].args[0].input.ConditionExpression).toBe('attribute_not_exists(sk)');
    });

    it('re-reads the tip and retries when another writer appended first, so the chain never forks', async () => {
      const items: Array<Record<string, unknown>> = [];
      statefulTable(items);
      await appendAudit(table, draft, T0);
      let raced = false;
      statefulTable(items, () => {
        if (raced) return;
        raced = true;
        items.push({ ...items[0], sk: 2, reason: 'other writer', prevHash: items[0].hash, hash: 'x' });
      });
      const record = await appendAudit(table, draft, T0 + 1000);
      expect(record.sk).toBe(3);
      expect(ddb.commandCalls(PutCommand)).toHaveLength(3); // the first append, the refused one, the retry
    });

    it('fails with AuditAppendError after repeated conflicts', async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      ddb.on(PutCommand).rejects(conflict());
      await expect(appendAudit(table, draft, T0)).rejects.toBeInstanceOf(AuditAppendError);
    });
  });

  describe('parseControl (the control parameter, lambdas/aws/control-parameter.ts)', () => {
    const control = {
      deploymentId: 'd-1',
      command: 'pause',
      requestedBy: 'alice',
      callerArn: 'arn:aws:sts::1:assumed-role/op/alice',
      at: '2026-11-21T10:00:00Z',
      requestId: 'r-1',
    };

    it('reads who (with the IAM identity) and what', () => {
      expect(parseControl(JSON.stringify(control))).toEqual(control);
    });

    it.each([
      ['no value', undefined],
      ['not JSON', '{'],
      ['an unknown command', JSON.stringify({ ...control, command: 'skip' })],
      ['a command in upper case', JSON.stringify({ ...control, command: 'PAUSE' })],
      ['null', 'null'],
      ['a list', JSON.stringify([control])],
      ['a number', '7'],
      ['a numeric deployment id', JSON.stringify({ ...control, deploymentId: 1 })],
      ['no requestId (it could not be acted on once only)', JSON.stringify({ ...control, requestId: undefined })],
      ['no requestedBy', JSON.stringify({ ...control, requestedBy: null })],
      ['a value with a byte order mark', `\uFEFF${JSON.stringify(control)}`],
    ])('returns undefined for %s, so nothing is acted on', (_name, value) => {
      expect(parseControl(value)).toBeUndefined();
    });
  });
});
