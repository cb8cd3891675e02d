"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseNumberIn = parseNumberIn;
exports.registerPlan = registerPlan;
exports.measuredDetection = measuredDetection;
exports.requireDetection = requireDetection;
/**
 * `canary plan <service>`: what the service's rollout plan can detect at its traffic — read from
 * CloudWatch over the last hour (the deployed plan and thresholds from SSM), or offline from
 * `--rps`, `--error-rate` and `--p95` with the plan of the service's YAML (no AWS at all).
 * Also the detection step of `canary deploy` (its summary and `--require-detect`).
 */
const node_path_1 = require("node:path");
const commander_1 = require("commander");
const plan_1 = require("../../../lambdas/core/plan");
const plan_detection_1 = require("../../../lambdas/core/plan-detection");
const config_1 = require("../../config");
const errors_1 = require("../../deploy/errors");
const service_config_1 = require("../../deploy/service-config");
const read_traffic_1 = require("../../plan/read-traffic");
const render_1 = require("../../plan/render");
const exit_1 = require("../exit");
const shared_1 = require("./shared");
/** A commander parser for a number in a range that names the option, the value and what is accepted. */
function parseNumberIn(option, accepted, ok) {
    return (value) => {
        const parsed = Number(value);
        if (value.trim() === '' || !Number.isFinite(parsed) || !ok(parsed))
            throw new commander_1.InvalidArgumentError(`${option} is ${JSON.stringify(value)}; accepted: ${accepted}`);
        return parsed;
    };
}
function registerPlan(program, deps) {
    program
        .command('plan')
        .description("what the service's rollout plan can detect at its traffic (last hour from CloudWatch, or offline figures)")
        .argument('<service>')
        .option('--rps <n>', 'offline (with --error-rate): requests per second of the whole service', parseNumberIn('--rps', 'requests per second above 0, e.g. 10', (v) => v > 0 && v <= 1e7))
        .option('--error-rate <percent>', "offline (with --rps): the original's error rate in percent, e.g. 0.5", parseNumberIn('--error-rate', 'a percentage from 0 to 100, e.g. 0.5 for 0.5%', (v) => v >= 0 && v <= 100))
        .option('--p95 <ms>', "offline: the original's p95 latency in milliseconds", parseNumberIn('--p95', 'milliseconds above 0, e.g. 180', (v) => v > 0 && v <= 3_600_000))
        .option('--config <file>', 'offline: service YAML (default: services/<service>.yaml)')
        .action(async (service, options, command) => {
        await plan(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}
async function plan(service, options, deps) {
    const offline = [['--rps', options.rps], ['--error-rate', options.errorRate], ['--p95', options.p95], ['--config', options.config]];
    const given = offline.filter(([, v]) => v !== undefined).map(([name]) => name);
    let detection;
    if (given.length > 0) {
        if (options.rps === undefined || options.errorRate === undefined) {
            throw new exit_1.UsageError(`${given.join(', ')} given without ${options.rps === undefined ? '--rps' : '--error-rate'}; accepted: --rps and --error-rate together (and optionally --p95, --config) to plan offline, or none of them to read the last hour from CloudWatch`);
        }
        const config = loadConfig(options.config ?? (0, node_path_1.join)('services', `${service}.yaml`));
        const traffic = {
            source: 'offline', requestsPerMinute: options.rps * 60, errorRate: options.errorRate / 100, ...(options.p95 !== undefined ? { p95Ms: options.p95 } : {}),
        };
        detection = (0, plan_detection_1.planDetection)((0, plan_1.compilePlan)(config.rollout), traffic, config.thresholds);
    }
    else {
        const clients = deps.clients((0, shared_1.awsOptions)(options));
        try {
            const metadata = await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service);
            detection = await measuredDetection(clients, metadata, deps);
        }
        catch (error) {
            // Without AWS (no credentials, not deployed yet) the offline route still answers.
            if (!(error instanceof errors_1.AwsCallError))
                throw error;
            throw new errors_1.AwsCallError(`${error.message}; without AWS, plan offline: canary plan ${service} --rps <n> --error-rate <percent>`, error.code, error.operation, error.missingAction, { cause: error });
        }
    }
    if (options.json)
        deps.stdout.write(`${JSON.stringify({ type: 'plan', service, ...detection })}\n`);
    else
        deps.stdout.write(`${(0, render_1.renderPlan)(service, detection).join('\n')}\n`);
}
function loadConfig(file) {
    try {
        return (0, config_1.loadServiceConfigFile)(file);
    }
    catch (error) {
        if (error instanceof config_1.ConfigError)
            throw error;
        throw new exit_1.UsageError(`cannot read ${file} (${error.message}); give the service's YAML with --config`, { cause: error });
    }
}
/** The deployed plan's figures at the last hour's traffic (CloudWatch retries sleep on the CLI's clock). */
async function measuredDetection(clients, metadata, deps) {
    const traffic = await (0, read_traffic_1.readTraffic)(clients.cloudwatch, metadata, deps.now().getTime(), { attempts: 4, baseDelayMs: 250, sleep: deps.sleep });
    return (0, plan_detection_1.planDetection)(metadata.plan, traffic, metadata.thresholds);
}
/**
 * `canary deploy --require-detect <pp>`: refuses (exit 2, before anything is registered or
 * created) when the plan cannot catch `pp` before 100% at the measured traffic.
 */
function requireDetection(detection, pp, plan, policy) {
    const increase = pp / 100;
    if ((0, plan_detection_1.detectsBeforeFull)(detection, increase))
        return;
    const at = `at the last hour's ${(0, render_1.trafficText)(detection.traffic)}`;
    const wanted = `--require-detect ${pp}: the plan cannot catch +${pp} pp errors before 100% ${at}`;
    if ((0, render_1.noTraffic)(detection.traffic))
        throw new exit_1.PlanRefusedError(`${wanted}: no traffic in the last hour`);
    if (increase < detection.tolerance.errorIncrease) {
        throw new exit_1.PlanRefusedError(`${wanted}: the judge tolerates +${detection.tolerance.errorIncrease * 100} pp (thresholds.maxErrorIncreasePp) and rolls back nothing smaller; lower it or require at least that`);
    }
    const final = detection.stages.at(-1);
    const caught = final?.errorIncrease !== undefined ? `by the final shift it catches +${(final.errorIncrease * 100).toFixed(1)} pp with 90% probability` : 'by the final shift it would not catch even 100% errors';
    const steps = plan.windows.flatMap((w) => w.steps);
    const last = steps.at(-1);
    const bake = (0, plan_detection_1.finalBakeToDetect)(plan, detection.traffic, policy, increase);
    const fix = bake !== undefined && last ? `a ${last.weight}% bake of ${bake} min would` : `no ${last?.weight ?? ''}% bake within the hook window would; larger steps or more traffic are needed`;
    throw new exit_1.PlanRefusedError(`${wanted}: ${caught}; ${fix}`);
}
