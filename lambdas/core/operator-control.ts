/**
 * The operator's commands from the control parameter (`canary pause`, `resume`, `promote`; `abort`
 * is the controller's failure path): which one is pending and what applying it does. Pure.
 */
import { type Action, notifyAction, type Observation, type RolloutState } from './rollout-state';

/** The operator's command for this deployment that this window has not acted on yet. */
export function pendingControl(state: RolloutState, observation: Observation) {
  const control = observation.control;
  if (!control || control.deploymentId !== state.deploymentId || state.acknowledgedRequests.includes(control.requestId)) return undefined;
  return control;
}

/** Remembers a command as acted on (the newest 20), so a re-read control record is not applied twice. */
export function ack(state: RolloutState, requestId: string): RolloutState {
  return { ...state, acknowledgedRequests: [...state.acknowledgedRequests, requestId].slice(-20) };
}

/** Who asked (their IAM identity, when the CLI read it) and when, for the chain. */
export function controlFigures(control: NonNullable<Observation['control']>): Record<string, string> {
  return { requestId: control.requestId, requestedAt: control.at, ...(control.callerArn ? { callerArn: control.callerArn } : {}) };
}

/** Pause, resume or promote: the new state, with the command recorded and announced. */
export function applyControl(
  state: RolloutState,
  control: NonNullable<Observation['control']>,
  now: number,
): { state: RolloutState; actions: Action[] } {
  const acked = ack(state, control.requestId);
  const said = `${control.command} requested by ${control.requestedBy}${control.reason ? `: ${control.reason}` : ''}`;
  const record = (s: RolloutState, action: string): Action[] => [
    {
      kind: 'audit',
      draft: {
        kind: 'event',
        deploymentId: s.deploymentId,
        hook: s.hook,
        verdict: control.command,
        action,
        reason: said,
        actor: control.requestedBy,
        figures: controlFigures(control),
      },
    },
    notifyAction('warning', s, `${said} (${action})`),
  ];
  switch (control.command) {
    case 'pause': {
      const paused = state.paused
        ? acked
        : { ...acked, paused: { by: control.requestedBy, since: now, ...(control.reason ? { reason: control.reason } : {}) } };
      return {
        state: paused,
        actions: record(paused, `hold at ${state.weight}% until resumed (hook deadline ${new Date(state.deadlineAt).toISOString()})`),
      };
    }
    case 'resume': {
      const resumed = { ...acked, paused: undefined, stagePausedMs: acked.stagePausedMs + (state.paused ? now - state.paused.since : 0) };
      return { state: resumed, actions: record(resumed, state.paused ? 'judging resumes' : 'was not paused; nothing to do') };
    }
    default: {
      const promoting = { ...acked, promoteRequestedBy: control.requestedBy };
      return { state: promoting, actions: record(promoting, 'promote the current stage as soon as the judge is not failing it') };
    }
  }
}
