"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.perform = perform;
const dynamodb_1 = require("../aws/dynamodb");
const codedeploy_1 = require("../aws/codedeploy");
const elbv2_1 = require("../aws/elbv2");
const sns_1 = require("../aws/sns");
const cloudwatch_1 = require("../aws/cloudwatch");
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
        try {
            switch (action.kind) {
                case 'audit':
                    await (0, dynamodb_1.appendAudit)(rt.audit, action.draft, rt.clock());
                    break;
                case 'setWeights':
                    if (action.purpose === 'shift') {
                        await (0, codedeploy_1.assertInProgress)(clients.codedeploy, target.deploymentId);
                    }
                    else {
                        const current = await (0, elbv2_1.readWeights)(clients.elbv2, metadata.productionListenerArn, targets()).catch(() => undefined);
                        if (current?.original === 100)
                            break;
                    }
                    await (0, elbv2_1.writeWeights)(clients.elbv2, metadata.productionListenerArn, targets(), { original: action.original, replacement: action.replacement });
                    break;
                case 'createHeaderRule':
                    if (!metadata.canaryHeader)
                        break;
                    await (0, codedeploy_1.assertInProgress)(clients.codedeploy, target.deploymentId);
                    await (0, elbv2_1.ensureHeaderRule)(clients.elbv2, metadata.productionListenerArn, metadata.canaryHeader, targets().replacement.arn);
                    break;
                case 'removeHeaderRule':
                    if (metadata.canaryHeader)
                        await (0, elbv2_1.removeHeaderRules)(clients.elbv2, metadata.productionListenerArn, metadata.canaryHeader);
                    break;
                case 'reportHook':
                    if (!target.lifecycleEventHookExecutionId)
                        throw new Error('no lifecycle event hook execution to report to');
                    if (!(await (0, codedeploy_1.reportHookStatus)(clients.codedeploy, target.deploymentId, target.lifecycleEventHookExecutionId, action.status))) {
                        rt.logger.warn('hook was already answered; nothing to report', { status: action.status });
                    }
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
                rt.logger.warn('deployment no longer InProgress; write refused', { status: error.status, action: action.kind });
                return { notInProgress: error.status, performed };
            }
            throw error;
        }
        performed.push(action.kind);
        rt.logger.info('performed', { action: action.kind, ...(action.kind === 'setWeights' ? { original: action.original, replacement: action.replacement } : {}) });
    }
    return { performed };
}
