import { CustomResource, Duration } from 'aws-cdk-lib';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { type CdkDeployMode } from '../lambdas/core/cdk-deploy';
export interface CdkDeployTriggerProps {
    /**
     * `start`: the stack update creates the canary deployment and finishes (follow it with
     * `canary status`). `wait`: the stack update waits until CodeDeploy reports Succeeded and fails
     * with the judge's reason when the rollout rolls back; the rollout must fit `waitLimit`.
     */
    readonly mode: Exclude<CdkDeployMode, 'off'>;
    /**
     * The task definition CloudFormation manages. Its ARN names a revision; a change to the
     * container definition replaces it with a new revision, which changes this resource's
     * properties and starts a deployment.
     */
    readonly taskDefinition: ecs.ITaskDefinition;
    /** The image of that task definition's container (deployment description and messages). */
    readonly image: string;
    /** The ECS service under the CODE_DEPLOY controller (its primary task set is read). */
    readonly service: ecs.IBaseService;
    /** The CodeDeploy deployment group that deploys `service`. */
    readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
    /** `/ecs-canary/<name>/deployment`: the deployment metadata (AppSpec container, hooks, names). */
    readonly metadataParameter: ssm.IStringParameter;
    /** `/ecs-canary/<name>/freeze`: a frozen service refuses the deployment. */
    readonly freezeParameter: ssm.IStringParameter;
    /**
     * How long `wait` follows the deployment before it stops it with rollback and fails.
     * @default Duration.minutes(50): CloudFormation gives a custom resource one hour
     */
    readonly waitLimit?: Duration;
    /**
     * Retention of the handler's and the provider framework's logs.
     * @default logs.RetentionDays.ONE_MONTH
     */
    readonly logRetention?: logs.RetentionDays;
}
/**
 * Ships a new image through the canary rollout on `cdk deploy`: a custom resource (CDK provider
 * framework, `lambdas/handlers/cdk-deploy.ts`) whose properties name the task definition
 * revision. When CloudFormation registers a new revision, the resource creates the CodeDeploy
 * deployment with the ecs-canary AppSpec (same path as `canary deploy`) and, in `wait` mode,
 * polls it every minute until it ends. It never deploys a revision the primary task set already
 * runs (or an older one: CloudFormation's rollback re-sends the old properties), refuses while
 * frozen or while another deployment runs, and does nothing on delete.
 */
export declare class CdkDeployTrigger extends Construct {
    /** The custom resource; `getAttString('DeploymentId' | 'Message')`. */
    readonly resource: CustomResource;
    /** The role of the handler functions (onEvent and isComplete). */
    readonly role: iam.Role;
    /** The deployment started by the last create/update ('' when none was needed). */
    readonly deploymentId: string;
    private readonly mode;
    constructor(scope: Construct, id: string, props: CdkDeployTriggerProps);
    /**
     * Lets the `wait` handler quote the judge's newest reason from the audit table (read-only Query)
     * when a deployment fails. Without it a failure quotes CodeDeploy's error only; `start` never
     * reads the table, so nothing is granted there.
     */
    grantAuditRead(auditTableName: string): void;
    /**
     * The deploy path's calls (lambdas/handlers/cdk-deploy.ts), each on this service's resources
     * where IAM allows: `start` reads the parameters and the service and creates the deployment;
     * `wait` also follows it and stops it when its own wait runs out. No iam:PassRole: CodeDeploy
     * uses its own role. ListDeploymentTargets, GetDeploymentTarget and StopDeployment have no
     * resource type in the Service Authorization Reference, so IAM accepts only "*" for them.
     */
    private grantDeployPath;
    /**
     * Explains to cdk-nag the findings the provider framework cannot avoid, each on its exact
     * resource: invoking a function's versions and aliases (`<arn>:*`), the log delivery actions of
     * its waiter state machine (IAM accepts only "*"), and that state machine's missing X-Ray.
     */
    private acknowledgeFindings;
}
