/**
 * How a tick ends: succeed, fail (restore, then report Failed), abandon (the deployment moved on),
 * blind (nothing could be read), hold, or wait for the next complete minute. Pure.
 */
import type { Verdict } from './audit-chain';
import { audit, type Detail } from './controller-record';
import { type Action, type Decision, notifyAction as notify, type Observation, type RolloutState } from './rollout-state';

/** Ticks run this many seconds past the minute, when the minute that ended 90 s ago is complete. */
const TICK_SECOND = 32;
export const RETRY_AFTER_FAILED_OBSERVATION_S = 30;

export function succeed(state: RolloutState, observation: Observation, _now: number, why: string, detail: Detail = {}): Decision {
  const last = state.config.postTrafficBakeMinutes > 0 ? 'post-traffic bake passed' : `${state.hook} window complete at ${state.weight}%`;
  const reason = `${last}: ${why}`;
  const done: RolloutState = { ...state, status: 'done', outcome: { status: 'Succeeded', reason } };
  const actions: Action[] = [
    audit(done, observation, { kind: 'decision', verdict: 'succeed', action: 'report Succeeded', reason, ...detail }),
    ...(state.config.lastWindowBeforeTraffic && state.config.canaryHeader ? [{ kind: 'removeHeaderRule' } as const] : []),
    { kind: 'reportHook', status: 'Succeeded' },
    notify('info', done, reason),
  ];
  return { state: done, actions, waitSeconds: 0, done: true };
}

/** Every failure path: record, remove the header rule, restore 100% to the original, then report Failed. */
export function fail(
  state: RolloutState,
  observation: Observation,
  _now: number,
  why: Detail & { verdict: Verdict; reason: string; actor?: string },
): Decision {
  const done: RolloutState = { ...state, status: 'done', weight: 0, outcome: { status: 'Failed', reason: why.reason } };
  const actions: Action[] = [
    audit(done, observation, {
      kind: 'decision',
      verdict: why.verdict,
      action: 'restore 100% to the original and report Failed',
      reason: why.reason,
      ...(why.reasons ? { reasons: why.reasons } : {}),
      ...(why.figures ? { figures: why.figures } : {}),
      ...(why.actor ? { actor: why.actor } : {}),
    }),
    ...restoreActions(state),
    { kind: 'reportHook', status: 'Failed' },
    notify('critical', done, `rolled back: ${why.reason}`),
  ];
  return { state: done, actions, waitSeconds: 0, done: true };
}

/** The deployment is no longer InProgress: restore only, no hook report (CodeDeploy has moved on). */
export function abandon(state: RolloutState, observation: Observation, _now: number, reason: string): Decision {
  const done: RolloutState = { ...state, status: 'done', weight: 0, outcome: { status: 'Abandoned', reason } };
  // A Succeeded deployment's original task set is gone (CodeDeploy deleted it): production stays
  // where CodeDeploy left it. A late retry of the tick that answered Succeeded lands here.
  const succeeded = observation.deploymentStatus === 'Succeeded';
  const canRestore = state.targets !== undefined && !succeeded;
  const nothing = succeeded ? 'nothing (the deployment succeeded; its original task set is gone)' : 'nothing (target groups unknown)';
  const actions: Action[] = [
    audit(done, observation, {
      kind: 'event',
      verdict: 'abandon',
      action: canRestore ? 'restore 100% to the original; no other write' : nothing,
      reason,
    }),
    ...(canRestore ? restoreActions(state) : []),
    notify('warning', done, `stopped following the rollout: ${reason}`),
  ];
  return { state: done, actions, waitSeconds: 0, done: true };
}

export function restoreActions(state: RolloutState): Action[] {
  return [
    ...(state.config.canaryHeader ? [{ kind: 'removeHeaderRule' } as const] : []),
    { kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 },
    { kind: 'putWeightMetric', weight: 0 },
  ];
}

/** The deployment status or target groups could not be read: no writes, try again soon. */
export function blind(state: RolloutState, observation: Observation, now: number, what: string): Decision {
  if (now >= state.deadlineAt && state.targets) {
    return fail(state, observation, now, {
      verdict: 'fail',
      reason: `hook deadline reached while the engine ${what} (${observation.errors.join('; ')})`,
    });
  }
  const failures = state.failedObservations + 1;
  return hold(
    { ...state, failedObservations: failures },
    observation,
    now,
    `${what} (${observation.errors.join('; ')}); failed observation ${failures} in a row, no writes`,
    { waitSeconds: RETRY_AFTER_FAILED_OBSERVATION_S },
  );
}

/** Every hold. Rules follow health: no canary rule while the replacement has no healthy target. */
export interface HoldOptions {
  /** Actions after the hold's record and rule removal, e.g. a notice. */
  readonly extra?: Action[];
  /** @default - until 32 s past the next minute */
  readonly waitSeconds?: number;
  /** The judge's reasons and figures, for the record. */
  readonly detail?: Detail;
}

export function hold(state: RolloutState, observation: Observation, now: number, reason: string, options: HoldOptions = {}): Decision {
  const { extra = [], waitSeconds, detail = {} } = options;
  const withdraw = state.config.canaryHeader && observation.replacementHealth !== undefined && observation.replacementHealth.healthy < 1;
  const action = `hold at ${state.weight}%${withdraw ? ', remove the canary rules (no healthy replacement target)' : ''}`;
  const actions: Action[] = [
    audit(state, observation, { kind: 'decision', verdict: 'hold', action, reason, ...detail }),
    ...(withdraw ? [{ kind: 'removeHeaderRule' } as const] : []),
    ...extra,
  ];
  return wait(state, actions, now, waitSeconds);
}

export function wait(state: RolloutState, actions: Action[], now: number, waitSeconds?: number): Decision {
  return { state, actions, waitSeconds: waitSeconds ?? secondsUntilNextMinute(now), done: false };
}

/** Seconds until the next tick: the next time a new complete minute is available. */
export function secondsUntilNextMinute(now: number): number {
  const second = Math.floor(now / 1000) % 60;
  const wait = (TICK_SECOND - second + 60) % 60;
  return wait < 15 ? wait + 60 : wait;
}
