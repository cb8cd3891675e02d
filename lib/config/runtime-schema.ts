/**
 * The service file's runtime fields: what a production service needs besides the image and the
 * rollout (secrets, the application's own role, autoscaling, an existing network, sidecars, the
 * CPU architecture, Fargate Spot, ECS Exec, log retention). Spread into `serviceConfigSchema`;
 * `runtimeIssues` holds the checks that span several fields.
 */
import { z } from 'zod';

import { accepts, strictObject, wholeNumber } from './zod-helpers';

const pattern = (regex: RegExp, text: string) => z.string(accepts(text)).regex(regex, accepts(text));

/** A full Secrets Manager ARN: the name ends in `-` and the six characters Secrets Manager appends. */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
const SECRET_ARN_TEXT =
  'a complete Secrets Manager secret ARN with its 6-character suffix, such as arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf';
/** A parameter name (`/path/name`, letters, digits and .-_/) or its ARN. */
const PARAMETER = /^(?:\/[A-Za-z0-9._/-]{1,1010}|arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9._/-]{1,1010})$/;
const PARAMETER_TEXT =
  'an SSM parameter name starting with "/" such as /orders/api-key, or its ARN arn:aws:ssm:<region>:<account>:parameter/<name>';
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const KMS_KEY_TEXT =
  'a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key-id> (the customer managed key that encrypts the secret or parameter)';
const JSON_KEY_TEXT = 'a top-level key of the secret\'s JSON, 1 to 255 characters without ":"';
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME_TEXT = 'accepted: a variable name of letters, digits and _, not starting with a digit';

/** One ECS secret: a Secrets Manager secret (optionally one JSON key of it) or an SSM parameter. */
export const secretSourceSchema = strictObject({
  secretsManager: pattern(SECRET_ARN, SECRET_ARN_TEXT).optional(),
  jsonKey: pattern(/^[^:]{1,255}$/, JSON_KEY_TEXT).optional(),
  ssmParameter: pattern(PARAMETER, PARAMETER_TEXT).optional(),
  kmsKeyArn: pattern(KMS_KEY_ARN, KMS_KEY_TEXT).optional(),
}).superRefine((source, ctx) => {
  const sources = [source.secretsManager, source.ssmParameter].filter((s) => s !== undefined).length;
  if (sources !== 1) {
    ctx.addIssue({
      code: 'custom',
      input: source,
      message: 'accepted: exactly one of secretsManager (a secret ARN) or ssmParameter (a parameter name or ARN)',
    });
  }
  if (source.jsonKey !== undefined && source.secretsManager === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['jsonKey'],
      input: source.jsonKey,
      message: 'accepted: jsonKey only with secretsManager (an SSM parameter has no JSON keys)',
    });
  }
});

/** `NAME: { secretsManager | ssmParameter, … }`: the variables ECS sets from secrets at task start. */
export const secretsSchema = z.record(z.string().regex(ENV_NAME_PATTERN), secretSourceSchema, {
  error: (issue) =>
    issue.code === 'invalid_key'
      ? ENV_NAME_TEXT
      : 'accepted: a mapping of NAME: { secretsManager: <secret ARN>, jsonKey?: <key> } or NAME: { ssmParameter: <name> }',
});

/** IAM action `service:Action` (wildcards allowed, as IAM allows them). */
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
const IAM_ACTION_TEXT = 'an IAM action such as dynamodb:GetItem (service prefix, colon, action; * and ? allowed)';
const RESOURCE_ARN = /^(?:\*|arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|aws)?:.+)$/;
const RESOURCE_TEXT =
  'a resource ARN such as arn:aws:dynamodb:eu-west-1:123456789012:table/orders, or "*" where the action has no resource type';
const MANAGED_POLICY_ARN = /^arn:aws[a-z-]*:iam::(?:aws|\d{12}):policy\/[A-Za-z0-9+=,.@_/-]{1,512}$/;
const MANAGED_POLICY_TEXT = 'a managed policy ARN such as arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

const statementSchema = strictObject({
  effect: z.enum(['Allow', 'Deny'], accepts('Allow or Deny')).default('Allow'),
  actions: z
    .array(pattern(IAM_ACTION, IAM_ACTION_TEXT), accepts('a list of IAM actions'))
    .min(1, accepts('a list of at least one IAM action')),
  resources: z
    .array(pattern(RESOURCE_ARN, RESOURCE_TEXT), accepts('a list of resource ARNs'))
    .min(1, accepts('a list of at least one resource ARN')),
});

/** The application's own permissions: the task role. */
export const taskRoleSchema = strictObject({
  managedPolicyArns: z
    .array(pattern(MANAGED_POLICY_ARN, MANAGED_POLICY_TEXT), accepts('a list of managed policy ARNs'))
    .max(20, accepts("at most 20 managed policies (IAM's default quota per role)"))
    .default([]),
  statements: z.array(statementSchema, accepts('a list of { effect, actions, resources }')).default([]),
});

/** Application Auto Scaling of the task count; at least one target. */
export const scalingSchema = strictObject({
  minTasks: wholeNumber(1, 1000, 'a whole number of tasks from 1 to 1000'),
  maxTasks: wholeNumber(1, 1000, 'a whole number of tasks from 1 to 1000'),
  cpuPercent: wholeNumber(10, 90, 'a whole percentage from 10 to 90').optional(),
  memoryPercent: wholeNumber(10, 90, 'a whole percentage from 10 to 90').optional(),
  requestsPerTarget: wholeNumber(1, 1_000_000, 'a whole number of requests per task per minute from 1 to 1000000').optional(),
}).superRefine((scaling, ctx) => {
  if (scaling.maxTasks < scaling.minTasks) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxTasks'],
      input: scaling.maxTasks,
      message: `accepted: at least minTasks (${scaling.minTasks})`,
    });
  }
  if (scaling.cpuPercent === undefined && scaling.memoryPercent === undefined && scaling.requestsPerTarget === undefined) {
    ctx.addIssue({
      code: 'custom',
      input: scaling,
      message: 'accepted: at least one target among cpuPercent, memoryPercent and requestsPerTarget',
    });
  }
});

const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const AZ = /^[a-z]{2}(?:-[a-z]+)+-\d[a-z]$/;
const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;
const subnets = (what: string) =>
  z.array(
    pattern(SUBNET_ID, 'a subnet ID such as subnet-0a1b2c3d4e5f60718'),
    accepts(`a list of ${what} subnet IDs, one per Availability Zone`),
  );

/** An existing VPC and cluster, imported by id: no context lookups, no platform stack. */
export const networkSchema = strictObject({
  vpcId: pattern(VPC_ID, 'a VPC ID such as vpc-0a1b2c3d4e5f60718'),
  vpcCidrBlock: pattern(
    IPV4_CIDR,
    "the VPC's IPv4 CIDR such as 10.0.0.0/16 (the test listener admits it when listener.testAllowedCidrs is empty)",
  ),
  availabilityZones: z
    .array(pattern(AZ, 'an Availability Zone name such as eu-west-1a'), accepts('a list of Availability Zone names'))
    .min(2, accepts('at least 2 Availability Zones (an Application Load Balancer needs subnets in two)')),
  publicSubnetIds: subnets('public'),
  privateSubnetIds: subnets('private'),
  clusterName: pattern(CLUSTER_NAME, 'an ECS cluster name of 1 to 255 letters, digits, - and _'),
}).superRefine((network, ctx) => {
  // With too few zones, that is the one problem reported.
  for (const key of ['publicSubnetIds', 'privateSubnetIds'] as const) {
    if (network.availabilityZones.length >= 2 && network[key].length !== network.availabilityZones.length) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        params: { got: `${network[key].length} subnets` },
        message: `accepted: one subnet per Availability Zone, in the same order (${network.availabilityZones.length})`,
      });
    }
  }
});

const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const IMAGE =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const envValue = z.union([z.string(), z.number(), z.boolean()], accepts('a string, number or boolean value')).transform(String);

/** A second container in the task (log router, agent, proxy). */
export const sidecarSchema = strictObject({
  name: pattern(CONTAINER_NAME, 'a container name of 1 to 255 letters, digits, - and _'),
  image: pattern(IMAGE, 'a container image reference such as public.ecr.aws/aws-observability/aws-for-fluent-bit:stable').max(
    255,
    accepts('an image reference of at most 255 characters'),
  ),
  essential: z.boolean(accepts('true or false')).default(true),
  cpu: wholeNumber(0, 16384, 'CPU units from 0 to 16384').optional(),
  memoryMiB: wholeNumber(6, 122880, 'a hard memory limit in MiB from 6 to 122880').optional(),
  environment: z
    .record(z.string().regex(ENV_NAME_PATTERN), envValue, {
      error: (issue) => (issue.code === 'invalid_key' ? ENV_NAME_TEXT : 'accepted: a mapping of NAME: value'),
    })
    .default({}),
  secrets: secretsSchema.default({}),
});

/** Fargate capacity providers: `base` tasks first, the rest split by `weight`. */
const providerSchema = strictObject({
  base: wholeNumber(0, 100000, 'a whole number of tasks from 0 to 100000').optional(),
  weight: wholeNumber(0, 1000, 'a whole weight from 0 to 1000'),
});
export const capacitySchema = strictObject({ spot: providerSchema.optional(), onDemand: providerSchema.optional() }).superRefine(
  (capacity, ctx) => {
    const providers = [capacity.spot, capacity.onDemand].filter((p) => p !== undefined);
    if (providers.length === 0)
      ctx.addIssue({ code: 'custom', input: capacity, message: 'accepted: spot, onDemand or both, each { weight, base? }' });
    else if (!providers.some((p) => p.weight > 0))
      ctx.addIssue({ code: 'custom', input: capacity, message: 'accepted: a weight above 0 on at least one provider' });
    if (capacity.spot?.base !== undefined && capacity.onDemand?.base !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['spot', 'base'],
        input: capacity.spot.base,
        message: 'accepted: base on one provider only (ECS: only one capacity provider in a strategy can have a base)',
      });
    }
  },
);

/** CloudWatch Logs retention values (PutRetentionPolicy `retentionInDays`). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const CPU_ARCHITECTURES = ['x86_64', 'arm64'] as const;

/** The runtime fields, spread into the service file's schema. */
export const runtimeShape = {
  secrets: secretsSchema.default({}),
  taskRole: taskRoleSchema.optional(),
  scaling: scalingSchema.optional(),
  network: networkSchema.optional(),
  sidecars: z
    .array(sidecarSchema, accepts('a list of { name, image, essential, cpu, memoryMiB, environment, secrets }'))
    .max(9, accepts('at most 9 sidecars (ECS allows 10 containers per task definition)'))
    .default([]),
  cpuArchitecture: z.enum(CPU_ARCHITECTURES, accepts(CPU_ARCHITECTURES.join(' or '))).default('x86_64'),
  capacity: capacitySchema.optional(),
  enableExecuteCommand: z.boolean(accepts('true or false')).default(false),
  logRetentionDays: z
    .number(accepts(`one of ${LOG_RETENTION_DAYS.join(', ')} (CloudWatch Logs retention days)`))
    .refine(
      (days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days),
      accepts(`one of ${LOG_RETENTION_DAYS.join(', ')} (CloudWatch Logs retention days)`),
    )
    .default(30),
};

/** The fields `runtimeIssues` reads. */
interface RuntimeView {
  readonly name: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly desiredCount: number;
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, unknown>;
  readonly scaling?: { readonly minTasks: number; readonly maxTasks: number };
  readonly sidecars: readonly {
    readonly name: string;
    readonly cpu?: number;
    readonly memoryMiB?: number;
    readonly environment: Record<string, string>;
    readonly secrets: Record<string, unknown>;
  }[];
  readonly cpuArchitecture: string;
  readonly capacity?: { readonly spot?: { readonly weight: number } };
}

export interface RuntimeIssue {
  readonly path: (string | number)[];
  readonly input?: unknown;
  /** Shown instead of the value (sums, counts). */
  readonly params?: { readonly got: string };
  readonly message: string;
}

/** Checks spanning several fields, as ECS and Application Auto Scaling would refuse them. */
export function runtimeIssues(service: RuntimeView): RuntimeIssue[] {
  const issues: RuntimeIssue[] = [];
  // FARGATE_SPOT runs Linux X86_64 tasks only (ECS API, CapacityProviderStrategyItem).
  if (service.cpuArchitecture === 'arm64' && service.capacity?.spot && service.capacity.spot.weight > 0) {
    issues.push({
      path: ['capacity', 'spot'],
      input: service.capacity.spot,
      message: 'accepted: no spot with cpuArchitecture: arm64 (Fargate Spot runs X86_64 tasks only); drop capacity.spot or use x86_64',
    });
  }
  if (
    service.scaling &&
    service.scaling.minTasks <= service.scaling.maxTasks &&
    (service.desiredCount < service.scaling.minTasks || service.desiredCount > service.scaling.maxTasks)
  ) {
    issues.push({
      path: ['desiredCount'],
      input: service.desiredCount,
      message: `accepted: a count from scaling.minTasks to scaling.maxTasks (${service.scaling.minTasks} to ${service.scaling.maxTasks}); it is the count of the first deployment`,
    });
  }
  // A variable set both as environment and as secret: which value the container sees is not documented.
  for (const name of Object.keys(service.secrets)) {
    if (name in service.environment)
      issues.push({
        path: ['secrets', name],
        input: name,
        message: 'accepted: a name not also set in environment (one variable, one source)',
      });
  }
  const seen = new Set([service.name]);
  service.sidecars.forEach((sidecar, index) => {
    if (seen.has(sidecar.name))
      issues.push({
        path: ['sidecars', index, 'name'],
        input: sidecar.name,
        message: `accepted: a name other than the service's container (${service.name}) and the other sidecars`,
      });
    seen.add(sidecar.name);
    for (const name of Object.keys(sidecar.secrets)) {
      if (name in sidecar.environment)
        issues.push({
          path: ['sidecars', index, 'secrets', name],
          input: name,
          message: "accepted: a name not also set in this sidecar's environment",
        });
    }
  });
  const sidecarMemory = service.sidecars.reduce((sum, s) => sum + (s.memoryMiB ?? 0), 0);
  if (sidecarMemory >= service.memoryMiB) {
    issues.push({
      path: ['sidecars'],
      params: { got: `${sidecarMemory} MiB in all` },
      message: `accepted: sidecar memoryMiB adding up to less than the task's memoryMiB (${service.memoryMiB}), leaving room for the service's container`,
    });
  }
  const sidecarCpu = service.sidecars.reduce((sum, s) => sum + (s.cpu ?? 0), 0);
  if (sidecarCpu >= service.cpu) {
    issues.push({
      path: ['sidecars'],
      params: { got: `${sidecarCpu} CPU units in all` },
      message: `accepted: sidecar cpu adding up to less than the task's cpu (${service.cpu})`,
    });
  }
  return issues;
}

/**
 * `runtimeIssues` for a file with other problems (the whole-file check then does not run): each
 * field it reads is parsed on its own, and a field that does not parse leaves its checks out.
 */
export function runtimeIssuesOfRaw(raw: Record<string, unknown>): RuntimeIssue[] {
  const part = <T>(schema: z.ZodType<T>, value: unknown): T | undefined => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  };
  const number = (value: unknown, fallback: number) => (value === undefined ? fallback : typeof value === 'number' ? value : undefined);
  const name = typeof raw.name === 'string' ? raw.name : undefined;
  const cpu = number(raw.cpu, 256);
  const memoryMiB = number(raw.memoryMiB, 512);
  const desiredCount = number(raw.desiredCount, 2);
  const environment =
    raw.environment === undefined
      ? {}
      : raw.environment !== null && typeof raw.environment === 'object' && !Array.isArray(raw.environment)
        ? (raw.environment as Record<string, string>)
        : undefined;
  const secrets = part(runtimeShape.secrets, raw.secrets);
  const scaling = part(runtimeShape.scaling, raw.scaling);
  const sidecars = part(runtimeShape.sidecars, raw.sidecars);
  const cpuArchitecture = part(runtimeShape.cpuArchitecture, raw.cpuArchitecture);
  const capacity = part(runtimeShape.capacity, raw.capacity);
  if ([name, cpu, memoryMiB, desiredCount, environment, secrets, sidecars, cpuArchitecture].some((v) => v === undefined)) return [];
  if ((raw.scaling !== undefined && !scaling) || (raw.capacity !== undefined && !capacity)) return [];
  return runtimeIssues({
    name: name!,
    cpu: cpu!,
    memoryMiB: memoryMiB!,
    desiredCount: desiredCount!,
    environment: environment!,
    secrets: secrets!,
    scaling,
    sidecars: sidecars!,
    cpuArchitecture: cpuArchitecture!,
    capacity,
  });
}
