"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.renderDeploymentMetadata = renderDeploymentMetadata;
exports.metadataBytesBound = metadataBytesBound;
exports.metadataSizeProblems = metadataSizeProblems;
const aws_limits_1 = require("./config/aws-limits");
function renderDeploymentMetadata(parts) {
    const { config } = parts;
    const ref = (tg) => ({ arn: tg.targetGroupArn, fullName: tg.targetGroupFullName, name: tg.targetGroupName });
    return {
        version: 1,
        service: config.name,
        applicationName: parts.applicationName,
        deploymentGroupName: parts.deploymentGroupName,
        taskDefinitionFamily: parts.taskDefinitionFamily,
        containerName: parts.containerName,
        containerPort: config.containerPort,
        productionListenerArn: parts.productionListenerArn,
        testListenerArn: parts.testListenerArn,
        testListenerPort: config.listener.testPort,
        loadBalancerDnsName: parts.loadBalancer.loadBalancerDnsName,
        loadBalancerFullName: parts.loadBalancer.loadBalancerFullName,
        targetGroups: [ref(parts.targetGroups[0]), ref(parts.targetGroups[1])],
        topicArn: parts.topicArn,
        plan: parts.plan,
        thresholds: config.thresholds,
        smokeChecks: config.smokeChecks,
        ...(config.canaryHeader ? { canaryHeader: config.canaryHeader } : {}),
        ...(config.canaryCookie ? { canaryCookie: config.canaryCookie } : {}),
        ...(parts.engine
            ? {
                hooks: parts.engine.hooks, auditTableName: parts.engine.auditTableName, stateMachineArn: parts.engine.stateMachineArn,
                ...(parts.engine.auditKeyArn ? { auditKeyArn: parts.engine.auditKeyArn } : {}),
                ...(parts.engine.auditAnchorBucket ? { auditAnchorBucket: parts.engine.auditAnchorBucket } : {}),
                ...(parts.engine.controlParameterName ? { controlParameterName: parts.engine.controlParameterName } : {}),
            }
            : {}),
        freezeParameterName: parts.freezeParameterName,
    };
}
/** A CDK token inside a synthesized string: it becomes an ARN or a name at deploy time. */
const TOKEN_PATTERN = /\$\{Token\[[^\]]+\]\}/g;
/**
 * The most bytes the metadata JSON can take once CloudFormation resolves it: its literal text
 * plus `allowance` for each token (see METADATA_TOKEN_ALLOWANCE).
 */
function metadataBytesBound(json, allowance) {
    const tokens = json.match(TOKEN_PATTERN)?.length ?? 0;
    return Buffer.byteLength(json.replace(TOKEN_PATTERN, ''), 'utf8') + tokens * allowance;
}
/** The deployment metadata must fit an advanced SSM parameter once resolved, else `cdk deploy` would fail. */
function metadataSizeProblems(source, service, json) {
    const bound = metadataBytesBound(json, aws_limits_1.METADATA_TOKEN_ALLOWANCE);
    if (bound <= aws_limits_1.SSM_ADVANCED_VALUE_BYTES)
        return [];
    return [
        `${source ? `${source}: ` : ''}the deployment metadata (/ecs-canary/${service}/deployment) could reach ${bound.toLocaleString('en-US')} bytes, `
            + `above Parameter Store's ${aws_limits_1.SSM_ADVANCED_VALUE_BYTES.toLocaleString('en-US')}-byte limit; it grows with smokeChecks and rollout.steps: use fewer or shorter smoke checks, or fewer steps`,
    ];
}
