"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.realSleep = exports.deploymentOutcome = void 0;
exports.retryTransient = retryTransient;
exports.follow = follow;
exports.followDeployment = followDeployment;
const errors_1 = require("./errors");
const deployment_snapshot_1 = require("../../lambdas/aws/deployment-snapshot");
var deployment_snapshot_2 = require("../../lambdas/aws/deployment-snapshot");
Object.defineProperty(exports, "deploymentOutcome", { enumerable: true, get: function () { return deployment_snapshot_2.deploymentOutcome; } });
/**
 * Retry policy for following a long rollout: transient AWS failures (throttling, network) are
 * retried up to `limit` times in a row; permission errors never.
 */
function retryTransient(limit) {
    return (error, consecutive) => consecutive <= limit && !(error instanceof errors_1.AwsCallError && error.missingAction !== undefined);
}
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
exports.realSleep = realSleep;
/** Observes until terminal or timeout. */
async function follow(options) {
    const sleep = options.sleep ?? exports.realSleep;
    const now = options.now ?? Date.now;
    const interval = options.intervalMs ?? 10_000;
    const deadline = options.timeoutMs === undefined ? Infinity : now() + options.timeoutMs;
    let failures = 0;
    for (;;) {
        let observation;
        try {
            observation = await options.observe();
            failures = 0;
        }
        catch (error) {
            failures += 1;
            if (!options.retryError?.(error, failures) || now() + interval > deadline)
                throw error;
            await sleep(interval);
            continue;
        }
        await options.onUpdate?.(observation);
        if (observation.terminal)
            return { last: observation, timedOut: false };
        if (now() + interval > deadline)
            return { last: observation, timedOut: true };
        await sleep(interval);
    }
}
/** Follows a CodeDeploy deployment by its own status only (what the cdk-deploy resource needs). */
function followDeployment(codedeploy, deploymentId, options = {}) {
    return follow({ ...options, observe: () => (0, deployment_snapshot_1.getDeploymentSnapshot)(codedeploy, deploymentId) });
}
