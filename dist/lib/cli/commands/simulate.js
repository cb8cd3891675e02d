"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerSimulate = registerSimulate;
exports.scenarioDetection = scenarioDetection;
/**
 * `canary simulate <service> --scenario <name|file> [--html <file>] [--speed <factor>]`: the real
 * controller and judge with the service's YAML (plan and thresholds) against `lib/sim` traffic.
 * Offline. In a terminal the run is replayed in `canary deploy`'s live view, then listed.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const config_1 = require("../../config");
const plan_1 = require("../../../lambdas/core/plan");
const sim_1 = require("../../sim");
const plan_detection_1 = require("../../../lambdas/core/plan-detection");
const render_1 = require("../../plan/render");
const exit_1 = require("../exit");
const engine_1 = require("../simulate/engine");
const report_1 = require("../simulate/report");
const replay_1 = require("../simulate/replay");
const scenarios_1 = require("../simulate/scenarios");
function registerSimulate(program, deps) {
    program
        .command('simulate')
        .description('run the real controller and judge with the service config against simulated traffic (offline)')
        .argument('<service>')
        .requiredOption('--scenario <name|file>', 'clean, errors-5pp, latency, crash, late-regression, low-traffic, too-quiet, or a scenario JSON file')
        .option('--html <file>', 'also write a self-contained HTML report with charts')
        .option('--config <file>', 'service YAML (default: services/<service>.yaml)')
        .option('--speed <factor>', 'in a terminal, replay the rollout in the live view of canary deploy at this many times real time', String(replay_1.DEFAULT_SPEED))
        .action(async (service, options, command) => {
        await simulate(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}
async function simulate(service, options, deps) {
    const speed = replaySpeed(options.speed);
    if (options.html)
        checkWritable(options.html);
    const file = options.config ?? (0, node_path_1.join)('services', `${service}.yaml`);
    let config;
    try {
        config = (0, config_1.loadServiceConfigFile)(file);
    }
    catch (error) {
        if (error instanceof config_1.ConfigError)
            throw error;
        throw new exit_1.UsageError(`cannot read ${file} (${error.message}); give the service's YAML with --config`, { cause: error });
    }
    let scenario;
    try {
        scenario = (0, scenarios_1.resolveScenario)(options.scenario);
    }
    catch (error) {
        if (error instanceof sim_1.ScenarioError)
            throw new exit_1.UsageError(error.message, { cause: error });
        throw error;
    }
    const plan = (0, plan_1.compilePlan)(config.rollout);
    const result = (0, engine_1.simulateRollout)({
        service: config.name,
        plan,
        policy: config.thresholds,
        scenario,
        startTime: Date.parse('2026-01-01T00:00:00.000Z'),
    });
    const detection = scenarioDetection(plan, scenario, config.thresholds);
    const planLines = (0, render_1.renderPlan)(config.name, detection);
    if (options.json) {
        deps.stdout.write(`${JSON.stringify({ type: 'plan', ...detection })}\n`);
        for (const entry of result.timeline)
            deps.stdout.write(`${JSON.stringify({ type: 'decision', ...entry, at: new Date(entry.at).toISOString() })}\n`);
    }
    else {
        deps.stdout.write(`${planLines.join('\n')}\n\n`);
        if (deps.stdout.isTTY) {
            await (0, replay_1.replay)(result, plan, config.name, speed, deps.stdout, deps.sleep);
            deps.stdout.write('\n');
        }
        deps.stdout.write(`${(0, report_1.renderTimeline)(result).join('\n')}\n`);
    }
    if (options.html) {
        (0, node_fs_1.writeFileSync)(options.html, await (0, report_1.renderHtml)(result, config.name, planLines));
        if (!options.json)
            deps.stdout.write(`wrote ${options.html}\n`);
    }
    // One `result` event per run: on failure the program writes it with the exit code.
    const summary = { scenario: result.scenario, outcome: result.outcome };
    if (options.json && result.outcome === 'Succeeded')
        deps.stdout.write(`${JSON.stringify({ type: 'result', at: deps.now().toISOString(), exitCode: 0, ...summary, reason: result.reason })}\n`);
    if (result.outcome !== 'Succeeded')
        throw new exit_1.CommandFailedError(`simulated rollout rolled back: ${result.reason}`, { result: summary });
}
/** `--html`: refused before the run when its directory is missing or not writable. */
function checkWritable(file) {
    try {
        (0, node_fs_1.accessSync)((0, node_path_1.dirname)((0, node_path_1.resolve)(file)), node_fs_1.constants.W_OK);
    }
    catch (error) {
        throw new exit_1.UsageError(`--html ${file}: cannot write there (${error.code ?? error.message}); accepted: a file in an existing, writable directory`, { cause: error });
    }
}
/** `--speed`: a factor of real time above 0. */
function replaySpeed(text) {
    const speed = Number(text);
    if (text.trim() === '' || !Number.isFinite(speed) || speed <= 0) {
        throw new exit_1.UsageError(`--speed ${JSON.stringify(text)} is not a replay speed; accepted: a number above 0, times real time (default ${replay_1.DEFAULT_SPEED})`);
    }
    return speed;
}
/**
 * What the plan can detect at the scenario's traffic (`canary plan`'s figures, offline): its rate,
 * the baseline's error rate and the simulation's clean p95.
 */
function scenarioDetection(plan, scenario, policy) {
    const p95Ms = (0, sim_1.latencyQuantile)([{ share: 1, medianMs: sim_1.DEFAULT_LATENCY.medianMs, sigma: sim_1.DEFAULT_LATENCY.sigma, extraMs: 0 }], 0.95);
    return (0, plan_detection_1.planDetection)(plan, { requestsPerMinute: scenario.totalRps * 60, errorRate: scenario.baselineErrorRate, p95Ms, source: 'offline' }, policy);
}
