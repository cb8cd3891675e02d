"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.handler = void 0;
exports.guard = guard;
/**
 * Guard Lambda: EventBridge sends this deployment group's FAILURE and STOP state changes. It
 * fences the deployment (no tick shifts it after this), restores 100% to the original if the
 * listener still sends traffic to the replacement, removes the header rule, stops the
 * deployment's rollout executions, and records and announces why (the alarms in ALARM, the operator's
 * rollback, the judge's newest figures). Once every tick that passed
 * its checks before the fence has ended, it re-checks and restores again if one of them wrote
 * (docs/guard-fence.md).
 */
const guard_1 = require("../core/guard");
const cloudwatch_alarms_1 = require("../aws/cloudwatch-alarms");
const control_parameter_1 = require("../aws/control-parameter");
const audit_records_1 = require("../aws/audit-records");
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
    const [targets, context] = await Promise.all([
        (0, codedeploy_1.deploymentTargets)(clients.codedeploy, deploymentId, metadata.targetGroups),
        stopContext(rt, deploymentId),
    ]);
    const weights = await listenerWeights(rt, targets);
    const decision = (0, guard_1.guardDecision)({ deploymentId, state, service: rt.env.service, weights, canaryHeader: (0, metadata_1.hasCanaryRouting)(metadata), context });
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
/**
 * Why it stopped, for the record: the rollback alarms in ALARM, the operator's `canary rollback`
 * and the judge's newest decision. Each read is best effort: none may hold up the restore.
 */
async function stopContext(rt, deploymentId) {
    const quietly = (what, read) => read().catch((error) => {
        runtime_1.logger.warn(`cannot read ${what} for the record`, { error: (0, errors_1.errorText)(error) });
        return undefined;
    });
    const alarmNames = rt.env.alarmNames ?? [];
    const [alarms, control, newest] = await Promise.all([
        alarmNames.length > 0 ? quietly('the rollback alarms', () => (0, cloudwatch_alarms_1.alarmsInAlarm)(rt.clients.cloudwatch, alarmNames)) : Promise.resolve(undefined),
        rt.env.controlParameter ? quietly('the control parameter', () => (0, control_parameter_1.readControl)(rt.clients.ssm, rt.env.controlParameter)) : Promise.resolve(undefined),
        quietly('the newest decision', () => (0, audit_records_1.newestAuditRecords)(rt.audit.client, { tableName: rt.audit.tableName, service: rt.env.service, deploymentId, limit: 10 })),
    ]);
    const operator = control?.command === 'abort' && control.deploymentId === deploymentId ? control : undefined;
    const judge = newest?.find((r) => r.kind === 'decision' && r.actor !== 'guard');
    return {
        ...(alarms ? { alarms } : {}),
        ...(operator ? { operator: { requestedBy: operator.requestedBy, requestId: operator.requestId, at: operator.at, ...(operator.callerArn ? { callerArn: operator.callerArn } : {}), ...(operator.reason ? { reason: operator.reason } : {}) } } : {}),
        ...(judge ? { judge: { sk: judge.sk, at: judge.at, reason: judge.reason, ...(judge.verdict ? { verdict: judge.verdict } : {}), ...(judge.figures ? { figures: judge.figures } : {}) } } : {}),
    };
}
async function listenerWeights(rt, targets) {
    return (0, elbv2_1.readWeights)(rt.clients.elbv2, rt.metadata.productionListenerArn, targets).catch((error) => {
        runtime_1.logger.warn('cannot read listener weights; restoring anyway', { error: (0, errors_1.errorText)(error) });
        return undefined;
    });
}
