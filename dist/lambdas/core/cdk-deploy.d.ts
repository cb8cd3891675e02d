/**
 * The decisions of the cdk-deploy custom resource (`handlers/cdk-deploy.ts`): whether a stack
 * update needs a deployment at all, whether the rollout fits CloudFormation's one-hour limit,
 * and what a poll of the deployment means. Pure: no AWS imports, `now` passed in.
 */
import type { CompiledPlan } from './plan';
/**
 * What `cdk deploy` does when the task definition revision changes (`deployOnCdkDeploy` in the
 * service YAML): `wait` for the rollout to finish (the stack update fails when it rolls back),
 * only `start` it (follow with `canary status`), or nothing (`off`: images go through pipelines).
 */
export declare const CDK_DEPLOY_MODES: readonly ["wait", "start", "off"];
export type CdkDeployMode = (typeof CDK_DEPLOY_MODES)[number];
/**
 * CloudFormation waits at most one hour for a custom resource (ServiceTimeout ≤ 3600 s). The
 * provider framework gives up after `PROVIDER_TOTAL_TIMEOUT_MINUTES`; the handler stops the
 * deployment itself after `CDK_DEPLOY_WAIT_LIMIT_MINUTES`, early enough to report why.
 */
export declare const CUSTOM_RESOURCE_TIMEOUT_MINUTES = 60;
export declare const PROVIDER_TOTAL_TIMEOUT_MINUTES = 55;
export declare const CDK_DEPLOY_WAIT_LIMIT_MINUTES = 50;
/**
 * CodeDeploy's own steps outside the hook windows: starting the replacement task set until its
 * targets are healthy, test traffic, the final traffic shift and terminating the original.
 */
export declare const CODEDEPLOY_STEPS_MINUTES = 10;
export interface CdkDeployWorstCase {
    /** The plan's hook windows: steps and post-traffic bake, each with its full hold limit. */
    readonly planMinutes: number;
    /** CodeDeploy's termination wait after 100% (alarms can still roll back during it). */
    readonly terminationWaitMinutes: number;
    readonly codeDeployStepsMinutes: number;
    readonly totalMinutes: number;
}
/**
 * How long `wait` may have to wait: until CodeDeploy reports Succeeded, i.e. through the
 * termination wait (the deployment group's `terminationWaitTime` is the post-traffic bake).
 */
export declare function cdkDeployWorstCase(plan: CompiledPlan): CdkDeployWorstCase;
/**
 * Why `deployOnCdkDeploy: wait` cannot work with this plan (what is accepted and what to
 * shorten), or undefined when the worst case fits `CDK_DEPLOY_WAIT_LIMIT_MINUTES`.
 */
export declare function cdkDeployWaitProblem(plan: CompiledPlan): string | undefined;
/** What a Create/Update needs, given the revision asked for and the one the service runs. */
export type StartDecision = {
    readonly action: 'deploy';
} | {
    readonly action: 'skip';
    readonly reason: string;
};
/**
 * No double deployment: nothing to do when the primary task set already runs the requested
 * revision (first create of the stack, or an update that changed nothing in the container), and
 * never a deployment of an older revision of the same family than the one running — CloudFormation
 * re-sends the previous properties when it rolls a failed update back, and revisions only grow.
 */
export declare function decideStart(request: {
    readonly requestedTaskDefinitionArn: string;
    readonly primaryTaskDefinitionArn?: string;
}): StartDecision;
/** What one poll of the deployment means for `wait`. */
export type CompletionDecision = {
    readonly action: 'succeeded';
} | {
    readonly action: 'failed';
} | {
    readonly action: 'stop-and-fail';
} | {
    readonly action: 'keep-waiting';
};
/** Terminal statuses decide; otherwise the handler's own deadline does. */
export declare function decideCompletion(deployment: {
    readonly status: string;
    readonly terminal: boolean;
}, nowMs: number, deadlineMs: number): CompletionDecision;
/** The CodeDeploy description of a deployment started by `cdk deploy` (at most 1024 characters). */
export declare function cdkDeployDescription(image: string): string;
