/**
 * The schema of `services/<name>.yaml`, with every default in one place.
 *
 * Each field carries the sentence of what it accepts, so a failed parse can say for every problem:
 * the field, the bad value and what would be accepted (see `loader.ts`). The rollout plan is
 * checked by `planProblems` from `lambdas/core/rollout-plan.ts`, the same code the engine runs.
 */
import { z } from 'zod';

import { CDK_DEPLOY_MODES, cdkDeployWaitProblem } from '../../lambdas/core/cdk-deploy';
import { compilePlan, DEFAULT_ROLLOUT_PLAN, planProblems, type RolloutPlanInput } from '../../lambdas/core/rollout-plan';
import {
  environmentBytes,
  formatBytes,
  MAX_ENVIRONMENT_BYTES,
  MAX_SERVICE_NAME_LENGTH,
  maxTestAllowedCidrs,
  SECURITY_GROUP_INBOUND_RULES,
  SERVICE_NAME_LIMIT_REASON,
  TASK_DEFINITION_MAX_BYTES,
  TASK_DEFINITION_RESERVED_BYTES,
} from './aws-limits';
import { fargateSizeProblem } from './fargate-sizes';
import { customMetricsSchema } from './metrics-schema';
import { notificationsSchema } from './notifications-schema';
import { runtimeIssues, runtimeShape } from './runtime-schema';
import { accepts, strictObject, wholeNumber } from './zod-helpers';

/**
 * Service names become stack names, SSM paths, CodeDeploy, alarm, dashboard and Lambda names; the
 * length is the shortest those limits allow (`aws-limits.ts`).
 */
export const SERVICE_NAME_PATTERN = new RegExp(`^[a-z][a-z0-9-]{0,${MAX_SERVICE_NAME_LENGTH - 2}}[a-z0-9]$`);
export const SERVICE_NAME_TEXT = `a name of 2 to ${MAX_SERVICE_NAME_LENGTH} lowercase letters, digits and -, starting with a letter and ending with a letter or digit`;

/** A custom issue whose "got" part is `got` instead of the value (sizes, counts). */
const sized = (got: string, message: string) => ({ code: 'custom' as const, params: { got }, message });

/** ECS accepts container image references of up to 255 characters (ContainerDefinition `image`). */
export const MAX_IMAGE_LENGTH = 255;

/**
 * A container image reference as Docker accepts it: `[registry[:port]/]repository[:tag][@sha256:digest]`.
 */
export const IMAGE_PATTERN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

const IPV4_CIDR_PATTERN = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;
const CERTIFICATE_ARN_PATTERN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const URL_PATH_PATTERN = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
/**
 * An ALB http-header condition's name: at most 40 RFC 7230 token characters, no wildcards, and not
 * `Host` (ELBv2 API reference, HttpHeaderConditionConfig: a host condition matches that header).
 */
const HEADER_NAME_PATTERN = /^[A-Za-z0-9!#$%&'+.^_`|~-]{1,40}$/;
const HEADER_NAME_TEXT = "an HTTP header name such as X-Canary: 1 to 40 letters, digits and !#$%&'+.^_`|~- (no wildcard * or ?), not Host";
const HEADER_VALUE_TEXT = 'a header value of 1 to 128 characters, without * or ? (the load balancer reads them as wildcards)';
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const urlPath = z
  .string(accepts('a URL path starting with "/", such as /health'))
  .regex(URL_PATH_PATTERN, accepts('a URL path starting with "/", such as /health'))
  .max(1024, accepts('a URL path of at most 1024 characters'));

const port = wholeNumber(1, 65535, 'a port number from 1 to 65535');

export const healthCheckSchema = strictObject({
  path: urlPath.default('/'),
  intervalSeconds: wholeNumber(5, 300, 'whole seconds from 5 to 300').default(10),
  healthyThreshold: wholeNumber(2, 10).default(2),
  unhealthyThreshold: wholeNumber(2, 10).default(3),
});

export const listenerSchema = strictObject({
  port: port.optional(),
  certificateArn: z
    .string(accepts('an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>'))
    .regex(CERTIFICATE_ARN_PATTERN, accepts('an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>'))
    .optional(),
  testPort: port.default(9000),
  testAllowedCidrs: z
    .array(
      z.string(accepts('an IPv4 CIDR such as 10.0.0.0/16')).regex(IPV4_CIDR_PATTERN, accepts('an IPv4 CIDR such as 10.0.0.0/16')),
      accepts('a list of IPv4 CIDRs'),
    )
    .default([]),
})
  .superRefine((listener, ctx) => {
    const productionPort = listener.port ?? (listener.certificateArn ? 443 : 80);
    if (listener.testPort === productionPort) {
      ctx.addIssue({
        code: 'custom',
        path: ['testPort'],
        input: listener.testPort,
        message: `accepted: a port other than the production listener's ${productionPort}`,
      });
    }
    if (listener.certificateArn && productionPort === 80) {
      ctx.addIssue({
        code: 'custom',
        path: ['port'],
        input: productionPort,
        message: 'accepted: a port other than 80 when certificateArn is set (port 80 redirects to HTTPS)',
      });
    }
    const cidrs = new Set(listener.testAllowedCidrs).size;
    const maxCidrs = maxTestAllowedCidrs(listener.certificateArn !== undefined);
    if (cidrs > maxCidrs) {
      ctx.addIssue({
        ...sized(
          `${cidrs} distinct CIDRs`,
          `accepted: at most ${maxCidrs}: the load balancer's security group takes one inbound rule per CIDR plus ${SECURITY_GROUP_INBOUND_RULES - maxCidrs} for the production listener${listener.certificateArn ? ' and the HTTP redirect' : ''}, and AWS allows ${SECURITY_GROUP_INBOUND_RULES} inbound rules per security group (default VPC quota)`,
        ),
        path: ['testAllowedCidrs'],
      });
    }
    if (listener.certificateArn && listener.testPort === 80) {
      ctx.addIssue({
        code: 'custom',
        path: ['testPort'],
        input: listener.testPort,
        message: 'accepted: a port other than 80 when certificateArn is set (port 80 redirects to HTTPS)',
      });
    }
  })
  .transform((listener) => ({ ...listener, port: listener.port ?? (listener.certificateArn ? 443 : 80) }));

const stepSchema = strictObject({
  weight: z.number(accepts('a whole percentage greater than 0 and less than 100')),
  bakeMinutes: z.number(accepts('at least 1 minute')),
});

export const DEFAULT_STEPS = DEFAULT_ROLLOUT_PLAN.steps.map((step) => ({ ...step }));

/** Ranges, order and the 55-minute hook windows are checked by `planProblems`, like the engine. */
export const rolloutSchema = strictObject({
  steps: z.array(stepSchema, accepts('a list of { weight, bakeMinutes }')).default(DEFAULT_STEPS),
  postTrafficBakeMinutes: z.number(accepts('at least 1 minute')).default(DEFAULT_ROLLOUT_PLAN.postTrafficBakeMinutes),
  holdLimitMinutes: z.number(accepts('0 or more minutes')).default(DEFAULT_ROLLOUT_PLAN.holdLimitMinutes),
}).superRefine((rollout, ctx) => {
  for (const problem of planProblems(rollout)) {
    ctx.addIssue({
      code: 'custom',
      path: problem.field
        .replace(/^rollout\.?/, '')
        .split(/[.[\]]+/)
        .filter(Boolean)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      message: `plan: ${problem.message}`,
    });
  }
});

export const thresholdsSchema = strictObject({
  maxErrorRatePercent: z
    .number(accepts('a percentage above 0 and at most 100'))
    .gt(0, accepts('a percentage above 0 and at most 100'))
    .max(100, accepts('a percentage above 0 and at most 100'))
    .default(1),
  maxP95Ms: wholeNumber(1, 60000, 'whole milliseconds from 1 to 60000').default(1000),
  minRequests: wholeNumber(1, 1_000_000, 'a whole number of requests from 1 to 1000000').default(300),
  maxErrorIncreasePp: z
    .number(accepts('percentage points above 0 and at most 100'))
    .gt(0, accepts('percentage points above 0 and at most 100'))
    .max(100, accepts('percentage points above 0 and at most 100'))
    .default(1),
  maxLatencyRatio: z
    .number(accepts('a ratio of at least 1, such as 1.5'))
    .min(1, accepts('a ratio of at least 1, such as 1.5'))
    .default(1.5),
});

const smokeCheckSchema = strictObject({
  path: urlPath,
  expectStatus: wholeNumber(100, 599, 'an HTTP status code from 100 to 599').default(200),
});

const canaryHeaderSchema = strictObject({
  name: z
    .string(accepts(HEADER_NAME_TEXT))
    .regex(HEADER_NAME_PATTERN, accepts(HEADER_NAME_TEXT))
    .refine(
      (name) => name.toLowerCase() !== 'host',
      accepts(`${HEADER_NAME_TEXT} (a load balancer rule cannot match Host with a header condition)`),
    )
    .default('X-Canary'),
  // The load balancer reads * and ? in a condition's value as wildcards: "*" would route any value.
  value: z
    .string(accepts(HEADER_VALUE_TEXT))
    .min(1, accepts(HEADER_VALUE_TEXT))
    .max(128, accepts(HEADER_VALUE_TEXT))
    .regex(/^[^*?]*$/, accepts(HEADER_VALUE_TEXT))
    .default('always'),
});

/**
 * Cookie names are RFC 6265 tokens and values cookie-octets; neither may hold ALB's wildcards
 * `*` and `?`, since the rule compares the `Cookie` header against `*name=value*`.
 */
const COOKIE_NAME_PATTERN = /^[A-Za-z0-9!#$%&'+.^_`|~-]+$/;
const COOKIE_VALUE_PATTERN = /^[\x21\x23-\x29\x2b\x2d-\x3a\x3c-\x3e\x40-\x5b\x5d-\x7e]+$/;
/** ALB compares at most 128 characters per condition value; `*name=value*` adds three. */
export const MAX_COOKIE_PAIR_LENGTH = 125;
const COOKIE_NAME_TEXT = "a cookie name of letters, digits and !#$%&'+.^_`|~- (no * or ?), such as canary";
const COOKIE_VALUE_TEXT =
  'a cookie value of printable characters without spaces, quotes, commas, semicolons, backslashes, * or ?, such as always';

const canaryCookieSchema = strictObject({
  name: z.string(accepts(COOKIE_NAME_TEXT)).regex(COOKIE_NAME_PATTERN, accepts(COOKIE_NAME_TEXT)).default('canary'),
  value: z.string(accepts(COOKIE_VALUE_TEXT)).regex(COOKIE_VALUE_PATTERN, accepts(COOKIE_VALUE_TEXT)).default('always'),
}).superRefine((cookie, ctx) => {
  const pair = `${cookie.name}=${cookie.value}`;
  if (pair.length > MAX_COOKIE_PAIR_LENGTH) {
    ctx.addIssue(
      sized(
        `${JSON.stringify(pair)} (${pair.length} characters)`,
        `accepted: name=value of at most ${MAX_COOKIE_PAIR_LENGTH} characters: the load balancer compares at most 128 characters and the rule's value is *name=value*`,
      ),
    );
  }
});

const ENV_NAME_TEXT = 'accepted: a variable name of letters, digits and _, not starting with a digit';
const environmentSchema = z
  .record(
    z.string().regex(ENV_NAME_PATTERN),
    z.union([z.string(), z.number(), z.boolean()], accepts('a string, number or boolean value')).transform(String),
    { error: (issue) => (issue.code === 'invalid_key' ? ENV_NAME_TEXT : 'accepted: a mapping of NAME: value') },
  )
  .superRefine((environment, ctx) => {
    const bytes = environmentBytes(environment);
    if (bytes <= MAX_ENVIRONMENT_BYTES) return;
    const [largest, value] = Object.entries(environment).reduce((a, b) => (Buffer.byteLength(b[1]) > Buffer.byteLength(a[1]) ? b : a));
    const count = Object.keys(environment).length;
    ctx.addIssue(
      sized(
        `${formatBytes(bytes)} bytes in ${count} variable${count === 1 ? '' : 's'} (the largest, ${largest}, ${formatBytes(Buffer.byteLength(value))} bytes)`,
        `accepted: at most ${formatBytes(MAX_ENVIRONMENT_BYTES)} bytes: ECS refuses a task definition over ${formatBytes(TASK_DEFINITION_MAX_BYTES)} bytes (64 KiB) and ${formatBytes(TASK_DEFINITION_RESERVED_BYTES)} are kept for the rest of it; put large settings in S3 or SSM and pass their location`,
      ),
    );
  });

/** The fields of a service file. Sub-objects default to `{}` so their own defaults apply. */
const serviceShape = {
  name: z.string(accepts(SERVICE_NAME_TEXT)).superRefine((name, ctx) => {
    if (SERVICE_NAME_PATTERN.test(name)) return;
    if (name.length > MAX_SERVICE_NAME_LENGTH && /^[a-z][a-z0-9-]*[a-z0-9]$/.test(name)) {
      ctx.addIssue(
        sized(
          `${JSON.stringify(name)} (${name.length} characters)`,
          `accepted: at most ${MAX_SERVICE_NAME_LENGTH} characters: ${SERVICE_NAME_LIMIT_REASON}`,
        ),
      );
    } else {
      ctx.addIssue({ code: 'custom', input: name, message: `accepted: ${SERVICE_NAME_TEXT}` });
    }
  }),
  image: z
    .string(accepts('a container image reference such as public.ecr.aws/nginx/nginx:1.27'))
    .superRefine((image, ctx) => {
      if (image.length > MAX_IMAGE_LENGTH)
        ctx.addIssue(
          sized(
            `${JSON.stringify(`${image.slice(0, 40)}…`)} (${image.length} characters)`,
            `accepted: an image reference of at most ${MAX_IMAGE_LENGTH} characters (ECS ContainerDefinition image)`,
          ),
        );
    })
    .regex(
      IMAGE_PATTERN,
      accepts(
        'a container image reference such as public.ecr.aws/nginx/nginx:1.27 (lowercase repository, optional :tag and @sha256:digest)',
      ),
    ),
  containerPort: port.default(80),
  healthCheck: healthCheckSchema.prefault({}),
  cpu: z.number(accepts('one of 256, 512, 1024, 2048, 4096, 8192, 16384 (Fargate CPU units)')).default(256),
  memoryMiB: z.number(accepts('a Fargate memory size in MiB valid for the cpu')).default(512),
  desiredCount: wholeNumber(1, 100).default(2),
  environment: environmentSchema.default({}),
  listener: listenerSchema.prefault({}),
  rollout: rolloutSchema.prefault({}),
  thresholds: thresholdsSchema.prefault({}),
  smokeChecks: z.array(smokeCheckSchema, accepts('a list of { path, expectStatus }')).optional(),
  canaryHeader: canaryHeaderSchema.optional(),
  canaryCookie: canaryCookieSchema.optional(),
  notifications: notificationsSchema.prefault({}),
  auditRetentionDays: wholeNumber(1, 3650, 'whole days from 1 to 3650').default(90),
  metrics: customMetricsSchema,
  /**
   * What `cdk deploy EcsCanary-<name>` does when the container definition (image) changes:
   * `start` the canary deployment and return, `wait` for it (the stack update fails when it rolls
   * back; the plan must finish within the custom resource's hour), or `off` (pipelines deploy).
   */
  deployOnCdkDeploy: z.enum(CDK_DEPLOY_MODES, accepts(CDK_DEPLOY_MODES.join(', '))).default('start'),
  ...runtimeShape,
};

type ServiceFields = Omit<z.output<z.ZodObject<typeof serviceShape>>, 'image'>;

/** The checks across fields: the Fargate size, `deployOnCdkDeploy: wait` against the plan, the runtime fields. */
function checkService(service: ServiceFields, ctx: z.RefinementCtx): void {
  const problem = fargateSizeProblem(service.cpu, service.memoryMiB);
  if (problem)
    ctx.addIssue({
      code: 'custom',
      path: [problem.field],
      input: problem.field === 'cpu' ? service.cpu : service.memoryMiB,
      message: `accepted: ${problem.accepted}`,
    });
  const waitProblem = cdkDeployWaitIssue(service.deployOnCdkDeploy, service.rollout);
  if (waitProblem) ctx.addIssue({ code: 'custom', path: ['deployOnCdkDeploy'], input: service.deployOnCdkDeploy, message: waitProblem });
  for (const issue of runtimeIssues(service)) ctx.addIssue({ code: 'custom', ...issue });
}

/** With no smoke checks configured, the health check path must answer 200 through the test listener. */
const withSmokeChecks = <Service extends Pick<ServiceFields, 'smokeChecks' | 'healthCheck'>>(service: Service) => ({
  ...service,
  smokeChecks: service.smokeChecks ?? [{ path: service.healthCheck.path, expectStatus: 200 }],
});

/** The whole file. */
export const serviceConfigSchema = strictObject(serviceShape).superRefine(checkService).transform(withSmokeChecks);

/** What `CanaryService` validates: the file's fields, `image` optional (its `image` or `taskDefinition` prop may replace it). */
export const constructConfigSchema = strictObject({ ...serviceShape, image: serviceShape.image.optional() })
  .superRefine(checkService)
  .transform(withSmokeChecks);

/**
 * `deployOnCdkDeploy: wait` needs the whole rollout to fit the custom resource's hour: the
 * message (starting "accepted: ") says the worst case and what to shorten. Undefined when fine,
 * when the mode is not `wait`, or when the plan itself is invalid (reported on its own).
 */
export function cdkDeployWaitIssue(mode: string, rollout: RolloutPlanInput): string | undefined {
  if (mode !== 'wait' || planProblems(rollout).length > 0) return undefined;
  return cdkDeployWaitProblem(compilePlan(rollout));
}

/** A validated service configuration with every default applied; `image` is set whenever it comes from a file. */
export type ServiceConfig = z.output<typeof constructConfigSchema>;
/** What a service file or `CanaryService`'s `config` may contain (every field with a default is optional; a file needs `image`). */
export type ServiceConfigInput = z.input<typeof constructConfigSchema>;
