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
import { HOOKS } from '../core/rollout-plan';
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
const positive = (what: string) => z.number(`accepted: ${what}`).check(z.positive(`accepted: ${what}`));
const targetGroup = z.object({ arn: text, fullName: text, name: text }, 'accepted: { arn, fullName, name } of a target group');
const nameValue = (what: string) =>
  z.optional(z.looseObject({ name: text, value: text }, `accepted: ${what} { name, value }, both non-empty strings`));

const THRESHOLDS_TEXT =
  'accepted: the judge thresholds { maxErrorRatePercent, maxP95Ms, minRequests, maxErrorIncreasePp, maxLatencyRatio }, each above 0';
const step = z.looseObject(
  {
    weight: z
      .number('accepted: a percentage above 0 and below 100')
      .check(z.positive('accepted: a percentage above 0 and below 100'), z.lt(100, 'accepted: a percentage above 0 and below 100')),
    bakeMinutes: positive('minutes above 0'),
  },
  'accepted: a step { weight, bakeMinutes }',
);
const hookWindow = z.looseObject(
  {
    hook: z.enum(HOOKS, `accepted: one of ${HOOKS.join(', ')}`),
    steps: z.array(step, 'accepted: a list of steps { weight, bakeMinutes }'),
  },
  'accepted: a window { hook, steps }',
);

/**
 * The compiled plan: one window per hook, in CodeDeploy's order, and at least one step. A plan
 * without steps would let every hook pass and CodeDeploy shift 100% at once, ungated.
 */
const plan = z
  .looseObject(
    {
      windows: z.array(hookWindow, `accepted: the windows of ${HOOKS.join(', ')}`),
      holdLimitMinutes: z.number('accepted: 0 or more minutes').check(z.gte(0, 'accepted: 0 or more minutes')),
      postTrafficBakeMinutes: z.number('accepted: 0 or more minutes').check(z.gte(0, 'accepted: 0 or more minutes')),
    },
    'accepted: the compiled rollout plan { windows, holdLimitMinutes, postTrafficBakeMinutes }',
  )
  .check(
    z.refine((p) => p.windows.map((w) => w.hook).join() === HOOKS.join(), {
      message: `accepted: one window per hook, in the order ${HOOKS.join(', ')}`,
      path: ['windows'],
    }),
    z.refine((p) => p.windows.some((w) => w.steps.length > 0), {
      message: 'accepted: at least one step (without one, CodeDeploy would shift 100% at once)',
      path: ['windows'],
    }),
  );

/** The parts of the metadata the CLI, the deploy path and the engine rely on; the rest passes through. */
const metadataSchema = z.looseObject(
  {
    version: z.literal(1, 'accepted: 1 (the document version this ecs-canary reads)'),
    service: text,
    applicationName: text,
    deploymentGroupName: text,
    taskDefinitionFamily: text,
    containerName: text,
    containerPort: port,
    productionListenerArn: text,
    testListenerPort: port,
    productionListenerPort: z.optional(port),
    productionListenerProtocol: z.optional(z.enum(['HTTP', 'HTTPS'], 'accepted: HTTP or HTTPS')),
    loadBalancerDnsName: text,
    loadBalancerFullName: text,
    capacityProviderStrategy: z.optional(
      z.array(
        z.looseObject(
          { capacityProvider: text, weight: z.number('accepted: a number'), base: z.optional(num) },
          'accepted: { capacityProvider, weight, base? }',
        ),
        'accepted: a list of { capacityProvider, weight, base? }',
      ),
    ),
    thresholds: z.looseObject(
      {
        maxErrorRatePercent: positive('a percentage above 0'),
        maxP95Ms: positive('milliseconds above 0'),
        minRequests: positive('a count above 0'),
        maxErrorIncreasePp: positive('percentage points above 0'),
        maxLatencyRatio: positive('a ratio above 0'),
      },
      THRESHOLDS_TEXT,
    ),
    smokeChecks: z.array(
      z.looseObject(
        { path: z.string('accepted: a URL path such as /health'), expectStatus: num },
        'accepted: a smoke check { path, expectStatus }',
      ),
      'accepted: a list of smoke checks { path, expectStatus }',
    ),
    canaryHeader: nameValue('a header'),
    canaryCookie: nameValue('a cookie'),
    metrics: z.optional(
      z.array(
        z.looseObject({ name: text, namespace: text, statistic: text }, 'accepted: a metric { name, namespace, statistic, … }'),
        'accepted: a list of the metrics the judge checks',
      ),
    ),
    ecsService: z.optional(z.looseObject({ cluster: text, service: text }, 'accepted: { cluster, service }')),
    targetGroups: z.tuple([targetGroup, targetGroup], 'accepted: exactly two target groups'),
    plan,
    hooks: z.optional(z.record(z.string(), z.string(), 'accepted: a mapping of hook name to function name')),
    auditTableName: z.optional(text),
    auditKeyArn: z.optional(text),
    auditAnchorBucket: z.optional(text),
    controlParameterName: z.optional(text),
    freezeParameterName: text,
  },
  'accepted: a JSON object, the deployment metadata the service stack writes',
);

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
    const shown = JSON.stringify(got) ?? 'undefined';
    throw new DeployConfigError(
      `${parameterName}: field ${field} is ${shown.length > 120 ? `${shown.slice(0, 119)}…` : shown}; ${issue.message}. The parameter is written by the service stack; redeploy it with this version of ecs-canary`,
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
