/**
 * `npm run bench:engine`: the rollout engine end to end over the AWS fake (test/support) with
 * sim traffic, on a fake clock — the same harness as test/e2e.
 *
 * Per scenario: simulated minutes from regression onset (the first shift to a weight at which the
 * regression shows) to the original serving 100% again; for a clean release the rollout time
 * against the sum of its bakes; AWS API calls, Step Functions state transitions and Lambda
 * invocations per rollout with the resulting cost. Per Lambda: bundle size (esbuild with the
 * construct's options) and cold initialisation time (median of 5 fresh Node processes).
 * Prints a markdown table and writes bench/results/engine.json.
 *
 * Targets: onset → restored ≤ 3 min at ≥ 150 canary requests/min; a clean rollout ≤ its bakes + 3 min
 * per step (bakes are counted in data-minutes, which CloudWatch delivers 1–3 min late); each bundle
 * ≤ 1 MB and init ≤ 200 ms; cost < $0.02 per rollout (each tick re-reads the whole rollout: the
 * price is per metric requested, not per minute returned).
 */
import '../scripts/sdk-quiet';

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { buildSync } from 'esbuild';

import type { Regression } from '../sim';
import { EngineWorld } from '../test/e2e/support/engine-world';

const ROOT = path.join(__dirname, '..');
const MINUTE = 60_000;

/** US East list prices (USD) used for the per-rollout cost; Lambda duration is assumed, not measured. */
const PRICES = {
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1e6,
  lambdaPerGbSecondArm: 0.0000133334,
  lambdaAssumedSecondsPerInvocation: 1,
  lambdaMemoryGb: 0.5,
  getMetricDataPerMetric: 0.01 / 1000,
  putMetricDataPerRequest: 0.01 / 1000,
  dynamoPerWrite: 0.625 / 1e6,
  dynamoPerRead: 0.125 / 1e6,
  snsPerPublish: 0.5 / 1e6,
  /** KMS asymmetric (ECC) Sign requests: $0.15 per 10,000. */
  kmsPerAsymmetricRequest: 0.15 / 10_000,
  s3PerPut: 0.005 / 1000,
  s3PerListOrGet: 0.0004 / 1000,
  ssmStandardParameter: 0,
};

interface Scenario {
  readonly name: string;
  readonly totalRps: number;
  readonly regression?: Regression;
  /** Weight from which the regression shows (its onset is the first shift to at least it). */
  readonly onsetWeight?: number;
  /** Crash-loop the replacement's targets once it first has production traffic. */
  readonly crashAfterFirstShift?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'clean release, 50 rps (150 canary req/min at 5%)', totalRps: 50 },
  { name: 'clean release, 500 rps', totalRps: 500 },
  { name: '+5 pp errors at 5%, 50 rps', totalRps: 50, regression: { kind: 'errors', deltaPp: 5 }, onsetWeight: 5 },
  { name: '+5 pp errors only at ≥ 25%, 50 rps', totalRps: 50, regression: { kind: 'errors', deltaPp: 5, minWeight: 25 }, onsetWeight: 25 },
  {
    name: 'latency +2 s on 30% of requests, 50 rps',
    totalRps: 50,
    regression: { kind: 'latency', extraMs: 2000, share: 0.3 },
    onsetWeight: 5,
  },
  { name: 'crash loop after the first shift, 50 rps', totalRps: 50, crashAfterFirstShift: true, onsetWeight: 5 },
  { name: '+5 pp errors at 5%, 500 rps', totalRps: 500, regression: { kind: 'errors', deltaPp: 5 }, onsetWeight: 5 },
  { name: 'quiet service (0.5 rps): clean release', totalRps: 0.5 },
  { name: 'too quiet (0.05 rps): insufficient evidence', totalRps: 0.05 },
];

interface ScenarioResult {
  readonly name: string;
  readonly outcome: string;
  readonly onsetToRestoredMinutes?: number;
  readonly rolloutMinutes?: number;
  readonly bakeMinutes: number;
  readonly steps: number;
  readonly apiCalls: number;
  readonly callsByCommand: Record<string, number>;
  readonly stateTransitions: number;
  readonly lambdaInvocations: number;
  /** Metrics requested over all GetMetricData calls (what CloudWatch bills). */
  readonly metricsRequested: number;
  readonly costUsd: number;
  /** Where the cost goes: Step Functions transitions, Lambda, GetMetricData, everything else. */
  readonly costBreakdownUsd: {
    readonly stateTransitions: number;
    readonly lambda: number;
    readonly getMetricData: number;
    readonly other: number;
  };
}

async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const env = new EngineWorld({ totalRps: scenario.totalRps, regression: scenario.regression ?? null });
  try {
    const id = env.deploy();
    const callsBefore = env.world.calls.length;
    if (scenario.crashAfterFirstShift) {
      await env.world.clock.advanceUntil(() => env.replacementPercent() > 0, 90 * MINUTE, 1000);
      env.world.setReplacementHealth(id, 'unhealthy');
    }
    await env.runToCompletion();
    const deployment = env.deployment;
    const production = env.service.metadata.productionListenerArn;
    const writes = env.world.elbv2.writes.filter((w) => w.listenerArn === production && w.operation === 'ModifyListener');
    const percentOf = (forward: Record<string, number>) => {
      const total = Object.values(forward).reduce((s, v) => s + v, 0) || 1;
      return (100 * (forward[deployment.replacementTargetGroupArn] ?? 0)) / total;
    };
    const onset = scenario.onsetWeight === undefined ? undefined : writes.find((w) => percentOf(w.forward) >= scenario.onsetWeight!);
    const restored = onset && writes.find((w) => w.seq > onset.seq && percentOf(w.forward) === 0);
    const calls = env.world.calls.slice(callsBefore);
    const callsByCommand: Record<string, number> = {};
    for (const call of calls) callsByCommand[call.command] = (callsByCommand[call.command] ?? 0) + 1;
    const metricsRequested = calls
      .filter((c) => c.command === 'GetMetricDataCommand')
      .reduce((sum, c) => sum + ((c.input as { MetricDataQueries?: unknown[] }).MetricDataQueries?.length ?? 0), 0);
    const transitions = [...env.world.sfn.executions.values()].reduce((sum, e) => sum + e.transitions, 0);
    const invocations = env.world.lambda.invocations.length;
    const count = (command: string) => callsByCommand[command] ?? 0;
    const breakdown = {
      stateTransitions: transitions * PRICES.stepFunctionsPerTransition,
      lambda:
        invocations *
        (PRICES.lambdaPerRequest + PRICES.lambdaAssumedSecondsPerInvocation * PRICES.lambdaMemoryGb * PRICES.lambdaPerGbSecondArm),
      getMetricData: metricsRequested * PRICES.getMetricDataPerMetric,
      other:
        count('PutMetricDataCommand') * PRICES.putMetricDataPerRequest +
        count('PutCommand') * PRICES.dynamoPerWrite +
        (count('QueryCommand') + count('GetCommand')) * PRICES.dynamoPerRead +
        count('PublishCommand') * PRICES.snsPerPublish +
        // The signed audit trail: one KMS Sign and one S3 anchor per record.
        (count('SignCommand') + count('GetPublicKeyCommand')) * PRICES.kmsPerAsymmetricRequest +
        count('PutObjectCommand') * PRICES.s3PerPut +
        (count('ListObjectsV2Command') + count('GetObjectCommand')) * PRICES.s3PerListOrGet,
    };
    const costUsd = breakdown.stateTransitions + breakdown.lambda + breakdown.getMetricData + breakdown.other;
    const usd = (n: number) => Math.round(n * 1e6) / 1e6;
    const plan = env.service.metadata.plan;
    return {
      name: scenario.name,
      outcome: deployment.status,
      ...(onset && restored ? { onsetToRestoredMinutes: round((restored.at - onset.at) / MINUTE) } : {}),
      ...(deployment.status === 'Succeeded'
        ? { rolloutMinutes: round(((deployment.completeTime ?? 0) - deployment.createTime) / MINUTE) }
        : {}),
      bakeMinutes: plan.totalBakeMinutes,
      steps: plan.windows.reduce((n, w) => n + w.steps.length, 0) + 1,
      apiCalls: calls.length,
      callsByCommand,
      stateTransitions: transitions,
      lambdaInvocations: invocations,
      metricsRequested,
      costUsd: usd(costUsd),
      costBreakdownUsd: {
        stateTransitions: usd(breakdown.stateTransitions),
        lambda: usd(breakdown.lambda),
        getMetricData: usd(breakdown.getMetricData),
        other: usd(breakdown.other),
      },
    };
  } finally {
    env.restore();
  }
}

interface LambdaResult {
  readonly entry: string;
  readonly bundleBytes: number;
  readonly initMsRuns: number[];
  readonly initMsMedian: number;
}

/** Bundles like the construct (esbuild, minify, source maps, node22, @aws-sdk provided by the runtime) and times a cold require. */
function measureLambda(entry: string): LambdaResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-canary-bundle-'));
  const outfile = path.join(outdir, 'index.js');
  buildSync({
    entryPoints: [path.join(ROOT, 'lambdas/handlers', entry)],
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'node',
    target: 'node22',
    external: ['@aws-sdk/*'],
    outfile,
    logLevel: 'error',
  });
  // The runtime provides the AWS SDK: resolve it from this repository's node_modules.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(outdir, 'node_modules'));
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(outfile)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const runs = Array.from({ length: 5 }, () => {
    const run = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, SERVICE_NAME: 'bench', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    if (run.status !== 0) throw new Error(`init of ${entry} failed: ${run.stderr}`);
    return round(Number(run.stdout));
  });
  return { entry, bundleBytes: fs.statSync(outfile).size, initMsRuns: runs, initMsMedian: [...runs].sort((a, b) => a - b)[2] };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

async function main(): Promise<void> {
  const scenarios: ScenarioResult[] = [];
  for (const scenario of SCENARIOS) scenarios.push(await runScenario(scenario));
  const lambdas = ['tick.ts', 'hooks.ts', 'guard.ts'].map(measureLambda);

  const lines = [
    '| scenario | outcome | onset → restored (min) | rollout (min) vs bakes | API calls | transitions | Lambda invocations | metrics requested | cost (USD) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...scenarios.map(
      (s) =>
        `| ${s.name} | ${s.outcome} | ${s.onsetToRestoredMinutes ?? '–'} | ${s.rolloutMinutes !== undefined ? `${s.rolloutMinutes} vs ${s.bakeMinutes} (target ≤ ${s.bakeMinutes + 3 * s.steps})` : '–'} | ${s.apiCalls} | ${s.stateTransitions} | ${s.lambdaInvocations} | ${s.metricsRequested} | ${s.costUsd.toFixed(4)} |`,
    ),
    '',
    '| Lambda entry | bundle (KB) | cold init median of 5 (ms) |',
    '| --- | --- | --- |',
    ...lambdas.map((l) => `| ${l.entry} | ${(l.bundleBytes / 1024).toFixed(1)} | ${l.initMsMedian} (runs ${l.initMsRuns.join(', ')}) |`),
    '',
    `Targets: onset → restored ≤ 3 min at ≥ 150 canary requests/min; clean rollout ≤ bakes + 3 min per step; bundle ≤ 1024 KB; init ≤ 200 ms (measured on Node ${process.versions.node}, the SDK resolved from node_modules as the runtime provides it); cost < $0.02 per rollout (Lambda duration assumed ${PRICES.lambdaAssumedSecondsPerInvocation} s at ${PRICES.lambdaMemoryGb * 1024} MB).`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const resultsDir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'engine.json'), `${JSON.stringify({ prices: PRICES, scenarios, lambdas }, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench:engine failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
