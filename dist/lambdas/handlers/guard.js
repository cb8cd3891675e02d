"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.handler = void 0;
exports.guard = guard;
/**
 * Guard Lambda: EventBridge sends this deployment group's FAILURE and STOP state changes. It
 * restores 100% to the original if the listener still sends traffic to the replacement, removes
 * the header rule, stops the deployment's rollout executions, and records and announces why.
 */
const guard_1 = require("../core/guard");
const codedeploy_1 = require("../aws/codedeploy");
const elbv2_1 = require("../aws/elbv2");
const sfn_1 = require("../aws/sfn");
const errors_1 = require("../aws/errors");
const act_1 = require("./act");
const runtime_1 = require("./runtime");
const handler = async (event) => guard(await (0, runtime_1.runtime)(), event);
exports.handler = handler;
async function guard(rt, event) {
    const { deploymentId, state } = event.detail;
    runtime_1.logger.appendKeys({ deploymentId });
    const { clients, metadata } = rt;
    const targets = await (0, codedeploy_1.deploymentTargets)(clients.codedeploy, deploymentId, metadata.targetGroups);
    const weights = await (0, elbv2_1.readWeights)(clients.elbv2, metadata.productionListenerArn, targets).catch((error) => {
        runtime_1.logger.warn('cannot read listener weights; restoring anyway', { error: (0, errors_1.errorText)(error) });
        return undefined;
    });
    const decision = (0, guard_1.guardDecision)({ deploymentId, state, service: rt.env.service, weights, canaryHeader: metadata.canaryHeader !== undefined });
    await (0, act_1.perform)(rt, { deploymentId, targets }, [decision.record]);
    // Stop the ticks first, so none of them can act after the restore.
    const stopped = rt.env.stateMachineArn ? await (0, sfn_1.stopRollouts)(clients.sfn, rt.env.stateMachineArn, deploymentId, decision.reason) : [];
    await (0, act_1.perform)(rt, { deploymentId, targets }, decision.actions);
    runtime_1.logger.info('guard done', { restored: decision.restore, stopped });
    return { restored: decision.restore, stopped };
}
