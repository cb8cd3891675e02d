/**
 * The deployment group's rollback on a stop, drawn per release from a random stream of its own: as
 * CanaryService ships it (DEPLOYMENT_STOP_ON_REQUEST) for most releases, without it for the others
 * (the harsher case: nothing but the engine restores production). And the flag of an operator's
 * StopDeployment: `aws deploy stop-deployment` without one leaves autoRollbackEnabled out, so the
 * group decides; with `--auto-rollback-enabled` or `--no-auto-rollback-enabled` the call does. And
 * whether the release starts as soon as the group is quiet, while the last one's late events
 * (its STOP among them) are still on their way.
 */
import { DEPLOYMENT_AUTO_ROLLBACK } from '../../../lib/private/deployment-auto-rollback';
import type { SeededRandom } from './random';

/** Share of releases whose group rolls back a stopped deployment as shipped. */
export const SHIPPED_STOP_ROLLBACK_SHARE = 0.75;

/** Share of releases (after the first) created as soon as the group is quiet rather than five minutes later. */
export const RIGHT_AFTER_SHARE = 0.5;

const OPERATOR_STOP_FLAGS = [undefined, undefined, true, false] as const;
export type StopFlag = (typeof OPERATOR_STOP_FLAGS)[number];

export interface StopRollbackPlan {
  /** The group's automatic rollbacks for this release (failure and alarm always as shipped). */
  readonly autoRollback: { readonly failedDeployment: boolean; readonly stoppedDeployment: boolean; readonly deploymentInAlarm: boolean };
  /** An operator's stop of this release: autoRollbackEnabled as given, or left out (undefined). */
  readonly operatorFlag: StopFlag;
  /** The release is created as soon as the group's last deployment (its rollback included) has ended. */
  readonly rightAfter: boolean;
}

/** Three draws per release, whatever the release is, so a seed's later releases draw the same. */
export function planStopRollback(random: SeededRandom): StopRollbackPlan {
  const asShipped = random.chance(SHIPPED_STOP_ROLLBACK_SHARE);
  const operatorFlag = random.pick(OPERATOR_STOP_FLAGS);
  const rightAfter = random.chance(RIGHT_AFTER_SHARE);
  return {
    autoRollback: { ...DEPLOYMENT_AUTO_ROLLBACK, stoppedDeployment: asShipped && DEPLOYMENT_AUTO_ROLLBACK.stoppedDeployment },
    operatorFlag,
    rightAfter,
  };
}

export const describeStopFlag = (flag: StopFlag): string =>
  flag === undefined ? 'autoRollbackEnabled left out' : `autoRollbackEnabled ${String(flag)}`;
