/**
 * What every engine Lambda shares: SDK clients created once per container, the Powertools
 * logger, the environment and the service's deployment metadata (read from SSM at cold start).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { AuditTable } from '../aws/dynamodb';
import { type HttpGet, httpGet } from '../aws/http';
import { readDeploymentMetadataParameter } from '../aws/service-parameters';
import { EcsCanaryError } from '../core/ecs-canary-error';
import type { DeploymentMetadata } from '../core/metadata';

export class EnvironmentError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnvironmentError';
  }
}

export interface Clients {
  readonly codedeploy: CodeDeployClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly cloudwatch: CloudWatchClient;
  readonly dynamo: DynamoDBDocumentClient;
  readonly sns: SNSClient;
  readonly ssm: SSMClient;
  readonly sfn: SFNClient;
  /** Signs audit records (kms:Sign on the service's key only). */
  readonly kms: KMSClient;
  /** Writes the chain's anchors to the Object Lock bucket. */
  readonly s3: S3Client;
  /** Reads the task sets' task definitions, for the metrics' version dimension. @default - versions unknown: metrics read service-wide */
  readonly ecs?: ECSClient;
  readonly http: HttpGet;
}

export interface Env {
  readonly service: string;
  readonly metadataParameter: string;
  readonly freezeParameter: string;
  readonly auditTableName: string;
  readonly auditRetentionDays: number;
  /** The KMS key audit records are signed with. @default - unsigned (a stack without the key) */
  readonly auditKeyArn?: string;
  /** The Object Lock bucket of the chain's anchors. @default - no anchors */
  readonly auditAnchorBucket?: string;
  /** The operator control parameter (tick and guard). @default - no operator commands are read */
  readonly controlParameter?: string;
  /** Guard only: the deployment group's rollback alarms, whose states it records. */
  readonly alarmNames?: readonly string[];
  readonly topicArn: string;
  /** Hooks and guard only. */
  readonly stateMachineArn?: string;
  /**
   * Where smoke checks go: through the test listener (`http://<alb>:<test port><path>`), or, for a
   * hook running inside the VPC, to each healthy replacement target directly.
   */
  readonly smokeCheckMode: 'test-listener' | 'replacement-targets';
}

export interface Runtime {
  readonly clients: Clients;
  readonly env: Env;
  readonly metadata: DeploymentMetadata;
  readonly audit: AuditTable;
  readonly logger: Logger;
  readonly clock: () => number;
  /** Waits between retries of a read (tests pass the fake clock's). @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What an engine function has before, or without, its deployment metadata. */
export type BaseRuntime = Omit<Runtime, 'metadata'>;

export const logger = new Logger({ serviceName: 'ecs-canary' });

/** The engine's SDK clients, with `http` for the smoke checks. */
export function createClients(http: Clients['http']): Clients {
  return {
    codedeploy: new CodeDeployClient({}),
    elbv2: new ElasticLoadBalancingV2Client({}),
    cloudwatch: new CloudWatchClient({}),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
    sns: new SNSClient({}),
    ssm: new SSMClient({}),
    sfn: new SFNClient({}),
    kms: new KMSClient({}),
    s3: new S3Client({}),
    ecs: new ECSClient({}),
    http,
  };
}

/** Created once per container and reused across invocations. */
export const defaultClients: Clients = createClients(httpGet);

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '')
      throw new EnvironmentError(`environment variable ${name} is not set; the RolloutEngine construct sets it`);
    if (value.trim() !== value || value.trim() === '')
      throw new EnvironmentError(
        `environment variable ${name} is ${JSON.stringify(value)}; accepted: a non-blank value without spaces around it (the RolloutEngine construct sets it)`,
      );
    return value;
  };
  const retentionText = env.AUDIT_RETENTION_DAYS ?? '90';
  const retention = Number(retentionText);
  // As the RolloutEngine construct checks it: Infinity or a fraction would reach DynamoDB as an expiry it refuses or rounds;
  // `Number` also reads hex, binary, octal and a blank string.
  if (!/^\d+$/.test(retentionText) || !Number.isSafeInteger(retention) || retention < 1)
    throw new EnvironmentError(
      `AUDIT_RETENTION_DAYS is ${JSON.stringify(env.AUDIT_RETENTION_DAYS)}; accepted: a whole number of days ≥ 1, in decimal`,
    );
  return {
    service: required('SERVICE_NAME'),
    metadataParameter: required('METADATA_PARAMETER'),
    freezeParameter: required('FREEZE_PARAMETER'),
    auditTableName: required('AUDIT_TABLE_NAME'),
    auditRetentionDays: retention,
    ...(env.AUDIT_KEY_ARN ? { auditKeyArn: env.AUDIT_KEY_ARN } : {}),
    ...(env.AUDIT_ANCHOR_BUCKET ? { auditAnchorBucket: env.AUDIT_ANCHOR_BUCKET } : {}),
    ...(env.CONTROL_PARAMETER ? { controlParameter: env.CONTROL_PARAMETER } : {}),
    ...(env.ALARM_NAMES ? { alarmNames: env.ALARM_NAMES.split(',').filter(Boolean) } : {}),
    topicArn: required('TOPIC_ARN'),
    ...(env.STATE_MACHINE_ARN ? { stateMachineArn: env.STATE_MACHINE_ARN } : {}),
    smokeCheckMode: smokeCheckMode(env.SMOKE_CHECK_MODE),
  };
}

function smokeCheckMode(value: string | undefined): Env['smokeCheckMode'] {
  if (value === undefined || value === 'test-listener' || value === 'replacement-targets') return value ?? 'test-listener';
  throw new EnvironmentError(`SMOKE_CHECK_MODE is ${JSON.stringify(value)}; accepted: test-listener or replacement-targets`);
}

let cached: Promise<Runtime> | undefined;

/** The runtime of this container: metadata is read once, at the first invocation. */
export function loadRuntime(
  clients: Clients = defaultClients,
  env: NodeJS.ProcessEnv = process.env,
  clock: () => number = Date.now,
): Promise<Runtime> {
  cached ??= buildRuntime(clients, readEnv(env), clock).catch((error) => {
    cached = undefined;
    // Unreadable deployment metadata fails every invocation: one line says which parameter and why.
    if (EcsCanaryError.isEcsCanaryError(error)) logger.error(error.message, { errorName: error.name });
    throw error;
  });
  return cached;
}

/**
 * This container's runtime without the metadata, for answering a hook when the metadata cannot be
 * read. Undefined when the environment itself is incomplete (then only CodeDeploy can be answered).
 */
export function loadBaseRuntime(clients: Clients = defaultClients, env: NodeJS.ProcessEnv = process.env): BaseRuntime | undefined {
  try {
    const checked = readEnv(env);
    return { clients, env: checked, audit: auditTable(clients, checked), logger, clock: Date.now };
  } catch (error) {
    logger.error('engine environment incomplete', { error: (error as Error).message });
    return undefined;
  }
}

/** For tests: forget the cached runtime. */
export function resetRuntime(): void {
  cached = undefined;
}

async function buildRuntime(clients: Clients, env: Env, clock: () => number): Promise<Runtime> {
  const metadata = await readDeploymentMetadataParameter(clients.ssm, env.metadataParameter);
  return {
    clients,
    env,
    metadata,
    audit: auditTable(clients, env),
    logger,
    clock,
  };
}

/** The audit table as the engine appends to it: signed with the service's key, anchored in its bucket. */
export function auditTable(clients: Pick<Clients, 'dynamo' | 'kms' | 's3'>, env: Env): AuditTable {
  return {
    client: clients.dynamo,
    tableName: env.auditTableName,
    service: env.service,
    retentionDays: env.auditRetentionDays,
    ...(env.auditKeyArn ? { signer: { client: clients.kms, keyArn: env.auditKeyArn } } : {}),
    ...(env.auditAnchorBucket ? { anchors: { client: clients.s3, bucket: env.auditAnchorBucket } } : {}),
  };
}
