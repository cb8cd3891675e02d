/**
 * The guard's decision, pure: a deployment of this group FAILED or was STOPPED (EventBridge).
 * An event of a deployment that is no longer its group's current one (a late or duplicate
 * delivery), or whose currency cannot be established, is recorded as ignored and writes nothing.
 * For the current deployment: record why, remove the header rule, and restore 100% to the
 * original unless the listener is known to send the replacement nothing already — an unreadable
 * listener is restored anyway — or the original has no healthy target (then nothing is written
 * and CodeDeploy's rollback is left to reroute). The restore is made final by a fence and a
 * re-check (docs/guard-fence.md): the timing of the re-check and what it decides are here too.
 * The test listener goes back to the original too when it still forwards to the replacement: a stop
 * without CodeDeploy's rollback leaves it there, and the group's next deployment would fail at its start.
 */
import type { Currency } from './currency';
import type { Action } from './rollout-state';

export interface GuardInput {
  readonly deploymentId: string;
  /** The CodeDeploy state of the event (`FAILURE`, `STOP`). */
  readonly state: string;
  readonly service: string;
  /** Production listener weights by role, or undefined when they could not be read. */
  readonly weights?: { readonly original: number; readonly replacement: number };
  readonly canaryHeader: boolean;
  /** Why it stopped, as far as the guard could read it (each part absent when unreadable). */
  readonly context?: StopContext;
  /** The original target group's live health (DescribeTargetHealth), or undefined when unreadable. */
  readonly originalHealth?: { readonly healthy: number; readonly unhealthy: number };
  /** Test listener weights by role, or undefined when they could not be read. */
  readonly testWeights?: { readonly original: number; readonly replacement: number };
}

/** Why the test listener goes back to the original, for the record; empty when it does not need to (pure). */
export function testListenerNote(testWeights: { readonly replacement: number } | undefined, original: string): string {
  return testWeights && testWeights.replacement > 0
    ? `; the test listener still sent ${testWeights.replacement}% to ${original === 'the original' ? 'the replacement' : 'the other target group'}, restoring it to ${original} too (left there, the group's next deployment fails at its start: "Primary taskset target group must be behind listener")`
    : '';
}

export interface IgnoredEvent {
  readonly reason: string;
  readonly record: Action;
  readonly actions: readonly Action[];
}

/**
 * Why an event is not for this service's deployment group, or undefined when it is (or does not
 * say). The EventBridge rule matches the group; this holds when an event reaches the guard
 * another way (a hand-made invocation, a rule edited by hand): nothing is fenced or written for
 * another group's deployment.
 */
export function foreignGroup(
  detail: { readonly application?: string; readonly deploymentGroup?: string },
  own: { readonly applicationName: string; readonly deploymentGroupName: string },
): string | undefined {
  const { application, deploymentGroup } = detail;
  if (application === undefined && deploymentGroup === undefined) return undefined;
  if (application === own.applicationName && deploymentGroup === own.deploymentGroupName) return undefined;
  return `the event is of ${application ?? '(no application)'}/${deploymentGroup ?? '(no deployment group)'}, not of this service's group ${own.applicationName}/${own.deploymentGroupName}; nothing written`;
}

/**
 * The event's deployment is not its group's current one (`currency.current` false), or that could
 * not be established (`currency` undefined): no weight and no rule is written — a newer
 * deployment may be serving from, or shifting to, the target groups this deployment knew.
 */
export function guardIgnore(input: {
  readonly deploymentId: string;
  readonly state: string;
  readonly service: string;
  readonly currency?: Currency;
  readonly readError?: string;
}): IgnoredEvent {
  const { deploymentId, state, currency } = input;
  const unknown = currency === undefined;
  const reason = unknown
    ? `${state} event of ${deploymentId} ignored: cannot establish that it is the deployment group's current deployment (${input.readError ?? 'unreadable'}); nothing written, production is left to CodeDeploy's rollback`
    : `${state} event of ${deploymentId} ignored: ${currency.current ? 'it is current' : currency.reason}; nothing written`;
  const severity = unknown ? 'critical' : 'warning';
  const figures = { event: state, ...(currency && !currency.current ? { newerDeployments: currency.newer } : {}) };
  return ignored(input.service, deploymentId, state, reason, severity, figures);
}

/** What the guard records about why a deployment stopped (docs/audit.md). */
export interface StopContext {
  /** The deployment group's rollback alarms in ALARM (DescribeAlarms): name, state and CloudWatch's reason. */
  readonly alarms?: ReadonlyArray<{ readonly name: string; readonly state: string; readonly reason: string }>;
  /** The operator's `canary rollback` of this deployment (the control parameter): who and why. */
  readonly operator?: {
    readonly requestedBy: string;
    readonly callerArn?: string;
    readonly reason?: string;
    readonly requestId: string;
    readonly at: string;
  };
  /** ecs-canary's own start check stopped the deployment (its record of the stop): when and why. */
  readonly startCheck?: { readonly at: string; readonly reason: string };
  /** The judge's newest decision record of this deployment: its figures at that moment. */
  readonly judge?: {
    readonly sk: number;
    readonly at: string;
    readonly verdict?: string;
    readonly reason: string;
    readonly figures?: Readonly<Record<string, unknown>>;
  };
}

/**
 * The event's deployment has no replacement task set the guard can name (stopped before Install,
 * or a task set outside this service's target groups): no traffic can have moved to a replacement
 * of it, so nothing is written; the guard records that it ignored the event and why, and does not
 * throw (Lambda would retry the event for nothing).
 */
export function guardNoTargets(input: {
  readonly deploymentId: string;
  readonly state: string;
  readonly service: string;
  readonly why: string;
  readonly beforeInstall: boolean;
}): IgnoredEvent {
  const { deploymentId, state } = input;
  const reason = `${state} event of ${deploymentId} ignored: ${input.beforeInstall ? 'the deployment ended before CodeDeploy created its replacement task set, so no traffic moved to it' : "its task sets do not match the service's target groups"} (${input.why}); nothing written`;
  const severity = input.beforeInstall ? 'warning' : 'critical';
  return ignored(input.service, deploymentId, state, reason, severity, { event: state });
}

/** The record and the announcement of an event the guard ignores. */
function ignored(
  service: string,
  deploymentId: string,
  state: string,
  reason: string,
  severity: 'warning' | 'critical',
  figures: Record<string, unknown>,
): IgnoredEvent {
  const record: Action = {
    kind: 'audit',
    draft: { kind: 'event', deploymentId, verdict: 'ignore', action: 'no listener write', reason, actor: 'guard', figures },
  };
  return {
    reason,
    record,
    actions: [{ kind: 'notify', severity, subject: `[${severity}] ${service} ${deploymentId} ${state} ignored`, message: reason }],
  };
}

/** What stopped the deployment, or undefined when the guard could not tell (no context, or CodeDeploy's own failure) (pure). */
export function stopCause(state: string, context: StopContext | undefined): string | undefined {
  if (!context) return undefined;
  if (context.startCheck) return `ecs-canary's start check, which stopped it with rollback at its start (${context.startCheck.reason})`;
  const alarms = context.alarms ?? [];
  if (alarms.length > 0)
    return `alarm${alarms.length > 1 ? 's' : ''} ${alarms.map((a) => `${a.name} (${a.reason || a.state})`).join(', ')} in ALARM`;
  if (context?.operator)
    return `canary rollback by ${context.operator.requestedBy}${context.operator.callerArn ? ` (${context.operator.callerArn})` : ''}${context.operator.reason ? `: ${context.operator.reason}` : ''}`;
  return state === 'STOP'
    ? 'a StopDeployment from outside the engine (no rollback alarm in ALARM, no canary rollback recorded)'
    : undefined;
}

export interface GuardDecision {
  readonly restore: boolean;
  readonly reason: string;
  /** The audit record: written first, before anything is acted on (invariant 6). */
  readonly record: Action;
  /** What to do after the rollout executions are stopped, in order. */
  readonly actions: readonly Action[];
}

export function guardDecision(input: GuardInput): GuardDecision {
  const { deploymentId, state, weights } = input;
  const needed = weights === undefined || weights.replacement > 0;
  const emptyOriginal = needed && input.originalHealth !== undefined && input.originalHealth.healthy < 1;
  const restore = needed && !emptyOriginal;
  const cause = stopCause(state, input.context);
  const originalEmpty = input.originalHealth !== undefined && input.originalHealth.healthy < 1;
  // The test listener carries no production traffic: it is restored whenever it may still forward
  // to the replacement (unreadable counts as may) and the original is not known to be empty.
  const restoreTest = !originalEmpty && (input.testWeights === undefined || input.testWeights.replacement > 0);
  const reason = `deployment ${state === 'STOP' ? 'stopped' : 'failed'} (${state})${cause ? ` by ${cause}` : ''}; ${
    emptyOriginal
      ? `the listener still sent ${weights?.replacement ?? 'an unknown share'}% to the replacement, but the original has no healthy target (${input.originalHealth!.healthy} healthy, ${input.originalHealth!.unhealthy} unhealthy): nothing written, production is left to CodeDeploy's rollback`
      : restore
        ? `the listener still sent ${weights?.replacement ?? 'an unknown share'}% to the replacement, restoring 100% to the original`
        : 'the listener already sends 100% to the original'
  }${originalEmpty ? '' : testListenerNote(input.testWeights, 'the original')}`;
  const record: Action = {
    kind: 'audit',
    draft: {
      kind: 'event',
      deploymentId,
      verdict: 'restore',
      action: `${restore ? 'restore 100% to the original, ' : ''}remove the header rule, stop the rollout executions${restoreTest ? ', restore the test listener to the original' : ''}`,
      reason,
      actor: input.context?.operator?.requestedBy ?? 'guard',
      ...(weights ? { weights } : {}),
      figures: {
        event: state,
        ...(input.originalHealth ? { originalTargets: input.originalHealth } : {}),
        ...(input.testWeights ? { testWeights: input.testWeights } : {}),
        ...(input.context?.alarms ? { alarms: input.context.alarms } : {}),
        ...(input.context?.operator ? { operator: input.context.operator } : {}),
        ...(input.context?.judge ? { judge: input.context.judge } : {}),
      },
    },
  };
  const actions: Action[] = [
    ...(input.canaryHeader ? [{ kind: 'removeHeaderRule' } as const] : []),
    ...(restore
      ? [
          { kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 } as const,
          { kind: 'putWeightMetric', weight: 0 } as const,
        ]
      : []),
    ...(restoreTest ? [{ kind: 'restoreTestListener' } as const] : []),
    { kind: 'notify', severity: 'critical', subject: `[critical] ${input.service} ${deploymentId} ${state}`, message: reason },
  ];
  return { restore, reason, record, actions };
}

/** The tick Lambda's timeout (lib/rollout-engine.ts): no tick invocation runs longer. */
export const TICK_TIMEOUT_MS = 60_000;
/** Time for ELB to apply a request a tick sent just before its timeout (seconds at most; generous). */
export const IN_FLIGHT_MARGIN_MS = 30_000;
/** A tick that checked the fence before it was written cannot write later than this after it. */
export const RECHECK_AFTER_FENCE_MS = TICK_TIMEOUT_MS + IN_FLIGHT_MARGIN_MS;
/** What the guard keeps of its own remaining time for the re-check's calls. */
export const RECHECK_RESERVE_MS = 10_000;

/** The fence the guard writes before it restores: no shift or header rule of this deployment after it. */
export interface Fence {
  readonly deploymentId: string;
  /** The CodeDeploy state of the event (`FAILURE`, `STOP`). */
  readonly state: string;
  /** When the guard wrote it, ISO 8601. */
  readonly at: string;
}

/** The status a tick reports when it finds the fence, whatever GetDeployment said. */
export function fencedStatus(fence: Fence): string {
  return `${fence.state === 'STOP' ? 'Stopped' : 'Failed'} (fenced by the guard at ${fence.at})`;
}

export interface RecheckPlan {
  readonly waitMs: number;
  /** False when the guard's own remaining time ends before every tick that could write has ended. */
  readonly complete: boolean;
}

/**
 * When to re-check: RECHECK_AFTER_FENCE_MS after the fence (or, without one, after the guard
 * began), within the guard's remaining time when it is known.
 */
export function recheckPlan(fencedAt: number, now: number, remainingMs?: number): RecheckPlan {
  const wanted = Math.max(0, fencedAt + RECHECK_AFTER_FENCE_MS - now);
  if (remainingMs === undefined || wanted <= remainingMs - RECHECK_RESERVE_MS) return { waitMs: wanted, complete: true };
  return { waitMs: Math.max(0, remainingMs - RECHECK_RESERVE_MS), complete: false };
}

export interface RecheckInput {
  readonly deploymentId: string;
  readonly state: string;
  readonly service: string;
  /** Production listener weights by role at the re-check, or undefined when unreadable. */
  readonly weights?: { readonly original: number; readonly replacement: number };
  readonly canaryHeader: boolean;
  /** Milliseconds between the fence and the re-check. */
  readonly afterFenceMs: number;
}

export interface RecheckDecision {
  readonly restore: boolean;
  readonly reason: string;
  /** Written before the restore, only when there is something to restore. */
  readonly record?: Action;
  readonly actions: readonly Action[];
}

/**
 * The re-check after every tick that passed its checks before the fence has ended: a write such
 * a tick had in flight is undone. Header rules are removed again either way (idempotent).
 */
export function guardRecheck(input: RecheckInput): RecheckDecision {
  const { deploymentId, state, weights } = input;
  const restore = weights === undefined || weights.replacement > 0;
  const seconds = Math.round(input.afterFenceMs / 1000);
  const reason = restore
    ? `re-check ${seconds} s after the fence: the listener ${weights ? `sent ${weights.replacement}%` : 'could not be read (an unknown share)'} to the replacement after the restore (a tick's write was in flight); restoring 100% to the original again`
    : `re-check ${seconds} s after the fence: the listener sends 100% to the original`;
  const header: Action[] = input.canaryHeader ? [{ kind: 'removeHeaderRule' }] : [];
  if (!restore) return { restore, reason, actions: header };
  const record: Action = {
    kind: 'audit',
    draft: {
      kind: 'event',
      deploymentId,
      verdict: 'restore',
      action: 'restore 100% to the original again, remove the header rule',
      reason,
      actor: 'guard',
      ...(weights ? { weights } : {}),
      figures: { event: state, secondsAfterFence: seconds },
    },
  };
  return {
    restore,
    reason,
    record,
    actions: [
      ...header,
      { kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 },
      { kind: 'putWeightMetric', weight: 0 },
      { kind: 'notify', severity: 'critical', subject: `[critical] ${input.service} ${deploymentId} restored again`, message: reason },
    ],
  };
}
