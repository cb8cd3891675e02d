"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NAMED_SCENARIOS = void 0;
exports.resolveScenario = resolveScenario;
/**
 * The named scenarios of `canary simulate` (a file in the `lib/sim` scenario format may be given
 * instead). Rates are chosen so that each one shows one behaviour of the judge clearly.
 */
const node_fs_1 = require("node:fs");
const sim_1 = require("../../sim");
const quietNoise = { gammaShape: 4, shockRate: 0, burstRate: 0 };
exports.NAMED_SCENARIOS = {
    clean: { name: 'clean', seed: 1, runs: 1, totalRps: 50, baselineErrorRate: 0.002, noise: quietNoise, regression: null },
    'errors-5pp': { name: 'errors-5pp', seed: 2, runs: 1, totalRps: 50, baselineErrorRate: 0.002, noise: quietNoise, regression: { kind: 'errors', deltaPp: 5 } },
    latency: { name: 'latency', seed: 3, runs: 1, totalRps: 50, baselineErrorRate: 0.002, noise: quietNoise, regression: { kind: 'latency', ratio: 2 } },
    crash: { name: 'crash', seed: 4, runs: 1, totalRps: 50, baselineErrorRate: 0.002, noise: quietNoise, regression: { kind: 'crash' } },
    'late-regression': { name: 'late-regression', seed: 5, runs: 1, totalRps: 50, baselineErrorRate: 0.002, noise: quietNoise, regression: { kind: 'errors', deltaPp: 5, minWeight: 25 } },
    /** 0.5 req/s (≈ 1.5 canary requests a minute at 5%): quiet, but enough for the bakes and minRequests. */
    'low-traffic': { name: 'low-traffic', seed: 6, runs: 1, totalRps: 0.5, baselineErrorRate: 0.002, noise: quietNoise, regression: null },
    /** 0.05 req/s: fewer canary requests than bake minutes at 5%, so "insufficient evidence" with the hint. */
    'too-quiet': { name: 'too-quiet', seed: 7, runs: 1, totalRps: 0.05, baselineErrorRate: 0.002, noise: quietNoise, regression: null },
};
/** A named scenario, or a JSON file in the scenario format; throws `ScenarioError` naming what is accepted. */
function resolveScenario(nameOrFile) {
    const named = exports.NAMED_SCENARIOS[nameOrFile];
    if (named)
        return named;
    let text;
    try {
        text = (0, node_fs_1.readFileSync)(nameOrFile, 'utf8');
    }
    catch (cause) {
        throw new sim_1.ScenarioError(`--scenario is ${JSON.stringify(nameOrFile)}: neither a named scenario nor a readable file; accepted: ${Object.keys(exports.NAMED_SCENARIOS).join(', ')} or a path to a scenario JSON file`, { cause });
    }
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (cause) {
        throw new sim_1.ScenarioError(`${nameOrFile} is not JSON: ${cause.message}`, { cause });
    }
    return (0, sim_1.parseScenario)(value, nameOrFile);
}
