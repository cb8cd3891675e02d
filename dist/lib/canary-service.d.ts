import { RemovalPolicy } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { type CompiledPlan } from '../lambdas/core/plan';
import { type ServiceConfig, type ServiceConfigInput } from './config';
import { CdkDeployTrigger } from './cdk-deploy-trigger';
import { CanaryListeners } from './canary-listeners';
import { CanaryNotifications } from './canary-notifications';
import { type EngineAttachment } from './deployment-metadata';
/**
 * The rollout engine (Lambdas, state machine, audit table) plugs into a `CanaryService` through
 * this interface: `bind` is called once, at the end of the constructor, with the finished
 * service, and returns what the engine publishes into the deployment metadata.
 */
export interface ICanaryEngine {
    bind(service: CanaryService): EngineAttachment;
}
export interface CanaryServiceProps {
    /**
     * The service configuration: the parsed YAML (`loadServiceConfigs`) or an object of the same
     * shape. It is validated again here, so a hand-written object gets the same messages.
     */
    readonly config: ServiceConfigInput | ServiceConfig;
    /** VPC with public subnets (load balancer) and private subnets with egress (tasks). */
    readonly vpc: ec2.IVpc;
    /** ECS cluster in that VPC. */
    readonly cluster: ecs.ICluster;
    /**
     * Public IPv4 addresses through which the VPC's private subnets reach the internet (its NAT
     * gateways). A client inside the VPC reaches the internet-facing load balancer through them, so
     * when `listener.testAllowedCidrs` is empty the test listener admits them along with the VPC CIDR.
     * @default - none: the test listener admits the VPC CIDR only
     */
    readonly vpcEgressIps?: readonly string[];
    /**
     * Minutes with fewer requests than this are ignored by the error-rate and p95 rollback alarms.
     * @default - the smallest count at which 3 errors exceed `thresholds.maxErrorRatePercent`, at least 50
     */
    readonly alarmRequestFloorPerMinute?: number;
    /**
     * Retention of the container logs.
     * @default logs.RetentionDays.ONE_MONTH
     */
    readonly logRetention?: logs.RetentionDays;
    /**
     * What happens to the load balancer access-log bucket when the stack is deleted.
     * @default RemovalPolicy.RETAIN
     */
    readonly accessLogsRemovalPolicy?: RemovalPolicy;
    /**
     * The rollout engine to attach (next part of ecs-canary).
     * @default - none: the metadata carries no hooks, and `attachEngine` may be called later
     */
    readonly engine?: ICanaryEngine;
}
/**
 * A canary-ready ECS service: a Fargate service under the CODE_DEPLOY controller behind an ALB
 * with a production and a test listener, blue and green target groups, a CodeDeploy deployment
 * group (AllAtOnce: the rollout engine performs the partial shifts), rollback alarms on both
 * target groups, notifications, a dashboard, and the SSM parameters the CLI and the engine read.
 *
 * Its stack needs a concrete region (`env: { region }`); no account is needed.
 */
export declare class CanaryService extends Construct {
    /** The validated configuration, with defaults applied. */
    readonly config: ServiceConfig;
    /** The rollout plan compiled into CodeDeploy hook windows. */
    readonly plan: CompiledPlan;
    readonly loadBalancer: elbv2.ApplicationLoadBalancer;
    readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
    readonly accessLogsBucket: s3.Bucket;
    /** Production and test listeners (create-only custom resources; see `CanaryListeners`). */
    readonly listeners: CanaryListeners;
    /** ARN of the production listener, whose weighted forward CodeDeploy and the engine rewrite. */
    readonly productionListenerArn: string;
    /** ARN of the test listener (smoke checks, CodeDeploy test traffic). */
    readonly testListenerArn: string;
    /** Target group the service starts on. Blue and green swap roles on every deployment. */
    readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
    readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
    readonly taskDefinition: ecs.FargateTaskDefinition;
    readonly container: ecs.ContainerDefinition;
    readonly service: ecs.FargateService;
    readonly application: codedeploy.EcsApplication;
    readonly deploymentGroup: codedeploy.EcsDeploymentGroup;
    /** The alarms attached to the deployment group (six; CodeDeploy accepts ten). */
    readonly rollbackAlarms: readonly cloudwatch.Alarm[];
    /** Topic, its KMS key (publishers need kms:GenerateDataKey and kms:Decrypt) and the CodeDeploy rule. */
    readonly notifications: CanaryNotifications;
    /** The notification topic (KMS-encrypted). */
    readonly topic: sns.Topic;
    readonly dashboard: cloudwatch.Dashboard;
    /** `/ecs-canary/<name>/deployment`: `DeploymentMetadata` JSON. */
    readonly deploymentParameter: ssm.StringParameter;
    /** `/ecs-canary/<name>/freeze`: the freeze switch, created unfrozen. */
    readonly freezeParameter: ssm.StringParameter;
    /**
     * Starts (or waits for) a canary deployment when `cdk deploy` registers a new task definition
     * revision; undefined with `deployOnCdkDeploy: off`.
     */
    readonly cdkDeployTrigger?: CdkDeployTrigger;
    private engineAttachment?;
    constructor(scope: Construct, id: string, props: CanaryServiceProps);
    /**
     * Publishes the rollout engine's hooks, audit table and state machine in the deployment
     * metadata. Called by the engine (or through `props.engine`); at most once.
     */
    attachEngine(attachment: EngineAttachment): void;
    /** The attached engine's publication, if any. */
    get engine(): EngineAttachment | undefined;
}
