/**
 * The decisions of the cdk-deploy custom resource (`handlers/cdk-deploy.ts`): whether a stack
 * update needs a deployment at all, whether the rollout fits CloudFormation's one-hour limit,
 * and what a poll of the deployment means. Pure: no AWS imports, `now` passed in.
 */
import type { CompiledPlan } from './rollout-plan';

/**
 * What `cdk deploy` does when the task definition revision changes (`deployOnCdkDeploy` in the
 * service YAML): `wait` for the rollout to finish (the stack update fails when it rolls back),
 * only `start` it (follow with `canary status`), or nothing (`off`: images go through pipelines).
 */
export const CDK_DEPLOY_MODES = ['wait', 'start', 'off'] as const;
export type CdkDeployMode = (typeof CDK_DEPLOY_MODES)[number];

/**
 * CloudFormation waits at most one hour for a custom resource (ServiceTimeout ≤ 3600 s). The
 * provider framework gives up after `PROVIDER_TOTAL_TIMEOUT_MINUTES`; the handler stops the
 * deployment itself after `CDK_DEPLOY_WAIT_LIMIT_MINUTES`, early enough to report why.
 */
export const CUSTOM_RESOURCE_TIMEOUT_MINUTES = 60;
export const PROVIDER_TOTAL_TIMEOUT_MINUTES = 55;
export const CDK_DEPLOY_WAIT_LIMIT_MINUTES = 50;

/**
 * CodeDeploy's own steps outside the hook windows: starting the replacement task set until its
 * targets are healthy, test traffic, the final traffic shift and terminating the original.
 */
export const CODEDEPLOY_STEPS_MINUTES = 10;

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
export function cdkDeployWorstCase(plan: CompiledPlan): CdkDeployWorstCase {
  const planMinutes = plan.worstCaseMinutes;
  const terminationWaitMinutes = plan.postTrafficBakeMinutes;
  return {
    planMinutes,
    terminationWaitMinutes,
    codeDeployStepsMinutes: CODEDEPLOY_STEPS_MINUTES,
    totalMinutes: planMinutes + terminationWaitMinutes + CODEDEPLOY_STEPS_MINUTES,
  };
}

/**
 * Why `deployOnCdkDeploy: wait` cannot work with this plan (what is accepted and what to
 * shorten), or undefined when the worst case fits `CDK_DEPLOY_WAIT_LIMIT_MINUTES`.
 */
export function cdkDeployWaitProblem(plan: CompiledPlan): string | undefined {
  const worst = cdkDeployWorstCase(plan);
  if (worst.totalMinutes <= CDK_DEPLOY_WAIT_LIMIT_MINUTES) return undefined;
  const excess = worst.totalMinutes - CDK_DEPLOY_WAIT_LIMIT_MINUTES;
  return (
    `accepted: "start" or "off" with this rollout plan, or "wait" with a plan that finishes within ${CDK_DEPLOY_WAIT_LIMIT_MINUTES} min ` +
    `(CloudFormation waits at most ${CUSTOM_RESOURCE_TIMEOUT_MINUTES} min for a custom resource); this plan takes up to ${worst.totalMinutes} min in the worst case ` +
    `(hook windows ${worst.planMinutes} + termination wait ${worst.terminationWaitMinutes} + CodeDeploy steps ${worst.codeDeployStepsMinutes}); ` +
    `shorten rollout.steps[].bakeMinutes, rollout.holdLimitMinutes (counted once per step and once for the post-traffic bake) ` +
    `or rollout.postTrafficBakeMinutes (counted twice: bake and termination wait) by ${excess} min in total`
  );
}

/** What a Create/Update needs, given the revision asked for and the one the service runs. */
export type StartDecision = { readonly action: 'deploy' } | { readonly action: 'skip'; readonly reason: string };

const REVISION_ARN = /^(.*:task-definition\/[^:]+):(\d+)$/;

/**
 * No double deployment: nothing to do when the primary task set already runs the requested
 * revision (first create of the stack, or an update that changed nothing in the container), and
 * never a deployment of an older revision of the same family than the one running — CloudFormation
 * re-sends the previous properties when it rolls a failed update back, and revisions only grow.
 */
export function decideStart(request: {
  readonly requestedTaskDefinitionArn: string;
  readonly primaryTaskDefinitionArn?: string;
}): StartDecision {
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

/** What one poll of the deployment means for `wait`. */
export type CompletionDecision =
  | { readonly action: 'succeeded' }
  | { readonly action: 'failed' }
  | { readonly action: 'stop-and-fail' }
  | { readonly action: 'keep-waiting' };

/** Terminal statuses decide; otherwise the handler's own deadline does. */
export function decideCompletion(
  deployment: { readonly status: string; readonly terminal: boolean },
  nowMs: number,
  deadlineMs: number,
): CompletionDecision {
  if (deployment.terminal) return { action: deployment.status === 'Succeeded' ? 'succeeded' : 'failed' };
  if (nowMs >= deadlineMs) return { action: 'stop-and-fail' };
  return { action: 'keep-waiting' };
}

/** The CodeDeploy description of a deployment started by `cdk deploy` (at most 1024 characters). */
export function cdkDeployDescription(image: string): string {
  return `cdk deploy: ${image}`.slice(0, 1024);
}
