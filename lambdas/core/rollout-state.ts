/**
 * Types of the rollout controller: its state (carried from tick to tick by the Step Functions
 * loop), the observation a tick gathers and the actions the controller asks the tick to perform.
 * Pure: no AWS imports.
 */
import type { AuditDraft } from './audit-chain';
import { EcsCanaryError } from './ecs-canary-error';
import type { JudgePolicy } from './judge';
import type { MinuteBucket } from './judge';
import type { RolloutContext } from './judge/input';
import type { TargetGroupRef } from './metadata';
import type { MinuteBuckets } from './observation';
import type { CompiledPlan, HookName, HookWindow } from './rollout-plan';

/** A hook must be answered within one hour of its invocation (CodeDeploy). */
export const HOOK_LIMIT_MS = 60 * 60_000;
/** The engine gives up this long before the hook deadline, to leave time to restore and report. */
export const DEADLINE_MARGIN_MS = 3 * 60_000;
/** After this many failed observations in a row the engine says it is holding blind. */
export const FAILED_OBSERVATIONS_BEFORE_HOLD = 3;

/** The input a hook gives the rollout execution (contracts.md). */
export interface ExecutionInput {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId: string;
  readonly hook: HookName;
  /** ISO time the hook was invoked; the hook deadline counts from it. */
  readonly startedAt: string;
}

/** What a window does, fixed when it starts so that a metadata change cannot alter a running rollout. */
export interface RolloutConfig {
  readonly service: string;
  /** This window's partial-traffic steps; empty for the post-traffic bake. */
  readonly steps: ReadonlyArray<{ readonly index: number; readonly weight: number; readonly bakeMinutes: number }>;
  /** Bake at 100% for AfterAllowTraffic; 0 otherwise. */
  readonly postTrafficBakeMinutes: number;
  readonly holdLimitMinutes: number;
  readonly policy: JudgePolicy;
  /** Whether the service routes a canary header to the replacement during the rollout. */
  readonly canaryHeader: boolean;
  /**
   * True in the last window before CodeDeploy's final shift: its last step's promotion is the shift to 100%, and
   * the header rule goes before it.
   */
  readonly lastWindowBeforeTraffic: boolean;
}

export interface TargetPair {
  readonly replacement: TargetGroupRef;
  readonly original: TargetGroupRef;
}

export type Outcome = 'Succeeded' | 'Failed' | 'Abandoned';

export interface RolloutState {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId: string;
  readonly hook: HookName;
  /** Epoch ms the hook was invoked. */
  readonly startedAt: number;
  /** Epoch ms after which the window gives up (hook limit minus margin). */
  readonly deadlineAt: number;
  readonly config: RolloutConfig;
  readonly status: 'starting' | 'baking' | 'done';
  /** Index into `config.steps` of the current stage (0 for the post-traffic bake). */
  readonly stepIndex: number;
  /** Replacement weight the engine last set (or found, for the post-traffic bake). */
  readonly weight: number;
  readonly stageStartedAt?: number;
  /** Time spent paused during the current stage, added to its hold limit. */
  readonly stagePausedMs: number;
  readonly paused?: { readonly by: string; readonly since: number; readonly reason?: string };
  /** An operator asked to promote the current stage as soon as the judge is not failing it. */
  readonly promoteRequestedBy?: string;
  /** Control `requestId`s already acted on. */
  readonly acknowledgedRequests: readonly string[];
  readonly failedObservations: number;
  /** A hold removed the canary rules (no healthy replacement target); they come back when health does. */
  readonly rulesWithdrawn?: boolean;
  /** Ticks the state machine caught failing in a row, since the first of them (epoch ms). */
  readonly tickFailures?: { readonly since: number; readonly count: number };
  readonly targets?: TargetPair;
  /** `action: warn` metrics already announced in this window (each is announced once). */
  readonly warnedMetrics?: readonly string[];
  /** The rollout this window belongs to (its first shift and latency bar E), shared by every window through the rollout record. */
  readonly rollout?: RolloutContext;
  readonly outcome?: { readonly status: Outcome; readonly reason: string };
}

/** The operator control record (SSM parameter `/ecs-canary/<service>/control`). */
export interface ControlRecord {
  readonly deploymentId: string;
  readonly command: 'promote' | 'pause' | 'resume' | 'abort';
  readonly requestedBy: string;
  /** The operator's IAM identity (sts:GetCallerIdentity ARN), recorded into the chain by the engine. */
  readonly callerArn?: string;
  readonly reason?: string;
  readonly at: string;
  readonly requestId: string;
}

/** What one tick saw. A part that could not be read is absent and named in `errors`. */
export interface Observation {
  /** CodeDeploy's deployment status (`InProgress`, `Stopped`, `Failed`, `Succeeded`, …). */
  readonly deploymentStatus?: string;
  readonly targets?: TargetPair;
  /** Current production listener weights, by role. */
  readonly listener?: { readonly original: number; readonly replacement: number };
  readonly metrics?: MinuteBuckets;
  /**
   * On a window's first tick: the rollout record, if an earlier window (or a redelivered start)
   * wrote one; `null` when read and absent.
   */
  readonly rollout?: RolloutContext | null;
  /** On a window's first tick: the original's minutes of the hour before (requests, p95), for E. */
  readonly history?: readonly MinuteBucket[];
  /** Live target health of the replacement target group. */
  readonly replacementHealth?: { readonly healthy: number; readonly unhealthy: number };
  readonly control?: ControlRecord;
  /**
   * Read only when the listener's weights differ from the state's: this deployment's newest
   * audit records, newest first, so that a retried tick recognizes a shift it recorded and wrote itself.
   */
  readonly recorded?: readonly RecordedDecision[];
  /** The service's freeze switch, read every tick: set during a rollout, it stops the rollout. */
  readonly freeze?: {
    readonly frozen: boolean;
    readonly reason?: string;
    readonly by?: string;
    readonly at?: string;
    readonly callerArn?: string;
  };
  /** Which reads failed and why, e.g. `metrics: ThrottlingException after 4 attempts`. */
  readonly errors: readonly string[];
}

/** What a retried tick needs of an audit record to recognize its own write. */
export interface RecordedDecision {
  /** Epoch ms the record was written. */
  readonly at: number;
  readonly kind: string;
  readonly actor: string;
  readonly hook?: string;
  readonly verdict?: string;
  readonly stage?: { readonly index: number; readonly weight: number };
  readonly weights?: { readonly original: number; readonly replacement: number };
  /** The decision's recorded reason, repeated by a retried tick that repeats the decision. */
  readonly reason?: string;
}

export type Severity = 'info' | 'warning' | 'critical';

export type Action =
  | { readonly kind: 'audit'; readonly draft: AuditDraft }
  /**
   * `purpose: 'shift'` writes only while the deployment is InProgress; `'restore'` always.
   * `ifElsewhere`: a restore whose listener was not read first reads it again and writes only when it
   * sends the replacement traffic; a re-read that fails is retried (the action fails).
   */
  | {
      readonly kind: 'setWeights';
      readonly purpose: 'shift' | 'restore';
      readonly original: number;
      readonly replacement: number;
      readonly ifElsewhere?: true;
    }
  | { readonly kind: 'createHeaderRule' }
  | { readonly kind: 'removeHeaderRule' }
  | { readonly kind: 'reportHook'; readonly status: 'Succeeded' | 'Failed' }
  | { readonly kind: 'notify'; readonly severity: Severity; readonly subject: string; readonly message: string }
  | { readonly kind: 'putWeightMetric'; readonly weight: number }
  /**
   * The test listener back to 100% on the original when it forwards to the replacement (CodeDeploy's
   * AllowTestTraffic put it there, and a stop without rollback leaves it): written like a restore,
   * for the current deployment only and onto an original with a healthy target.
   */
  | { readonly kind: 'restoreTestListener' }
  /** Writes the rollout record once (first writer wins), so later windows judge the same rollout. */
  | { readonly kind: 'recordRollout'; readonly rollout: RolloutContext };

export interface Decision {
  readonly state: RolloutState;
  /** In order; the audit record of a decision always comes before what it decides. */
  readonly actions: readonly Action[];
  readonly waitSeconds: number;
  readonly done: boolean;
}

/** A rollout execution's input that the window cannot start from (a hand-made or foreign execution). */
export class ExecutionInputError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExecutionInputError';
  }
}

/** The state a window starts from. */
export function initialState(
  input: ExecutionInput,
  plan: CompiledPlan,
  service: string,
  options: {
    readonly policy: JudgePolicy;
    readonly canaryHeader: boolean;
  },
): RolloutState {
  const startedAt = Date.parse(input.startedAt);
  if (Number.isNaN(startedAt))
    throw new ExecutionInputError(`execution input startedAt is ${JSON.stringify(input.startedAt)}; accepted: an ISO 8601 time`);
  const window = plan.windows.find((w) => w.hook === input.hook);
  if (window === undefined)
    throw new ExecutionInputError(
      `execution input hook is ${JSON.stringify(input.hook)}; accepted: one of ${plan.windows.map((w) => w.hook).join(', ')}`,
    );
  return {
    deploymentId: input.deploymentId,
    lifecycleEventHookExecutionId: input.lifecycleEventHookExecutionId,
    hook: input.hook,
    startedAt,
    deadlineAt: startedAt + HOOK_LIMIT_MS - DEADLINE_MARGIN_MS,
    config: windowConfig(window, plan, service, options),
    status: 'starting',
    stepIndex: 0,
    weight: 0,
    stagePausedMs: 0,
    acknowledgedRequests: [],
    failedObservations: 0,
  };
}

function windowConfig(
  window: HookWindow,
  plan: CompiledPlan,
  service: string,
  options: { policy: JudgePolicy; canaryHeader: boolean },
): RolloutConfig {
  const later = plan.windows.slice(plan.windows.indexOf(window) + 1).filter((w) => w.hook !== 'AfterAllowTraffic');
  return {
    service,
    steps: window.steps.map((s) => ({ index: s.index, weight: s.weight, bakeMinutes: s.bakeMinutes })),
    postTrafficBakeMinutes: window.hook === 'AfterAllowTraffic' ? window.postTrafficBakeMinutes : 0,
    holdLimitMinutes: plan.holdLimitMinutes,
    policy: options.policy,
    canaryHeader: options.canaryHeader,
    lastWindowBeforeTraffic: window.hook !== 'AfterAllowTraffic' && later.every((w) => w.steps.length === 0),
  };
}

/** An announcement of this rollout (SNS and chat), its subject naming service, deployment and hook. */
export function notifyAction(severity: Severity, state: RolloutState, message: string): Action {
  return { kind: 'notify', severity, subject: `[${severity}] ${state.config.service} ${state.deploymentId} ${state.hook}`, message };
}
