import { DynamoDBClient, PutItemCommand, QueryCommand as LowQueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { useWorld } from './helpers';

const low = new DynamoDBClient({ region: 'us-east-1' });
const doc = DynamoDBDocumentClient.from(low);
const TableName = 'web-audit';

describe('FakeDynamoDb', () => {
  useWorld();
  const append = (sk: number, extra: Record<string, unknown> = {}) =>
    doc.send(
      new PutCommand({ TableName, Item: { pk: 'web', sk, kind: 'decision', ...extra }, ConditionExpression: 'attribute_not_exists(sk)' }),
    );

  describe('PutItem', () => {
    it('refuses a conditional put over an existing item with ConditionalCheckFailedException', async () => {
      await append(1, { reason: 'first' });
      await expect(append(1, { reason: 'second' })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
      expect((await doc.send(new GetCommand({ TableName, Key: { pk: 'web', sk: 1 } }))).Item).toMatchObject({ reason: 'first' });
    });

    it('stores low-level AttributeValue items as plain values readable by the DocumentClient', async () => {
      await low.send(
        new PutItemCommand({ TableName, Item: { pk: { S: 'web' }, sk: { N: '0' }, kind: { S: 'control' }, command: { S: 'pause' } } }),
      );
      expect((await doc.send(new GetCommand({ TableName, Key: { pk: 'web', sk: 0 } }))).Item).toEqual({
        pk: 'web',
        sk: 0,
        kind: 'control',
        command: 'pause',
      });
    });

    it.each([
      ['a missing sort key', { pk: 'web' }, 'Missing the key sk'],
      ['a string sort key', { pk: 'web', sk: '1' }, 'Type mismatch for key sk'],
    ])('rejects %s with ValidationException', async (_, Item, message) => {
      await expect(doc.send(new PutCommand({ TableName, Item }))).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining(message),
      });
    });

    it('rejects an unknown table with ResourceNotFoundException', async () => {
      await expect(doc.send(new PutCommand({ TableName: 'nope', Item: { pk: 'a', sk: 1 } }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    });
  });

  describe('Query', () => {
    beforeEach(async () => {
      for (const sk of [0, 1, 2, 3, 4]) await append(sk);
    });
    const keys = (items: Record<string, unknown>[] | undefined) => (items ?? []).map((i) => i.sk);

    it.each([
      ['sk > 0, newest first, Limit 1 (the chain head)', 'pk = :pk AND sk > :zero', { ScanIndexForward: false, Limit: 1 }, [4]],
      ['sk BETWEEN 1 AND 3', 'pk = :pk AND sk BETWEEN :one AND :three', {}, [1, 2, 3]],
      ['sk < 2', '#p = :pk AND #s < :two', {}, [0, 1]],
      ['sk = 0 (the control record)', 'pk = :pk AND sk = :zero', {}, [0]],
    ])('answers %s', async (_, KeyConditionExpression, options, expected) => {
      const names = KeyConditionExpression.includes('#') ? { ExpressionAttributeNames: { '#p': 'pk', '#s': 'sk' } } : {};
      const { Items } = await doc.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression,
          ExpressionAttributeValues: { ':pk': 'web', ':zero': 0, ':one': 1, ':two': 2, ':three': 3 },
          ...names,
          ...options,
        }),
      );
      expect(keys(Items)).toEqual(expected);
    });

    it('pages with Limit and LastEvaluatedKey through the low-level client', async () => {
      const page = await low.send(
        new LowQueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'web' } },
          Limit: 2,
        }),
      );
      expect(page.LastEvaluatedKey).toEqual({ pk: { S: 'web' }, sk: { N: '1' } });
      const next = await low.send(
        new LowQueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'web' } },
          ExclusiveStartKey: page.LastEvaluatedKey,
        }),
      );
      expect(next.Items!.map((i) => i.sk.N)).toEqual(['2', '3', '4']);
    });

    it('requires an equality on the partition key', async () => {
      await expect(
        doc.send(new QueryCommand({ TableName, KeyConditionExpression: 'sk > :zero', ExpressionAttributeValues: { ':zero': 0 } })),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('missed key schema element: pk'),
      });
    });
  });

  describe('UpdateItem', () => {
    it('applies SET with arithmetic and returns ALL_NEW', async () => {
      await append(1, { count: 1 });
      const { Attributes } = await doc.send(
        new UpdateCommand({
          TableName,
          Key: { pk: 'web', sk: 1 },
          UpdateExpression: 'SET #c = #c + :one, note = :n',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':n': 'x' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      expect(Attributes).toMatchObject({ count: 2, note: 'x' });
    });
  });
});
