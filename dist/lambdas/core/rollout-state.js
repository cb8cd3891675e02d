"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FAILED_OBSERVATIONS_BEFORE_HOLD = exports.DEADLINE_MARGIN_MS = exports.HOOK_LIMIT_MS = void 0;
exports.initialState = initialState;
/** A hook must be answered within one hour of its invocation (CodeDeploy). */
exports.HOOK_LIMIT_MS = 60 * 60_000;
/** The engine gives up this long before the hook deadline, to leave time to restore and report. */
exports.DEADLINE_MARGIN_MS = 3 * 60_000;
/** After this many failed observations in a row the engine says it is holding blind. */
exports.FAILED_OBSERVATIONS_BEFORE_HOLD = 3;
/** The state a window starts from. */
function initialState(input, plan, service, options) {
    const startedAt = Date.parse(input.startedAt);
    if (Number.isNaN(startedAt))
        throw new Error(`execution input startedAt is ${JSON.stringify(input.startedAt)}; accepted: an ISO 8601 time`);
    const window = plan.windows.find((w) => w.hook === input.hook);
    if (window === undefined)
        throw new Error(`execution input hook is ${JSON.stringify(input.hook)}; accepted: one of ${plan.windows.map((w) => w.hook).join(', ')}`);
    return {
        deploymentId: input.deploymentId,
        lifecycleEventHookExecutionId: input.lifecycleEventHookExecutionId,
        hook: input.hook,
        startedAt,
        deadlineAt: startedAt + exports.HOOK_LIMIT_MS - exports.DEADLINE_MARGIN_MS,
        config: windowConfig(window, plan, service, options),
        status: 'starting',
        stepIndex: 0,
        weight: 0,
        stagePausedMs: 0,
        acknowledgedRequests: [],
        failedObservations: 0,
    };
}
function windowConfig(window, plan, service, options) {
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
