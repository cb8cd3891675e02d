"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RECHECK_RESERVE_MS = exports.RECHECK_AFTER_FENCE_MS = exports.IN_FLIGHT_MARGIN_MS = exports.TICK_TIMEOUT_MS = void 0;
exports.stopCause = stopCause;
exports.guardDecision = guardDecision;
exports.fencedStatus = fencedStatus;
exports.recheckPlan = recheckPlan;
exports.guardRecheck = guardRecheck;
/** What stopped the deployment, or undefined when the guard could not tell (no context, or CodeDeploy's own failure) (pure). */
function stopCause(state, context) {
    if (!context)
        return undefined;
    const alarms = context.alarms ?? [];
    if (alarms.length > 0)
        return `alarm${alarms.length > 1 ? 's' : ''} ${alarms.map((a) => `${a.name} (${a.reason || a.state})`).join(', ')} in ALARM`;
    if (context?.operator)
        return `canary rollback by ${context.operator.requestedBy}${context.operator.callerArn ? ` (${context.operator.callerArn})` : ''}${context.operator.reason ? `: ${context.operator.reason}` : ''}`;
    return state === 'STOP' ? 'a StopDeployment from outside the engine (no rollback alarm in ALARM, no canary rollback recorded)' : undefined;
}
function guardDecision(input) {
    const { deploymentId, state, weights } = input;
    const restore = weights === undefined || weights.replacement > 0;
    const cause = stopCause(state, input.context);
    const reason = `deployment ${state === 'STOP' ? 'stopped' : 'failed'} (${state})${cause ? ` by ${cause}` : ''}; ${restore
        ? `the listener still sent ${weights?.replacement ?? 'an unknown share'}% to the replacement, restoring 100% to the original`
        : 'the listener already sends 100% to the original'}`;
    const record = {
        kind: 'audit',
        draft: {
            kind: 'event', deploymentId, verdict: 'restore',
            action: restore ? 'restore 100% to the original, remove the header rule, stop the rollout executions' : 'remove the header rule, stop the rollout executions',
            reason, actor: input.context?.operator?.requestedBy ?? 'guard', ...(weights ? { weights } : {}),
            figures: {
                event: state,
                ...(input.context?.alarms ? { alarms: input.context.alarms } : {}),
                ...(input.context?.operator ? { operator: input.context.operator } : {}),
                ...(input.context?.judge ? { judge: input.context.judge } : {}),
            },
        },
    };
    const actions = [
        ...(input.canaryHeader ? [{ kind: 'removeHeaderRule' }] : []),
        ...(restore ? [{ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 }, { kind: 'putWeightMetric', weight: 0 }] : []),
        { kind: 'notify', severity: 'critical', subject: `[critical] ${input.service} ${deploymentId} ${state}`, message: reason },
    ];
    return { restore, reason, record, actions };
}
/** The tick Lambda's timeout (lib/rollout-engine.ts): no tick invocation runs longer. */
exports.TICK_TIMEOUT_MS = 60_000;
/** Time for ELB to apply a request a tick sent just before its timeout (seconds at most; generous). */
exports.IN_FLIGHT_MARGIN_MS = 30_000;
/** A tick that checked the fence before it was written cannot write later than this after it. */
exports.RECHECK_AFTER_FENCE_MS = exports.TICK_TIMEOUT_MS + exports.IN_FLIGHT_MARGIN_MS;
/** What the guard keeps of its own remaining time for the re-check's calls. */
exports.RECHECK_RESERVE_MS = 10_000;
/** The status a tick reports when it finds the fence, whatever GetDeployment said. */
function fencedStatus(fence) {
    return `${fence.state === 'STOP' ? 'Stopped' : 'Failed'} (fenced by the guard at ${fence.at})`;
}
/**
 * When to re-check: RECHECK_AFTER_FENCE_MS after the fence (or, without one, after the guard
 * began), within the guard's remaining time when it is known.
 */
function recheckPlan(fencedAt, now, remainingMs) {
    const wanted = Math.max(0, fencedAt + exports.RECHECK_AFTER_FENCE_MS - now);
    if (remainingMs === undefined || wanted <= remainingMs - exports.RECHECK_RESERVE_MS)
        return { waitMs: wanted, complete: true };
    return { waitMs: Math.max(0, remainingMs - exports.RECHECK_RESERVE_MS), complete: false };
}
/**
 * The re-check after every tick that passed its checks before the fence has ended: a write such
 * a tick had in flight is undone. Header rules are removed again either way (idempotent).
 */
function guardRecheck(input) {
    const { deploymentId, state, weights } = input;
    const restore = weights === undefined || weights.replacement > 0;
    const seconds = Math.round(input.afterFenceMs / 1000);
    const reason = restore
        ? `re-check ${seconds} s after the fence: the listener ${weights ? `sent ${weights.replacement}%` : 'could not be read (an unknown share)'} to the replacement after the restore (a tick's write was in flight); restoring 100% to the original again`
        : `re-check ${seconds} s after the fence: the listener sends 100% to the original`;
    const header = input.canaryHeader ? [{ kind: 'removeHeaderRule' }] : [];
    if (!restore)
        return { restore, reason, actions: header };
    const record = {
        kind: 'audit',
        draft: {
            kind: 'event', deploymentId, verdict: 'restore', action: 'restore 100% to the original again, remove the header rule',
            reason, actor: 'guard', ...(weights ? { weights } : {}), figures: { event: state, secondsAfterFence: seconds },
        },
    };
    return {
        restore, reason, record,
        actions: [
            ...header,
            { kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 },
            { kind: 'putWeightMetric', weight: 0 },
            { kind: 'notify', severity: 'critical', subject: `[critical] ${input.service} ${deploymentId} restored again`, message: reason },
        ],
    };
}
