/**
 * `npm run bench:judge [-- --scenarios DIR] [--seed N] [--runs-aa N] [--runs-aa-peers N] [--runs-regression N]
 * [--only REGEX] [--levels RPS,…] [--workers N] [--out FILE]`
 *
 * Whole rollouts (5% → 25% → 50% → 100% and the post-traffic bake) of seeded simulated services,
 * each tick seeing what the Tick Lambda would. ecs-canary runs as the real controller `next()`
 * over the hook windows (its hold limits, grace and deadlines as in production); the peers get
 * the same judge input from `buildJudgeInput` and the harness's hold limit (bench/judge/rollout.ts).
 * Prints the tables, the targets of judge.md with MET / NOT MET and the power check, and writes
 * JSON (default `bench/results/judge.json`). Deterministic for a seed, whatever the worker count.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { Command } from 'commander';

import { judge, type JudgePolicy } from '../lambdas/core/judge';
import { thresholdsSchema } from '../lib/config/schema';
import { exactTestMinimum, regressedErrorRate, summarize } from './judge/metrics';
import { evaluateTargets, markdownTable, powerComparison, type ScenarioResult, shapeTable, shapeTargets } from './judge/report';
import {
  HOLD_LIMIT_MINUTES,
  POST_TRAFFIC_BAKE_MINUTES,
  type RolloutOutcome,
  runEngineRollout,
  runPeerRollout,
  STAGES,
} from './judge/rollout';
import { type BenchScenario, builtInScenarios, loadScenarioDir } from './judge/scenarios';
import { BenchJudge, flagger, kayenta, seedRule } from './peers';

/**
 * The policy the benchmark judges with: what ships, the configuration defaults
 * (lib/config/schema.ts). A scenario row may set a field differently (a noisy service's error bar
 * above its own rate); that row says so.
 */
export const BENCH_POLICY: JudgePolicy = thresholdsSchema.parse({});

/** The policy of one scenario: the defaults and the row's own settings. */
export const policyOf = (scenario: BenchScenario): JudgePolicy => ({ ...BENCH_POLICY, ...(scenario.policy ?? {}) });

/** ecs-canary as a peer-style judge (the tests use it); the benchmark itself runs it through the controller. */
export const ecsCanary: BenchJudge = {
  name: 'ecs-canary',
  decide(input) {
    const verdict = judge(input, BENCH_POLICY);
    return { decision: verdict.decision, reason: verdict.summary };
  },
};

export const PEERS: readonly BenchJudge[] = [seedRule, flagger, kayenta];
export const JUDGE_NAMES = [ecsCanary.name, ...PEERS.map((p) => p.name)];

/** One rollout of `scenario` with run index `run` under the judge named `name`. */
export function runOne(scenario: BenchScenario, run: number, name: string): RolloutOutcome {
  const seed = scenario.seed + run;
  if (name === ecsCanary.name) return runEngineRollout(scenario, seed, policyOf(scenario));
  const peer = PEERS.find((p) => p.name === name);
  if (!peer) throw new Error(`unknown judge ${JSON.stringify(name)}; accepted: ${JUDGE_NAMES.join(', ')}`);
  return runPeerRollout(scenario, seed, peer, policyOf(scenario));
}

/** Runs per judge of a scenario (0: the judge does not run it). */
export type RunPlan = (scenario: BenchScenario, judgeName: string) => number;

export function scenarioResult(scenario: BenchScenario, outcomes: Record<string, RolloutOutcome[]>): ScenarioResult {
  const result: ScenarioResult = { scenario, judges: {} };
  const errorRate = regressedErrorRate(scenario);
  if (errorRate !== undefined && errorRate <= 1) {
    result.exactTestMinimum = exactTestMinimum(scenario.baselineErrorRate, errorRate);
    result.withinTolerance = errorRate - scenario.baselineErrorRate <= policyOf(scenario).maxErrorIncreasePp / 100;
  }
  for (const [name, list] of Object.entries(outcomes)) if (list.length) result.judges[name] = summarize(list, scenario.regression !== null);
  return result;
}

/** Every judge on one scenario, in this process. */
export function runScenario(scenario: BenchScenario, runs: RunPlan = (s) => s.runs): ScenarioResult {
  const outcomes: Record<string, RolloutOutcome[]> = {};
  for (const name of JUDGE_NAMES) outcomes[name] = Array.from({ length: runs(scenario, name) }, (_, run) => runOne(scenario, run, name));
  return scenarioResult(scenario, outcomes);
}

interface Job {
  readonly id: number;
  readonly scenario: BenchScenario;
  readonly judge: string;
  readonly from: number;
  readonly to: number;
}
const CHUNK = 25;

/**
 * Runs every (scenario, judge, chunk of runs) job on `workers` child processes; results in job order.
 * ecs-canary's jobs run first, then the peers'; each goes round-robin over the chunks (every
 * scenario's first CHUNK runs, then every scenario's next, …), so `partial`, called after each job with the
 * results of the runs finished so far,
 * describes every scenario at about the same number of runs: a run stopped early still gives
 * figures for every cell, each with its run count. The runs are seeded by index, so the final
 * figures do not depend on the order.
 */
async function runParallel(
  scenarios: readonly BenchScenario[],
  runs: RunPlan,
  workers: number,
  progress: (done: number, total: number) => void,
  partial?: (results: ScenarioResult[]) => void,
): Promise<ScenarioResult[]> {
  const jobs: Job[] = [];
  for (const scenario of scenarios) {
    for (const name of JUDGE_NAMES) {
      const n = runs(scenario, name);
      for (let from = 0; from < n; from += CHUNK)
        jobs.push({ id: jobs.length, scenario, judge: name, from, to: Math.min(n, from + CHUNK) });
    }
  }
  // ecs-canary's jobs first (the peers' figures do not depend on its code), each judge's round-robin over the chunks.
  const queue = [...jobs].sort(
    (a, b) => (a.judge === ecsCanary.name ? 0 : 1) - (b.judge === ecsCanary.name ? 0 : 1) || a.from - b.from || a.id - b.id,
  );
  const done = new Map<number, RolloutOutcome[]>();
  const collect = () =>
    scenarios.flatMap((scenario) => {
      const outcomes: Record<string, RolloutOutcome[]> = {};
      for (const job of jobs.filter((j) => j.scenario === scenario && done.has(j.id)))
        outcomes[job.judge] = [...(outcomes[job.judge] ?? []), ...done.get(job.id)!];
      return Object.keys(outcomes).length ? [scenarioResult(scenario, outcomes)] : [];
    });
  await Promise.all(
    Array.from({ length: Math.max(1, workers) }, () =>
      new Promise<void>((resolve, reject) => {
        const child: ChildProcess = fork(__filename, ['--worker'], { execArgv: process.execArgv });
        let current: Job | undefined;
        const feed = () => {
          current = queue.shift();
          if (current) child.send(current);
          else child.disconnect();
        };
        child.on('message', (outcomes: RolloutOutcome[]) => {
          done.set(current!.id, outcomes);
          progress(done.size, jobs.length);
          if (partial && done.size < jobs.length) partial(collect());
          feed();
        });
        child.on('exit', (code) =>
          code === 0 && !current
            ? resolve()
            : reject(new Error(`worker exited with ${code}${current ? ` during ${current.scenario.name} / ${current.judge}` : ''}`)),
        );
        child.on('error', reject);
        feed();
      }).then(() => undefined),
    ),
  );
  return collect();
}

function worker(): void {
  process.on('message', (job: Job) => {
    const outcomes: RolloutOutcome[] = [];
    for (let run = job.from; run < job.to; run++) outcomes.push(runOne(job.scenario, run, job.judge));
    process.send!(outcomes);
  });
  process.on('disconnect', () => process.exit(0));
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('bench:judge')
    .description("Benchmark ecs-canary's judge against peer judges on seeded simulated whole rollouts")
    .option('--scenarios <dir>', 'run every *.json scenario in DIR (its "runs" for every judge) instead of the built-in set')
    .option('--seed <n>', 'base seed of the built-in scenarios', '20261121')
    .option('--runs-aa <n>', "ecs-canary's runs per built-in A/A scenario (300: a figure in steps of 0.33%)", '300')
    .option('--runs-aa-peers <n>', "each peer's runs per built-in A/A scenario (50: steps of 2%, enough to tell ≤ 10%)", '50')
    .option('--runs-regression <n>', 'runs per built-in regression scenario, every judge (100: steps of 1%)', '100')
    .option('--only <regex>', 'run only the built-in scenarios whose name matches REGEX (a development slice)')
    .option('--levels <list>', 'run only these total rates, req/s, comma-separated (2, 10, 50, 500)')
    .option('--workers <n>', 'child processes', '2')
    .option('--out <file>', 'where to write the JSON results', 'bench/results/judge.json');
  program.parse(argv);
  const options = program.opts<{
    scenarios?: string;
    seed: string;
    runsAa: string;
    runsAaPeers: string;
    runsRegression: string;
    only?: string;
    levels?: string;
    workers: string;
    out: string;
  }>();
  const whole = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} is ${JSON.stringify(value)}; accepted: a whole number ≥ 1`);
    return n;
  };
  const runsAa = whole('runs-aa', options.runsAa);
  const runsAaPeers = whole('runs-aa-peers', options.runsAaPeers);
  const runsRegression = whole('runs-regression', options.runsRegression);
  const levels = options.levels?.split(',').map((v) => Number(v));
  if (levels?.some((v) => !(v > 0)))
    throw new Error(`--levels is ${JSON.stringify(options.levels)}; accepted: total rates in req/s, comma-separated, such as 2,500`);
  const only = options.only !== undefined ? new RegExp(options.only) : undefined;
  const scenarios = (
    options.scenarios
      ? (loadScenarioDir(options.scenarios) as BenchScenario[])
      : builtInScenarios(whole('seed', options.seed), runsAa, runsRegression)
  ).filter((s) => (!only || only.test(s.name)) && (!levels || levels.includes(s.totalRps)));
  if (scenarios.length === 0)
    throw new Error(`no scenario matches --only ${JSON.stringify(options.only)} --levels ${JSON.stringify(options.levels)}`);
  // The peers run the version-2 rows (the bad-requests comparison); the version-3 rows hold ecs-canary to its targets.
  const runs: RunPlan = options.scenarios
    ? (s) => s.runs
    : (s, name) => (name === ecsCanary.name ? s.runs : s.row !== undefined ? 0 : s.regression === null ? runsAaPeers : s.runs);
  const started = process.hrtime.bigint();
  // While running, the runs finished so far go to <out>.partial.json (every scenario, its run counts), replaced as jobs finish.
  const partialOut = options.out.replace(/(\.json)?$/, '.partial.json');
  mkdirSync(dirname(options.out), { recursive: true });
  const results = await runParallel(
    scenarios,
    runs,
    whole('workers', options.workers),
    (done, total) => {
      if (done % 50 === 0 || done === total) process.stderr.write(`${done}/${total} jobs\n`);
    },
    (partial) => {
      // Written aside and renamed, so a reader never sees half a file.
      writeFileSync(
        `${partialOut}.tmp`,
        `${JSON.stringify({ generatedBy: 'npm run bench:judge (partial: the runs finished so far)', seed: options.scenarios ? null : Number(options.seed), policy: BENCH_POLICY, scenarios: partial })}\n`,
      );
      renameSync(`${partialOut}.tmp`, partialOut);
    },
  );
  rmSync(partialOut, { force: true });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const targets = [
    ...evaluateTargets(
      results.filter((r) => (r.scenario as BenchScenario).row === undefined),
      ecsCanary.name,
      PEERS.map((p) => p.name),
    ),
    ...shapeTargets(results, ecsCanary.name),
  ];
  const targetTable = [
    '| target | figure | met |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.target} | ${t.detail} | ${t.met ? 'MET' : 'NOT MET'} |`),
  ];
  const power = powerComparison(
    results.filter((r) => (r.scenario as BenchScenario).row === undefined),
    ecsCanary.name,
    BENCH_POLICY,
  );
  process.stdout.write(
    `${markdownTable(
      results.filter((r) => (r.scenario as BenchScenario).row === undefined),
      JUDGE_NAMES,
    )}\n${shapeTable(results, ecsCanary.name)}\n### Targets (ecs-canary)\n\n${targetTable.join('\n')}\n\n` +
      `### +5 pp: detection probability predicted (power.ts, dispersion 1) vs measured (ecs-canary, gamma-4 noise)\n\n${power.join('\n')}\n\n` +
      `${scenarios.length} scenarios in ${seconds.toFixed(1)} s on ${options.workers} workers\n`,
  );
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(
    options.out,
    `${JSON.stringify(
      {
        generatedBy: 'npm run bench:judge',
        seed: options.scenarios ? null : Number(options.seed),
        runs: options.scenarios ? 'per scenario file' : { aaEcsCanary: runsAa, aaPeers: runsAaPeers, regression: runsRegression },
        seconds: Math.round(seconds),
        plan: { stages: STAGES, holdLimitMinutes: HOLD_LIMIT_MINUTES, postTrafficBakeMinutes: POST_TRAFFIC_BAKE_MINUTES },
        policy: BENCH_POLICY,
        pipeline:
          "the Tick's: simulated GetMetricData (1-3 min publication delay, partial newest minute, absent zero points) -> toMinuteBuckets -> buildJudgeInput; ticks at secondsUntilNextMinute; ecs-canary through controller next()",
        judges: JUDGE_NAMES,
        targets,
        power,
        scenarios: results,
      },
      null,
      2,
    )}\n`,
  );
}

if (require.main === module) {
  if (process.argv.includes('--worker')) {
    worker();
  } else {
    main(process.argv).catch((error: Error) => {
      process.stderr.write(`bench:judge: ${error.message}\n`);
      process.exitCode = 1;
    });
  }
}
