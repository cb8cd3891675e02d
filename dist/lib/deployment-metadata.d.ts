/**
 * Renders the JSON of `/ecs-canary/<name>/deployment` (`DeploymentMetadata`) from the parts of a
 * `CanaryService`. A free function, so it is tested by value without a stack.
 */
import type { DeploymentMetadata } from '../lambdas/core/metadata';
import type { CompiledPlan, HookName } from '../lambdas/core/plan';
import type { ServiceConfig } from './config';
/** What the rollout engine publishes into the deployment metadata when it is attached. */
export interface EngineAttachment {
    /** Hook name → name of the Lambda function CodeDeploy invokes for it. */
    readonly hooks: Readonly<Record<HookName, string>>;
    /** The audit table (decisions and the operator control record). */
    readonly auditTableName: string;
    /** The rollout state machine. */
    readonly stateMachineArn: string;
    /** The KMS key audit records are signed with. @default - none (records unsigned) */
    readonly auditKeyArn?: string;
    /** The Object Lock bucket of the audit chain's anchors. @default - none */
    readonly auditAnchorBucket?: string;
    /** The SSM parameter of operator commands. @default - none */
    readonly controlParameterName?: string;
    /** The tick's log group, whose `decision` lines the service's dashboard lists. @default - no decisions widget */
    readonly decisionLogGroupName?: string;
}
export interface DeploymentMetadataParts {
    readonly config: ServiceConfig;
    readonly plan: CompiledPlan;
    readonly applicationName: string;
    readonly deploymentGroupName: string;
    readonly taskDefinitionFamily: string;
    readonly containerName: string;
    readonly productionListenerArn: string;
    readonly testListenerArn: string;
    readonly loadBalancer: {
        readonly loadBalancerDnsName: string;
        readonly loadBalancerFullName: string;
    };
    readonly targetGroups: readonly [TargetGroupParts, TargetGroupParts];
    readonly topicArn: string;
    readonly freezeParameterName: string;
    /** @default - no engine: `hooks`, `auditTableName` and `stateMachineArn` are left out */
    readonly engine?: EngineAttachment;
}
interface TargetGroupParts {
    readonly targetGroupArn: string;
    readonly targetGroupName: string;
    readonly targetGroupFullName: string;
}
export declare function renderDeploymentMetadata(parts: DeploymentMetadataParts): DeploymentMetadata;
/**
 * The most bytes the metadata JSON can take once CloudFormation resolves it: its literal text
 * plus `allowance` for each token (see METADATA_TOKEN_ALLOWANCE).
 */
export declare function metadataBytesBound(json: string, allowance: number): number;
/** The deployment metadata must fit an advanced SSM parameter once resolved, else `cdk deploy` would fail. */
export declare function metadataSizeProblems(source: string | undefined, service: string, json: string): string[];
export {};
