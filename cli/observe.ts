/**
 * Gathers what the CLI shows about a deployment: CodeDeploy's view, the production listener's
 * real weights (the engine shifts them itself) and the engine's newest audit records.
 */
import { GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';

import { awsCall, AwsCallError } from '../lambdas/aws/deploy-errors';
import type { AuditRecord } from '../lambdas/core/audit-chain';
import { unverifiedReasonText } from '../lambdas/core/audit-record-check';
import type { DeploymentMetadata } from '../lambdas/core/metadata';
import type { AwsClients } from './context';
import { type ControlRecord, newestAuditRecords, readControlRecord } from './deploy/audit';
import { activeDeployments } from './deploy/deployment';
import { type DeploymentSnapshot, getDeploymentSnapshot, readProductionListener, trafficWeights } from './deploy/deployment-state';
import { CommandFailedError } from './exit';
import { type ProgressState, progressState } from './progress/model';
import type { RecordChecker } from './record-checks';

export interface Observation {
  readonly snapshot: DeploymentSnapshot;
  readonly records: readonly AuditRecord[];
  readonly progress: ProgressState;
  readonly terminal: boolean;
}

/** Audit records read per observation: enough to find the stage start and the last verdict. */
const RECORDS_PER_OBSERVATION = 30;

/**
 * One read of a deployment as `canary deploy` follows it. With `checker`, the newest verdict is
 * shown only when its record verifies; otherwise the verdict line says that it does not.
 */
export async function observeDeployment(
  clients: AwsClients,
  metadata: DeploymentMetadata,
  deploymentId: string,
  checker?: RecordChecker,
): Promise<Observation> {
  const snapshot = await getDeploymentSnapshot(clients.codedeploy, deploymentId);
  const listener = snapshot.terminal ? undefined : await readProductionListener(clients.elbv2, metadata);
  const records = metadata.auditTableName
    ? await newestAuditRecords(clients.ddb, {
        tableName: metadata.auditTableName,
        service: metadata.service,
        deploymentId,
        limit: RECORDS_PER_OBSERVATION,
      })
    : [];
  const weights = listener ? trafficWeights(listener, snapshot) : undefined;
  const progress = progressState(metadata, snapshot, weights, records);
  const verdict = progress.lastVerdict && records.find((r) => r.sk === progress.lastVerdict!.seq);
  const check = checker && verdict ? (await checker.check([verdict])).get(verdict.sk) : undefined;
  return {
    snapshot,
    records,
    progress:
      check && !check.ok
        ? {
            ...progress,
            lastVerdict: {
              ...progress.lastVerdict!,
              verdict: 'not shown',
              reason: unverifiedReasonText(`the newest verdict of ${deploymentId}`, verdict!.sk, check, metadata.service),
              checks: [],
            },
          }
        : progress,
    terminal: snapshot.terminal,
  };
}

/** The active deployment of the service, if any. */
export async function currentDeployment(clients: AwsClients, metadata: DeploymentMetadata): Promise<string | undefined> {
  return (await activeDeployments(clients.codedeploy, metadata))[0];
}

/** The active deployment, else the most recent one; fails when the group has none. */
export async function currentOrLastDeployment(clients: AwsClients, metadata: DeploymentMetadata): Promise<string> {
  const active = await currentDeployment(clients, metadata);
  if (active) return active;
  const listed = await awsCall('codedeploy:ListDeployments', () =>
    clients.codedeploy.send(
      new ListDeploymentsCommand({ applicationName: metadata.applicationName, deploymentGroupName: metadata.deploymentGroupName }),
    ),
  );
  const last = listed.deployments?.[0];
  if (!last) throw new CommandFailedError(`${metadata.service} has no deployments yet (deployment group ${metadata.deploymentGroupName})`);
  return last;
}

/** The active deployment, or a `CommandFailedError` saying there is nothing to act on. */
export async function requireActiveDeployment(clients: AwsClients, metadata: DeploymentMetadata, command: string): Promise<string> {
  const active = await currentDeployment(clients, metadata);
  if (!active) throw new CommandFailedError(`${metadata.service} has no deployment in progress: nothing to ${command}`);
  return active;
}

/** What `canary status` reads about one deployment; the listener is always read, never inferred. */
export interface StatusObservation {
  /** The deployment the story is about: the one asked for, or the one CodeDeploy's rollback rolled back. */
  readonly subject: DeploymentSnapshot;
  /** CodeDeploy's automatic rollback of the subject, when there is one. */
  readonly rollback?: DeploymentSnapshot;
  /** The subject's newest audit records, newest first. */
  readonly records: readonly AuditRecord[];
  /** Production listener weights per target group name, or why they could not be read. */
  readonly listener: ReadonlyMap<string, number> | AwsCallError;
  /** The operator control record, when it names the subject (who ran `canary rollback`). */
  readonly control?: ControlRecord;
  /** The subject has ended and so has its rollback, if any. */
  readonly terminal: boolean;
}

export async function observeStatus(clients: AwsClients, metadata: DeploymentMetadata, deploymentId: string): Promise<StatusObservation> {
  const asked = await getDeploymentSnapshot(clients.codedeploy, deploymentId);
  const subject = asked.rollbackOf ? await getDeploymentSnapshot(clients.codedeploy, asked.rollbackOf) : asked;
  const failed = subject.terminal && subject.status !== 'Succeeded';
  let rollback = asked.rollbackOf ? asked : undefined;
  if (!rollback && failed) {
    const id = await rollbackDeploymentId(clients, subject.deploymentId);
    if (id) rollback = await getDeploymentSnapshot(clients.codedeploy, id);
  }
  const listener = await readProductionListener(clients.elbv2, metadata).catch((error: unknown) => {
    if (error instanceof AwsCallError) return error;
    throw error;
  });
  const records = metadata.auditTableName
    ? await newestAuditRecords(clients.ddb, {
        tableName: metadata.auditTableName,
        service: metadata.service,
        deploymentId: subject.deploymentId,
        limit: RECORDS_PER_OBSERVATION,
      })
    : [];
  const control =
    failed && metadata.controlParameterName
      ? await controlRecordOf(clients, metadata.controlParameterName, subject.deploymentId)
      : undefined;
  return {
    subject,
    ...(rollback ? { rollback } : {}),
    records,
    listener,
    ...(control ? { control } : {}),
    terminal: subject.terminal && (rollback?.terminal ?? true),
  };
}

/** The id of CodeDeploy's automatic rollback of a deployment (GetDeployment `rollbackInfo`). */
async function rollbackDeploymentId(clients: AwsClients, deploymentId: string): Promise<string | undefined> {
  const got = await awsCall('codedeploy:GetDeployment', () => clients.codedeploy.send(new GetDeploymentCommand({ deploymentId })));
  return got.deploymentInfo?.rollbackInfo?.rollbackDeploymentId;
}

/** The operator control parameter, if it is about `deploymentId` (who ran `canary rollback`). */
async function controlRecordOf(clients: AwsClients, parameterName: string, deploymentId: string): Promise<ControlRecord | undefined> {
  const record = await readControlRecord(clients.ssm, parameterName);
  return record?.deploymentId === deploymentId ? record : undefined;
}
