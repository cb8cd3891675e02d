/**
 * The rollout controller: one tick's decision. `next(state, observation, now)` returns the new
 * state, the actions to perform (audit record first, then what it decides) and how long to wait
 * before the next tick. Pure: no AWS imports, `now` (epoch ms) is an argument; it calls the judge.
 *
 * Safety invariants it upholds (architecture.md): never shift weight to a target group without a
 * healthy target; weights it asks for sum to 100; a deployment that is no longer InProgress gets
 * nothing but the restore; every failure restores 100% to the original before reporting Failed;
 * too little evidence never promotes; every decision is recorded with its numbers before the
 * actions that carry it out.
 */
import type { Verdict } from './audit-chain';
import { abandon, blind, fail, hold, RETRY_AFTER_FAILED_OBSERVATION_S, succeed, wait } from './controller-outcomes';
import { afterAudit, audit, type Detail, figuresOf, healthText, healthy, iso } from './controller-record';
import { judge, type JudgeInput, type Verdict as JudgeVerdict } from './judge';
import { buildJudgeInput, type RolloutContext, slowThresholdFrom } from './judge/input';
import { MINUTE_MS } from './observation';
import { ack, applyControl, controlFigures, pendingControl } from './operator-control';
import { ownEnding, ownShift } from './own-shift';
import { TICK_FAILURE_TOLERANCE_MS } from './read-retry';
import {
  type Action,
  type Decision,
  FAILED_OBSERVATIONS_BEFORE_HOLD,
  notifyAction as notify,
  type Observation,
  type RolloutState,
} from './rollout-state';
import { servingWithoutHealthyTarget, withRulesFollowingHealth } from './rules-health';

export { secondsUntilNextMinute } from './controller-outcomes';
export { metricReads } from './judge/input';
export * from './rollout-state';

/** The fail-safe fails at once when the hook deadline is this close: its own retries need the time. */
const TICK_FAILURE_DEADLINE_MARGIN_MS = 3 * MINUTE_MS;
/** Grace beyond the judge's own hold limit before the controller itself fails a holding stage. */
const HOLD_LIMIT_GRACE_MS = 2 * MINUTE_MS;

export function next(state: RolloutState, observation: Observation, now: number): Decision {
  if (state.status === 'done') return { state, actions: [], waitSeconds: 0, done: true };
  const targets = state.targets ?? observation.targets;
  // A tick that runs again ends the run of failed ticks the fail-safe counts.
  const { tickFailures: _ended, ...running } = state;
  const seen: RolloutState = { ...running, ...(targets ? { targets } : {}) };

  if (observation.deploymentStatus !== undefined && observation.deploymentStatus !== 'InProgress') {
    return abandon(seen, observation, now, `deployment is ${observation.deploymentStatus}, no longer InProgress`);
  }
  if (observation.deploymentStatus === undefined || targets === undefined) {
    return blind(seen, observation, now, 'cannot read the deployment or its target groups');
  }
  const control = pendingControl(seen, observation);
  if (control?.command === 'abort') {
    return fail(ack(seen, control.requestId), observation, now, {
      verdict: 'abort',
      actor: control.requestedBy,
      figures: controlFigures(control),
      reason: `aborted by ${control.requestedBy}${control.reason ? `: ${control.reason}` : ''}`,
    });
  }
  if (observation.freeze?.frozen) {
    const by = observation.freeze.by ?? 'someone';
    return fail(seen, observation, now, {
      verdict: 'rollback',
      actor: by,
      reason: `frozen by ${by}${observation.freeze.reason ? `: ${observation.freeze.reason}` : ''}; production returned to the original`,
      figures: { ...figuresOf(seen, observation), freeze: observation.freeze },
    });
  }
  const servingEmpty = servingWithoutHealthyTarget(observation);
  if (servingEmpty) return fail(seen, observation, now, { verdict: 'rollback', reason: servingEmpty });
  if (now >= seen.deadlineAt) {
    return fail(seen, observation, now, {
      verdict: 'fail',
      reason: `hook deadline: the ${seen.hook} window would overrun CodeDeploy's one-hour hook limit (started ${iso(seen.startedAt)})`,
    });
  }
  let current = seen;
  const preActions: Action[] = [];
  if (control) {
    const applied = applyControl(current, control, now);
    current = applied.state;
    preActions.push(...applied.actions);
  }
  const decision = withRulesFollowingHealth(
    current.status === 'starting' ? start(current, observation, now) : bake(current, observation, now),
    observation,
  );
  return { ...decision, actions: [...preActions, ...decision.actions] };
}

/**
 * The tick itself failed repeatedly (the state machine caught it): restore 100% to the original
 * and report Failed, so that a broken engine never leaves production half-shifted until
 * CodeDeploy's hook timeout.
 */
export function failSafe(state: RolloutState, error: string, now: number): Decision {
  if (state.status === 'done') return { state, actions: [], waitSeconds: 0, done: true };
  const since = state.tickFailures?.since ?? now;
  const failing: RolloutState = { ...state, tickFailures: { since, count: (state.tickFailures?.count ?? 0) + 1 } };
  const observation = { errors: [error] };
  // Transient failures (a throttled call, a lost response) hold the stage without writes for a
  // while; a tick failing for longer than the tolerance, or near the hook deadline, fails safe.
  const toleranceMs = Math.min(TICK_FAILURE_TOLERANCE_MS, state.config.holdLimitMinutes * MINUTE_MS);
  if (now - since < toleranceMs && now + TICK_FAILURE_DEADLINE_MARGIN_MS < state.deadlineAt) {
    const reason = `the engine's tick failed (${error}); holding at ${state.weight}% without writes, failing safe if it still fails after ${iso(since + toleranceMs)}`;
    return hold(failing, observation, now, reason, { waitSeconds: RETRY_AFTER_FAILED_OBSERVATION_S });
  }
  const failed = fail(failing, observation, now, {
    verdict: 'fail',
    reason: `the engine's tick failed (${error}) since ${iso(since)}; restoring the original as a precaution`,
  });
  // Without the target groups nothing can be restored: report Failed all the same, and CodeDeploy's rollback reroutes production.
  return state.targets ? failed : { ...failed, actions: failed.actions.filter((a) => a.kind !== 'setWeights') };
}

/**
 * The rollout this window belongs to: the record an earlier window wrote, else a new one starting
 * now with E from the original's history (and an action to record it).
 */
function rolloutOf(
  state: RolloutState,
  observation: Observation,
  now: number,
  startsAt: number,
): { rollout: RolloutContext; actions: Action[] } {
  if (observation.rollout) return { rollout: observation.rollout, actions: [] };
  const slowThresholdMs = slowThresholdFrom(observation.history ?? [], state.config.policy.maxLatencyRatio);
  const rollout: RolloutContext = { startedAt: Math.min(startsAt, now), ...(slowThresholdMs !== undefined ? { slowThresholdMs } : {}) };
  return { rollout, actions: [{ kind: 'recordRollout', rollout }] };
}

function start(state: RolloutState, observation: Observation, now: number): Decision {
  const { config } = state;
  if (observation.rollout === undefined) return blind(state, observation, now, 'cannot read the rollout record');
  if (observation.rollout === null && observation.history === undefined)
    return blind(state, observation, now, "cannot read the original's history");
  if (config.postTrafficBakeMinutes > 0) {
    const { rollout, actions: record } = rolloutOf(state, observation, now, state.startedAt);
    const started: RolloutState = { ...state, status: 'baking', weight: 100, stageStartedAt: state.startedAt, rollout };
    const actions: Action[] = [
      audit(started, observation, {
        kind: 'decision',
        verdict: 'start',
        action: 'bake at 100%',
        reason: `post-traffic bake of ${config.postTrafficBakeMinutes} data-minutes at 100%, judged against the original's rates before AllowTraffic and the absolute bars`,
      }),
      ...(config.canaryHeader ? [{ kind: 'removeHeaderRule' } as const] : []),
      { kind: 'putWeightMetric', weight: 100 },
      notify('info', state, `post-traffic bake started (${config.postTrafficBakeMinutes} min at 100%)`),
    ];
    return wait(started, afterAudit(actions, record), now);
  }
  if (config.steps.length === 0) return succeed(state, observation, now, 'this window has no steps');
  if (state.paused) return hold(state, observation, now, `paused by ${state.paused.by} before the first shift`);
  const step = config.steps[0];
  if (!healthy(observation)) {
    if (now - state.startedAt > config.holdLimitMinutes * MINUTE_MS + HOLD_LIMIT_GRACE_MS) {
      return fail(state, observation, now, {
        verdict: 'rollback',
        reason: `replacement has no healthy target (${healthText(observation)}) ${Math.round((now - state.startedAt) / 60_000)} min after the window started; no production traffic was shifted`,
      });
    }
    return hold(
      state,
      observation,
      now,
      `waiting for a healthy replacement target before shifting to ${step.weight}% (${healthText(observation)})`,
    );
  }
  const overrun = wouldOverrun(state, 0, now);
  if (overrun) return fail(state, observation, now, { verdict: 'fail', reason: overrun });
  const { rollout, actions: record } = rolloutOf(state, observation, now, now);
  const decision = shift(
    { ...state, rollout },
    observation,
    now,
    0,
    `rollout started: ${step.weight}% of production to the replacement for at least ${step.bakeMinutes} data-minutes`,
    'start',
  );
  return { ...decision, actions: afterAudit(decision.actions, record) };
}

function bake(state: RolloutState, observation: Observation, now: number): Decision {
  const stage = currentStage(state);
  const stageStartedAt = state.stageStartedAt ?? now;
  const pausedMs = state.stagePausedMs + (state.paused ? now - state.paused.since : 0);
  const limitAt = stageStartedAt + stage.bakeMs + state.config.holdLimitMinutes * MINUTE_MS + pausedMs + HOLD_LIMIT_GRACE_MS;
  if (observation.listener && observation.listener.replacement !== state.weight) {
    if (!observation.recorded) {
      // Without this window's records a retried write of its own cannot be told from a foreign one: no writes, read again soon.
      const failures = state.failedObservations + 1;
      const unread = `listener weights changed outside the engine or by a retried tick: replacement has ${observation.listener.replacement}%, the engine set ${state.weight}%, and its records could not be read (${observation.errors.join('; ')})`;
      if (failures < FAILED_OBSERVATIONS_BEFORE_HOLD)
        return hold(
          { ...state, failedObservations: failures },
          observation,
          now,
          `${unread}; failed observation ${failures} in a row, no writes`,
          { waitSeconds: RETRY_AFTER_FAILED_OBSERVATION_S },
        );
      return fail(state, observation, now, { verdict: 'fail', reason: `${unread} ${failures} times in a row` });
    }
    const own = ownShift(state, observation);
    if (own)
      return hold(
        own,
        observation,
        now,
        `the listener sends ${own.weight}% to the replacement, the shift this window recorded at ${iso(own.stageStartedAt!)} before writing it (a retried tick); carrying on at ${own.weight}%`,
      );
    const ending = ownEnding(state, observation);
    if (ending?.verdict === 'succeed')
      return succeed(
        state,
        observation,
        now,
        `this window answered Succeeded at ${iso(ending.at)} and the listener has moved on (${observation.listener.replacement}% to the replacement); a retried tick repeats the answer and writes no weights`,
      );
    if (ending)
      return fail(state, observation, now, {
        verdict: ending.verdict as Verdict,
        reason: ending.reason ?? `repeats the ${ending.verdict} this window recorded at ${iso(ending.at)} (a retried tick)`,
      });
    return fail(state, observation, now, {
      verdict: 'fail',
      reason: `listener weights changed outside the engine: replacement has ${observation.listener.replacement}%, the engine set ${state.weight}%${observation.recorded ? ' and recorded no such shift' : ''}`,
    });
  }
  if (!observation.metrics) {
    const failures = state.failedObservations + 1;
    const counted = { ...state, failedObservations: failures };
    if (now > limitAt) {
      return fail(counted, observation, now, {
        verdict: 'rollback',
        reason: `insufficient evidence: no metrics for ${failures} observations in a row (${observation.errors.join('; ')}) and the stage is past its hold limit`,
      });
    }
    const text = `no evidence this tick (${observation.errors.join('; ') || 'metrics unavailable'}), failed observation ${failures} in a row`;
    if (failures >= FAILED_OBSERVATIONS_BEFORE_HOLD) {
      const notice =
        failures === FAILED_OBSERVATIONS_BEFORE_HOLD
          ? [notify('warning', state, `holding at ${state.weight}%: ${failures} failed observations in a row`)]
          : [];
      return hold(counted, observation, now, `holding at ${state.weight}%: ${text}`, { extra: notice });
    }
    return hold(counted, observation, now, text, { waitSeconds: RETRY_AFTER_FAILED_OBSERVATION_S });
  }
  const verdict = judge(judgeInput(state, observation, stage, pausedMs, now), state.config.policy);
  const warned = newWarnings(state, verdict.warnings);
  const observed: RolloutState = {
    ...state,
    failedObservations: 0,
    ...(warned.length > 0 ? { warnedMetrics: [...(state.warnedMetrics ?? []), ...warned.map((w) => w.metric)] } : {}),
  };
  const announce = (decision: Decision): Decision =>
    warned.length === 0
      ? decision
      : {
          ...decision,
          actions: [
            ...decision.actions,
            ...warned.map((w) => notify('warning', observed, `warning, not rolled back (action: warn): ${w.detail}`)),
          ],
        };
  const figures = figuresOf(observed, observation);
  const reasons = verdict.reasons;
  if (verdict.decision === 'rollback') {
    return announce(fail(observed, observation, now, { verdict: 'rollback', reason: verdict.summary, reasons, figures }));
  }
  if (state.paused) {
    return announce(
      hold(observed, observation, now, `paused by ${state.paused.by}; judge: ${verdict.summary}`, { detail: { reasons, figures } }),
    );
  }
  const operatorPromote = state.promoteRequestedBy !== undefined && verdict.decision === 'hold';
  if (verdict.decision === 'promote' || operatorPromote) {
    const why = operatorPromote ? `promoted by ${state.promoteRequestedBy} (judge not failing: ${verdict.summary})` : verdict.summary;
    return announce(promote(observed, observation, now, why, { reasons, figures }));
  }
  // Minutes without any traffic (a gap) do not use up the hold limit; the hook deadline still applies.
  if (now > limitAt + (verdict.quietMs ?? 0)) {
    return announce(
      fail(observed, observation, now, {
        verdict: 'rollback',
        reason: `insufficient evidence: still holding ${Math.round((now - stageStartedAt) / 60_000)} min into the stage (${verdict.summary})`,
        reasons,
        figures,
      }),
    );
  }
  return announce(hold(observed, observation, now, verdict.summary, { detail: { reasons, figures } }));
}

/** The `warn` metrics the verdict names that this window has not announced yet. */
function newWarnings(state: RolloutState, warnings: JudgeVerdict['warnings']): NonNullable<JudgeVerdict['warnings']> {
  return (warnings ?? []).filter((w) => !(state.warnedMetrics ?? []).includes(w.metric));
}

function promote(state: RolloutState, observation: Observation, now: number, why: string, detail: Detail): Decision {
  const nextIndex = state.stepIndex + 1;
  if (state.config.postTrafficBakeMinutes > 0 || nextIndex >= state.config.steps.length) {
    return succeed(state, observation, now, why, detail);
  }
  if (!healthy(observation)) {
    return hold(state, observation, now, `judge would promote, but the replacement has no healthy target (${healthText(observation)})`, {
      detail,
    });
  }
  const overrun = wouldOverrun(state, nextIndex, now);
  if (overrun) return fail(state, observation, now, { verdict: 'fail', reason: overrun, ...detail });
  const step = state.config.steps[nextIndex];
  return shift(state, observation, now, nextIndex, `promoted from ${state.weight}% to ${step.weight}%: ${why}`, 'promote', detail);
}

function shift(
  state: RolloutState,
  observation: Observation,
  now: number,
  index: number,
  reason: string,
  verdict: Verdict,
  detail: Detail = {},
): Decision {
  const step = state.config.steps[index];
  const shifted: RolloutState = {
    ...state,
    status: 'baking',
    stepIndex: index,
    weight: step.weight,
    stageStartedAt: now,
    stagePausedMs: 0,
    promoteRequestedBy: undefined,
  };
  const actions: Action[] = [
    audit(shifted, observation, {
      kind: 'decision',
      verdict,
      action: `set weights ${100 - step.weight}/${step.weight}`,
      reason,
      ...detail,
    }),
    ...(state.config.canaryHeader && state.status === 'starting' ? [{ kind: 'createHeaderRule' } as const] : []),
    { kind: 'setWeights', purpose: 'shift', original: 100 - step.weight, replacement: step.weight },
    { kind: 'putWeightMetric', weight: step.weight },
    notify('info', shifted, reason),
  ];
  return wait(shifted, actions, now);
}

/** Whether the remaining bakes of this window, from step `fromIndex` on, fit before the deadline. */
function wouldOverrun(state: RolloutState, fromIndex: number, now: number): string | undefined {
  const remainingMs = state.config.steps.slice(fromIndex).reduce((sum, s) => sum + s.bakeMinutes * MINUTE_MS, 0);
  if (now + remainingMs <= state.deadlineAt) return undefined;
  return `hook deadline: the remaining bakes of the ${state.hook} window (${Math.round(remainingMs / 60_000)} min from ${state.config.steps[fromIndex].weight}%) would end after ${iso(state.deadlineAt)}, past CodeDeploy's one-hour hook limit less a safety margin`;
}

function currentStage(state: RolloutState): { weight: number; bakeMs: number; index: number } {
  if (state.config.postTrafficBakeMinutes > 0) return { weight: 100, bakeMs: state.config.postTrafficBakeMinutes * MINUTE_MS, index: -1 };
  const step = state.config.steps[state.stepIndex];
  return { weight: step.weight, bakeMs: step.bakeMinutes * MINUTE_MS, index: step.index };
}

function judgeInput(
  state: RolloutState,
  observation: Observation,
  stage: { weight: number; bakeMs: number },
  pausedMs: number,
  now: number,
): JudgeInput {
  const stageStartedAt = state.stageStartedAt ?? now;
  const isFinal =
    state.config.lastWindowBeforeTraffic && state.stepIndex === state.config.steps.length - 1 && state.config.postTrafficBakeMinutes === 0;
  return buildJudgeInput(observation.metrics!, {
    now,
    rollout: state.rollout ?? { startedAt: stageStartedAt },
    stage: {
      weight: stage.weight,
      startedAt: stageStartedAt,
      bakeMinutes: Math.round(stage.bakeMs / MINUTE_MS),
      // While paused the judge must not run out of hold time; the hook deadline still applies.
      holdLimitMs: state.paused ? state.deadlineAt - stageStartedAt : state.config.holdLimitMinutes * MINUTE_MS + pausedMs,
      final: isFinal,
    },
    ...(observation.replacementHealth ? { canaryTargets: observation.replacementHealth } : {}),
  });
}
