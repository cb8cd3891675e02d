/**
 * What a deployment is doing, as CodeDeploy reports it, and how it ended: read by `canary
 * status`/`deploy` (through `lib/deploy`) and by the cdk-deploy custom resource. The adapter
 * reads; `toSnapshot` and `deploymentOutcome` interpret (pure).
 */
import { type CodeDeployClient, type DeploymentInfo, type ECSTarget } from '@aws-sdk/client-codedeploy';
/** CodeDeploy statuses after which nothing more happens. */
export declare const TERMINAL_STATUSES: readonly ["Succeeded", "Failed", "Stopped"];
export interface LifecycleEventView {
    readonly name: string;
    readonly status: string;
    readonly startedAt?: Date;
    readonly endedAt?: Date;
}
/** Percent of production traffic per task set. */
export interface TrafficWeights {
    readonly original: number;
    readonly replacement: number;
}
export interface DeploymentSnapshot {
    readonly deploymentId: string;
    /** CodeDeploy status: Created, Queued, InProgress, Baking, Ready, Succeeded, Failed, Stopped. */
    readonly status: string;
    readonly terminal: boolean;
    readonly description?: string;
    readonly createdAt?: Date;
    readonly completedAt?: Date;
    /** The ECS target's lifecycle events in CodeDeploy's order. */
    readonly lifecycleEvents: readonly LifecycleEventView[];
    /** The event now running (InProgress), else the last one that ran (Skipped ones did not). */
    readonly currentEvent?: string;
    /** Target group name of the replacement (Green) task set, when known. */
    readonly replacementTargetGroup?: string;
    readonly originalTargetGroup?: string;
    /** CodeDeploy's own view of the traffic weights (it does not see the engine's shifts). */
    readonly codeDeployWeights?: TrafficWeights;
    readonly errorCode?: string;
    readonly errorMessage?: string;
    readonly rollbackMessage?: string;
    /** Set when this deployment is CodeDeploy's automatic rollback of another one. */
    readonly rollbackOf?: string;
    /** Every hook ran; CodeDeploy only waits to terminate the original task set. */
    readonly terminationWait: boolean;
}
/** Interprets `GetDeployment` and the ECS target (pure). */
export declare function toSnapshot(deploymentId: string, info: DeploymentInfo | undefined, target: ECSTarget | undefined): DeploymentSnapshot;
/** Reads the deployment and its ECS target (`GetDeployment`, `ListDeploymentTargets`, `GetDeploymentTarget`). */
export declare function getDeploymentSnapshot(codedeploy: CodeDeployClient, deploymentId: string): Promise<DeploymentSnapshot>;
export interface DeploymentOutcome {
    readonly succeeded: boolean;
    /** One line for people: why it failed, or that it succeeded. */
    readonly reason: string;
}
/**
 * The outcome of a terminal deployment (pure). `auditReason` is the newest audit record's reason
 * for this deployment (the judge's words), which explains a rollback better than CodeDeploy does.
 */
export declare function deploymentOutcome(snapshot: DeploymentSnapshot, auditReason?: string): DeploymentOutcome;
