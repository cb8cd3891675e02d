/**
 * Idempotent tick retries, pure: whether a difference between the listener and the rollout state
 * is a write this window recorded and made itself (a tick that died after its write and was
 * retried with its old state), or a write nobody recorded.
 */
import type { Observation, RecordedDecision, RolloutState } from './rollout-state';

/** Verdicts whose action writes nothing to the listener: a retried tick looks past them. */
const WRITES_NOTHING = new Set(['hold']);
/** Verdicts that restore the original and report Failed. */
export const FAILING_VERDICTS = new Set(['fail', 'rollback', 'abort']);

/**
 * The newest decision this window recorded that acts on production (a hold writes nothing, and
 * a failed tick's fail-safe records holds after the shift it made), if it was recorded since the
 * current stage began; older records belong to decisions the state already reflects.
 */
export function newestActingDecision(state: RolloutState, observation: Observation): RecordedDecision | undefined {
  const newest = observation.recorded?.find(
    (r) => r.actor === 'engine' && r.kind === 'decision' && r.hook === state.hook && !WRITES_NOTHING.has(r.verdict ?? ''),
  );
  if (!newest || newest.at < (state.stageStartedAt ?? state.startedAt)) return undefined;
  return newest;
}

/**
 * A tick records a shift before writing it; if it dies after the write, Step Functions retries it
 * with the state from before. The listener then matches the newest acting decision this window
 * recorded — a shift to a later step of this window — and the retried tick adopts it. Any other
 * difference is a write nobody recorded (or a recorded ending, see `ownEnding`).
 */
export function ownShift(state: RolloutState, observation: Observation): RolloutState | undefined {
  const listener = observation.listener;
  const newest = newestActingDecision(state, observation);
  if (!listener || !newest || (newest.verdict !== 'start' && newest.verdict !== 'promote')) return undefined;
  if (newest.weights?.replacement !== listener.replacement) return undefined;
  const stepIndex = state.config.steps.findIndex((s) => s.index === newest.stage?.index && s.weight === listener.replacement);
  if (stepIndex < 0 || stepIndex <= state.stepIndex) return undefined;
  return {
    ...state,
    status: 'baking',
    stepIndex,
    weight: listener.replacement,
    stageStartedAt: newest.at,
    stagePausedMs: 0,
    promoteRequestedBy: undefined,
    failedObservations: 0,
  };
}

/**
 * The window's ending a retried tick finds recorded: this window already decided to report
 * Succeeded (CodeDeploy may have moved on, AllowTraffic sending 100% to the replacement) or to
 * restore the original and report Failed. The retried tick repeats that decision — the answer
 * (CodeDeploy ignores a second one) and, for a failure, the restore — and adopts no weight.
 */
export function ownEnding(state: RolloutState, observation: Observation): RecordedDecision | undefined {
  const newest = newestActingDecision(state, observation);
  if (!newest || !observation.listener) return undefined;
  if (newest.verdict === 'succeed' || FAILING_VERDICTS.has(newest.verdict ?? '')) return newest;
  return undefined;
}
