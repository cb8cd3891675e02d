"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CODEDEPLOY_STEPS_MINUTES = exports.CDK_DEPLOY_WAIT_LIMIT_MINUTES = exports.PROVIDER_TOTAL_TIMEOUT_MINUTES = exports.CUSTOM_RESOURCE_TIMEOUT_MINUTES = exports.CDK_DEPLOY_MODES = void 0;
exports.cdkDeployWorstCase = cdkDeployWorstCase;
exports.cdkDeployWaitProblem = cdkDeployWaitProblem;
exports.decideStart = decideStart;
exports.decideCompletion = decideCompletion;
exports.cdkDeployDescription = cdkDeployDescription;
/**
 * What `cdk deploy` does when the task definition revision changes (`deployOnCdkDeploy` in the
 * service YAML): `wait` for the rollout to finish (the stack update fails when it rolls back),
 * only `start` it (follow with `canary status`), or nothing (`off`: images go through pipelines).
 */
exports.CDK_DEPLOY_MODES = ['wait', 'start', 'off'];
/**
 * CloudFormation waits at most one hour for a custom resource (ServiceTimeout ≤ 3600 s). The
 * provider framework gives up after `PROVIDER_TOTAL_TIMEOUT_MINUTES`; the handler stops the
 * deployment itself after `CDK_DEPLOY_WAIT_LIMIT_MINUTES`, early enough to report why.
 */
exports.CUSTOM_RESOURCE_TIMEOUT_MINUTES = 60;
exports.PROVIDER_TOTAL_TIMEOUT_MINUTES = 55;
exports.CDK_DEPLOY_WAIT_LIMIT_MINUTES = 50;
/**
 * CodeDeploy's own steps outside the hook windows: starting the replacement task set until its
 * targets are healthy, test traffic, the final traffic shift and terminating the original.
 */
exports.CODEDEPLOY_STEPS_MINUTES = 10;
/**
 * How long `wait` may have to wait: until CodeDeploy reports Succeeded, i.e. through the
 * termination wait (the deployment group's `terminationWaitTime` is the post-traffic bake).
 */
function cdkDeployWorstCase(plan) {
    const planMinutes = plan.worstCaseMinutes;
    const terminationWaitMinutes = plan.postTrafficBakeMinutes;
    return {
        planMinutes,
        terminationWaitMinutes,
        codeDeployStepsMinutes: exports.CODEDEPLOY_STEPS_MINUTES,
        totalMinutes: planMinutes + terminationWaitMinutes + exports.CODEDEPLOY_STEPS_MINUTES,
    };
}
/**
 * Why `deployOnCdkDeploy: wait` cannot work with this plan (what is accepted and what to
 * shorten), or undefined when the worst case fits `CDK_DEPLOY_WAIT_LIMIT_MINUTES`.
 */
function cdkDeployWaitProblem(plan) {
    const worst = cdkDeployWorstCase(plan);
    if (worst.totalMinutes <= exports.CDK_DEPLOY_WAIT_LIMIT_MINUTES)
        return undefined;
    const excess = worst.totalMinutes - exports.CDK_DEPLOY_WAIT_LIMIT_MINUTES;
    return (`accepted: "start" or "off" with this rollout plan, or "wait" with a plan that finishes within ${exports.CDK_DEPLOY_WAIT_LIMIT_MINUTES} min ` +
        `(CloudFormation waits at most ${exports.CUSTOM_RESOURCE_TIMEOUT_MINUTES} min for a custom resource); this plan takes up to ${worst.totalMinutes} min in the worst case ` +
        `(hook windows ${worst.planMinutes} + termination wait ${worst.terminationWaitMinutes} + CodeDeploy steps ${worst.codeDeployStepsMinutes}); ` +
        `shorten rollout.steps[].bakeMinutes, rollout.holdLimitMinutes (counted once per step and once for the post-traffic bake) ` +
        `or rollout.postTrafficBakeMinutes (counted twice: bake and termination wait) by ${excess} min in total`);
}
const REVISION_ARN = /^(.*:task-definition\/[^:]+):(\d+)$/;
/**
 * No double deployment: nothing to do when the primary task set already runs the requested
 * revision (first create of the stack, or an update that changed nothing in the container), and
 * never a deployment of an older revision of the same family than the one running — CloudFormation
 * re-sends the previous properties when it rolls a failed update back, and revisions only grow.
 */
function decideStart(request) {
    const { requestedTaskDefinitionArn: requested, primaryTaskDefinitionArn: primary } = request;
    if (primary === requested) {
        return { action: 'skip', reason: `the primary task set already runs ${requested}; nothing to deploy` };
    }
    const wanted = REVISION_ARN.exec(requested);
    const running = primary ? REVISION_ARN.exec(primary) : null;
    if (wanted && running && wanted[1] === running[1] && Number(wanted[2]) < Number(running[2])) {
        return {
            action: 'skip',
            reason: `the primary task set runs ${primary}, newer than the requested ${requested} (CloudFormation rolling back, or a stack older than the last canary deploy); not deploying an older revision — use canary deploy to ship a specific image`,
        };
    }
    return { action: 'deploy' };
}
/** Terminal statuses decide; otherwise the handler's own deadline does. */
function decideCompletion(deployment, nowMs, deadlineMs) {
    if (deployment.terminal)
        return { action: deployment.status === 'Succeeded' ? 'succeeded' : 'failed' };
    if (nowMs >= deadlineMs)
        return { action: 'stop-and-fail' };
    return { action: 'keep-waiting' };
}
/** The CodeDeploy description of a deployment started by `cdk deploy` (at most 1024 characters). */
function cdkDeployDescription(image) {
    return `cdk deploy: ${image}`.slice(0, 1024);
}
