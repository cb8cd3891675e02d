/**
 * What a simulation run looks like: traffic, noise and an optional regression of the new version.
 * The JSON form (`parseScenario`) is the external scenario format of `npm run bench:judge --
 * --scenarios DIR` and `canary simulate`.
 */
import { z } from 'zod';

import { EcsCanaryError } from '../lambdas/core/ecs-canary-error';

export const NOISE_SCHEMA = z.strictObject({
  /** Shape of the per-group per-minute Gamma multiplier of the error rate; null for none. */
  gammaShape: z.number().positive().nullable(),
  /** Share of minutes with a shock (error rate ×20) hitting both groups alike. */
  shockRate: z.number().min(0).max(1),
  /** Per group, share of minutes with a burst of 10 errors from one client. */
  burstRate: z.number().min(0).max(1),
  /** The Gamma multiplier is one per minute shared by both groups (service-wide noise), not one per group. @default false */
  shared: z.boolean().optional(),
});

export const REGRESSION_SCHEMA = z
  .strictObject({
    /**
     * errors: +deltaPp or ×ratio; latency: ×ratio of the whole distribution, or +extraMs on a share; crash:
     * targets crash-loop; endpoint: a share of traffic fails at 50%.
     */
    kind: z.enum(['errors', 'latency', 'crash', 'endpoint']),
    deltaPp: z.number().min(0).max(100).optional(),
    ratio: z.number().positive().optional(),
    share: z.number().min(0).max(1).optional(),
    extraMs: z.number().min(0).optional(),
    /** Minutes after the first shift to the canary when the regression appears. @default 0 */
    onsetMinute: z.number().min(0).optional(),
    /** The regression shows only while the canary weight is at least this percentage. @default 0 */
    minWeight: z.number().min(0).max(100).optional(),
    /** The regression shows only in every other minute (even minutes since the epoch): an intermittent fault. @default false */
    intermittent: z.boolean().optional(),
    /** The effect grows linearly from nothing at the onset to its full size this many minutes later (a slow burn). @default 0 */
    rampMinutes: z.number().min(0).optional(),
    /** An errors regression confined to one task: this share of the canary's requests, each failing at deltaPp. @default 1 */
    taskShare: z.number().gt(0).max(1).optional(),
    /** Shape of a per-minute Gamma multiplier (mean 1) of the regression's errors: a bursty fault. @default - steady */
    burstShape: z.number().positive().optional(),
  })
  .superRefine((value, ctx) => {
    const needs: Record<string, string[]> = { errors: ['deltaPp', 'ratio'], latency: ['ratio', 'extraMs'], crash: [], endpoint: [] };
    const options = needs[value.kind];
    if (options.length && !options.some((key) => (value as Record<string, unknown>)[key] !== undefined)) {
      ctx.addIssue({ code: 'custom', message: `kind "${value.kind}" needs one of ${options.join(' or ')}` });
    }
  });

/** Traffic shapes of real services (all optional; times count from when the canary first reaches `atWeight`). */
export const SHAPE_SCHEMA = z.strictObject({
  /**
   * A service-wide incident: both groups' error rates ×multiplier for `minutes`, starting at a minute drawn from
   * the seed in [fromMinute, toMinute].
   */
  incident: z
    .strictObject({
      atWeight: z.number().gt(0).max(100),
      fromMinute: z.number().int().min(0),
      toMinute: z.number().int().min(0),
      minutes: z.number().int().positive(),
      multiplier: z.number().positive(),
    })
    .optional(),
  /** No traffic at all (both groups) for `minutes`, `afterMinutes` after the canary reaches `atWeight`. */
  gap: z.strictObject({ atWeight: z.number().gt(0).max(100), afterMinutes: z.number().min(0), minutes: z.number().positive() }).optional(),
  /** The canary's latency × these factors in its first minutes of traffic (a cold start); replaces the default ×1.3 first-minute blip. */
  coldStartLatency: z.array(z.number().positive()).optional(),
  /** Total traffic grows linearly from ×1 at the canary's first traffic to ×factor `minutes` later (a morning ramp; < 1 falls). */
  ramp: z.strictObject({ factor: z.number().positive(), minutes: z.number().positive() }).optional(),
});

// Strict at every level: a misspelt key (valuekpi, regresion, onsetMinutes) would otherwise be dropped and the run simulate something else.
export const SCENARIO_SCHEMA = z.strictObject({
  name: z.string().min(1),
  seed: z.number().int(),
  /** Rollouts simulated (each with its own derived seed). */
  runs: z.number().int().positive(),
  /** Total requests per second over both groups. */
  totalRps: z.number().positive(),
  /** Error rate of the baseline (and of a clean canary), a fraction: 0.005 = 0.5%. */
  baselineErrorRate: z.number().min(0).max(1),
  noise: NOISE_SCHEMA,
  regression: REGRESSION_SCHEMA.nullable(),
  /** @default - none of the shapes */
  shape: SHAPE_SCHEMA.optional(),
  /**
   * A KPI the application publishes per version (`metrics:`, docs/metrics.md): `ratePerRequest`
   * events per request on the original, × `canaryFactor` on the canary (0.8 = a 20% fall).
   * @default - no KPI
   */
  kpi: z
    .object({
      metric: z.string().regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/),
      ratePerRequest: z.number().gt(0).max(1),
      canaryFactor: z.number().min(0),
    })
    .strict()
    .optional(),
  /**
   * A value the application publishes per version (`metrics:` with Average or pNN): `samplesPerRequest`
   * samples per request, log-normal around `median` with log-scale spread `spread` on the original,
   * × `canaryFactor` on the canary (1.5 = 50% more memory). @default - none
   */
  valueKpi: z
    .object({
      metric: z.string().regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/),
      statistic: z.string().regex(/^(Average|p\d{1,2}(\.\d{1,2})?)$/),
      median: z.number().gt(0),
      spread: z.number().min(0).max(2),
      samplesPerRequest: z.number().gt(0).max(10),
      canaryFactor: z.number().gt(0),
    })
    .strict()
    .optional(),
});

export type Noise = z.infer<typeof NOISE_SCHEMA>;
export type Regression = z.infer<typeof REGRESSION_SCHEMA>;
export type Scenario = z.infer<typeof SCENARIO_SCHEMA>;
export type Shape = z.infer<typeof SHAPE_SCHEMA>;

/** Latency of both versions: log-normal, plus the bar T that defines a "slow" request. */
export interface LatencyModel {
  /** @default 80 */
  readonly medianMs: number;
  /** Log-scale standard deviation. @default 0.6 (p95 ≈ 215 ms) */
  readonly sigma: number;
  /** Requests slower than this count as slow (`TargetResponseTime` `TC(T:)`). @default 500 */
  readonly slowThresholdMs: number;
}

export const DEFAULT_LATENCY: LatencyModel = { medianMs: 80, sigma: 0.6, slowThresholdMs: 500 };
/** Targets registered in each target group. */
export const DEFAULT_HOSTS = 4;

export class ScenarioError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScenarioError';
  }
}

/** What each field accepts, in words (docs/simulate.md has the same list). */
const ACCEPTED: Readonly<Record<string, string>> = {
  name: 'a non-empty string',
  seed: 'a whole number',
  runs: 'a whole number ≥ 1 (canary simulate runs one)',
  totalRps: 'requests per second of the whole service, above 0',
  baselineErrorRate: 'a fraction from 0 to 1 (0.005 = 0.5%)',
  noise: 'an object { "gammaShape", "shockRate", "burstRate", "shared"? }',
  'noise.shared': 'true or false',
  'noise.gammaShape': 'a number above 0, or null for no per-minute noise',
  'noise.shockRate': 'a share of minutes from 0 to 1',
  'noise.burstRate': 'a share of minutes from 0 to 1',
  regression: 'null, or an object { "kind", … }',
  'regression.kind': 'one of errors, latency, crash, endpoint',
  'regression.deltaPp': 'percentage points from 0 to 100',
  'regression.ratio': 'a number above 0',
  'regression.share': 'a fraction from 0 to 1',
  'regression.extraMs': 'milliseconds ≥ 0',
  'regression.onsetMinute': 'minutes ≥ 0',
  'regression.minWeight': 'a percentage from 0 to 100',
  'regression.intermittent': 'true or false',
  'regression.rampMinutes': 'minutes ≥ 0',
  'regression.taskShare': 'a fraction above 0 and at most 1',
  'regression.burstShape': 'a number above 0',
  shape: 'an object with any of "incident", "gap", "coldStartLatency", "ramp"',
  'shape.coldStartLatency': 'an array of latency factors above 0',
  kpi: 'an object { "metric", "ratePerRequest", "canaryFactor" }',
  'kpi.metric': "a metric name of the service file's metrics:, or a new one: 2 to 40 lowercase letters, digits and -",
  'kpi.ratePerRequest': 'events per request on the original, above 0 and at most 1',
  'kpi.canaryFactor': "the canary's rate relative to the original's, ≥ 0 (0.8 = a 20% fall)",
  valueKpi: 'an object { "metric", "statistic", "median", "spread", "samplesPerRequest", "canaryFactor" }',
  'valueKpi.metric': "a metric name of the service file's metrics:, or a new one: 2 to 40 lowercase letters, digits and -",
  'valueKpi.statistic': 'Average or a percentile p1 to p99.99 such as p95',
  'valueKpi.median': "the original's median sample, above 0",
  'valueKpi.spread': 'the log-scale standard deviation of a sample, 0 to 2 (0.1 ≈ ±10%)',
  'valueKpi.samplesPerRequest': 'samples published per request, above 0 and at most 10',
  'valueKpi.canaryFactor': "the canary's samples relative to the original's, above 0 (1.5 = 50% higher)",
};

/** Validates a scenario (e.g. parsed JSON); `source` names the file in the error. */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const result = SCENARIO_SCHEMA.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.') || '(root)';
    if (issue.code === 'unrecognized_keys')
      return `${field}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}; accepted keys: ${keysAt(issue.path).join(', ')}`;
    const got = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], value);
    const accepted = issue.code === 'custom' ? issue.message : (ACCEPTED[field] ?? issue.message);
    return `${field}: ${got === undefined ? 'missing' : `got ${JSON.stringify(got)}`}; accepted: ${accepted}`;
  });
  throw new ScenarioError(`${source}: ${problems.join('; ')} (the scenario format: docs/simulate.md)`, { cause: result.error });
}

/** The keys the section at `path` accepts (the schema's own, through optional and nullable). */
function keysAt(path: readonly PropertyKey[]): string[] {
  const unwrap = (schema: z.ZodType): z.ZodType =>
    schema instanceof z.ZodOptional || schema instanceof z.ZodNullable ? unwrap(schema.unwrap() as z.ZodType) : schema;
  let schema: z.ZodType | undefined = SCENARIO_SCHEMA;
  for (const key of path) {
    const section: z.ZodType = unwrap(schema);
    schema = section instanceof z.ZodObject ? (section.shape as Record<string, z.ZodType>)[String(key)] : undefined;
    if (!schema) return [];
  }
  const section = unwrap(schema);
  return section instanceof z.ZodObject ? Object.keys(section.shape) : [];
}
