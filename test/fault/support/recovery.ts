/**
 * Whether the deployment group deploys again after a release stopped without CodeDeploy's
 * rollback. Such a stop can leave a listener on the stopped release's replacement, and CodeDeploy
 * then fails every deployment of the group at its start ("Primary taskset target group must be
 * behind listener"); the guard puts both listeners back on the original task set's target group.
 *
 * What the engine can promise is RECOVERY_RELEASES clean releases: the first release after the stop
 * may be created before the stopped release's guard has written (Lambda retries a failed invocation
 * a minute or more later, and a guard beaten by a newer deployment writes nothing, invariant 7), and
 * then fails at its start; that failed release is the group's current deployment, its own guard
 * restores both listeners (guard-primary.ts), and the release after it deploys. A release created
 * while that guard, too, is still being retried can fail as well: the campaign's recovery releases
 * are therefore created five minutes after the group is quiet, as the campaign's ordinary ones are.
 */
import type { FakeAws } from '../../support';

/** Clean, undisturbed releases after a stop without rollback within which one must succeed. */
export const RECOVERY_RELEASES = 2;

export interface RecoveryRelease {
  readonly index: number;
  readonly deploymentId: string;
  readonly undisturbed: boolean;
}

/** A release that ended Stopped with no rollback deployment of CodeDeploy's. */
function stoppedWithoutRollback(world: FakeAws, release: RecoveryRelease): boolean {
  const d = world.codedeploy.deployment(release.deploymentId);
  return d.status === 'Stopped' && !d.rollbackInfo?.rollbackDeploymentId;
}

interface Window {
  readonly stop: RecoveryRelease;
  /** The clean, undisturbed releases after the stop, up to the next stop without rollback. */
  readonly clean: readonly RecoveryRelease[];
  readonly last: boolean;
}

function windows(world: FakeAws, releases: readonly RecoveryRelease[]): Window[] {
  const stops = releases.filter((r) => stoppedWithoutRollback(world, r));
  return stops.map((stop, i) => {
    const next = stops[i + 1]?.index ?? Number.POSITIVE_INFINITY;
    return { stop, clean: releases.filter((r) => r.index > stop.index && r.index < next && r.undisturbed), last: i === stops.length - 1 };
  });
}

const succeeded = (world: FakeAws, r: RecoveryRelease) => world.codedeploy.deployment(r.deploymentId).status === 'Succeeded';

/** Whether the run needs one more clean release to tell whether the group deploys again after its last stop without rollback. */
export function recoveryPending(world: FakeAws, releases: readonly RecoveryRelease[]): boolean {
  const last = windows(world, releases).at(-1);
  if (!last) return false;
  const judged = last.clean.slice(0, RECOVERY_RELEASES);
  return judged.length < RECOVERY_RELEASES && !judged.some((r) => succeeded(world, r));
}

/** One message per stop without rollback after which none of the first RECOVERY_RELEASES clean releases succeeded. */
export function recoveryFailures(world: FakeAws, releases: readonly RecoveryRelease[]): string[] {
  return windows(world, releases).flatMap(({ stop, clean, last }) => {
    const judged = clean.slice(0, RECOVERY_RELEASES);
    if (judged.some((r) => succeeded(world, r))) return [];
    // Another stop came before enough clean releases to tell: the next window judges the group.
    if (judged.length < RECOVERY_RELEASES && !last) return [];
    const outcomes = judged.map((r) => {
      const d = world.codedeploy.deployment(r.deploymentId);
      return `release ${r.index} (${r.deploymentId}) ${d.status}${d.errorInformation ? `: ${d.errorInformation.message.slice(0, 100)}` : ''}`;
    });
    return [
      `after release ${stop.index} (${stop.deploymentId}) was stopped without CodeDeploy's rollback, none of the next ${RECOVERY_RELEASES} clean releases succeeded: ${outcomes.join('; ') || 'none ran'}`,
    ];
  });
}
