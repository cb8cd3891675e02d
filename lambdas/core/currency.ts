/**
 * Only the deployment group's current deployment moves production traffic (invariant 7). A
 * deployment is current while no other deployment of its group has been created since it —
 * except CodeDeploy's automatic rollback of that same deployment, which is a deployment of its
 * own (`rollbackInfo.rollbackDeploymentId`). A late or duplicate event, a retried tick or a
 * redelivered hook of an older deployment therefore finds a newer deployment and writes no weights.
 * Pure: the adapter (`deploymentHistory` in aws/codedeploy.ts) gathers the inputs.
 */

export interface DeploymentHistory {
  readonly deploymentId: string;
  /** Ids of the group's deployments created at or after this one, of any status (ListDeployments, createTimeRange). */
  readonly createdSince: readonly string[];
  /** CodeDeploy's automatic rollback of this deployment, when it has one (GetDeployment, rollbackInfo). */
  readonly rollbackDeploymentId?: string;
}

export type Currency = { readonly current: true } | { readonly current: false; readonly newer: readonly string[]; readonly reason: string };

/** Whether `history.deploymentId` is still its group's current deployment, and if not, why. */
export function deploymentCurrency(history: DeploymentHistory): Currency {
  const own = new Set([history.deploymentId, ...(history.rollbackDeploymentId ? [history.rollbackDeploymentId] : [])]);
  const newer = history.createdSince.filter((id) => !own.has(id));
  if (newer.length === 0) return { current: true };
  return {
    current: false,
    newer,
    reason: `deployment ${history.deploymentId} is no longer its group's current deployment: ${newer.join(', ')} ${newer.length > 1 ? 'were' : 'was'} created after it`,
  };
}
