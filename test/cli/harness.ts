/**
 * Runs the CLI in-process against mocked AWS clients, with captured output, a fake clock that
 * sleeping advances, and a chosen terminal kind. Helpers seed the usual AWS answers.
 */
import { generateKeyPairSync, sign } from 'node:crypto';

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  CodeDeployClient,
  type DeploymentInfo,
  type ECSTarget,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { type AwsOptions, type CliDeps, createClients } from '../../cli/context';
import { runCli } from '../../cli/program';
import { anchorKey } from '../../lambdas/core/audit-anchor';
import { type AuditDraft, type AuditRecord, buildRecord, signedFields, signingPayload } from '../../lambdas/core/audit-chain';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { BLUE, GREEN, metadata } from '../deploy/fixtures';

export const aws = {
  ssm: mockClient(SSMClient),
  ecs: mockClient(ECSClient),
  codedeploy: mockClient(CodeDeployClient),
  elbv2: mockClient(ElasticLoadBalancingV2Client),
  cloudwatch: mockClient(CloudWatchClient),
  ddb: mockClient(DynamoDBDocumentClient),
  sts: mockClient(STSClient),
  kms: mockClient(KMSClient),
  s3: mockClient(S3Client),
};

/** The caller every command sees unless a test says otherwise (sts:GetCallerIdentity). */
export const DEFAULT_CALLER = 'arn:aws:sts::123456789012:assumed-role/deployer/ci';

/** The audit trail's signing key and anchor bucket: `chain` signs with it, KMS GetPublicKey answers it. */
export const AUDIT_ROOT = { keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/web-audit', bucket: 'web-audit-anchors' } as const;
/** The metadata of a service whose engine signs and anchors its records (`seedService(SIGNED_AUDIT)`). */
export const SIGNED_AUDIT = { auditKeyArn: AUDIT_ROOT.keyArn, auditAnchorBucket: AUDIT_ROOT.bucket } as const;
const auditKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const answerCaller = () => aws.sts.on(GetCallerIdentityCommand).resolves({ Arn: DEFAULT_CALLER, Account: '123456789012' });
const answerKey = () =>
  aws.kms
    .on(GetPublicKeyCommand, { KeyId: AUDIT_ROOT.keyArn })
    .resolves({ PublicKey: auditKey.publicKey.export({ type: 'spki', format: 'der' }), KeySpec: 'ECC_NIST_P256' });
answerCaller();
answerKey();
seedAnchors([]);

export function resetAws(): void {
  for (const mock of Object.values(aws)) mock.reset();
  answerCaller();
  answerKey();
  seedAnchors([]);
}

export const START = Date.parse('2026-11-21T12:00:00.000Z');

class Capture {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 100,
  ) {}
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
  lines() {
    return this.text.split('\n').filter((l) => l !== '');
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: Capture;
  readonly stderr: Capture;
  /** Options the command created its AWS clients with. */
  readonly awsOptions: AwsOptions[];
  /** Milliseconds the command slept in total. */
  readonly slept: number;
  /** Questions the command asked on the terminal (`answers` answer them in turn). */
  readonly questions: string[];
}

export async function run(
  argv: string[],
  options: { tty?: boolean; env?: NodeJS.ProcessEnv; stdinTTY?: boolean; answers?: string[] } = {},
): Promise<RunResult> {
  let now = START;
  const awsOptions: AwsOptions[] = [];
  const stdout = new Capture(options.tty ?? false);
  const stderr = new Capture(options.tty ?? false);
  const questions: string[] = [];
  const answers = [...(options.answers ?? [])];
  const deps: CliDeps = {
    stdout,
    stderr,
    env: { CANARY_ACTOR: 'ana', ...options.env },
    now: () => new Date(now),
    sleep: async (ms) => void (now += ms),
    clients: (o) => {
      awsOptions.push(o);
      return createClients({ region: 'eu-west-1', ...o });
    },
    stdin: { isTTY: options.stdinTTY ?? options.tty ?? false },
    ask: async (question) => {
      questions.push(question);
      return answers.shift() ?? '';
    },
  };
  const code = await runCli(argv, deps);
  return { code, stdout, stderr, awsOptions, slept: now - START, questions };
}

/** The service's SSM parameters: metadata and freeze switch. */
export function seedService(overrides: Partial<DeploymentMetadata> = {}, freeze = '{"frozen":false}'): void {
  aws.ssm
    .on(GetParameterCommand, { Name: '/ecs-canary/web/deployment' })
    .resolves({ Parameter: { Value: JSON.stringify(metadata(overrides)) } });
  aws.ssm.on(GetParameterCommand, { Name: '/ecs-canary/web/freeze' }).resolves({ Parameter: { Value: freeze } });
}

/** ListDeployments: the active ones when asked for active statuses, else `all`. */
export function seedDeploymentList(active: string[], all: string[] = active): void {
  aws.codedeploy.on(ListDeploymentsCommand).callsFake(async (input: { includeOnlyStatuses?: string[] }) => ({
    deployments: input.includeOnlyStatuses ? active : all,
  }));
}

export const target = (events: Array<[string, string, Date?]>, greenWeight = 0): ECSTarget => ({
  lifecycleEvents: events.map(([lifecycleEventName, status, startTime]) => ({
    lifecycleEventName,
    status: status as 'Pending',
    startTime,
  })),
  taskSetsInfo: [
    { taskSetLabel: 'Blue', trafficWeight: 100 - greenWeight, targetGroup: { name: BLUE.name } },
    { taskSetLabel: 'Green', trafficWeight: greenWeight, targetGroup: { name: GREEN.name } },
  ],
});

/** GetDeployment answers `infos` in turn (the last repeats) with the ECS target `ecsTarget`. */
export function seedDeployment(infos: DeploymentInfo[], ecsTarget: ECSTarget = target([])): void {
  const queue = [...infos];
  aws.codedeploy.on(GetDeploymentCommand).callsFake(async () => ({ deploymentInfo: queue.length > 1 ? queue.shift() : queue[0] }));
  aws.codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['cluster:web'] });
  aws.codedeploy.on(GetDeploymentTargetCommand).resolves({ deploymentTarget: { ecsTarget } });
  aws.codedeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: { alarmConfiguration: { enabled: true, alarms: [] } } });
}

/** The production listener's weighted forward, answers in turn (the last repeats). */
export function seedListener(...greenWeights: number[]): void {
  const queue = [...greenWeights];
  aws.elbv2.on(DescribeListenersCommand).callsFake(async () => {
    const green = queue.length > 1 ? queue.shift()! : queue[0];
    return {
      Listeners: [
        {
          DefaultActions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: BLUE.arn, Weight: 100 - green },
                  { TargetGroupArn: GREEN.arn, Weight: green },
                ],
              },
            },
          ],
        },
      ],
    };
  });
}

/** A valid audit chain for service `web` from drafts, oldest first, one minute apart, signed as the engine signs (AUDIT_ROOT). */
export function chain(drafts: AuditDraft[], start = START - 10 * 60_000): AuditRecord[] {
  const records: AuditRecord[] = [];
  drafts.forEach((draft, i) => {
    const tip = records[records.length - 1];
    const record = buildRecord('web', tip, draft, start + i * 60_000, 30);
    const signature = sign('sha256', Buffer.from(signingPayload(signedFields(record), AUDIT_ROOT)), auditKey.privateKey);
    records.push({ ...record, signature: signature.toString('base64') });
  });
  return records;
}

/** The anchor bucket holds the anchors of `records` (signed ones), as the engine writes them right after each record. */
export function seedAnchors(records: readonly AuditRecord[]): void {
  const objects = records
    .filter((r) => typeof r.signature === 'string')
    .map((r) => ({
      Key: anchorKey({ ...signedFields(r), signature: r.signature! }),
      VersionId: `v-${r.sk}`,
      IsLatest: true,
      LastModified: new Date(Date.parse(r.at)),
    }));
  aws.s3.on(ListObjectVersionsCommand).callsFake(async (input: { Bucket?: string; Prefix?: string }) => ({
    Versions: input.Bucket === AUDIT_ROOT.bucket ? objects.filter((o) => o.Key.startsWith(input.Prefix ?? '')) : [],
    IsTruncated: false,
  }));
}

/** Audit table queries: newest first when ScanIndexForward is false, filtered by deployment. */
export function seedAudit(records: AuditRecord[]): void {
  seedAnchors(records);
  aws.ddb
    .on(QueryCommand)
    .callsFake(async (input: { ScanIndexForward?: boolean; ExpressionAttributeValues?: Record<string, unknown>; Limit?: number }) => {
      const deploymentId = input.ExpressionAttributeValues?.[':d'];
      let items = records.filter((r) => !deploymentId || r.deploymentId === deploymentId);
      items = input.ScanIndexForward === false ? [...items].reverse() : items;
      return { Items: input.Limit ? items.slice(0, input.Limit) : items };
    });
}

export const decision = (overrides: Partial<AuditDraft>): AuditDraft => ({
  kind: 'decision',
  deploymentId: 'd-NEW',
  hook: 'AfterAllowTestTraffic',
  actor: 'engine',
  reason: 'holding',
  ...overrides,
});
