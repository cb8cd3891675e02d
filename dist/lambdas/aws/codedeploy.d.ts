/** CodeDeploy adapter: deployment status, which target group is the replacement, hook status. */
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { TargetGroupRef } from '../core/metadata';
import type { TargetPair } from '../core/rollout-state';
export declare function deploymentStatus(client: CodeDeployClient, deploymentId: string): Promise<string>;
/** Throws `DeploymentNotInProgressError` unless the deployment is InProgress: call right before a listener write. */
export declare function assertInProgress(client: CodeDeployClient, deploymentId: string): Promise<void>;
/**
 * Which of the service's target groups serves the replacement (task set label `Green`) and which
 * the original (`Blue`) in this deployment; blue and green swap roles on every deployment.
 */
export declare function deploymentTargets(client: CodeDeployClient, deploymentId: string, targetGroups: readonly TargetGroupRef[]): Promise<TargetPair>;
/**
 * Reports the hook's status. Returns false when CodeDeploy says the hook was already answered
 * (a retried tick after a report that did reach CodeDeploy): nothing is left to do then.
 */
export declare function reportHookStatus(client: CodeDeployClient, deploymentId: string, lifecycleEventHookExecutionId: string, status: 'Succeeded' | 'Failed'): Promise<boolean>;
