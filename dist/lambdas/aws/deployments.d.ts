/**
 * Creating, refusing and stopping ecs-canary deployments: the one path shared by `canary deploy`
 * (through `lib/deploy`) and the cdk-deploy custom resource. Thin adapters over the SDK; the
 * AppSpec is the pure renderer of `core/appspec.ts`.
 */
import { type CodeDeployClient, type DeploymentStatus } from '@aws-sdk/client-codedeploy';
import { type ECSClient } from '@aws-sdk/client-ecs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { type EcsAppSpec } from '../core/appspec';
import type { DeploymentMetadata } from '../core/metadata';
/** Deployment statuses during which another deployment must not start. */
export declare const ACTIVE_STATUSES: readonly DeploymentStatus[];
/** Deployments of the service's deployment group that are still active, newest first as listed. */
export declare function activeDeployments(codedeploy: CodeDeployClient, metadata: DeploymentMetadata): Promise<string[]>;
/**
 * Throws `DeploymentBlockedError` when the freeze switch is on or a deployment of the group is
 * still active; the message says what to do.
 */
export declare function assertDeployable(clients: {
    readonly ssm: SSMClient;
    readonly codedeploy: CodeDeployClient;
}, metadata: DeploymentMetadata): Promise<void>;
/** The deployment description: the image and, when known, the commit that produced it. */
export declare function deploymentDescription(image: string, commit?: string): string;
/** The AppSpec for a revision of this service; a metadata without hooks is a `DeployConfigError`. */
export declare function appSpecFor(metadata: DeploymentMetadata, taskDefinitionArn: string): EcsAppSpec;
/** Creates the CodeDeploy deployment of `taskDefinitionArn`; returns the deployment id. */
export declare function createCanaryDeployment(codedeploy: CodeDeployClient, request: {
    readonly metadata: DeploymentMetadata;
    readonly taskDefinitionArn: string;
    readonly description: string;
}): Promise<string>;
/**
 * The task definition the service's primary task set runs (under the CODE_DEPLOY controller the
 * service's own `taskDefinition` follows it too). For the cdk-deploy resource: a revision that
 * already runs needs no deployment.
 */
export declare function primaryTaskDefinition(ecs: ECSClient, target: {
    readonly cluster: string;
    readonly service: string;
}): Promise<string | undefined>;
/** Stops a deployment and has CodeDeploy roll it back (production back to the original). */
export declare function stopWithRollback(codedeploy: CodeDeployClient, deploymentId: string): Promise<void>;
