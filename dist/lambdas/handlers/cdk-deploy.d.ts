/**
 * The cdk-deploy custom resource (`lib/cdk-deploy-trigger.ts`), behind the CDK provider
 * framework: `onEvent` starts the canary deployment of the task definition revision
 * CloudFormation registered, `isComplete` (mode `wait` only) follows it until CodeDeploy reports
 * an end. Same deploy path as `canary deploy` (`lambdas/aws/deployments.ts`): one AppSpec, one
 * freeze/in-progress check. Delete does nothing: deleting the resource never deploys or stops.
 *
 * The decisions are `core/cdk-deploy.ts`; this file reads, calls the core, and acts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
/** The resource's properties (all strings, as CloudFormation sends them). */
export interface CdkDeployProperties {
    /** The revision to deploy: the task definition CloudFormation registered. */
    readonly TaskDefinitionArn: string;
    /** Its image, for the deployment description and messages. */
    readonly Image: string;
    /** `/ecs-canary/<name>/deployment`. */
    readonly MetadataParameterName: string;
    /** Cluster name or ARN of the service. */
    readonly Cluster: string;
    /** Service name or ARN. */
    readonly Service: string;
}
/** The provider framework's onEvent input (CloudFormation's request, minus the response URL). */
export interface CdkDeployEvent {
    readonly RequestType: 'Create' | 'Update' | 'Delete';
    readonly ResourceProperties: Record<string, unknown>;
    readonly PhysicalResourceId?: string;
}
/** What `onEvent` returns; `Data` reaches `isComplete` and CloudFormation (`Fn::GetAtt`). */
export interface CdkDeployResult {
    readonly PhysicalResourceId: string;
    readonly Data?: {
        /** The deployment started, or '' when none was needed. */
        readonly DeploymentId: string;
        /** One line for people (also the stack output). */
        readonly Message: string;
        /** When `isComplete` stops waiting and stops the deployment (ISO time). */
        readonly WaitDeadline?: string;
    };
}
export interface CdkDeployCompletionEvent extends CdkDeployEvent {
    readonly PhysicalResourceId: string;
    readonly Data?: CdkDeployResult['Data'];
}
export interface CdkDeployCompletion {
    readonly IsComplete: boolean;
    readonly Data?: {
        readonly Message: string;
    };
}
export declare const logger: Logger;
/** Create/Update: deploy the requested revision unless it already runs; Delete: nothing. */
export declare function onEvent(event: CdkDeployEvent): Promise<CdkDeployResult>;
/** `wait`: complete when CodeDeploy reports Succeeded; fail with the judge's reason otherwise. */
export declare function isComplete(event: CdkDeployCompletionEvent): Promise<CdkDeployCompletion>;
