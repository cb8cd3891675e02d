"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.afterAllowTraffic = exports.beforeAllowTraffic = exports.afterAllowTestTraffic = void 0;
exports.runHook = runHook;
/**
 * CodeDeploy lifecycle hook Lambdas. Each is invoked with `{DeploymentId, LifecycleEventHookExecutionId}`,
 * checks what must hold before its window (freeze switch, smoke checks, replacement health), then
 * starts the window's rollout execution — or answers at once when the window has nothing to do.
 */
const hooks_1 = require("../core/hooks");
const plan_1 = require("../core/plan");
const metadata_1 = require("../core/metadata");
const codedeploy_1 = require("../aws/codedeploy");
const elbv2_1 = require("../aws/elbv2");
const service_parameters_1 = require("../aws/service-parameters");
const sfn_1 = require("../aws/sfn");
const errors_1 = require("../aws/errors");
const act_1 = require("./act");
const runtime_1 = require("./runtime");
const SMOKE_TIMEOUT_MS = 5_000;
const afterAllowTestTraffic = async (event) => runHook(await (0, runtime_1.runtime)(), 'AfterAllowTestTraffic', event);
exports.afterAllowTestTraffic = afterAllowTestTraffic;
const beforeAllowTraffic = async (event) => runHook(await (0, runtime_1.runtime)(), 'BeforeAllowTraffic', event);
exports.beforeAllowTraffic = beforeAllowTraffic;
const afterAllowTraffic = async (event) => runHook(await (0, runtime_1.runtime)(), 'AfterAllowTraffic', event);
exports.afterAllowTraffic = afterAllowTraffic;
async function runHook(rt, hook, event) {
    const deploymentId = event.DeploymentId;
    runtime_1.logger.appendKeys({ deploymentId, hook });
    const startedAt = new Date(rt.clock()).toISOString();
    const { metadata, clients } = rt;
    // Lambda delivers asynchronous invocations at least once: a second delivery of a hook whose
    // rollout is already running (or done) must neither re-run the checks nor answer again.
    const existing = rt.env.stateMachineArn ? await (0, sfn_1.rolloutStatus)(clients.sfn, rt.env.stateMachineArn, deploymentId, hook) : undefined;
    if (existing !== undefined) {
        const reason = `duplicate ${hook} invocation: the rollout execution is already ${existing}; nothing to do`;
        runtime_1.logger.warn(reason);
        return { passed: true, reason };
    }
    const window = (0, plan_1.windowFor)(metadata.plan, hook);
    const windowHasWork = window !== undefined && (window.steps.length > 0 || window.postTrafficBakeMinutes > 0);
    const errors = [];
    const attempt = async (what, call) => call().catch((error) => { errors.push(`${what}: ${(0, errors_1.errorText)(error)}`); return undefined; });
    const targets = await attempt('targets', () => (0, codedeploy_1.deploymentTargets)(clients.codedeploy, deploymentId, metadata.targetGroups));
    let freeze;
    let smoke = [];
    let replacementHealth;
    if (hook === 'AfterAllowTestTraffic') {
        freeze = await attempt('freeze', () => (0, service_parameters_1.readFreeze)(clients.ssm, rt.env.freezeParameter));
        if (!freeze?.frozen && targets)
            smoke = await smokeChecks(rt, targets.replacement.arn, errors);
    }
    if (targets && (hook === 'AfterAllowTestTraffic' || (hook === 'BeforeAllowTraffic' && !windowHasWork))) {
        replacementHealth = await attempt('targetHealth', () => (0, elbv2_1.targetHealth)(clients.elbv2, targets.replacement.arn));
    }
    const decision = (0, hooks_1.decideHook)({
        deploymentId, hook, service: rt.env.service, ...(freeze ? { freeze } : {}), smoke,
        ...(replacementHealth ? { replacementHealth } : {}), windowHasWork, canaryHeader: (0, metadata_1.hasCanaryRouting)(metadata), errors,
    });
    runtime_1.logger.info('hook decision', { passed: decision.passed, reason: decision.reason, startExecution: decision.startExecution });
    await (0, act_1.perform)(rt, { deploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, ...(targets ? { targets } : {}) }, decision.actions);
    if (decision.startExecution) {
        if (!rt.env.stateMachineArn)
            throw new runtime_1.EnvironmentError('environment variable STATE_MACHINE_ARN is not set; the RolloutEngine construct sets it on the hook functions');
        const started = await (0, sfn_1.startRollout)(clients.sfn, rt.env.stateMachineArn, {
            deploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, hook, startedAt,
        });
        runtime_1.logger.info(started.alreadyStarted ? 'rollout execution already running (duplicate hook invocation)' : 'rollout execution started', { executionArn: started.executionArn });
    }
    return { passed: decision.passed, reason: decision.reason };
}
/**
 * Each configured check, through the test listener — or, when the hook runs inside the VPC
 * (`replacement-targets`), against every healthy replacement target, since the test listener is
 * normally open only to operators' CIDRs.
 */
async function smokeChecks(rt, replacementArn, errors) {
    const { metadata } = rt;
    if (metadata.smokeChecks.length === 0)
        return [];
    let bases = [`http://${metadata.loadBalancerDnsName}:${metadata.testListenerPort}`];
    if (rt.env.smokeCheckMode === 'replacement-targets') {
        try {
            bases = (await (0, elbv2_1.healthyEndpoints)(rt.clients.elbv2, replacementArn)).map((e) => `http://${e.host}:${e.port}`);
        }
        catch (error) {
            errors.push(`smoke targets: ${(0, errors_1.errorText)(error)}`);
            return [];
        }
    }
    const checks = bases.flatMap((base) => metadata.smokeChecks.map((check) => ({ check, url: `${base}${check.path.startsWith('/') ? '' : '/'}${check.path}` })));
    return Promise.all(checks.map(async ({ check, url }) => ({ url, expectStatus: check.expectStatus, ...(await rt.clients.http(url, SMOKE_TIMEOUT_MS)) })));
}
