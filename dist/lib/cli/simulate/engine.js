"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.simulateRollout = simulateRollout;
/**
 * `canary simulate`: the real controller and judge, with the service's plan and thresholds,
 * driven window by window against `lib/sim` traffic as CodeDeploy would drive them:
 * AfterAllowTestTraffic → BeforeAllowTraffic → AllowTraffic (100%) → AfterAllowTraffic.
 * Deterministic for a scenario's seed; no AWS, no real clock.
 */
const controller_1 = require("../../../lambdas/core/controller");
const plan_1 = require("../../../lambdas/core/plan");
const sim_1 = require("../../sim");
const TARGETS = {
    replacement: { arn: 'arn:sim:targetgroup/green', fullName: 'targetgroup/green/sim', name: 'green' },
    original: { arn: 'arn:sim:targetgroup/blue', fullName: 'targetgroup/blue/sim', name: 'blue' },
};
/** Safety net against a controller that never finishes a window. */
const MAX_TICKS_PER_WINDOW = 2_000;
/** Minutes of baseline traffic before the deployment (the post-traffic bake's baseline). */
const WARM_UP_MINUTES = 30;
function simulateRollout(input) {
    const warmUp = input.startTime - WARM_UP_MINUTES * sim_1.MINUTE_MS;
    const world = new sim_1.TrafficWorld({
        seed: input.scenario.seed,
        totalRps: input.scenario.totalRps,
        baselineErrorRate: input.scenario.baselineErrorRate,
        noise: input.scenario.noise,
        regression: input.scenario.regression,
        startTime: warmUp,
    });
    const observationSeed = { seed: input.scenario.seed + 7919 };
    const timeline = [];
    let now = input.startTime;
    let weight = 0;
    for (const hook of plan_1.HOOKS) {
        if (hook === 'AfterAllowTraffic') {
            world.setCanaryWeight(now, 100);
            weight = 100;
            timeline.push({ at: now, hook: 'AllowTraffic', weight, action: 'set weights 0/100', reason: 'CodeDeploy AllowTraffic: all production traffic to the replacement' });
        }
        let state = (0, controller_1.initialState)({ deploymentId: 'd-SIMULATED', lifecycleEventHookExecutionId: `sim-${hook}`, hook, startedAt: new Date(now).toISOString() }, input.plan, input.service, { policy: input.policy, canaryHeader: false });
        if (hook !== 'AfterAllowTraffic')
            state = { ...state, weight };
        for (let tick = 0;; tick += 1) {
            if (tick > MAX_TICKS_PER_WINDOW)
                throw new Error(`simulation: the ${hook} window did not finish in ${MAX_TICKS_PER_WINDOW} ticks`);
            const decision = (0, controller_1.next)(state, observe(world, state, weight, now, observationSeed), now);
            for (const action of decision.actions)
                weight = apply(action, world, now, weight, hook, timeline);
            state = decision.state;
            if (decision.done)
                break;
            now += Math.max(1, decision.waitSeconds) * 1000;
        }
        if (state.outcome?.status !== 'Succeeded') {
            const reason = state.outcome?.reason ?? `${hook} ended without an outcome`;
            world.advanceTo(now + 5 * sim_1.MINUTE_MS);
            return finish(input, world, timeline, 'Failed', reason, now);
        }
    }
    world.advanceTo(now + sim_1.MINUTE_MS);
    return finish(input, world, timeline, 'Succeeded', 'every window succeeded; the original would be terminated after the termination wait', now);
}
function observe(world, state, weight, now, options) {
    const minutes = world.advanceTo(now);
    const windows = (0, controller_1.metricWindows)(state, now);
    const replacement = (0, sim_1.judgeBuckets)(minutes, now, windows.replacement.from, options).canary;
    const original = (0, sim_1.judgeBuckets)(minutes, now, windows.original.from, options).baseline.filter((b) => windows.original.to === undefined || b.start + sim_1.MINUTE_MS <= windows.original.to);
    return {
        deploymentStatus: 'InProgress',
        targets: TARGETS,
        listener: { original: 100 - weight, replacement: weight },
        metrics: { replacement, original },
        replacementHealth: world.targetHealth().canary,
        errors: [],
    };
}
function apply(action, world, now, weight, hook, timeline) {
    if (action.kind === 'setWeights') {
        if (action.replacement !== weight)
            world.setCanaryWeight(now, action.replacement);
        return action.replacement;
    }
    if (action.kind === 'audit')
        timeline.push(entry(action.draft, now, hook, weight));
    return weight;
}
function entry(draft, at, hook, weight) {
    return { at, hook, weight: draft.weights?.replacement ?? weight, verdict: draft.verdict, action: draft.action, reason: draft.reason };
}
function finish(input, world, timeline, outcome, reason, endTime) {
    const warmUpEnd = input.startTime - 10 * sim_1.MINUTE_MS;
    return {
        scenario: input.scenario.name,
        outcome,
        reason,
        timeline,
        minutes: world.minutes.filter((m) => m.start >= warmUpEnd),
        startTime: input.startTime,
        endTime,
    };
}
