"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toSnapshot = exports.TERMINAL_STATUSES = exports.getDeploymentSnapshot = void 0;
exports.listenerWeights = listenerWeights;
exports.trafficWeights = trafficWeights;
exports.readProductionListener = readProductionListener;
exports.listenerShares = listenerShares;
/**
 * What a deployment is doing, as CodeDeploy and the production listener report it. Adapters read;
 * the pure functions below interpret.
 */
const client_elastic_load_balancing_v2_1 = require("@aws-sdk/client-elastic-load-balancing-v2");
const deploy_errors_1 = require("../../lambdas/aws/deploy-errors");
var deployment_snapshot_1 = require("../../lambdas/aws/deployment-snapshot");
Object.defineProperty(exports, "getDeploymentSnapshot", { enumerable: true, get: function () { return deployment_snapshot_1.getDeploymentSnapshot; } });
Object.defineProperty(exports, "TERMINAL_STATUSES", { enumerable: true, get: function () { return deployment_snapshot_1.TERMINAL_STATUSES; } });
Object.defineProperty(exports, "toSnapshot", { enumerable: true, get: function () { return deployment_snapshot_1.toSnapshot; } });
/**
 * The production listener's weights per target group name, from its default forward action
 * (pure). Target groups are named through the metadata; a plain forward counts as 100%.
 */
function listenerWeights(actions, metadata) {
    const weights = new Map();
    const nameOf = (arn) => metadata.targetGroups.find((tg) => tg.arn === arn)?.name ?? arn ?? '?';
    const forward = actions.find((a) => a.Type === 'forward');
    if (!forward)
        return weights;
    const groups = forward.ForwardConfig?.TargetGroups;
    if (groups && groups.length > 0) {
        const total = groups.reduce((sum, g) => sum + (g.Weight ?? 1), 0);
        for (const g of groups)
            weights.set(nameOf(g.TargetGroupArn), total === 0 ? 0 : Math.round(((g.Weight ?? 1) * 100) / total));
    }
    else if (forward.TargetGroupArn) {
        weights.set(nameOf(forward.TargetGroupArn), 100);
    }
    return weights;
}
/** Original/replacement weights from listener weights and the snapshot's task set labels (pure). */
function trafficWeights(byTargetGroup, snapshot) {
    if (!snapshot.replacementTargetGroup)
        return undefined;
    const replacement = byTargetGroup.get(snapshot.replacementTargetGroup) ?? 0;
    return { replacement, original: 100 - replacement };
}
/** Reads the production listener's default actions. */
async function readProductionListener(elbv2, metadata) {
    const result = await (0, deploy_errors_1.awsCall)('elasticloadbalancing:DescribeListeners', () => elbv2.send(new client_elastic_load_balancing_v2_1.DescribeListenersCommand({ ListenerArns: [metadata.productionListenerArn] })));
    return listenerWeights(result.Listeners?.[0]?.DefaultActions ?? [], metadata);
}
/**
 * The listener's weights labelled original/replacement for a deployment (pure), every target
 * group kept as read. A role CodeDeploy no longer labels (its task set is gone after a rollback)
 * is the service's other target group.
 */
function listenerShares(byTargetGroup, roles, metadata) {
    const names = metadata.targetGroups.map((tg) => tg.name);
    const other = (name) => (name && names.includes(name) ? names.find((n) => n !== name) : undefined);
    const original = roles.original ?? other(roles.replacement);
    const replacement = roles.replacement ?? other(roles.original);
    return [...byTargetGroup].map(([targetGroup, percent]) => ({
        targetGroup,
        percent,
        role: targetGroup === original ? 'original' : targetGroup === replacement ? 'replacement' : original || replacement ? 'other' : 'unknown',
    }));
}
