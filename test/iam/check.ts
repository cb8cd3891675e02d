/**
 * From the recorded worlds to the IAM verdict: each call becomes its IAM requests (actions.ts),
 * attributed to the role of the function that made it; AWS services' own requests as that role
 * (Lambda's logs and network interfaces, Step Functions' invocations, tracing and log delivery)
 * are added from PLATFORM_REQUESTS; each request is simulated against the role's policy from the
 * template, and each grant must be needed by some request or be in UNUSED_ALLOWED with its reason.
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

import { ACCOUNT, type ApiCall, REGION } from '../support';
import { type IamRequest, iamRequests } from './actions';
import { type IamWorld, TOPIC_KEY } from './harness';
import { type Denial, denials, type Grant, type Principal, unusedGrants } from './simulate';
import { logicalId, rolePolicy } from './template';

/**
 * Grants no recorded request uses, kept on purpose. Keyed by role (function construct id) and action.
 */
export const UNUSED_ALLOWED: ReadonlyArray<{
  readonly role: string;
  readonly actions: readonly string[];
  readonly resource?: RegExp;
  readonly reason: string;
}> = [
  {
    role: 'AfterAllowTestTrafficHook',
    actions: [
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:DeleteRule',
      'codedeploy:GetDeployment',
      'codedeploy:ListDeployments',
    ],
    reason:
      "A failed AfterAllowTestTraffic check restores 100% to the original and removes the header rule, after checking that its deployment is the group's current one (GetDeployment, ListDeployments); before its window starts production is already 100% original and no rule exists, so no scenario writes or checks them, but a failed check must always be able to restore.",
  },
  {
    role: 'BeforeAllowTrafficHook',
    actions: ['elasticloadbalancing:DeleteRule'],
    reason:
      'A BeforeAllowTraffic without work, or with a failed check, removes the header rule; the tick already removed it at the end of the first window in every scenario, but a rule left behind must not make the hook fail.',
  },
  {
    role: 'AfterAllowTrafficHook',
    actions: ['elasticloadbalancing:DeleteRule'],
    reason:
      'AfterAllowTraffic removes a header rule when it fails (targets unreadable, or its execution cannot be started: both scenarios run), but the engine removed the header rule before the final shift, so no scenario deletes one.',
  },
  ...['AfterAllowTestTrafficHook', 'BeforeAllowTrafficHook', 'AfterAllowTrafficHook'].map((role) => ({
    role,
    actions: ['lambda:InvokeFunction'],
    resource: /:function:[^:]+:\*$/,
    reason:
      "The CDK's Lambda destination grant covers the hook-failure function's versions and aliases too (<function ARN>:*); the destination is the function itself.",
  })),
  {
    role: 'RolloutLoop',
    actions: ['lambda:InvokeFunction'],
    resource: /:function:[^:]+:\*$/,
    reason:
      "The CDK grants the state machine the tick's versions and aliases too (<function ARN>:*); the definition invokes the function itself.",
  },
];

export interface RoleRequests {
  readonly role: iam.IRole;
  /** The callers (function names) whose requests these are. */
  readonly callers: Set<string>;
  readonly requests: IamRequest[];
}

export interface Verdict {
  /** SDK calls simulated (the function's and the CLI's, excluding unattributed ones). */
  readonly calls: number;
  readonly requests: number;
  readonly denials: Denial[];
  /** Grants unused in every world, not allow-listed. */
  readonly unused: Grant[];
  /** Calls made outside any function and not by the CLI (the scenario's own setup), by command. */
  readonly unattributed: string[];
}

const logStream = (logGroupName: string) =>
  `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroupName}:log-stream:2026/01/05/[$LATEST]0123456789abcdef`;

/** The requests AWS services make as the function's role, for a function that ran. */
function platformRequests(world: IamWorld, fn: IConstruct): IamRequest[] {
  const resource = world.synth.template.toJSON().Resources[logicalId(fn)] as {
    Properties: { LoggingConfig?: { LogGroup: unknown }; VpcConfig?: { SubnetIds: unknown; SecurityGroupIds: unknown } };
  };
  const requests: IamRequest[] = [];
  const logGroup = world.resolve(resource.Properties.LoggingConfig?.LogGroup) as string | undefined;
  if (logGroup) {
    const implied =
      'Lambda sends the function\'s logs to its log group with the function\'s role (Lambda Developer Guide, "Sending Lambda function logs to CloudWatch Logs")';
    requests.push(
      { action: 'logs:CreateLogStream', resource: logStream(logGroup), implied },
      { action: 'logs:PutLogEvents', resource: logStream(logGroup), implied },
    );
  }
  const vpc = resource.Properties.VpcConfig;
  if (vpc) {
    const implied =
      'Lambda creates and deletes the VPC function\'s network interfaces with its role (Lambda Developer Guide, "Giving Lambda functions access to resources in an Amazon VPC"; AWSLambdaVPCAccessExecutionRole)';
    const eni = `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`;
    const subnets = (world.resolve(vpc.SubnetIds) as string[]).map((id) => `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${id}`);
    const groups = (world.resolve(vpc.SecurityGroupIds) as string[]).map((id) => `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${id}`);
    // CreateNetworkInterface is authorized on the new interface, its subnet and its security groups.
    for (const target of [eni, ...subnets, ...groups]) requests.push({ action: 'ec2:CreateNetworkInterface', resource: target, implied });
    for (const action of ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets']) requests.push({ action, resource: '*', implied });
    for (const action of ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'])
      requests.push({ action, resource: eni, implied });
  }
  return requests;
}

/** The rollout state machine's role: it invokes the tick, traces to X-Ray and delivers its logs. */
function stateMachineRequests(world: IamWorld): IamRequest[] {
  const tick = world.resolve({ 'Fn::GetAtt': [logicalId(world.synth.engine.tickFunction), 'Arn'] }) as string;
  const invocations = world.world.lambda.invocations.filter(
    (i) => i.mode === 'RequestResponse' && i.functionName === tick.split(':').pop(),
  );
  if (invocations.length === 0) return [];
  const tracing = "Step Functions with tracingEnabled sends the execution's traces to X-Ray with the state machine's role";
  const logging =
    'Step Functions sets up the delivery of the execution logs to CloudWatch Logs with the state machine\'s role (Step Functions Developer Guide, "Logging using CloudWatch Logs")';
  return [
    { action: 'lambda:InvokeFunction', resource: tick },
    ...['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'].map((action) => ({
      action,
      resource: '*',
      implied: tracing,
    })),
    ...[
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ].map((action) => ({ action, resource: '*', implied: logging })),
  ];
}

/** Requests of the world by role, from its recorded calls (`skip`: callers checked elsewhere, e.g. the CLI). */
export function requestsByRole(
  world: IamWorld,
  skip: readonly string[] = [],
): { byRole: Map<string, RoleRequests>; calls: ApiCall[]; unattributed: ApiCall[] } {
  const byRole = new Map<string, RoleRequests>();
  const add = (role: iam.IRole, caller: string, requests: IamRequest[]) => {
    const id = logicalId(role);
    const entry = byRole.get(id) ?? { role, callers: new Set<string>(), requests: [] };
    entry.callers.add(caller);
    entry.requests.push(...requests);
    byRole.set(id, entry);
  };
  const calls: ApiCall[] = [];
  const unattributed: ApiCall[] = [];
  const ran = new Set<string>();
  for (const call of world.calls) {
    if (call.caller && skip.includes(call.caller)) continue;
    const fn = call.caller ? world.functions.get(call.caller) : undefined;
    if (!fn) {
      unattributed.push(call);
      continue;
    }
    calls.push(call);
    ran.add(call.caller!);
    add(
      (fn as lambda.Function).role!,
      call.caller!,
      withResourcePolicies(world, iamRequests(call.command, call.input, requestContext(world))),
    );
  }
  for (const name of ran) {
    const fn = world.functions.get(name)!;
    add((fn as lambda.Function).role!, name, platformRequests(world, fn));
  }
  // Lambda delivers an invocation record to the on-failure destination with the failed function's role.
  for (const { functionName: name, destination } of world.world.lambda.failureRecords) {
    const fn = world.functions.get(name);
    if (!fn) continue;
    const implied =
      'Lambda sends the invocation record to the function\'s on-failure destination with the function\'s execution role (Lambda Developer Guide, "Capturing records of Lambda asynchronous invocations")';
    add((fn as lambda.Function).role!, name, [
      { action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${destination}`, implied },
    ]);
  }
  const machine = stateMachineRequests(world);
  if (machine.length > 0) add(world.synth.engine.stateMachine.role, 'state machine', machine);
  return { byRole, calls, unattributed };
}

/**
 * KMS authorizes a request only if the key policy allows it (or delegates to IAM by allowing the
 * account), so KMS requests carry the key's policy from the template (AWS KMS Developer Guide,
 * "Key policies").
 */
export function withResourcePolicies(world: IamWorld, requests: IamRequest[]): IamRequest[] {
  const resources = world.synth.template.toJSON().Resources as Record<string, { Type: string; Properties: { KeyPolicy?: unknown } }>;
  const keys = new Map<string, unknown>();
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::KMS::Key')
      keys.set(world.resolve({ 'Fn::GetAtt': [id, 'Arn'] }) as string, world.resolve(resource.Properties.KeyPolicy));
  }
  return requests.map((r) => (r.action.startsWith('kms:') && keys.has(r.resource) ? { ...r, resourcePolicy: keys.get(r.resource) } : r));
}

export function requestContext(world: IamWorld) {
  return {
    groupOf: (deploymentId: string) => {
      const { group } = world.world.codedeploy.deployment(deploymentId);
      return `${group.applicationName}/${group.deploymentGroupName}`;
    },
    topicKeyOf: (topicArn: string) => (topicArn === world.env.service.metadata.topicArn ? TOPIC_KEY : undefined),
  };
}

export function principalOf(world: IamWorld, role: iam.IRole, name: string): Principal {
  return { name, roleArn: `arn:aws:iam::${ACCOUNT}:role/${logicalId(role)}`, policy: rolePolicy(world.synth, role, world.physical) };
}

/** What UNUSED_ALLOWED calls a role: `<Name>Role` → `<Name>`; a construct's own `Role` → the construct's id. */
const ownerId = (role: iam.IRole) =>
  ['Role', 'ServiceRole'].includes(role.node.id) ? role.node.scope!.node.id : role.node.id.replace(/Role$/, '');

/**
 * Simulates every world's requests against its roles; a grant counts as unused only when no world
 * used it. `removeStatement` drops statements from the policies first (to show a removed grant fails).
 */
export async function verdict(
  worlds: readonly IamWorld[],
  options: { skipCallers?: readonly string[]; alter?: (principal: Principal) => Principal } = {},
): Promise<Verdict> {
  const found: Denial[] = [];
  const unusedIn = new Map<string, { grant: Grant; worlds: number; owner: string }>();
  let calls = 0;
  let requests = 0;
  const unattributed: string[] = [];
  for (const world of worlds) {
    const { byRole, calls: attributed, unattributed: others } = requestsByRole(world, options.skipCallers);
    calls += attributed.length;
    unattributed.push(...others.map((c) => c.command));
    for (const [id, entry] of byRole) {
      const base = principalOf(world, entry.role, `${[...entry.callers].join('+')} (${id})`);
      const principal = options.alter ? options.alter(base) : base;
      requests += entry.requests.length;
      found.push(...(await denials(principal, entry.requests)));
      for (const grant of await unusedGrants(principal, entry.requests)) {
        const key = `${id}|${grant.key}`;
        const seen = unusedIn.get(key);
        unusedIn.set(key, { grant: seen?.grant ?? grant, worlds: (seen?.worlds ?? 0) + 1, owner: ownerId(entry.role) });
      }
    }
  }
  // A role a world never exercised has every grant unused there: count only the worlds where it ran.
  const ranIn = new Map<string, number>();
  for (const world of worlds)
    for (const id of requestsByRole(world, options.skipCallers).byRole.keys()) ranIn.set(id, (ranIn.get(id) ?? 0) + 1);
  const unused = [...unusedIn.entries()]
    .filter(([key, u]) => u.worlds === ranIn.get(key.split('|')[0]))
    .filter(
      ([, u]) =>
        !UNUSED_ALLOWED.some(
          (a) => a.role === u.owner && a.actions.includes(u.grant.action) && (!a.resource || a.resource.test(u.grant.resource)),
        ),
    )
    .map(([, u]) => u.grant);
  return { calls, requests, denials: found, unused, unattributed };
}
