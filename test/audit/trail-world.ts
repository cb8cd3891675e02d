/**
 * The audit trail of the red-team suite: the fake AWS (real ECDSA P-256 keys in the fake KMS, an
 * Object Lock bucket in the fake S3) with two rollouts written by the engine's own append path
 * (appendAudit + anchorRecord), `canary history` run in-process with the pinned trust root, and
 * the tampering moves of each attacker, made with exactly the calls that attacker can make
 * (which principal may make which call is simulated in red-team-iam.test.ts).
 */
import { type AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { convertToAttr, unmarshall } from '@aws-sdk/util-dynamodb';

import { type CliDeps, createClients } from '../../cli/context';
import { runCli } from '../../cli/program';
import { anchorRecord, appendAudit, type AuditTable } from '../../lambdas/aws/dynamodb';
import { anchorKey } from '../../lambdas/core/audit-anchor';
import {
  type AuditDraft,
  type AuditRecord,
  hashRecord,
  type SignedFields,
  signedFields,
  signingPayload,
  type TrustRoot,
} from '../../lambdas/core/audit-chain';
import { FakeAws, type FakeService } from '../support';

export const DAY_MS = 86_400_000;

/**
 * An item as the DocumentClient returns it from DynamoDB's wire format: every attribute, an own
 * `__proto__` included (DynamoDB accepts any attribute name), marshalled, then unmarshalled as
 * lib-dynamodb does (numbers beyond 2^53 as BigInt, sets as Set, binary as Uint8Array).
 */
export function throughTheWire(item: Record<string, unknown>): Record<string, unknown> {
  const wire: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item))
    Object.defineProperty(wire, name, { value: marshalled(value), enumerable: true, writable: true, configurable: true });
  return unmarshall(wire);
}

function marshalled(value: unknown): AttributeValue {
  // A number beyond 2^53 is stored with all its digits, as DynamoDB keeps 38.
  if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value)) return { N: BigInt(value).toString() };
  if (Array.isArray(value)) return { L: value.map(marshalled) };
  if (Object.prototype.toString.call(value) === '[object Set]') return convertToAttr(new Set(value as Set<unknown>), {});
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value))
    return convertToAttr(value, { removeUndefinedValues: true });
  const map: Record<string, AttributeValue> = {};
  for (const [name, member] of Object.entries(value))
    Object.defineProperty(map, name, { value: marshalled(member), enumerable: true, writable: true, configurable: true });
  return { M: map };
}

/** What a reader's Query sees: called before each Query `history` makes (to change the table between its reads). */
export type BeforeQuery = (command: QueryCommand, index: number) => void | Promise<void>;

export class TrailWorld {
  readonly world: FakeAws;
  readonly web: FakeService;
  readonly root: TrustRoot;

  constructor() {
    this.world = new FakeAws().install();
    this.web = this.world.addService({ name: 'web' });
    this.root = { keyArn: this.web.metadata.auditKeyArn!, bucket: this.web.metadata.auditAnchorBucket! };
  }

  get tableName(): string {
    return this.web.metadata.auditTableName!;
  }

  /** The engine's view of the table (its Lambdas' `auditTable`). */
  engineTable(retentionDays = 90): AuditTable {
    return {
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }), {
        marshallOptions: { removeUndefinedValues: true },
      }),
      tableName: this.tableName,
      service: 'web',
      retentionDays,
      signer: { client: new KMSClient({ region: 'us-east-1' }), keyArn: this.root.keyArn },
      anchors: { client: new S3Client({ region: 'us-east-1' }), bucket: this.root.bucket },
    };
  }

  /** What the engine does for each decision: append (signed), then anchor; a minute passes. */
  async engineWrites(
    deploymentId: string,
    verdict: AuditDraft['verdict'],
    reason: string,
    retentionDays = 90,
    extra: Partial<AuditDraft> = {},
  ): Promise<AuditRecord> {
    const record = await appendAudit(
      this.engineTable(retentionDays),
      { kind: 'decision', deploymentId, verdict, reason, actor: 'engine', ...extra },
      this.world.clock.now(),
    );
    await anchorRecord(this.engineTable(retentionDays), record);
    await this.world.clock.advance(60_000);
    return record;
  }

  /** Two rollouts: d-A released, d-B rolled back (six records, signed and anchored). */
  async twoRollouts(): Promise<void> {
    await this.engineWrites('d-A', 'start', 'rollout started: 5%');
    await this.engineWrites('d-A', 'promote', 'stage 1 passed');
    await this.engineWrites('d-A', 'succeed', 'released');
    await this.engineWrites('d-B', 'start', 'rollout started: 5%');
    await this.engineWrites('d-B', 'rollback', 'canary 5xx 4.8% vs baseline 0.3%');
    await this.engineWrites('d-B', 'restore', 'restored 100% to the original');
  }

  /** `canary history web …` with the trust root pinned (CANARY_AUDIT_TRUST_ROOT) unless `pin` is false. */
  /** `--verify` exits 1 and the first problem is `code` at `sk` (its text matching `text`). */
  async expectBroken(code: string, sk: number, text?: string | RegExp) {
    const result = await this.history(['--verify']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`!!! first bad record: #${sk} (${code}): `);
    if (text) expect(result.stderr).toMatch(text);
    return result;
  }

  /** Runs before each DynamoDB Query of the next `history` calls (an attacker acting between its reads, or smaller pages). */
  beforeQuery?: BeforeQuery;
  /** Rewrites each Query's items as read: what DynamoDB holds and the fake cannot (38-digit sort keys JavaScript reads as one). */
  afterQuery?: (items: Array<Record<string, unknown>>, command: QueryCommand) => Array<Record<string, unknown>>;

  async history(args: string[] = ['--verify'], pin: TrustRoot | false = this.root) {
    const out = {
      text: '',
      write(t: string) {
        this.text += t;
        return true;
      },
    };
    const err = {
      text: '',
      write(t: string) {
        this.text += t;
        return true;
      },
    };
    const deps: CliDeps = {
      stdout: out,
      stderr: err,
      env: { CANARY_ACTOR: 'auditor', ...(pin ? { CANARY_AUDIT_TRUST_ROOT: `${pin.keyArn},${pin.bucket}` } : {}) },
      now: () => this.world.clock.date(),
      sleep: (ms) => this.world.clock.advance(ms),
      clients: (o) => this.readerClients(createClients({ region: 'us-east-1', ...o })),
    };
    const code = await runCli(['history', 'web', ...args], deps);
    return { code, stdout: out.text, stderr: err.text, last: err.text.trim().split('\n').at(-1) ?? '' };
  }

  /** The reader's clients: its Queries go through `beforeQuery` and return items as the wire would. */
  private readerClients(clients: ReturnType<typeof createClients>): ReturnType<typeof createClients> {
    const ddb = clients.ddb;
    let index = 0;
    const send = async (command: unknown) => {
      if (command instanceof QueryCommand) await this.beforeQuery?.(command, index++);
      const out = (await ddb.send(command as QueryCommand)) as { Items?: Array<Record<string, unknown>> };
      if (!(command instanceof QueryCommand)) return out;
      const items = (out.Items ?? []).map(throughTheWire);
      return { ...out, Items: this.afterQuery ? this.afterQuery(items, command) : items };
    };
    return { ...clients, ddb: { send } as unknown as typeof ddb };
  }

  /** The chain's items (sk > 0, any sk), sorted. */
  items(): AuditRecord[] {
    return this.world.dynamodb.items(this.tableName).filter((i) => i.pk === 'web') as unknown as AuditRecord[];
  }

  record(sk: number): AuditRecord {
    return this.items().find((r) => r.sk === sk)!;
  }

  /** A table write that passes no condition (PutItem without ConditionExpression). */
  put(item: object): void {
    this.world.dynamodb.putItem({ TableName: this.tableName, Item: item } as never);
  }

  remove(sk: number): void {
    this.world.dynamodb.deleteItem({ TableName: this.tableName, Key: { pk: 'web', sk } } as never);
  }

  /** DynamoDB's TTL sweep as of now. */
  expireTtl(): number {
    return this.world.dynamodb.expireItems(this.tableName, 'expiresAt', this.world.clock.now() / 1000);
  }

  /** A record re-hashed after `change` (prevHash kept), signature dropped. */
  rehash(record: AuditRecord, change: Partial<AuditRecord> = {}): AuditRecord {
    const { hash: _hash, signature: _signature, ...rest } = { ...record, ...change };
    return { ...rest, hash: hashRecord(rest as AuditRecord) } as AuditRecord;
  }

  /** KMS Sign as the caller can: with `keyArn` (the service's key: only an engine role may), for the trust root `root`. */
  async sign(fields: SignedFields, keyArn = this.root.keyArn, root: TrustRoot = this.root): Promise<string> {
    const kms = new KMSClient({ region: 'us-east-1' });
    const out = await kms.send(
      new SignCommand({
        KeyId: keyArn,
        Message: Buffer.from(signingPayload(fields, root)),
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    return Buffer.from(out.Signature!).toString('base64');
  }

  /** PutObject of an anchor key into `bucket`, locked as the engine locks (an engine role, or anyone in their own bucket). */
  putAnchor(
    fields: SignedFields & { signature: string },
    bucket = this.root.bucket,
    retainUntilMs = this.world.clock.now() + DAY_MS,
  ): string {
    const key = anchorKey(fields);
    this.world.s3.putObject({
      Bucket: bucket,
      Key: key,
      Body: '{}',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: new Date(retainUntilMs),
    });
    return key;
  }

  /** The anchor keys of record `sk`. */
  anchorKeys(sk: number): string[] {
    const prefix = `web/${String(sk).padStart(12, '0')}/`;
    return [...this.world.s3.buckets.get(this.root.bucket)!.versions.keys()].filter((k) => k.startsWith(prefix));
  }

  /** A delete marker on top of the key (what a lifecycle Expiration rule or DeleteObject without a version adds). */
  hide(key: string, bucket = this.root.bucket): void {
    this.world.s3.deleteObject({ Bucket: bucket, Key: key });
  }

  signedFieldsOf = signedFields;

  restore(): void {
    this.world.restore();
  }
}
