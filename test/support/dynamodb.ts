/**
 * Fake Amazon DynamoDB: tables of plain JS items, answered for both the low-level client
 * (AttributeValue maps, converted with @aws-sdk/util-dynamodb) and the lib-dynamodb
 * DocumentClient (native JS values).
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand as DocQueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

import { cloneData } from './clone';
import {
  applyUpdate,
  equalityPaths,
  evaluate,
  type ExpressionContext,
  ExpressionError,
  mentionedPaths,
  parseCondition,
} from './dynamodb-expressions';
import { awsError, serviceError } from './errors';
import type { Handlers } from './mocks';

export type Item = Record<string, any>;

export interface KeySchema {
  readonly partitionKey: { readonly name: string; readonly type: 'S' | 'N' };
  /** @default - no sort key */
  readonly sortKey?: { readonly name: string; readonly type: 'S' | 'N' };
}

interface Table {
  readonly name: string;
  readonly schema: KeySchema;
  readonly items: Map<string, Item>;
}

interface Request {
  TableName?: string;
  Item?: Item;
  Key?: Item;
  ConditionExpression?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  ScanIndexForward?: boolean;
  Limit?: number;
  ExclusiveStartKey?: Item;
  ReturnValues?: string;
}

const validation = (message: string) => serviceError(DynamoDBServiceException, 'ValidationException', message);

export class FakeDynamoDb {
  readonly tables = new Map<string, Table>();

  /** Test setup: a table with its key schema. */
  createTable(name: string, schema: KeySchema): void {
    this.tables.set(name, { name, schema, items: new Map() });
  }

  /**
   * Test control, Time to Live: deletes the items whose `attribute` (epoch seconds) is at or before
   * `nowSeconds`. DynamoDB Developer Guide, "Time to Live": expired items are deleted by the service
   * itself, "typically within a few days of their expiration"; until then they still show in reads.
   */
  expireItems(tableName: string, attribute: string, nowSeconds: number): number {
    const table = this.table(tableName);
    let deleted = 0;
    for (const [key, item] of table.items) {
      if (typeof item[attribute] === 'number' && item[attribute] <= nowSeconds) {
        table.items.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }

  /**
   * All items of a table, sorted by key (for assertions and audit-chain verification); with `where`,
   * only those it accepts (it reads the stored items and must not change them).
   */
  items(tableName: string, where?: (item: Readonly<Item>) => boolean): Item[] {
    const table = this.table(tableName);
    const stored = [...table.items.values()];
    // One clone of the whole list, of only the items asked for: a clone per item costs several times
    // more, and the invariants read the audit chain after every step of a campaign.
    return cloneData((where ? stored.filter(where) : stored).sort((a, b) => compareKeys(table, a, b)));
  }

  /**
   * PutItem — DynamoDB API Reference: replaces the item with the same key; "ConditionExpression: A
   * condition that must be satisfied in order for a conditional PutItem operation to succeed",
   * otherwise ConditionalCheckFailedException; the key attributes are required with their types.
   */
  putItem(input: Request): { Attributes?: Item } {
    const table = this.table(input.TableName);
    const item = input.Item ?? {};
    const key = this.keyOf(table, item, 'item');
    const existing = table.items.get(key);
    this.check(input, existing);
    table.items.set(key, cloneData(item));
    return input.ReturnValues === 'ALL_OLD' && existing ? { Attributes: cloneData(existing) } : {};
  }

  /** GetItem — DynamoDB API Reference: the Key must be exactly the table's key; no item → no `Item`. */
  getItem(input: Request): { Item?: Item } {
    const table = this.table(input.TableName);
    const item = table.items.get(this.keyOf(table, input.Key ?? {}, 'key', true));
    return item ? { Item: cloneData(item) } : {};
  }

  deleteItem(input: Request): { Attributes?: Item } {
    const table = this.table(input.TableName);
    const key = this.keyOf(table, input.Key ?? {}, 'key', true);
    const existing = table.items.get(key);
    this.check(input, existing);
    table.items.delete(key);
    return input.ReturnValues === 'ALL_OLD' && existing ? { Attributes: cloneData(existing) } : {};
  }

  /** UpdateItem — DynamoDB API Reference: creates the item if absent (upsert), applies the update expression after the condition. */
  updateItem(input: Request): { Attributes?: Item } {
    const table = this.table(input.TableName);
    const key = this.keyOf(table, input.Key ?? {}, 'key', true);
    const existing = table.items.get(key);
    this.check(input, existing);
    if (!input.UpdateExpression) throw validation('UpdateExpression is required by the fake (AttributeUpdates is not modelled)');
    const updated = this.expression(() => applyUpdate(input.UpdateExpression!, existing ?? cloneData(input.Key ?? {}), context(input)));
    table.items.set(key, updated);
    if (input.ReturnValues === 'ALL_NEW') return { Attributes: cloneData(updated) };
    if (input.ReturnValues === 'ALL_OLD' && existing) return { Attributes: cloneData(existing) };
    return {};
  }

  /**
   * Query — DynamoDB API Reference: KeyConditionExpression must test the partition key for
   * equality ("Query condition missed key schema element"); results are ordered by sort key,
   * ScanIndexForward=false descending; Limit caps the items evaluated and returns
   * LastEvaluatedKey when reached; FilterExpression applies after the Limit.
   */
  query(input: Request): { Items: Item[]; Count: number; ScannedCount: number; LastEvaluatedKey?: Item } {
    const table = this.table(input.TableName);
    if (!input.KeyConditionExpression)
      throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const ctx = context(input);
    const keyCondition = this.expression(() => parseCondition(input.KeyConditionExpression!, ctx));
    const { partitionKey, sortKey } = table.schema;
    if (!equalityPaths(keyCondition).includes(partitionKey.name)) {
      throw validation(`Query condition missed key schema element: ${partitionKey.name}`);
    }
    const foreign = mentionedPaths(keyCondition).filter((p) => p !== partitionKey.name && p !== sortKey?.name);
    if (foreign.length > 0) throw validation(`Query key condition not supported: ${foreign[0]} is not a key attribute`);
    let matching = [...table.items.values()].filter((item) => evaluate(keyCondition, item, ctx)).sort((a, b) => compareKeys(table, a, b));
    if (input.ScanIndexForward === false) matching.reverse();
    if (input.ExclusiveStartKey) {
      const start = this.keyOf(table, input.ExclusiveStartKey, 'key', true);
      const position = matching.findIndex((item) => this.keyOf(table, item, 'item') === start);
      matching = matching.slice(position + 1);
    }
    let lastEvaluatedKey: Item | undefined;
    if (input.Limit !== undefined) {
      if (!(input.Limit >= 1)) throw validation(`Limit ${input.Limit} is invalid: 1 or more is required`);
      if (matching.length >= input.Limit) {
        matching = matching.slice(0, input.Limit);
        lastEvaluatedKey = keyAttributes(table, matching[matching.length - 1]);
      }
    }
    const scanned = matching.length;
    if (input.FilterExpression) {
      const filter = this.expression(() => parseCondition(input.FilterExpression!, ctx));
      matching = matching.filter((item) => evaluate(filter, item, ctx));
    }
    return {
      Items: cloneData(matching),
      Count: matching.length,
      ScannedCount: scanned,
      ...(lastEvaluatedKey ? { LastEvaluatedKey: lastEvaluatedKey } : {}),
    };
  }

  private check(input: Request, existing: Item | undefined): void {
    if (!input.ConditionExpression) return;
    const ctx = context(input);
    const condition = this.expression(() => parseCondition(input.ConditionExpression!, ctx));
    if (!evaluate(condition, existing ?? {}, ctx)) throw awsError(ConditionalCheckFailedException, 'The conditional request failed');
  }

  private expression<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof ExpressionError) throw validation(error.message);
      throw error;
    }
  }

  private table(name: string | undefined): Table {
    const table = name ? this.tables.get(name) : undefined;
    if (!table) throw awsError(ResourceNotFoundException, `Requested resource not found: Table: ${String(name)} not found`);
    return table;
  }

  private keyOf(table: Table, item: Item, what: 'item' | 'key', exact = false): string {
    const attributes = [table.schema.partitionKey, ...(table.schema.sortKey ? [table.schema.sortKey] : [])];
    for (const attribute of attributes) {
      const value = item[attribute.name];
      if (value === undefined)
        throw validation(`One or more parameter values were invalid: Missing the key ${attribute.name} in the ${what}`);
      const actual = typeof value === 'number' || typeof value === 'bigint' ? 'N' : typeof value === 'string' ? 'S' : 'other';
      if (actual !== attribute.type) {
        throw validation(
          `One or more parameter values were invalid: Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${actual}`,
        );
      }
    }
    if (exact && Object.keys(item).length !== attributes.length) {
      throw validation('The provided key element does not match the schema');
    }
    return JSON.stringify(attributes.map((a) => item[a.name]));
  }

  handlers(): Handlers[] {
    const low = (run: (input: Request) => Record<string, unknown>) => (input: unknown) => toLowLevel(run(fromLowLevel(input as Request)));
    return [
      {
        client: DynamoDBClient,
        commands: [
          [PutItemCommand, low((i) => this.putItem(i))],
          [GetItemCommand, low((i) => this.getItem(i))],
          [DeleteItemCommand, low((i) => this.deleteItem(i))],
          [UpdateItemCommand, low((i) => this.updateItem(i))],
          [QueryCommand, low((i) => this.query(i))],
        ],
      },
      {
        client: DynamoDBDocumentClient,
        commands: [
          [PutCommand, (i) => this.putItem(i as Request)],
          [GetCommand, (i) => this.getItem(i as Request)],
          [DeleteCommand, (i) => this.deleteItem(i as Request)],
          [UpdateCommand, (i) => this.updateItem(i as Request)],
          [DocQueryCommand, (i) => this.query(i as Request)],
        ],
      },
    ];
  }
}

function context(input: Request): ExpressionContext {
  return { names: input.ExpressionAttributeNames, values: input.ExpressionAttributeValues };
}

function keyAttributes(table: Table, item: Item): Item {
  const key: Item = { [table.schema.partitionKey.name]: item[table.schema.partitionKey.name] };
  if (table.schema.sortKey) key[table.schema.sortKey.name] = item[table.schema.sortKey.name];
  return key;
}

function compareKeys(table: Table, a: Item, b: Item): number {
  for (const attribute of [table.schema.partitionKey, table.schema.sortKey]) {
    if (!attribute) continue;
    const x = a[attribute.name];
    const y = b[attribute.name];
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

const MAPS = ['Item', 'Key', 'ExclusiveStartKey', 'ExpressionAttributeValues'] as const;

function fromLowLevel(input: Request): Request {
  const result: Request = { ...input };
  for (const field of MAPS) if (input[field]) result[field] = unmarshall(input[field]);
  return result;
}

function toLowLevel(output: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...output };
  const options = { removeUndefinedValues: true };
  for (const field of ['Item', 'Attributes', 'LastEvaluatedKey'])
    if (output[field]) result[field] = marshall(output[field] as Item, options);
  if (output.Items) result.Items = (output.Items as Item[]).map((item) => marshall(item, options));
  return result;
}
