"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.handler = void 0;
exports.guard = guard;
/**
 * Guard Lambda: EventBridge sends this deployment group's FAILURE and STOP state changes. It
 * fences the deployment (no tick shifts it after this), restores 100% to the original if the
 * listener still sends traffic to the replacement, removes the header rule, stops the
 * deployment's rollout executions, and records and announces why. Once every tick that passed
 * its checks before the fence has ended, it re-checks and restores again if one of them wrote
 * (docs/guard-fence.md).
 */
const guard_1 = require("../core/guard");
const metadata_1 = require("../core/metadata");
const codedeploy_1 = require("../aws/codedeploy");
const dynamodb_1 = require("../aws/dynamodb");
const elbv2_1 = require("../aws/elbv2");
const sfn_1 = require("../aws/sfn");
const errors_1 = require("../aws/errors");
const act_1 = require("./act");
const runtime_1 = require("./runtime");
const timer = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const handler = async (event, context) => guard(await (0, runtime_1.runtime)(), event, context ? { remainingMs: () => context.getRemainingTimeInMillis() } : {});
exports.handler = handler;
async function guard(rt, event, options = {}) {
    const { deploymentId, state } = event.detail;
    runtime_1.logger.appendKeys({ deploymentId });
    const { clients, metadata } = rt;
    // The fence first: a tick that reads it from now on writes nothing but the restore. A fence
    // that cannot be written never holds up the restore; the re-check then counts from here.
    let fencedAt = rt.clock();
    await (0, dynamodb_1.writeFence)(rt.audit, { deploymentId, state, at: new Date(fencedAt).toISOString() }, fencedAt)
        .then(() => { fencedAt = rt.clock(); })
        .catch((error) => runtime_1.logger.error('fence not written; restoring anyway', { error: (0, errors_1.errorText)(error) }));
    const targets = await (0, codedeploy_1.deploymentTargets)(clients.codedeploy, deploymentId, metadata.targetGroups);
    const weights = await listenerWeights(rt, targets);
    const decision = (0, guard_1.guardDecision)({ deploymentId, state, service: rt.env.service, weights, canaryHeader: (0, metadata_1.hasCanaryRouting)(metadata) });
    await (0, act_1.perform)(rt, { deploymentId, targets }, [decision.record]);
    // Stop the ticks first, so no new one starts after the restore.
    const stopped = rt.env.stateMachineArn ? await (0, sfn_1.stopRollouts)(clients.sfn, rt.env.stateMachineArn, deploymentId, decision.reason) : [];
    await (0, act_1.perform)(rt, { deploymentId, targets }, decision.actions);
    runtime_1.logger.info('guard restored', { restored: decision.restore, stopped });
    const plan = (0, guard_1.recheckPlan)(fencedAt, rt.clock(), options.remainingMs?.());
    if (!plan.complete)
        runtime_1.logger.warn('the guard times out before every tick that could still write has ended; re-checking early (raise the guard timeout)', { waitMs: plan.waitMs });
    await (options.sleep ?? timer)(plan.waitMs);
    const recheck = (0, guard_1.guardRecheck)({
        deploymentId, state, service: rt.env.service, weights: await listenerWeights(rt, targets),
        canaryHeader: (0, metadata_1.hasCanaryRouting)(metadata), afterFenceMs: rt.clock() - fencedAt,
    });
    await (0, act_1.perform)(rt, { deploymentId, targets }, [...(recheck.record ? [recheck.record] : []), ...recheck.actions]);
    runtime_1.logger.info('guard re-checked', { restoredAgain: recheck.restore, reason: recheck.reason });
    return { restored: decision.restore, stopped, restoredAgain: recheck.restore };
}
async function listenerWeights(rt, targets) {
    return (0, elbv2_1.readWeights)(rt.clients.elbv2, rt.metadata.productionListenerArn, targets).catch((error) => {
        runtime_1.logger.warn('cannot read listener weights; restoring anyway', { error: (0, errors_1.errorText)(error) });
        return undefined;
    });
}
