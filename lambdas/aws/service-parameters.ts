/**
 * Reads what a service stack publishes in SSM: the deployment metadata and the freeze switch.
 * One reader for everyone: the CLI, the cdk-deploy resource and the engine's Lambdas.
 * The parse functions are pure; the read functions are thin SSM adapters.
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
// zod/mini: the same schemas as zod's classic API at a fraction of the bundle, because this file
// runs in every engine Lambda (the classic API added ~440 KB and ~60 ms of cold start to each).
import * as z from 'zod/mini';

import { type DeploymentMetadata, parameterNames } from '../core/metadata';
import { DeployConfigError, toAwsCallError } from './deploy-errors';

const text = z.string('accepted: a non-empty string').check(z.minLength(1, 'accepted: a non-empty string'));
const port = z
  .number('accepted: a port from 1 to 65535')
  .check(
    z.int('accepted: a whole number'),
    z.minimum(1, 'accepted: a port from 1 to 65535'),
    z.maximum(65535, 'accepted: a port from 1 to 65535'),
  );
const num = z.number('accepted: a number');
const targetGroup = z.object({ arn: text, fullName: text, name: text });

/** The parts of the metadata the CLI, the deploy path and the engine rely on; the rest passes through. */
const metadataSchema = z.looseObject({
  version: z.literal(1, 'accepted: 1 (the document version this ecs-canary reads)'),
  service: text,
  applicationName: text,
  deploymentGroupName: text,
  taskDefinitionFamily: text,
  containerName: text,
  containerPort: port,
  productionListenerArn: text,
  testListenerPort: port,
  loadBalancerDnsName: text,
  loadBalancerFullName: text,
  thresholds: z.looseObject({ maxErrorRatePercent: num, maxP95Ms: num, minRequests: num, maxErrorIncreasePp: num, maxLatencyRatio: num }),
  smokeChecks: z.array(z.looseObject({ path: z.string(), expectStatus: num })),
  targetGroups: z.tuple([targetGroup, targetGroup], 'accepted: exactly two target groups'),
  plan: z.looseObject({
    windows: z.array(z.looseObject({ hook: z.string(), steps: z.array(z.looseObject({ weight: num, bakeMinutes: num })) })),
    holdLimitMinutes: num,
    postTrafficBakeMinutes: num,
  }),
  hooks: z.optional(z.record(z.string(), z.string())),
  auditTableName: z.optional(text),
  auditKeyArn: z.optional(text),
  auditAnchorBucket: z.optional(text),
  controlParameterName: z.optional(text),
  freezeParameterName: text,
});

/** Parses and checks the JSON of `/ecs-canary/<service>/deployment`. Throws `DeployConfigError`. */
export function parseDeploymentMetadata(json: string, parameterName: string): DeploymentMetadata {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new DeployConfigError(
      `${parameterName} is not JSON (${(cause as Error).message}); it is written by the service stack, redeploy EcsCanary-<service>`,
      parameterName,
      { cause },
    );
  }
  const parsed = metadataSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(root)';
    const got = issue.path.reduce<unknown>((v, key) => (v as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], value);
    throw new DeployConfigError(
      `${parameterName}: field ${field} is ${JSON.stringify(got)}; ${issue.message}. The parameter is written by the service stack; redeploy it with this version of ecs-canary`,
      field,
    );
  }
  return parsed.data as unknown as DeploymentMetadata;
}

/** The freeze switch `/ecs-canary/<service>/freeze`. */
export interface FreezeState {
  readonly frozen: boolean;
  readonly reason?: string;
  readonly by?: string;
  readonly at?: string;
  /** The IAM identity (sts:GetCallerIdentity ARN) that set the switch; the engine records it when it stops a rollout. */
  readonly callerArn?: string;
}

const freezeSchema = z.object({
  frozen: z.boolean(),
  reason: z.optional(z.string()),
  by: z.optional(z.string()),
  at: z.optional(z.string()),
  callerArn: z.optional(z.string()),
});

/** Parses the freeze parameter's value. Throws `DeployConfigError` for anything else. */
export function parseFreeze(json: string, parameterName: string): FreezeState {
  try {
    return freezeSchema.parse(JSON.parse(json));
  } catch (cause) {
    throw new DeployConfigError(
      `${parameterName} is ${JSON.stringify(json)}; accepted: {"frozen":true|false, "reason"?, "by"?, "at"?, "callerArn"?} (use canary freeze / unfreeze to write it)`,
      parameterName,
      { cause },
    );
  }
}

/** Reads and checks the deployment metadata; a missing parameter is a `DeployConfigError`. */
export async function readDeploymentMetadata(ssm: SSMClient, service: string): Promise<DeploymentMetadata> {
  const name = parameterNames(service).deployment;
  const value = await readParameter(ssm, name);
  if (value === undefined) {
    throw new DeployConfigError(
      `no SSM parameter ${name}: is the stack EcsCanary-${service} deployed in this account and region? (check the service name, --region and --profile)`,
      name,
    );
  }
  const metadata = parseDeploymentMetadata(value, name);
  if (metadata.service !== service) {
    throw new DeployConfigError(`${name} describes service ${JSON.stringify(metadata.service)}, not ${JSON.stringify(service)}`, 'service');
  }
  return metadata;
}

/**
 * Reads and checks the deployment metadata by parameter name (the cdk-deploy resource is given
 * the name by its stack); a missing parameter is a `DeployConfigError`.
 */
export async function readDeploymentMetadataParameter(ssm: SSMClient, parameterName: string): Promise<DeploymentMetadata> {
  const value = await readParameter(ssm, parameterName);
  if (value === undefined) {
    throw new DeployConfigError(
      `no SSM parameter ${parameterName}: the service stack writes it before the cdk-deploy resource runs`,
      parameterName,
    );
  }
  return parseDeploymentMetadata(value, parameterName);
}

/**
 * Reads the freeze switch. The service stack creates it, so a missing switch is an error, never
 * "not frozen": a kill switch that was deleted must not fail open. `canary unfreeze` recreates it.
 */
export async function readFreeze(ssm: SSMClient, parameterName: string): Promise<FreezeState> {
  const value = await readParameter(ssm, parameterName);
  if (value === undefined) {
    throw new DeployConfigError(
      `no SSM parameter ${parameterName}: the service stack creates the freeze switch; redeploy the stack, or run canary unfreeze <service> to recreate it as not frozen`,
      parameterName,
    );
  }
  return parseFreeze(value, parameterName);
}

/** A parameter's value, or undefined when it does not exist. */
async function readParameter(ssm: SSMClient, name: string): Promise<string | undefined> {
  try {
    const result = await ssm.send(new GetParameterCommand({ Name: name }));
    return result.Parameter?.Value;
  } catch (error) {
    if ((error as { name?: string }).name === 'ParameterNotFound') return undefined;
    throw toAwsCallError(error, 'ssm:GetParameter');
  }
}
