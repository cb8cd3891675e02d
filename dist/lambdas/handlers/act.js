"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.perform = perform;
const dynamodb_1 = require("../aws/dynamodb");
const guard_1 = require("../core/guard");
const codedeploy_1 = require("../aws/codedeploy");
const elbv2_1 = require("../aws/elbv2");
const sns_1 = require("../aws/sns");
const cloudwatch_1 = require("../aws/cloudwatch");
const rollout_record_1 = require("../aws/rollout-record");
const errors_1 = require("../aws/errors");
async function perform(rt, target, actions) {
    const { clients, metadata } = rt;
    const performed = [];
    const targets = () => {
        if (!target.targets)
            throw new Error(`cannot ${actions.map((a) => a.kind).join(', ')}: the deployment's target groups are unknown`);
        return target.targets;
    };
    for (const action of actions) {
        let written = false;
        try {
            switch (action.kind) {
                case 'audit': {
                    const record = await (0, dynamodb_1.appendAudit)(rt.audit, action.draft, rt.clock());
                    if (record.signatureError)
                        rt.logger.error('audit record written unsigned', { sk: record.sk, error: record.signatureError });
                    // The anchor never holds up the action either; a record without one is named by canary history.
                    await (0, dynamodb_1.anchorRecord)(rt.audit, record).catch((error) => rt.logger.error('audit anchor not written', { sk: record.sk, error: (0, errors_1.errorText)(error) }));
                    break;
                }
                case 'setWeights':
                    if (action.purpose === 'shift') {
                        await assertWritable(rt, target.deploymentId);
                    }
                    else {
                        const current = await (0, elbv2_1.readWeights)(clients.elbv2, metadata.productionListenerArn, targets()).catch(() => undefined);
                        if (current?.original === 100)
                            break;
                    }
                    await (0, elbv2_1.writeWeights)(clients.elbv2, metadata.productionListenerArn, targets(), { original: action.original, replacement: action.replacement });
                    written = true;
                    if (action.purpose === 'shift')
                        await assertNotFenced(rt, target.deploymentId);
                    break;
                case 'createHeaderRule': {
                    // The header rule and the cookie rule, whichever are configured.
                    const matches = (0, elbv2_1.canaryMatches)(metadata);
                    if (matches.length === 0)
                        break;
                    await assertWritable(rt, target.deploymentId);
                    for (const match of matches) {
                        await (0, elbv2_1.ensureRule)(clients.elbv2, metadata.productionListenerArn, match, targets().replacement.arn);
                        written = true;
                    }
                    await assertNotFenced(rt, target.deploymentId);
                    break;
                }
                case 'removeHeaderRule':
                    await (0, elbv2_1.removeRules)(clients.elbv2, metadata.productionListenerArn, (0, elbv2_1.canaryMatches)(metadata));
                    break;
                case 'reportHook':
                    if (!target.lifecycleEventHookExecutionId)
                        throw new Error('no lifecycle event hook execution to report to');
                    if (!(await (0, codedeploy_1.reportHookStatus)(clients.codedeploy, target.deploymentId, target.lifecycleEventHookExecutionId, action.status))) {
                        rt.logger.warn('hook was already answered; nothing to report', { status: action.status });
                    }
                    break;
                case 'recordRollout':
                    await (0, rollout_record_1.writeRolloutRecord)(rt.audit, target.deploymentId, action.rollout, rt.clock());
                    break;
                case 'notify':
                    await (0, sns_1.publishEvent)(clients.sns, rt.env.topicArn, { ...action, deploymentId: target.deploymentId, service: rt.env.service })
                        .catch((error) => rt.logger.error('notification failed', { error: (0, errors_1.errorText)(error), subject: action.subject }));
                    break;
                case 'putWeightMetric':
                    await (0, cloudwatch_1.putWeightMetric)(clients.cloudwatch, rt.env.service, action.weight, new Date(rt.clock()))
                        .catch((error) => rt.logger.warn('CanaryWeight metric not written', { error: (0, errors_1.errorText)(error) }));
                    break;
            }
        }
        catch (error) {
            if (error instanceof errors_1.DeploymentNotInProgressError) {
                if (written)
                    performed.push(action.kind);
                rt.logger.warn(written ? 'fenced while the write was in flight; handing the listener back to the restore' : 'deployment no longer InProgress; write refused', { status: error.status, action: action.kind });
                return { notInProgress: error.status, performed };
            }
            throw error;
        }
        performed.push(action.kind);
        rt.logger.info('performed', { action: action.kind, ...(action.kind === 'setWeights' ? { original: action.original, replacement: action.replacement } : {}) });
    }
    return { performed };
}
/** Right before a shift or a new header rule: the deployment is InProgress, then (last) not fenced. */
async function assertWritable(rt, deploymentId) {
    await (0, codedeploy_1.assertInProgress)(rt.clients.codedeploy, deploymentId);
    await assertNotFenced(rt, deploymentId);
}
/** Throws `DeploymentNotInProgressError` when the guard has fenced the deployment. */
async function assertNotFenced(rt, deploymentId) {
    const fence = await (0, dynamodb_1.readFence)(rt.audit, deploymentId);
    if (fence)
        throw new errors_1.DeploymentNotInProgressError(deploymentId, (0, guard_1.fencedStatus)(fence));
}
