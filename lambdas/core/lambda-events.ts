/**
 * The fields the hook, guard and start-check Lambdas need from the events they are invoked with,
 * checked before anything runs: a malformed event is refused with one line naming the field, the
 * value and what is accepted, never with a TypeError from deep inside a handler. Pure.
 */
import { EcsCanaryError } from './ecs-canary-error';

export class LambdaEventError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LambdaEventError';
  }
}

/** What CodeDeploy sends a lifecycle hook function. */
export interface CheckedHookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

/** What EventBridge delivers for a CodeDeploy deployment state change (the fields read). */
export interface CheckedDeploymentEvent {
  readonly 'detail-type'?: string;
  readonly detail: {
    readonly deploymentId: string;
    readonly state: string;
    readonly deploymentGroup?: string;
    readonly application?: string;
  };
}

/** A value as JSON on one readable line (cut at 80 characters), for error messages about bad input. */
export function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Checks a CodeDeploy lifecycle hook event. @throws LambdaEventError naming the first bad field. */
export function parseHookEvent(event: unknown, hook: string): CheckedHookEvent {
  const what = `${hook} hook event`;
  if (event === null || typeof event !== 'object' || Array.isArray(event))
    throw new LambdaEventError(`${what} is ${shortJson(event)}; accepted: CodeDeploy's { DeploymentId, LifecycleEventHookExecutionId }`);
  const { DeploymentId, LifecycleEventHookExecutionId } = event as Record<string, unknown>;
  if (!nonEmpty(DeploymentId))
    throw new LambdaEventError(
      `${what}: DeploymentId is ${shortJson(DeploymentId)}; accepted: a CodeDeploy deployment id such as d-ABCDEF123`,
    );
  if (!nonEmpty(LifecycleEventHookExecutionId))
    throw new LambdaEventError(
      `${what}: LifecycleEventHookExecutionId is ${shortJson(LifecycleEventHookExecutionId)}; accepted: the hook execution id CodeDeploy sends`,
    );
  return event as CheckedHookEvent;
}

/**
 * The states each reader's EventBridge rule delivers (lib/rollout-engine.ts, lib/start-check.ts), and
 * so the only ones it accepts: the guard given a SUCCESS would restore a finished release's original.
 */
export const GUARD_EVENT_STATES: readonly string[] = ['FAILURE', 'STOP'];
export const START_CHECK_EVENT_STATES: readonly string[] = ['START', 'READY'];

/** Checks a CodeDeploy Deployment State-change Notification. @throws LambdaEventError naming the first bad field. */
export function parseDeploymentEvent(event: unknown, reader: string, states: readonly string[]): CheckedDeploymentEvent {
  const what = `${reader} event`;
  const detail = (event as { detail?: unknown } | null | undefined)?.detail;
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail))
    throw new LambdaEventError(
      `${what}: detail is ${shortJson(detail)}; accepted: a CodeDeploy Deployment State-change Notification { detail: { deploymentId, state } }`,
    );
  const { deploymentId, state } = detail as Record<string, unknown>;
  if (!nonEmpty(deploymentId))
    throw new LambdaEventError(
      `${what}: detail.deploymentId is ${shortJson(deploymentId)}; accepted: a CodeDeploy deployment id such as d-ABCDEF123`,
    );
  if (!nonEmpty(state))
    throw new LambdaEventError(
      `${what}: detail.state is ${shortJson(state)}; accepted: a deployment state such as START, READY, FAILURE or STOP`,
    );
  if (!states.includes(state))
    throw new LambdaEventError(
      `${what}: detail.state is ${shortJson(state)}; accepted: ${states.join(' or ')}, the states its rule delivers`,
    );
  return event as CheckedDeploymentEvent;
}
