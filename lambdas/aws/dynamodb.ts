/**
 * Audit table adapter (contracts.md, docs/audit.md): append to the service's hash chain with a
 * conditional put (two writers can never fork it), each record signed with the service's KMS key
 * and then anchored in the Object Lock bucket, and write/read the guard's fence of a deployment
 * (`pk = fence#<deploymentId>`, `sk = 0`: outside the chain). Operator commands are not here: they
 * are an SSM parameter (control-parameter.ts), so no operator needs to write this table.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

import { signatureValid } from '../core/audit-anchor';
import { type AuditDraft, type AuditRecord, buildRecord, type ChainTip, signedFields } from '../core/audit-chain';
import { findChainTip } from '../core/audit-tip';
import type { Fence } from '../core/guard';
import { type AnchorStore, writeAnchor } from './audit-anchors';
import { auditPublicKey, type AuditSigner, signRecord } from './audit-signing';
import { AuditAppendError, errorText } from './engine-errors';

export interface AuditTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly service: string;
  readonly retentionDays: number;
  /** The service's signing key; absent (tests of the chain alone, old stacks): records are written unsigned. */
  readonly signer?: AuditSigner;
  /** The Object Lock bucket of the chain's anchors; absent: no anchor is written. */
  readonly anchors?: AnchorStore;
}

const MAX_APPEND_ATTEMPTS = 5;

/**
 * Items read per page while looking for the tip: the newest alone first (nearly always the tip),
 * then pages of ten; after TIP_PAGES pages the newest item at a whole sequence number is taken.
 */
const TIP_PAGE = 10;
const TIP_PAGES = 11;

/**
 * The record the next one links to (core/audit-tip.ts): the newest engine record, signed as the
 * engine signs when it does, read newest first. A planted item is left for verification to report.
 */
async function chainTip(table: AuditTable): Promise<ChainTip | undefined> {
  const signed = await signatureCheck(table);
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  for (let page = 1; ; page += 1) {
    const { Items = [], LastEvaluatedKey } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND sk > :zero',
        ExpressionAttributeValues: { ':pk': table.service, ':zero': 0 },
        ScanIndexForward: false,
        Limit: page === 1 ? 1 : TIP_PAGE,
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...Items);
    startKey = LastEvaluatedKey;
    const search = findChainTip(items, !startKey || page === TIP_PAGES, signed);
    if (search.settled) return search.tip;
  }
}

/** The public keys of the signing keys, one GetPublicKey per signer (a runtime's, so once per container). */
const publicKeys = new WeakMap<AuditSigner, Promise<KeyObject>>();

/**
 * Checks a record's signature with the signing key's public key; without a signer, no check. When
 * the public key cannot be read the check is left out (the tip is then chosen by shape and hash):
 * an append never waits on it.
 */
async function signatureCheck(table: AuditTable): Promise<((record: AuditRecord) => boolean) | undefined> {
  const signer = table.signer;
  if (!signer) return undefined;
  let key = publicKeys.get(signer);
  if (!key) {
    key = auditPublicKey(signer.client, signer.keyArn).then((der) =>
      createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }),
    );
    publicKeys.set(signer, key);
    key.catch(() => publicKeys.delete(signer));
  }
  const publicKey = await key.catch(() => undefined);
  if (!publicKey) return undefined;
  const root = { keyArn: signer.keyArn, bucket: table.anchors?.bucket ?? '' };
  return (record) => signatureValid(publicKey, root, signedFields(record), record.signature);
}

/**
 * Appends one record after the newest, signed; on a concurrent append it re-reads the tip, signs
 * again and retries. A failed Sign never holds up the action the record announces (a restore must
 * not wait for KMS): the record is written with `signatureError`, which every verification reports.
 */
export async function appendAudit(table: AuditTable, draft: AuditDraft, now: number): Promise<AuditRecord> {
  for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt += 1) {
    const record = await signed(table, buildRecord(table.service, await chainTip(table), draft, now, table.retentionDays));
    try {
      await table.client.send(
        new PutCommand({ TableName: table.tableName, Item: record, ConditionExpression: 'attribute_not_exists(sk)' }),
      );
      return record;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || attempt === MAX_APPEND_ATTEMPTS) {
        throw new AuditAppendError(
          `could not append to the audit chain of ${table.service} in ${table.tableName} (attempt ${attempt}): ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
  }
  throw new AuditAppendError('unreachable');
}

async function signed(table: AuditTable, record: AuditRecord): Promise<AuditRecord> {
  if (!table.signer) return record;
  try {
    return {
      ...record,
      signature: await signRecord(table.signer, signedFields(record), { keyArn: table.signer.keyArn, bucket: table.anchors?.bucket ?? '' }),
    };
  } catch (error) {
    return { ...record, signatureError: errorText(error).slice(0, 300) };
  }
}

/**
 * Writes the anchor of an appended record (after the put, so only a record that is in the chain is
 * anchored). Unsigned records and tables without a bucket are not anchored; `canary history`
 * names every record without an anchor.
 */
export async function anchorRecord(table: AuditTable, record: AuditRecord): Promise<string | undefined> {
  if (!table.anchors || typeof record.signature !== 'string') return undefined;
  return writeAnchor(table.anchors, record as AuditRecord & { signature: string });
}

const fenceKey = (deploymentId: string) => ({ pk: `fence#${deploymentId}`, sk: 0 });

/**
 * Writes the deployment's fence unless one exists (a redelivered event keeps the first); returns
 * the fence in force. It expires with the audit records.
 */
export async function writeFence(table: AuditTable, fence: Fence, now: number): Promise<Fence> {
  const expiresAt = Math.floor(now / 1000) + table.retentionDays * 86_400;
  try {
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...fenceKey(fence.deploymentId), kind: 'fence', ...fence, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return fence;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return (await readFence(table, fence.deploymentId)) ?? fence;
  }
}

/** The deployment's fence, or undefined: a strongly consistent read, so a fence written before it is seen. */
export async function readFence(table: AuditTable, deploymentId: string): Promise<Fence | undefined> {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: fenceKey(deploymentId), ConsistentRead: true }),
  );
  if (Item?.kind !== 'fence') return undefined;
  return { deploymentId, state: String(Item.state ?? 'unknown'), at: String(Item.at ?? '') };
}
