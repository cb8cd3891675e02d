/**
 * Gathers what the CLI shows about a deployment: CodeDeploy's view, the production listener's
 * real weights (the engine shifts them itself) and the engine's newest audit records.
 */
import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import type { AuditRecord } from '../../lambdas/core/audit-chain';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { newestAuditRecords } from '../deploy/audit';
import { activeDeployments } from '../deploy/deployment';
import { awsCall } from '../deploy/errors';
import { getDeploymentSnapshot, readProductionListener, trafficWeights, type DeploymentSnapshot } from '../deploy/observe';
import type { AwsClients } from './context';
import { CommandFailedError } from './exit';
import { progressState, type ProgressState } from './progress/model';

export interface Observation {
  readonly snapshot: DeploymentSnapshot;
  readonly records: readonly AuditRecord[];
  readonly progress: ProgressState;
  readonly terminal: boolean;
  /** The progress again at a later time, without reading AWS (for a ticking countdown). */
  readonly at: (now: Date) => ProgressState;
}

/** Audit records read per observation: enough to find the stage start and the last verdict. */
const RECORDS_PER_OBSERVATION = 30;

export async function observeDeployment(
  clients: AwsClients,
  metadata: DeploymentMetadata,
  deploymentId: string,
  now: () => Date,
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
  return {
    snapshot,
    records,
    progress: progressState(metadata, snapshot, weights, records, now()),
    terminal: snapshot.terminal,
    at: (later) => progressState(metadata, snapshot, weights, records, later),
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
