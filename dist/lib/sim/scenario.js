"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ScenarioError = exports.DEFAULT_HOSTS = exports.DEFAULT_LATENCY = exports.SCENARIO_SCHEMA = exports.REGRESSION_SCHEMA = exports.NOISE_SCHEMA = void 0;
exports.parseScenario = parseScenario;
/**
 * What a simulation run looks like: traffic, noise and an optional regression of the new version.
 * The JSON form (`parseScenario`) is the external scenario format of `npm run bench:judge --
 * --scenarios DIR` and `canary simulate`.
 */
const zod_1 = require("zod");
exports.NOISE_SCHEMA = zod_1.z.object({
    /** Shape of the per-group per-minute Gamma multiplier of the error rate; null for none. */
    gammaShape: zod_1.z.number().positive().nullable(),
    /** Share of minutes with a shock (error rate ×20) hitting both groups alike. */
    shockRate: zod_1.z.number().min(0).max(1),
    /** Per group, share of minutes with a burst of 10 errors from one client. */
    burstRate: zod_1.z.number().min(0).max(1),
});
exports.REGRESSION_SCHEMA = zod_1.z.object({
    /** errors: +deltaPp or ×ratio; latency: ×ratio of the whole distribution, or +extraMs on a share; crash: targets crash-loop; endpoint: a share of traffic fails at 50%. */
    kind: zod_1.z.enum(['errors', 'latency', 'crash', 'endpoint']),
    deltaPp: zod_1.z.number().min(0).max(100).optional(),
    ratio: zod_1.z.number().positive().optional(),
    share: zod_1.z.number().min(0).max(1).optional(),
    extraMs: zod_1.z.number().min(0).optional(),
    /** Minutes after the first shift to the canary when the regression appears. @default 0 */
    onsetMinute: zod_1.z.number().min(0).optional(),
    /** The regression shows only while the canary weight is at least this percentage. @default 0 */
    minWeight: zod_1.z.number().min(0).max(100).optional(),
    /** The regression shows only in every other minute (even minutes since the epoch): an intermittent fault. @default false */
    intermittent: zod_1.z.boolean().optional(),
}).superRefine((value, ctx) => {
    const needs = { errors: ['deltaPp', 'ratio'], latency: ['ratio', 'extraMs'], crash: [], endpoint: [] };
    const options = needs[value.kind];
    if (options.length && !options.some((key) => value[key] !== undefined)) {
        ctx.addIssue({ code: 'custom', message: `kind "${value.kind}" needs one of ${options.join(' or ')}` });
    }
});
exports.SCENARIO_SCHEMA = zod_1.z.object({
    name: zod_1.z.string().min(1),
    seed: zod_1.z.number().int(),
    /** Rollouts simulated (each with its own derived seed). */
    runs: zod_1.z.number().int().positive(),
    /** Total requests per second over both groups. */
    totalRps: zod_1.z.number().positive(),
    /** Error rate of the baseline (and of a clean canary), a fraction: 0.005 = 0.5%. */
    baselineErrorRate: zod_1.z.number().min(0).max(1),
    noise: exports.NOISE_SCHEMA,
    regression: exports.REGRESSION_SCHEMA.nullable(),
});
exports.DEFAULT_LATENCY = { medianMs: 80, sigma: 0.6, slowThresholdMs: 500 };
/** Targets registered in each target group. */
exports.DEFAULT_HOSTS = 4;
class ScenarioError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'ScenarioError';
    }
}
exports.ScenarioError = ScenarioError;
/** What each field accepts, in words (docs/simulate.md has the same list). */
const ACCEPTED = {
    name: 'a non-empty string',
    seed: 'a whole number',
    runs: 'a whole number ≥ 1 (canary simulate runs one)',
    totalRps: 'requests per second of the whole service, above 0',
    baselineErrorRate: 'a fraction from 0 to 1 (0.005 = 0.5%)',
    noise: 'an object { "gammaShape", "shockRate", "burstRate" }',
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
};
/** Validates a scenario (e.g. parsed JSON); `source` names the file in the error. */
function parseScenario(value, source = 'scenario') {
    const result = exports.SCENARIO_SCHEMA.safeParse(value);
    if (result.success)
        return result.data;
    const problems = result.error.issues.map((issue) => {
        const field = issue.path.join('.') || '(root)';
        const got = issue.path.reduce((node, key) => node?.[key], value);
        const accepted = issue.code === 'custom' ? issue.message : (ACCEPTED[field] ?? issue.message);
        return `${field}: ${got === undefined ? 'missing' : `got ${JSON.stringify(got)}`}; accepted: ${accepted}`;
    });
    throw new ScenarioError(`${source}: ${problems.join('; ')} (the scenario format: docs/simulate.md)`, { cause: result.error });
}
