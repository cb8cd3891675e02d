/**
 * The CLI's half of the deploy path: register a revision with only the image changed. The
 * shared half (refuse when frozen or busy, create with the ecs-canary AppSpec, stop) is
 * `lambdas/aws/deployments.ts`, re-exported here so `canary deploy` and the cdk-deploy custom
 * resource run the same code.
 */
import { type ECSClient, type RegisterTaskDefinitionCommandInput, type TaskDefinition } from '@aws-sdk/client-ecs';
import { type FieldChange } from './task-definition';
export { ACTIVE_STATUSES, activeDeployments, appSpecFor, assertDeployable, createCanaryDeployment, deploymentDescription, primaryTaskDefinition, stopWithRollback, } from '../../lambdas/aws/deployments';
export interface ImageRevisionPlan {
    /** The revision currently registered as the family's latest ACTIVE one. */
    readonly current: TaskDefinition;
    /** The `RegisterTaskDefinition` input: `current` with only the image changed. */
    readonly input: RegisterTaskDefinitionCommandInput;
    /** What differs between the two (the image, nothing else). */
    readonly changes: readonly FieldChange[];
}
/**
 * Describes the family's latest revision and derives the next one with `image` in
 * `containerName`. Changes nothing.
 */
export declare function planImageRevision(ecs: ECSClient, target: {
    readonly family: string;
    readonly containerName: string;
    readonly image: string;
}): Promise<ImageRevisionPlan>;
/** Registers the planned revision; returns its ARN. */
export declare function registerRevision(ecs: ECSClient, plan: ImageRevisionPlan): Promise<string>;
/** The CI commit from the environment: GitHub Actions, GitLab CI, or none. */
export declare function ciCommit(env: NodeJS.ProcessEnv): string | undefined;
