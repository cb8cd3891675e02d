"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.handler = handler;
exports.tick = tick;
exports.observe = observe;
/**
 * Tick Lambda, invoked by the rollout state machine: observe → decide (controller.next) → act.
 * Its first input is the execution input the hook gave; afterwards it receives its own output.
 */
const controller_1 = require("../core/controller");
const rollout_state_1 = require("../core/rollout-state");
const observation_1 = require("../core/observation");
const rollout_record_1 = require("../aws/rollout-record");
const service_parameters_1 = require("../aws/service-parameters");
const codedeploy_1 = require("../aws/codedeploy");
const elbv2_1 = require("../aws/elbv2");
const cloudwatch_1 = require("../aws/cloudwatch");
const metadata_1 = require("../core/metadata");
const role_metrics_1 = require("../core/role-metrics");
const control_parameter_1 = require("../aws/control-parameter");
const errors_1 = require("../aws/errors");
const act_1 = require("./act");
const runtime_1 = require("./runtime");
const isPayload = (event) => 'state' in event;
async function handler(event) {
    return tick(await (0, runtime_1.runtime)(), event);
}
async function tick(rt, event) {
    const input = isPayload(event) ? event.input : event;
    runtime_1.logger.appendKeys({ deploymentId: input.deploymentId, hook: input.hook });
    const state = isPayload(event)
        ? event.state
        : (0, rollout_state_1.initialState)(input, rt.metadata.plan, rt.env.service, { policy: rt.metadata.thresholds, canaryHeader: (0, metadata_1.hasCanaryRouting)(rt.metadata) });
    const now = rt.clock();
    if (event.error)
        return failedTick(rt, input, state, event.error, now);
    const observation = await observe(rt, state, now);
    let decision = (0, controller_1.next)(state, observation, now);
    rt.logger.info('decision', { ...decisionFields(decision.actions), status: decision.state.status, weight: decision.state.weight, actions: decision.actions.map((a) => a.kind), observationErrors: observation.errors });
    const target = { deploymentId: state.deploymentId, lifecycleEventHookExecutionId: state.lifecycleEventHookExecutionId, targets: decision.state.targets };
    const result = await (0, act_1.perform)(rt, target, decision.actions);
    if (result.notInProgress) {
        // Invariant 3: the deployment stopped between observing and writing; the only write left is the restore.
        decision = (0, controller_1.next)(decision.state.status === 'done' ? state : decision.state, { ...observation, deploymentStatus: result.notInProgress }, rt.clock());
        rt.logger.info('decision', { ...decisionFields(decision.actions), status: decision.state.status, weight: decision.state.weight, actions: decision.actions.map((a) => a.kind), observationErrors: observation.errors });
        await (0, act_1.perform)(rt, target, decision.actions);
    }
    if (state.status !== 'done') {
        // Canary and stable by role for the dashboard; never blocks the rollout.
        const weight = decision.state.targets ? decision.state.weight : undefined;
        await (0, cloudwatch_1.putRoleMetrics)(rt.clients.cloudwatch, rt.env.service, (0, role_metrics_1.roleSamples)(observation.metrics, weight, now))
            .catch((error) => rt.logger.warn('role metrics not written', { error: (0, errors_1.errorText)(error) }));
    }
    return { input, state: decision.state, waitSeconds: decision.waitSeconds, done: decision.done };
}
/**
 * The decision record's stage, verdict and reason for the `decision` log line, which the
 * dashboard's decisions widget lists (CloudWatch Logs Insights reads these fields).
 */
function decisionFields(actions) {
    const record = actions.find((a) => a.kind === 'audit');
    if (!record || record.kind !== 'audit')
        return {};
    const { stage, verdict, reason } = record.draft;
    return {
        ...(stage ? { stage: stage.index < 0 ? `post-traffic bake at ${stage.weight}%` : `stage ${stage.index + 1} at ${stage.weight}%` } : {}),
        ...(verdict ? { verdict } : {}),
        ...(reason ? { reason } : {}),
    };
}
/** The fail-safe path: restore and report Failed after the tick itself kept failing. */
async function failedTick(rt, input, state, error, now) {
    const targets = state.targets ?? await (0, codedeploy_1.deploymentTargets)(rt.clients.codedeploy, state.deploymentId, rt.metadata.targetGroups);
    const decision = (0, controller_1.failSafe)({ ...state, targets }, `${error.Error ?? 'Error'}: ${(error.Cause ?? '').slice(0, 500)}`, now);
    rt.logger.error('tick failed; restoring the original', { error });
    await (0, act_1.perform)(rt, { deploymentId: state.deploymentId, lifecycleEventHookExecutionId: state.lifecycleEventHookExecutionId, targets }, decision.actions);
    return { input, state: decision.state, waitSeconds: 0, done: true };
}
async function attempt(what, errors, call) {
    try {
        return await call();
    }
    catch (error) {
        errors.push(`${what}: ${(0, errors_1.errorText)(error)}`);
        return undefined;
    }
}
/** Reads everything the controller needs; a failed read is named in `errors`, never thrown. */
async function observe(rt, state, now) {
    const { clients, metadata } = rt;
    const errors = [];
    const [status, targets, control, freeze] = await Promise.all([
        attempt('deployment', errors, () => (0, codedeploy_1.deploymentStatus)(clients.codedeploy, state.deploymentId)),
        state.targets ? Promise.resolve(state.targets) : attempt('targets', errors, () => (0, codedeploy_1.deploymentTargets)(clients.codedeploy, state.deploymentId, metadata.targetGroups)),
        rt.env.controlParameter ? attempt('control', errors, () => (0, control_parameter_1.readControl)(clients.ssm, rt.env.controlParameter)) : Promise.resolve(undefined),
        // Read every tick: a freeze set during a rollout stops it (a failed read is named, never a stop).
        attempt('freeze', errors, () => (0, service_parameters_1.readFreeze)(clients.ssm, rt.env.freezeParameter)),
    ]);
    let listener;
    let replacementHealth;
    let metrics;
    let rollout;
    const starting = state.status === 'starting';
    if (targets) {
        [listener, replacementHealth, metrics, rollout] = await Promise.all([
            attempt('listener', errors, () => (0, elbv2_1.readWeights)(clients.elbv2, metadata.productionListenerArn, targets)),
            attempt('targetHealth', errors, () => (0, elbv2_1.targetHealth)(clients.elbv2, targets.replacement.arn)),
            attempt(starting ? 'history' : 'metrics', errors, () => readMinutes(rt, state, targets, now)),
            starting ? attempt('rollout', errors, () => (0, rollout_record_1.readRolloutRecord)(rt.audit, state.deploymentId)) : Promise.resolve(undefined),
        ]);
    }
    return {
        ...(status !== undefined ? { deploymentStatus: status } : {}),
        ...(targets ? { targets } : {}),
        ...(listener ? { listener } : {}),
        ...(starting ? (metrics ? { history: metrics.original } : {}) : (metrics ? { metrics } : {})),
        ...(rollout !== undefined ? { rollout } : {}),
        ...(replacementHealth ? { replacementHealth } : {}),
        ...(control ? { control } : {}),
        ...(freeze ? { freeze } : {}),
        errors,
    };
}
/**
 * The complete minutes `metricReads` asks for, in one GetMetricData call (paged): at a window's
 * start the original's history, afterwards both groups over the whole rollout.
 */
async function readMinutes(rt, state, targets, now) {
    const reads = (0, controller_1.metricReads)(state, now);
    const roles = ['replacement', 'original'].filter((role) => reads[role] !== undefined);
    if (roles.length === 0)
        return { replacement: [], original: [] };
    const purpose = state.status === 'starting' ? 'history' : 'judge';
    const queries = (0, cloudwatch_1.buildMetricQueries)(targets, rt.metadata.loadBalancerFullName, state.rollout?.slowThresholdMs, roles, purpose);
    const from = Math.min(...roles.map((role) => reads[role].from));
    return (0, observation_1.toMinuteBuckets)(await (0, cloudwatch_1.readMetrics)(rt.clients.cloudwatch, queries, from, now), now, reads);
}
