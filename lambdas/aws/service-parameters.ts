/**
 * Reads what a service stack publishes in SSM: the deployment metadata and the freeze switch.
 * The parse functions are pure; the read functions are thin SSM adapters.
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { parameterNames, type DeploymentMetadata } from '../core/metadata';
import { DeployConfigError, toAwsCallError } from './deploy-errors';

const targetGroup = z.object({ arn: z.string().min(1), fullName: z.string().min(1), name: z.string().min(1) });

/** The parts of the metadata the deploy path and the CLI rely on; the rest passes through. */
const metadataSchema = z.looseObject({
  version: z.literal(1),
  service: z.string().min(1),
  applicationName: z.string().min(1),
  deploymentGroupName: z.string().min(1),
  taskDefinitionFamily: z.string().min(1),
  containerName: z.string().min(1),
  containerPort: z.number().int().min(1).max(65535),
  productionListenerArn: z.string().min(1),
  targetGroups: z.tuple([targetGroup, targetGroup]),
  plan: z.looseObject({
    windows: z.array(z.looseObject({ hook: z.string(), steps: z.array(z.looseObject({ weight: z.number(), bakeMinutes: z.number() })) })),
    holdLimitMinutes: z.number(),
    postTrafficBakeMinutes: z.number(),
  }),
  hooks: z.record(z.string(), z.string()).optional(),
  auditTableName: z.string().min(1).optional(),
  freezeParameterName: z.string().min(1),
});

/** Parses and checks the JSON of `/ecs-canary/<service>/deployment`. Throws `DeployConfigError`. */
export function parseDeploymentMetadata(json: string, parameterName: string): DeploymentMetadata {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new DeployConfigError(`${parameterName} is not JSON (${(cause as Error).message}); it is written by the service stack, redeploy EcsCanary-<service>`, parameterName, { cause });
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
}

const freezeSchema = z.object({ frozen: z.boolean(), reason: z.string().optional(), by: z.string().optional(), at: z.string().optional() });

/** Parses the freeze parameter's value. Throws `DeployConfigError` for anything else. */
export function parseFreeze(json: string, parameterName: string): FreezeState {
  try {
    return freezeSchema.parse(JSON.parse(json));
  } catch (cause) {
    throw new DeployConfigError(
      `${parameterName} is ${JSON.stringify(json)}; accepted: {"frozen":true|false, "reason"?, "by"?, "at"?} (use canary freeze / unfreeze to write it)`,
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
    throw new DeployConfigError(`no SSM parameter ${parameterName}: the service stack writes it before the cdk-deploy resource runs`, parameterName);
  }
  return parseDeploymentMetadata(value, parameterName);
}

/** Reads the freeze switch; a missing parameter means not frozen (stacks from before the switch). */
export async function readFreeze(ssm: SSMClient, parameterName: string): Promise<FreezeState> {
  const value = await readParameter(ssm, parameterName);
  return value === undefined ? { frozen: false } : parseFreeze(value, parameterName);
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
