/**
 * The limits AWS enforces on what a service file turns into, in one table: every name derived
 * from the service name, the task-definition size, the load balancer's security-group rules and the
 * file size. The schema, the loader and `CanaryService` check against these values; the sources are
 * in `docs/configuration-limits.md` and in `source` below. Of the CDK only its region table
 * (`aws-cdk-lib/region-info`, plain data): the CLI reads this too.
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';

import type { ConfigProblem } from './problems';

/** One physical name the stacks derive from the service name, and the limit AWS puts on it. */
export interface DerivedNameRule {
  /** Short id, quoted in docs/configuration-limits.md. */
  readonly id: string;
  /** What carries the name, in words. */
  readonly what: string;
  /** CloudFormation resource type and property that hold the name in the template. */
  readonly resourceType: string;
  readonly property: string;
  /** The names derived from `service`, as the constructs derive them (the limit test compares them with the template). */
  readonly derive: (service: string) => readonly string[];
  /** Most characters AWS accepts. */
  readonly maxLength: number;
  /** Characters AWS accepts, when it restricts them. */
  readonly allowed?: RegExp;
  /** Where AWS documents the limit. */
  readonly source: string;
}

const HOOKS = ['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
const ALARMS = ['error-rate', 'p95', 'unhealthy-hosts'] as const;

export const DERIVED_NAME_RULES: readonly DerivedNameRule[] = [
  {
    id: 'lambda-hook-name',
    what: 'the CodeDeploy hook function name CodeDeployHook_<name>-AfterAllowTestTraffic',
    resourceType: 'AWS::Lambda::Function',
    property: 'FunctionName',
    derive: (s) => HOOKS.map((hook) => `CodeDeployHook_${s}-${hook}`),
    maxLength: 64,
    allowed: /^[A-Za-z0-9_-]+$/,
    source: 'https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName',
  },
  {
    id: 'cloudformation-stack-name',
    what: 'the stack name EcsCanary-<name>',
    resourceType: 'AWS::CloudFormation::Stack',
    property: 'StackName',
    derive: (s) => [`EcsCanary-${s}`],
    maxLength: 128,
    allowed: /^[A-Za-z][A-Za-z0-9-]*$/,
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html',
  },
  {
    id: 'codedeploy-application-name',
    what: 'the CodeDeploy application ecs-canary-<name>',
    resourceType: 'AWS::CodeDeploy::Application',
    property: 'ApplicationName',
    derive: (s) => [`ecs-canary-${s}`],
    maxLength: 100,
    allowed: /^[A-Za-z0-9._+=,@-]+$/,
    source: 'https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html',
  },
  {
    id: 'codedeploy-deployment-group-name',
    what: 'the CodeDeploy deployment group <name>',
    resourceType: 'AWS::CodeDeploy::DeploymentGroup',
    property: 'DeploymentGroupName',
    derive: (s) => [s],
    maxLength: 100,
    allowed: /^[A-Za-z0-9._+=,@-]+$/,
    source: 'https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html',
  },
  {
    id: 'cloudwatch-alarm-name',
    what: 'the rollback alarms ecs-canary-<name>-green-unhealthy-hosts and the like',
    resourceType: 'AWS::CloudWatch::Alarm',
    property: 'AlarmName',
    derive: (s) => ['blue', 'green'].flatMap((tg) => ALARMS.map((alarm) => `ecs-canary-${s}-${tg}-${alarm}`)),
    maxLength: 255,
    source:
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (CodeDeploy: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_Alarm.html)',
  },
  {
    id: 'cloudwatch-dashboard-name',
    what: 'the dashboard ecs-canary-<name>',
    resourceType: 'AWS::CloudWatch::Dashboard',
    property: 'DashboardName',
    derive: (s) => [`ecs-canary-${s}`],
    maxLength: 255,
    allowed: /^[A-Za-z0-9_-]+$/,
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html',
  },
  {
    id: 'ssm-parameter-name',
    what: 'the SSM parameters /ecs-canary/<name>/deployment and /ecs-canary/<name>/freeze',
    resourceType: 'AWS::SSM::Parameter',
    property: 'Name',
    derive: (s) => [`/ecs-canary/${s}/deployment`, `/ecs-canary/${s}/freeze`],
    // 2048 for the whole ARN; 1011 for the name itself.
    maxLength: 1011,
    allowed: /^[A-Za-z0-9_.\-/]+$/,
    source:
      'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html#systemsmanager-PutParameter-request-Name',
  },
  {
    id: 'ecs-task-family',
    what: 'the task definition family ecs-canary-<name>',
    resourceType: 'AWS::ECS::TaskDefinition',
    property: 'Family',
    derive: (s) => [`ecs-canary-${s}`],
    maxLength: 255,
    allowed: /^[A-Za-z0-9_-]+$/,
    source:
      'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html#ECS-RegisterTaskDefinition-request-family',
  },
  {
    id: 'ecs-container-name',
    what: 'the container name <name>',
    resourceType: 'AWS::ECS::TaskDefinition',
    property: 'ContainerDefinitions[].Name',
    derive: (s) => [s],
    maxLength: 255,
    allowed: /^[A-Za-z0-9_-]+$/,
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-name',
  },
  {
    id: 'sns-display-name',
    what: 'the topic display name "ecs-canary <name>"',
    resourceType: 'AWS::SNS::Topic',
    property: 'DisplayName',
    derive: (s) => [`ecs-canary ${s}`],
    maxLength: 100,
    source: 'https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (DisplayName, for SMS subscriptions)',
  },
  {
    id: 'ec2-security-group-description',
    what: 'the security group descriptions "ecs-canary <name>: load balancer" and "…: tasks"',
    resourceType: 'AWS::EC2::SecurityGroup',
    property: 'GroupDescription',
    derive: (s) => [`ecs-canary ${s}: load balancer`, `ecs-canary ${s}: tasks`],
    maxLength: 255,
    allowed: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html',
  },
];

/**
 * Names CloudFormation generates (target groups 32, load balancer 32, state machine 80, ECS
 * service, log groups, table, roles): the stacks must leave them unset, since a derived name there
 * could break these short limits. The limit test checks the template sets none of them.
 */
export const GENERATED_NAME_PROPERTIES: ReadonlyArray<{
  readonly resourceType: string;
  readonly property: string;
  readonly maxLength: number;
}> = [
  { resourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup', property: 'Name', maxLength: 32 },
  { resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer', property: 'Name', maxLength: 32 },
  { resourceType: 'AWS::StepFunctions::StateMachine', property: 'StateMachineName', maxLength: 80 },
  { resourceType: 'AWS::ECS::Service', property: 'ServiceName', maxLength: 255 },
  { resourceType: 'AWS::DynamoDB::Table', property: 'TableName', maxLength: 255 },
  { resourceType: 'AWS::Logs::LogGroup', property: 'LogGroupName', maxLength: 512 },
  { resourceType: 'AWS::IAM::Role', property: 'RoleName', maxLength: 64 },
  { resourceType: 'AWS::SNS::Topic', property: 'TopicName', maxLength: 256 },
  { resourceType: 'AWS::Events::Rule', property: 'Name', maxLength: 64 },
];

/** Characters a derived name may add beyond the service name itself. */
const overhead = (rule: DerivedNameRule): number => Math.max(...rule.derive('').map((name) => name.length));

/** The rule whose limit leaves the service name the fewest characters (the hook function name). */
export const BINDING_NAME_RULE: DerivedNameRule = DERIVED_NAME_RULES.reduce((a, b) =>
  a.maxLength - overhead(a) <= b.maxLength - overhead(b) ? a : b,
);

/** The longest service name every derived name fits: 27 (64 − "CodeDeployHook_" − "-AfterAllowTestTraffic"). */
export const MAX_SERVICE_NAME_LENGTH = BINDING_NAME_RULE.maxLength - overhead(BINDING_NAME_RULE);

/** Why the service name stops at `MAX_SERVICE_NAME_LENGTH`, for the schema's message. */
export const SERVICE_NAME_LIMIT_REASON = `${BINDING_NAME_RULE.what} must fit AWS's ${BINDING_NAME_RULE.maxLength}-character limit`;

/** ECS refuses a task definition over 64 KiB ("Actual length: … Max allowed length is '65536' bytes"). */
export const TASK_DEFINITION_MAX_BYTES = 65_536;
/**
 * Bytes kept for everything of the task definition but `environment` (family, image, ports, log
 * configuration, role ARNs): about 1.5 KiB with the longest accepted name and image, measured in
 * test/config/limits.test.ts; 4 KiB leaves room.
 */
export const TASK_DEFINITION_RESERVED_BYTES = 4_096;
/** What `environment` may take of the task definition, as ECS serializes it. */
export const MAX_ENVIRONMENT_BYTES = TASK_DEFINITION_MAX_BYTES - TASK_DEFINITION_RESERVED_BYTES;

/** The environment as ECS receives it: `[{"name":…,"value":…},…]`, counted in UTF-8 bytes. */
export function environmentBytes(environment: Readonly<Record<string, string>>): number {
  return Buffer.byteLength(JSON.stringify(Object.entries(environment).map(([name, value]) => ({ name, value }))), 'utf8');
}

/** Parameter Store's largest value: 4 KB in the standard tier, 8 KB in the advanced tier (PutParameter, Value). */
export const SSM_STANDARD_VALUE_BYTES = 4_096;
export const SSM_ADVANCED_VALUE_BYTES = 8_192;
/**
 * Characters allowed for each value the deployment metadata receives at deploy time (an ARN or a
 * name): the longest, a listener ARN in a 14-character region, is 143.
 */
export const METADATA_TOKEN_ALLOWANCE = 160;

/** Default VPC quota "Inbound or outbound rules per security group" (IPv4 and IPv6 counted apart). */
export const SECURITY_GROUP_INBOUND_RULES = 60;

/**
 * Inbound rules the load balancer's security group holds besides one per test CIDR: the
 * production port from anywhere, and port 80 (the redirect) when a certificate is set.
 */
export function loadBalancerFixedInboundRules(https: boolean): number {
  return https ? 2 : 1;
}

/** The most `listener.testAllowedCidrs` (distinct) the load balancer's security group can hold. */
export function maxTestAllowedCidrs(https: boolean): number {
  return SECURITY_GROUP_INBOUND_RULES - loadBalancerFixedInboundRules(https);
}

/**
 * Largest service file read: the environment, its largest part, is limited to 60 KiB by ECS; the
 * cap keeps a wrong file (a 5 MB dump) from hanging synth, and is checked before parsing.
 */
export const MAX_SERVICE_FILE_BYTES = 128 * 1024;

/**
 * A load balancer can only use an ACM certificate of its own region and partition (ACM
 * certificates are regional; an `arn:aws-cn:` certificate cannot serve a commercial region): the
 * problem when `certificateArn` names another partition or region than the stack's. The
 * partition of a region is aws-cdk-lib's region-info fact; an unknown region skips that check.
 */
export function certificateRegionProblem(certificateArn: string, stackRegion: string, source: string): ConfigProblem | undefined {
  const [, partition, , region] = certificateArn.split(':');
  const stackPartition = RegionInfo.get(stackRegion).partition;
  const field = 'listener.certificateArn';
  if (stackPartition !== undefined && partition !== stackPartition) {
    return {
      file: source,
      field,
      line: `${source}: ${field}: got a certificate of partition ${partition} (${certificateArn}); accepted: a certificate of partition ${stackPartition} (arn:${stackPartition}:acm:${stackRegion}:…), the partition of the stack's region ${stackRegion}`,
    };
  }
  if (region === stackRegion) return undefined;
  return {
    file: source,
    field,
    line: `${source}: ${field}: got a certificate in ${region} (${certificateArn}); accepted: a certificate in ${stackRegion}, the stack's region (a load balancer uses ACM certificates of its own region; request or import one there)`,
  };
}

/** `65536` → `65,536`. */
export const formatBytes = (bytes: number): string => bytes.toLocaleString('en-US');
