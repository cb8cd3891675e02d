"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WARM_UP_MINUTES = void 0;
exports.simulateRollout = simulateRollout;
exports.driveEngine = driveEngine;
exports.observe = observe;
/**
 * `canary simulate`: the real controller and judge, with the service's plan and thresholds,
 * driven window by window against `lib/sim` traffic as CodeDeploy would drive them:
 * AfterAllowTestTraffic → BeforeAllowTraffic → AllowTraffic (100%) → AfterAllowTraffic.
 * Each tick sees what the Tick Lambda would (lib/sim/engine-observation.ts: its reads, its
 * queries, its bucket builder); the rollout record is kept between windows as DynamoDB keeps it.
 * `driveEngine` is also how `bench:judge` runs ecs-canary. Deterministic; no AWS, no real clock.
 */
const controller_1 = require("../../../lambdas/core/controller");
const plan_1 = require("../../../lambdas/core/plan");
const sim_1 = require("../../sim");
const engine_observation_1 = require("../../sim/engine-observation");
const TARGETS = {
    replacement: { arn: 'arn:sim:targetgroup/green', fullName: 'targetgroup/green/sim', name: 'green' },
    original: { arn: 'arn:sim:targetgroup/blue', fullName: 'targetgroup/blue/sim', name: 'blue' },
};
/** Safety net against a controller that never finishes a window. */
const MAX_TICKS_PER_WINDOW = 2_000;
/** Minutes of traffic before the deployment: the original's hour of history the first tick reads, and some. */
exports.WARM_UP_MINUTES = 65;
function simulateRollout(input) {
    const world = new sim_1.TrafficWorld({
        seed: input.scenario.seed,
        totalRps: input.scenario.totalRps,
        baselineErrorRate: input.scenario.baselineErrorRate,
        noise: input.scenario.noise,
        regression: input.scenario.regression,
        startTime: input.startTime - exports.WARM_UP_MINUTES * sim_1.MINUTE_MS,
    });
    const run = driveEngine(world, { ...input, observation: { seed: input.scenario.seed + 7919 } });
    world.advanceTo(run.endTime + (run.outcome === 'Failed' ? 5 : 1) * sim_1.MINUTE_MS);
    return {
        scenario: input.scenario.name,
        outcome: run.outcome,
        reason: run.reason,
        timeline: run.timeline,
        minutes: world.minutes.filter((m) => m.start >= input.startTime - 10 * sim_1.MINUTE_MS),
        startTime: input.startTime,
        endTime: run.endTime,
    };
}
/** Runs every hook window of the plan over `world` with the real controller, tick by tick. */
function driveEngine(world, options) {
    const timeline = [];
    const shifts = [];
    let record = null;
    let now = options.startTime;
    let weight = 0;
    const setWeight = (to) => {
        if (to === weight)
            return;
        world.setCanaryWeight(now, to);
        weight = to;
        shifts.push({ at: now, weight: to });
    };
    for (const hook of plan_1.HOOKS) {
        if (hook === 'AfterAllowTraffic') {
            setWeight(100);
            timeline.push({ at: now, hook: 'AllowTraffic', weight, action: 'set weights 0/100', reason: 'CodeDeploy AllowTraffic: all production traffic to the replacement' });
        }
        let state = (0, controller_1.initialState)({ deploymentId: 'd-SIMULATED', lifecycleEventHookExecutionId: `sim-${hook}`, hook, startedAt: new Date(now).toISOString() }, options.plan, options.service, { policy: options.policy, canaryHeader: false });
        for (let tick = 0;; tick += 1) {
            if (tick > MAX_TICKS_PER_WINDOW)
                throw new Error(`simulation: the ${hook} window did not finish in ${MAX_TICKS_PER_WINDOW} ticks`);
            const observation = observe(world, state, weight, now, options.observation, record);
            const decision = (0, controller_1.next)(state, observation, now);
            for (const action of decision.actions) {
                if (action.kind === 'setWeights')
                    setWeight(action.replacement);
                if (action.kind === 'audit')
                    timeline.push(entry(action.draft, now, hook, weight));
                // The rollout record: first writer wins, as its conditional put in DynamoDB.
                if (action.kind === 'recordRollout' && record === null)
                    record = action.rollout;
            }
            if (decision.done) {
                if (decision.state.outcome?.status !== 'Succeeded') {
                    const reason = decision.state.outcome?.reason ?? `${hook} ended without an outcome`;
                    return { outcome: 'Failed', reason, timeline, shifts, rollout: record, failedAt: { state, observation, now }, endTime: now };
                }
                break;
            }
            state = decision.state;
            now += Math.max(1, decision.waitSeconds) * 1000;
        }
    }
    return { outcome: 'Succeeded', reason: 'every window succeeded; the original would be terminated after the termination wait', timeline, shifts, rollout: record, endTime: now };
}
/**
 * What the Tick observes at `now`: on a window's first tick the original's history and the
 * rollout record (null before the first window wrote it), afterwards the whole rollout's minutes.
 */
function observe(world, state, weight, now, options, record) {
    const buckets = (0, engine_observation_1.tickBuckets)(world.advanceTo(now), state, now, options);
    const starting = state.status === 'starting';
    return {
        deploymentStatus: 'InProgress',
        targets: TARGETS,
        listener: { original: 100 - weight, replacement: weight },
        ...(starting ? { history: buckets.original, rollout: record } : { metrics: buckets }),
        replacementHealth: world.targetHealth().canary,
        errors: [],
    };
}
function entry(draft, at, hook, weight) {
    return { at, hook, weight: draft.weights?.replacement ?? weight, ...(draft.stage ? { stage: draft.stage } : {}), verdict: draft.verdict, action: draft.action, reason: draft.reason, ...(draft.reasons ? { reasons: draft.reasons } : {}) };
}
