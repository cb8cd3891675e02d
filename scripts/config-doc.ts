/**
 * Generates docs/configuration.md from the zod schema of the service file (lib/config/schema.ts),
 * so the reference cannot drift: the fields, their defaults and the "accepted" sentence of each
 * come from the schema itself; only the one-line notes below are written by hand, and every field
 * must have exactly one. `npm run docs:config` writes the page; test/docs/configuration.test.ts
 * fails when the committed page differs from what this renders.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { stringify } from 'yaml';
import type { z } from 'zod';

import { CDK_DEPLOY_WAIT_LIMIT_MINUTES } from '../lambdas/core/cdk-deploy';
import { compilePlan, DEFAULT_ROLLOUT_PLAN, MAX_WINDOW_MINUTES } from '../lambdas/core/rollout-plan';
import { formatBytes, MAX_SERVICE_FILE_BYTES } from '../lib/config/aws-limits';
import { FARGATE_SIZES } from '../lib/config/fargate-sizes';
import { serviceConfigSchema } from '../lib/config/schema';

/** What each field does, in a line; keyed by field path (`[]` marks the items of a list). */
export const FIELD_NOTES: Readonly<Record<string, string>> = {
  name: 'Unique across the services directory. Names the stack `EcsCanary-<name>`, the SSM parameters `/ecs-canary/<name>/…`, the CodeDeploy application `ecs-canary-<name>` and its deployment group `<name>`, the alarms, the dashboard and the Lambdas.',
  image:
    'The image of the first deployment. A private ECR image lets the task execution role pull from that repository only, so later `canary deploy` images must come from the same repository.',
  containerPort:
    'The port the container listens on. Changing it on a deployed service replaces the target groups and fails the update: deploy the new port as a new service instead.',
  'healthCheck.path': 'Target-group health check path; also the default smoke check.',
  'healthCheck.intervalSeconds': 'The health check timeout is min(5, interval − 1) seconds.',
  'healthCheck.healthyThreshold': 'Consecutive successes before a target is healthy.',
  'healthCheck.unhealthyThreshold': 'Consecutive failures before a target is unhealthy.',
  cpu: 'Fargate task CPU units.',
  memoryMiB: 'Fargate task memory; must be valid for `cpu` (table below).',
  desiredCount: 'Number of tasks the service runs.',
  environment:
    'Plain settings only, never secrets. Numbers and booleans become strings. At most 61,440 bytes as ECS counts them (docs/configuration-limits.md).',
  'listener.port': 'Production listener port. Default 80, or 443 when `certificateArn` is set (which then cannot be 80).',
  'listener.certificateArn':
    "Makes the production listener HTTPS, with port 80 redirecting to it. The certificate must be in the stack's region.",
  'listener.testPort': 'Test listener port (always HTTP); must differ from the production port, and not be 80 with a certificate.',
  'listener.testAllowedCidrs':
    "Who may reach the test listener. Empty means the VPC (its CIDR and its NAT gateways' public addresses). At most 59 distinct CIDRs, 58 with a certificate.",
  'rollout.steps[].weight':
    'Percentage of production sent to the replacement in this step; must increase strictly from step to step. CodeDeploy performs the final shift to 100%.',
  'rollout.steps[].bakeMinutes': 'Complete minutes of data at this weight before the judge may promote.',
  'rollout.postTrafficBakeMinutes':
    "Minutes judged at 100% after CodeDeploy's final shift; also the termination wait before the original is deleted.",
  'rollout.holdLimitMinutes': 'How long a stage may hold beyond its bake before it fails ("insufficient evidence" or "still unresolved").',
  'thresholds.maxErrorRatePercent':
    "Absolute bar on the canary's error rate (5XX and connection errors); also the error-rate alarm threshold.",
  'thresholds.maxP95Ms': "Absolute bar on the canary's p95 latency; also the p95 alarm threshold.",
  'thresholds.minRequests': 'Canary requests the rollout must have served before the shift to 100%.',
  'thresholds.maxErrorIncreasePp':
    'The tolerance: a rollback on errors needs the canary at least this many percentage points above the original.',
  'thresholds.maxLatencyRatio': "Tolerated ratio of the canary's p95 to the original's p95 over the hour before the rollout.",
  'smokeChecks[].path':
    'Requested before any production traffic, from inside the VPC, against every healthy replacement task. Default list: one check of `healthCheck.path` expecting 200.',
  'smokeChecks[].expectStatus': 'The status the smoke check must return.',
  'canaryHeader.name': 'When `canaryHeader` is given, requests carrying this header go to the replacement during the rollout.',
  'canaryHeader.value': 'The header value that selects the replacement.',
  'canaryCookie.name':
    'When `canaryCookie` is given, requests whose `Cookie` header holds `name=value` go to the replacement during the rollout (the rule matches `*name=value*`, case-insensitively).',
  'canaryCookie.value': 'The cookie value that selects the replacement; `name=value` is at most 125 characters.',
  'notifications.emails': "Subscribed to the service's SNS topic; each address must confirm, and each may appear once.",
  'notifications.slack.workspaceId':
    'Slack workspace authorized once in the AWS Chatbot console; every announcement is posted to the channel (docs/chat.md).',
  'notifications.slack.channelId': 'Slack channel the announcements go to (invite @Amazon Q to it).',
  'notifications.teams.teamId': 'Microsoft Teams team authorized once in the AWS Chatbot console (docs/chat.md).',
  'notifications.teams.channelId': 'Teams channel the announcements go to, as Teams copies its link (URL-encoded).',
  'notifications.teams.tenantId': 'The Microsoft Entra tenant of the team.',
  auditRetentionDays: 'Audit records expire after this many days (DynamoDB TTL).',
  'metrics[].name': 'Names the check in verdicts, the audit record and the dashboard, and the alarm of its bars (docs/metrics.md).',
  'metrics[].namespace': 'The CloudWatch namespace the application publishes the metric to.',
  'metrics[].metricName': 'One metric, read with `statistic`; give this or `ratio`.',
  'metrics[].ratio.numerator': 'A ratio of two counts (both Sum, same namespace and dimensions): the events, such as SessionErrors.',
  'metrics[].ratio.denominator': 'The count the events are a share of, such as Sessions; `max` and `min` are then percentages.',
  'metrics[].dimensions': 'Fixed dimensions of the metric (at most 30 with `versionDimension`), such as `{ Service: shop }`.',
  'metrics[].statistic':
    "Statistic of a single metric per minute, default Average (a ratio always reads Sum). With `compare`: `Sum` is compared per request; `Average` and a percentile p0.1 to p99.9 are compared by the share of samples beyond (1 ± tolerance) × the original's value (docs/metrics.md).",
  'metrics[].max': 'Absolute bar: above it rolls back (or warns); also a CloudWatch alarm on the deployment group.',
  'metrics[].min': 'Absolute bar for values that must not fall (a KPI); below it rolls back (or warns).',
  'metrics[].compare.tolerancePercent':
    "Compares the canary with the original by the judge's sequential test: a rollback needs the canary at least this much worse, relative to the original.",
  'metrics[].compare.worse': 'Which direction is harm; default `higher`, or `lower` when only `min` is set.',
  'metrics[].versionDimension':
    'The dimension whose value tells the versions apart: the task definition revision the application publishes (docs/metrics.md). Without it only the absolute bars apply.',
  'metrics[].action': '`rollback`, or `warn`: announce and record a breach, never roll back.',
  deployOnCdkDeploy:
    "What `cdk deploy` does when the container definition changes: `start` a canary deployment, `wait` for it (the plan's worst case must fit " +
    CDK_DEPLOY_WAIT_LIMIT_MINUTES +
    ' minutes), or `off`.',
  secrets:
    'Environment variables ECS sets from Secrets Manager (a whole secret, or one `jsonKey` of its JSON) or SSM Parameter Store at task start. The task execution role may read exactly these secrets and parameters, and decrypt with `kmsKeyArn` when given (a customer managed key; AWS managed keys need no grant). A name may not also be in `environment`.',
  'taskRole.managedPolicyArns': "Managed policies attached to the application's own role (the task role); none by default.",
  'taskRole.statements[].effect': "The statement's effect.",
  'taskRole.statements[].actions': 'What the application may do, such as `dynamodb:GetItem`.',
  'taskRole.statements[].resources': 'On what: exact ARNs; `"*"` only for actions that have no resource type.',
  'scaling.minTasks': 'Application Auto Scaling never goes below this; `desiredCount` must lie between `minTasks` and `maxTasks`.',
  'scaling.maxTasks': 'Application Auto Scaling never goes above this.',
  'scaling.cpuPercent': "Target tracking on the service's average CPU utilization.",
  'scaling.memoryPercent': "Target tracking on the service's average memory utilization.",
  'scaling.requestsPerTarget':
    'Target tracking on requests per task per minute, summed over the blue and the green target group (metric math), so it follows production across every swap (docs/aws-behaviour.md).',
  'network.vpcId':
    'An existing VPC, imported by id (no lookup): the service deploys into it and does not use the platform stack (when every service names one, the app creates no platform stack).',
  'network.vpcCidrBlock': "The VPC's CIDR; the test listener admits it when `listener.testAllowedCidrs` is empty.",
  'network.availabilityZones': 'The zones of the subnets below, in the same order.',
  'network.publicSubnetIds': 'Subnets of the internet-facing load balancer, one per zone.',
  'network.privateSubnetIds': 'Subnets of the tasks (with a NAT or VPC endpoints for image pulls and AWS APIs), one per zone.',
  'network.clusterName': 'An existing ECS cluster in that VPC; with `capacity`, FARGATE and FARGATE_SPOT must be associated with it.',
  'sidecars[].name': "Container name, unique in the task and not the service's own (which is `name`).",
  'sidecars[].image': "The sidecar's image (log router, agent, proxy). `canary deploy` keeps it unless `--container` names it.",
  'sidecars[].essential': 'When an essential sidecar stops, ECS stops the task.',
  'sidecars[].cpu': "CPU units reserved for the sidecar; all sidecars together stay below the task's `cpu`.",
  'sidecars[].memoryMiB': "Hard memory limit of the sidecar; all sidecars together stay below the task's `memoryMiB`.",
  'sidecars[].environment': 'Plain settings of the sidecar.',
  'sidecars[].secrets': 'Secrets of the sidecar, as in `secrets`; the execution role may read them too.',
  cpuArchitecture: '`arm64` runs the tasks on Graviton (the images must be built for it); Fargate Spot is X86_64 only.',
  'capacity.spot.base': 'Tasks placed on Fargate Spot before the weights apply (a base on one provider only).',
  'capacity.spot.weight': "Share of the remaining tasks on Fargate Spot (interrupted with two minutes' notice).",
  'capacity.onDemand.base': 'Tasks placed on regular Fargate before the weights apply.',
  'capacity.onDemand.weight':
    'Share of the remaining tasks on regular Fargate. Without `capacity` the service uses the FARGATE launch type.',
  enableExecuteCommand: 'ECS Exec (`aws ecs execute-command`); the task role gets the four `ssmmessages` actions it needs.',
  logRetentionDays: "Retention of the containers' log group.",
};

interface Field {
  readonly path: string;
  readonly required: boolean;
  readonly defaultValue?: unknown;
  readonly accepted: string;
}

type AnySchema = z.ZodType & { _zod: { def: Record<string, unknown> & { type: string } } };

const def = (schema: AnySchema) => schema._zod.def;

/** The schema under defaults, optionals and transforms, with the outermost default found. */
function unwrap(schema: AnySchema): { inner: AnySchema; optional: boolean; defaultValue?: unknown } {
  let inner = schema;
  let optional = false;
  let defaultValue: unknown;
  let found = false;
  for (;;) {
    const d = def(inner);
    if ((d.type === 'default' || d.type === 'prefault') && !found) {
      defaultValue = d.defaultValue;
      found = true;
    }
    if (d.type === 'optional') optional = true;
    if (d.type === 'default' || d.type === 'prefault' || d.type === 'optional') inner = d.innerType as AnySchema;
    else if (d.type === 'pipe') inner = d.in as AnySchema;
    else break;
  }
  return { inner, optional: optional || found, ...(found ? { defaultValue } : {}) };
}

/** The sentence the schema itself prints for a value of the wrong type. */
function acceptedBy(schema: AnySchema): string {
  const type = def(unwrap(schema).inner).type;
  const probe = type === 'string' || type === 'enum' ? 0 : 'not-this-type';
  const result = schema.safeParse(probe);
  const message = result.success ? '' : result.error.issues[0].message;
  return message.replace(/^accepted: /, '');
}

function fields(schema: AnySchema, prefix = ''): Field[] {
  const out: Field[] = [];
  const shape = def(unwrap(schema).inner).shape as Record<string, AnySchema>;
  for (const [key, child] of Object.entries(shape)) {
    const path = `${prefix}${key}`;
    const { inner, optional, defaultValue } = unwrap(child);
    const d = def(inner);
    const element = d.type === 'array' ? unwrap(d.element as AnySchema).inner : undefined;
    if (d.type === 'object') {
      out.push(...fields(inner, `${path}.`));
    } else if (element && def(element).type === 'object') {
      out.push(...fields(element, `${path}[].`));
    } else {
      out.push({ path, required: !optional, ...(defaultValue !== undefined ? { defaultValue } : {}), accepted: acceptedBy(child) });
    }
  }
  return out;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (value: unknown) => `\`${JSON.stringify(value).replace(/"([A-Za-z]\w*)":/g, '$1: ')}\``;

/** The value at a field path of the parsed minimal file, for defaults a transform computes. */
function valueAt(config: unknown, path: string): unknown {
  if (path.includes('[]')) return undefined;
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), config);
}

function defaultText(field: Field, minimal: unknown): string {
  if (field.required) return 'required';
  if (field.defaultValue !== undefined) return code(field.defaultValue);
  const computed = valueAt(minimal, field.path);
  return computed === undefined ? 'none' : `computed (${code(computed)} for a minimal file)`;
}

function fargateTable(): string[] {
  const rows = [...FARGATE_SIZES.entries()].map(([cpu, range]) => {
    const memory = Array.isArray(range)
      ? (range as readonly number[]).join(', ')
      : `${(range as { min: number }).min}–${(range as { max: number }).max} in steps of ${(range as { step: number }).step}`;
    return `| ${cpu} | ${memory} |`;
  });
  return ['| `cpu` | `memoryMiB` accepted |', '| --- | --- |', ...rows];
}

function planSection(): string[] {
  const plan = compilePlan(DEFAULT_ROLLOUT_PLAN);
  const windows = plan.windows
    .filter((w) => w.steps.length > 0 || w.postTrafficBakeMinutes > 0)
    .map(
      (w) =>
        `- ${w.hook}: ${w.steps.length > 0 ? w.steps.map((s) => `${s.weight}%`).join(', ') : `${w.postTrafficBakeMinutes} min at 100%`} (worst case ${w.worstCaseMinutes} min)`,
    );
  return [
    '## Plan limits',
    '',
    `CodeDeploy gives each lifecycle hook one hour, so each hook window is budgeted at ${MAX_WINDOW_MINUTES} minutes. A step's`,
    'worst case is `bakeMinutes + holdLimitMinutes`. The leading steps that fit run in window 1 (AfterAllowTestTraffic),',
    `the rest must fit a second window (BeforeAllowTraffic), and \`postTrafficBakeMinutes + holdLimitMinutes\` must fit`,
    `the AfterAllowTraffic window. The default plan compiles to:`,
    '',
    ...windows,
    '',
    `Worst case ${plan.worstCaseMinutes} min; a clean release takes at least the sum of the bakes, ${plan.totalBakeMinutes} min.`,
    'A plan that does not fit fails `cdk synth` with a line saying what to shorten.',
  ];
}

/** The page, as committed in docs/configuration.md. */
export function renderConfigurationDoc(): string {
  const list = fields(serviceConfigSchema as unknown as AnySchema);
  const paths = new Set(list.map((f) => f.path));
  const missing = [...paths].filter((p) => !(p in FIELD_NOTES));
  const stale = Object.keys(FIELD_NOTES).filter((p) => !paths.has(p));
  if (missing.length > 0 || stale.length > 0) {
    throw new Error(
      `scripts/config-doc.ts: FIELD_NOTES must name every schema field once; missing: ${missing.join(', ') || 'none'}; not in the schema: ${stale.join(', ') || 'none'}. Add (or remove) a one-line note there, then run npm run docs:config`,
    );
  }
  const minimal = serviceConfigSchema.parse({ name: 'orders', image: 'public.ecr.aws/nginx/nginx:1.27' });
  const lines = [
    '# Service file reference (`services/<name>.yaml`)',
    '',
    '<!-- Generated by `npm run docs:config` from lib/config/schema.ts; do not edit by hand. -->',
    '',
    'One YAML file per service. Only `name` and `image` are required. Unknown keys are rejected at every level, whole',
    'numbers must not have a fraction, and every problem of every file is reported at once, one line each naming the',
    `file, the field, the value and what is accepted. A service file is at most ${formatBytes(MAX_SERVICE_FILE_BYTES)} bytes. The limits AWS sets on`,
    'what a file turns into (name length, environment size, CIDR count, certificate region) are explained in',
    '[configuration-limits.md](configuration-limits.md).',
    '',
    '## Fields',
    '',
    '"Accepted" is the sentence the validator prints for a bad value.',
    '',
    '| field | default | accepted | notes |',
    '| --- | --- | --- | --- |',
    ...list.map((f) => `| \`${f.path}\` | ${cell(defaultText(f, minimal))} | ${cell(f.accepted)} | ${cell(FIELD_NOTES[f.path])} |`),
    '',
    '`smokeChecks`, `canaryHeader`, `canaryCookie` and the chat channels are optional as a whole: without `smokeChecks` the one default check applies;',
    'without `canaryHeader` or `canaryCookie` no routing rule is created; without `notifications.slack` or `notifications.teams` nothing is posted to chat.',
    '`taskRole`, `scaling`, `network` and `capacity` are optional as a whole too: without `taskRole` the task role has no permissions of its own; without `scaling` the',
    "service runs `desiredCount` tasks; without `network` it runs in the platform stack's VPC and cluster; without `capacity` it uses the FARGATE launch type.",
    "What AWS allows with them under CodeDeploy's blue/green deployments is in [aws-behaviour.md](aws-behaviour.md).",
    '',
    '## Fargate sizes',
    '',
    ...fargateTable(),
    '',
    ...planSection(),
    '',
    '## What a minimal file expands to',
    '',
    'With every default applied, `name: orders` and `image: public.ecr.aws/nginx/nginx:1.27` become:',
    '',
    '```yaml',
    stringify(minimal).trimEnd(),
    '```',
    '',
  ];
  return lines.join('\n');
}

export const CONFIGURATION_DOC = join(__dirname, '..', 'docs', 'configuration.md');

if (require.main === module) {
  writeFileSync(CONFIGURATION_DOC, renderConfigurationDoc());
  process.stdout.write(`wrote ${CONFIGURATION_DOC}\n`);
}
