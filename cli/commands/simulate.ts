/**
 * `canary simulate <service> --scenario <name|file> [--html <file>] [--speed <factor>]`: the real
 * controller and judge with the service's YAML (plan and thresholds) against `sim` traffic.
 * Offline. In a terminal the run is replayed in `canary deploy`'s live view, then listed.
 */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { type Command, Option } from 'commander';

import { type PlanDetection, planDetection } from '../../lambdas/core/forecast/detection';
import type { JudgePolicy } from '../../lambdas/core/judge';
import type { CompiledPlan } from '../../lambdas/core/rollout-plan';
import { compilePlan } from '../../lambdas/core/rollout-plan';
import { ConfigError, loadServiceConfigFile } from '../../lib/config';
import { DEFAULT_LATENCY, latencyQuantile, type Scenario, ScenarioError } from '../../sim';
import type { CliDeps } from '../context';
import { CommandFailedError, UsageError } from '../exit';
import { renderPlan } from '../forecast/forecast-text';
import { withoutVerdict } from '../progress/verdict-text';
import { resolveServiceFile } from '../service-file';
import { simulateRollout } from '../simulate/engine';
import { DEFAULT_SPEED, replay } from '../simulate/replay';
import { decidedAt, loadChartPackages, renderHtml, renderTimeline } from '../simulate/report';
import { resolveScenario } from '../simulate/scenarios';
import { type GlobalOptions, isDecimalNumber, parseServiceName } from './shared';

interface SimulateOptions extends GlobalOptions {
  readonly scenario: string;
  readonly html?: string;
  readonly config?: string;
  readonly servicesDir?: string;
  readonly speed: string;
}

export function registerSimulate(program: Command, deps: CliDeps): void {
  program
    .command('simulate')
    .description('run the real controller and judge with the service config against simulated traffic (offline)')
    .argument('<service>', 'service name, as in services/<name>.yaml', parseServiceName)
    .requiredOption(
      '--scenario <name|file>',
      'clean, errors-5pp, latency, crash, late-regression, low-traffic, too-quiet, or a scenario JSON file',
    )
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .option(
      '--config <file>',
      'service YAML (default: <service>.yaml in --services-dir, ECS_CANARY_SERVICES_DIR or ./services, else the shipped example of that name)',
    )
    // --config names the file itself: a --services-dir beside it would be ignored without a word.
    .addOption(new Option('--services-dir <dir>', 'the directory of the service YAML files').conflicts('config'))
    .option(
      '--speed <factor>',
      'in a terminal, replay the rollout in the live view of canary deploy at this many times real time',
      String(DEFAULT_SPEED),
    )
    .action(async (service: string, options: SimulateOptions, command: Command) => {
      await simulate(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}

async function simulate(service: string, options: SimulateOptions, deps: CliDeps): Promise<void> {
  const speed = replaySpeed(options.speed);
  if (options.html !== undefined) {
    checkWritable(options.html);
    // Before the run, which a terminal replays: a missing chart package is said at once.
    await loadChartPackages();
  }
  const file = resolveServiceFile(service, options, deps.env);
  let config;
  try {
    config = loadServiceConfigFile(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new UsageError(`cannot read ${file} (${(error as Error).message}); give the service's YAML with --config`, { cause: error });
  }
  let scenario;
  try {
    scenario = resolveScenario(options.scenario);
  } catch (error) {
    if (error instanceof ScenarioError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const plan = compilePlan(config.rollout);
  const result = simulateRollout({
    service: config.name,
    plan,
    policy: { ...config.thresholds, ...(config.metrics?.length ? { metrics: config.metrics } : {}) },
    scenario,
    startTime: Date.parse('2026-01-01T00:00:00.000Z'),
  });
  const detection = scenarioDetection(plan, scenario, config.thresholds);
  const planLines = renderPlan(config.name, detection);
  if (options.json) {
    deps.stdout.write(`${JSON.stringify({ type: 'plan', ...detection })}\n`);
    for (const entry of result.timeline)
      deps.stdout.write(`${JSON.stringify({ type: 'decision', ...entry, at: new Date(entry.at).toISOString() })}\n`);
  } else {
    deps.stdout.write(`${planLines.join('\n')}\n\n`);
    if (deps.stdout.isTTY) {
      await replay(result, plan, config.name, speed, deps.stdout, deps.sleep);
      deps.stdout.write('\n');
    }
    deps.stdout.write(`${renderTimeline(result).join('\n')}\n`);
  }
  if (options.html !== undefined) {
    writeFileSync(options.html, await renderHtml(result, config.name, planLines, config.thresholds));
    if (!options.json) deps.stdout.write(`wrote ${options.html}\n`);
  }
  // One `result` event per run: on failure the program writes it with the exit code.
  const summary = { scenario: result.scenario, outcome: result.outcome };
  if (options.json && result.outcome === 'Succeeded')
    deps.stdout.write(
      `${JSON.stringify({ type: 'result', at: deps.now().toISOString(), exitCode: 0, ...summary, reason: result.reason })}\n`,
    );
  if (result.outcome !== 'Succeeded') {
    const last = result.timeline.at(-1);
    const at = last ? ` at ${decidedAt(last)}%` : '';
    throw new CommandFailedError(
      `simulated rollout rolled back${at}: ${last?.verdict ? withoutVerdict(last.verdict, result.reason) : result.reason}`,
      { result: summary },
    );
  }
}

/** `--html`: refused before the run when it is empty or a directory, or its directory is missing or not writable. */
function checkWritable(file: string): void {
  const isDirectory = file.trim() !== '' && statSync(file, { throwIfNoEntry: false })?.isDirectory();
  if (file.trim() === '' || isDirectory)
    throw new UsageError(
      `--html ${JSON.stringify(file)}: ${isDirectory ? 'is a directory' : 'is empty'}; accepted: the path of a file to write, such as report.html`,
    );
  try {
    accessSync(dirname(resolve(file)), constants.W_OK);
  } catch (error) {
    throw new UsageError(
      `--html ${file}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); accepted: a file in an existing, writable directory`,
      { cause: error },
    );
  }
}

/** `--speed`: a factor of real time above 0. */
function replaySpeed(text: string): number {
  const speed = Number(text);
  if (!isDecimalNumber(text) || !Number.isFinite(speed) || speed <= 0) {
    throw new UsageError(
      `--speed ${JSON.stringify(text)} is not a replay speed; accepted: a number above 0, times real time (default ${DEFAULT_SPEED})`,
    );
  }
  return speed;
}

/**
 * What the plan can detect at the scenario's traffic (`canary plan`'s figures, offline): its rate,
 * the baseline's error rate and the simulation's clean p95.
 */
export function scenarioDetection(plan: CompiledPlan, scenario: Scenario, policy: JudgePolicy): PlanDetection {
  const p95Ms = latencyQuantile([{ share: 1, medianMs: DEFAULT_LATENCY.medianMs, sigma: DEFAULT_LATENCY.sigma, extraMs: 0 }], 0.95);
  return planDetection(
    plan,
    { requestsPerMinute: scenario.totalRps * 60, errorRate: scenario.baselineErrorRate, p95Ms, source: 'offline' },
    policy,
  );
}
