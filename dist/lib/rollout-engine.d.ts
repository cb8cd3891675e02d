import { RemovalPolicy } from 'aws-cdk-lib';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type HookName } from '../lambdas/core/plan';
import { AuditSigningKey } from './audit-signing-key';
import { AuditAnchorBucket } from './audit-anchor-bucket';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
export interface RolloutEngineProps {
    /** The service name: the audit chain's partition key, the `Service` dimension, part of resource names. */
    readonly serviceName: string;
    /** ARN of the production listener whose weighted forward the engine rewrites. */
    readonly productionListenerArn: string;
    /** The service's two target groups (blue and green); which one is the replacement is discovered per deployment. */
    readonly targetGroups: readonly [elbv2.ITargetGroup, elbv2.ITargetGroup];
    /** The service's CodeDeploy ECS deployment group. */
    readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
    /** The topic rollout events are published to. */
    readonly topic: sns.ITopic;
    /**
     * The KMS key the topic is encrypted with: publishers need `kms:GenerateDataKey` and `kms:Decrypt` on it.
     * @default - the topic is not encrypted with a customer managed key; no KMS permission is granted
     */
    readonly topicKey?: kms.IKey;
    /** Name of the SSM parameter holding the deployment metadata (`/ecs-canary/<name>/deployment`). */
    readonly metadataParameterName: string;
    /** Name of the SSM parameter of the freeze switch (`/ecs-canary/<name>/freeze`). */
    readonly freezeParameterName: string;
    /**
     * Name of the SSM parameter operators write promote/pause/resume/abort to (`/ecs-canary/<name>/control`);
     * the tick acts on it and the guard names who aborted. Written by the CLI, not by the stack.
     * @default - operator commands are not read
     */
    readonly controlParameterName?: string;
    /**
     * The deployment group's rollback alarms: the guard records which were in ALARM when a deployment stopped.
     * @default - no alarm states are recorded
     */
    readonly rollbackAlarms?: readonly cloudwatch.IAlarm[];
    /**
     * Days an audit record is kept before DynamoDB's TTL removes it.
     * @default 90
     */
    readonly auditRetentionDays?: number;
    /**
     * What happens to the audit table when the stack is deleted.
     * @default RemovalPolicy.RETAIN
     */
    readonly auditRemovalPolicy?: RemovalPolicy;
    /**
     * Run the AfterAllowTestTraffic hook inside this VPC. With `target: 'replacement-targets'` its
     * smoke checks go to each healthy replacement task directly (allow `smokeCheckConnections` to
     * reach the tasks' port); with `'test-listener'` through the test listener, which must admit the
     * VPC's egress addresses.
     * @default - the hook runs outside any VPC and checks through the test listener
     *   (`http://<alb>:<test port><path>`), which must then be reachable from the Lambda
     */
    readonly smokeCheckVpc?: {
        readonly vpc: ec2.IVpc;
        /** @default - the private subnets with egress */
        readonly subnets?: ec2.SubnetSelection;
        /** @default 'replacement-targets' */
        readonly target?: 'replacement-targets' | 'test-listener';
    };
    /**
     * Retention of the engine's Lambda and state machine logs.
     * @default logs.RetentionDays.ONE_MONTH
     */
    readonly logRetention?: logs.RetentionDays;
}
/**
 * The rollout engine of one service: three CodeDeploy hook Lambdas, the Step Functions rollout
 * loop (Tick → Done? → Wait → Tick) with its Tick Lambda, the guard Lambda on this deployment
 * group's FAILURE/STOP events, and the audit table. Every role names its exact resources.
 *
 * Hook functions are named `CodeDeployHook_<service>-<hook>`, the prefix CodeDeploy's managed
 * role policies expect (AWSCodeDeployRoleForLambda/-CloudFormation invoke only `CodeDeployHook_*`;
 * AWSCodeDeployRoleForECS, which the ECS deployment group uses, invokes any function).
 */
export declare class RolloutEngine extends Construct {
    readonly auditTable: dynamodb.Table;
    /** The KMS key the engine signs audit records with (verifiers: kms:GetPublicKey). */
    readonly auditSigningKey: AuditSigningKey;
    /** The Object Lock bucket of the chain's anchors. */
    readonly auditAnchors: AuditAnchorBucket;
    readonly stateMachine: sfn.StateMachine;
    readonly hookFunctions: Readonly<Record<HookName, nodejs.NodejsFunction>>;
    readonly tickFunction: nodejs.NodejsFunction;
    readonly guardFunction: nodejs.NodejsFunction;
    readonly guardRule: events.Rule;
    /** The smoke-checking hook's network connections, when it runs in a VPC (`smokeCheckVpc`). */
    readonly smokeCheckConnections?: ec2.Connections;
    constructor(scope: Construct, id: string, props: RolloutEngineProps);
    /**
     * Explains to cdk-nag (AwsSolutions, through `Validations.acknowledge`) each wildcard this
     * construct's own policies need, after every grant is in place. A `Resource: "*"` is explained
     * only when every action of its statements is in WILDCARD_ONLY_ACTIONS, and the reason names
     * them; any other wildcard stays a finding.
     */
    private explainWildcards;
    /** What the engine publishes into the deployment metadata (`EngineAttachment` of the service stack). */
    get attachment(): {
        hooks: Record<HookName, string>;
        auditTableName: string;
        stateMachineArn: string;
        auditKeyArn: string;
        auditAnchorBucket: string;
    };
    /**
     * Only the engine writes the trail (docs/audit.md): every function that appends signs
     * (kms:Sign, denied to everyone else in the key policy) and anchors, and the audit table's
     * resource policy denies item writes to every other IAM principal. The Deny applies only to
     * requests that carry a principal ARN: DynamoDB's TTL deletes are made by the service itself,
     * not by a principal (whether a resource policy is evaluated for them at all can only be
     * confirmed on a live account; either way this statement cannot match them).
     */
    private protectTrail;
    /**
     * One role per function, each holding only the calls its handler makes (docs/iam.md lists them;
     * test/iam simulates every call of the end-to-end scenarios against these policies and fails on
     * a grant no call uses). Actions without a resource type get `*`, everything else exact ARNs.
     */
    private grant;
    /**
     * What Lambda needs to attach a VPC function: it creates, describes and deletes the function's
     * network interfaces with the function's own role (Lambda Developer Guide, "Giving Lambda
     * functions access to resources in an Amazon VPC"; the EC2 actions of the managed policy
     * AWSLambdaVPCAccessExecutionRole v3, granted inline because the CDK attaches that policy only
     * to roles it creates). Describe* have no resource type; the rest name this account's and
     * region's network interfaces, and CreateNetworkInterface also the function's subnets and
     * security groups. Whether Lambda's own check accepts the scoped ARNs can only be confirmed on
     * a live account (docs/iam.md).
     */
    private grantNetworkInterfaces;
}
/** `CodeDeployHook_<service>-<hook>`, the function-name prefix CodeDeploy's managed role policies expect. */
export declare function hookFunctionName(service: string, hook: HookName): string;
/**
 * Listener rule ARNs of a listener: `…:listener/app/<lb>/<id>/<listener-id>` →
 * `…:listener-rule/app/<lb>/<id>/<listener-id>/*`. Works on tokens (Fn::Split/Join).
 */
export declare function listenerRuleArnPattern(listenerArn: string): string;
