/**
 * `canary plan <service>`: what the service's rollout plan can detect at its traffic — read from
 * CloudWatch over the last hour (the deployed plan and thresholds from SSM), or offline from
 * `--rps`, `--error-rate` and `--p95` with the plan of the service's YAML (no AWS at all).
 * Also the detection step of `canary deploy` (its summary and `--require-detect`).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';

import { AwsCallError } from '../../lambdas/aws/deploy-errors';
import type { CustomMetricSpec } from '../../lambdas/core/custom-metrics';
import { detectsBeforeFull, finalBakeToDetect, type PlanDetection, planDetection } from '../../lambdas/core/forecast/detection';
import { metricDetectionLines, metricDetections, type MetricHistory } from '../../lambdas/core/forecast/metrics';
import type { TrafficProfile } from '../../lambdas/core/forecast/traffic';
import type { JudgePolicy } from '../../lambdas/core/judge';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { compilePlan } from '../../lambdas/core/rollout-plan';
import { ConfigError, loadServiceConfigFile } from '../../lib/config';
import type { AwsClients, CliDeps } from '../context';
import { readDeploymentMetadata } from '../deploy/service-config';
import { PlanRefusedError, UsageError } from '../exit';
import { noTraffic, renderPlan, trafficText } from '../forecast/forecast-text';
import { readMetricHistories } from '../forecast/read-metrics';
import { readTraffic } from '../forecast/read-traffic';
import { resolveServiceFile } from '../service-file';
import { awsOptions, type GlobalOptions, isDecimalNumber, parseServiceName } from './shared';

interface PlanOptions extends GlobalOptions {
  readonly rps?: number;
  readonly errorRate?: number;
  readonly p95?: number;
  readonly config?: string;
  readonly servicesDir?: string;
}

/** A commander parser for a number in a range that names the option, the value and what is accepted. */
export function parseNumberIn(option: string, accepted: string, ok: (v: number) => boolean): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!isDecimalNumber(value) || !Number.isFinite(parsed) || !ok(parsed))
      throw new InvalidArgumentError(`${option} is ${JSON.stringify(value)}; accepted: ${accepted}`);
    return parsed;
  };
}

export function registerPlan(program: Command, deps: CliDeps): void {
  program
    .command('plan')
    .description("what the service's rollout plan can detect at its traffic (last hour from CloudWatch, or offline figures)")
    .argument('<service>', 'service name, as in services/<name>.yaml', parseServiceName)
    .option(
      '--rps <n>',
      'offline (with --error-rate): requests per second of the whole service',
      parseNumberIn('--rps', 'requests per second above 0, e.g. 10', (v) => v > 0 && v <= 1e7),
    )
    .option(
      '--error-rate <percent>',
      "offline (with --rps): the original's error rate in percent, e.g. 0.5",
      parseNumberIn('--error-rate', 'a percentage from 0 to 100, e.g. 0.5 for 0.5%', (v) => v >= 0 && v <= 100),
    )
    .option(
      '--p95 <ms>',
      "offline: the original's p95 latency in milliseconds",
      parseNumberIn('--p95', 'milliseconds above 0, e.g. 180', (v) => v > 0 && v <= 3_600_000),
    )
    .option(
      '--config <file>',
      'offline: service YAML (default: <service>.yaml in --services-dir, ECS_CANARY_SERVICES_DIR or ./services, else the shipped example of that name)',
    )
    // --config names the file itself: a --services-dir beside it would be ignored without a word.
    .addOption(new Option('--services-dir <dir>', 'offline: the directory of the service YAML files').conflicts('config'))
    .action(async (service: string, options: PlanOptions, command: Command) => {
      await plan(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}

async function plan(service: string, options: PlanOptions, deps: CliDeps): Promise<void> {
  const offline = [
    ['--rps', options.rps],
    ['--error-rate', options.errorRate],
    ['--p95', options.p95],
    ['--config', options.config],
    ['--services-dir', options.servicesDir],
  ] as const;
  const given = offline.filter(([, v]) => v !== undefined).map(([name]) => name);
  let detection: PlanDetection;
  let metrics: { plan: DeploymentMetadata['plan']; specs: readonly CustomMetricSpec[]; policy: JudgePolicy } | undefined;
  let histories: Record<string, MetricHistory> | undefined;
  if (given.length > 0) {
    if (options.rps === undefined || options.errorRate === undefined) {
      throw new UsageError(
        `${given.join(', ')} given without ${options.rps === undefined ? '--rps' : '--error-rate'}; accepted: --rps and --error-rate together (and optionally --p95, --config or --services-dir) to plan offline, or none of them to read the last hour from CloudWatch`,
      );
    }
    const config = loadConfig(resolveServiceFile(service, options, deps.env));
    const traffic: TrafficProfile = {
      source: 'offline',
      requestsPerMinute: options.rps * 60,
      errorRate: options.errorRate / 100,
      ...(options.p95 !== undefined ? { p95Ms: options.p95 } : {}),
    };
    detection = planDetection(compilePlan(config.rollout), traffic, config.thresholds);
    metrics = { plan: compilePlan(config.rollout), specs: config.metrics ?? [], policy: config.thresholds };
  } else {
    const clients = deps.clients(awsOptions(options));
    try {
      const metadata = await readDeploymentMetadata(clients.ssm, service);
      detection = await measuredDetection(clients, metadata, deps);
      metrics = { plan: metadata.plan, specs: metadata.metrics ?? [], policy: metadata.thresholds };
      // The compared metrics' own rates over the same hour, read as the traffic is.
      histories = await readMetricHistories(clients.cloudwatch, metrics.specs, detection.traffic.requestsPerMinute, deps.now().getTime(), {
        attempts: 4,
        baseDelayMs: 250,
        sleep: deps.sleep,
      });
    } catch (error) {
      // Without AWS (no credentials, not deployed yet) the offline route still answers.
      if (!(error instanceof AwsCallError)) throw error;
      throw new AwsCallError(
        `${error.message}; without AWS, plan offline: canary plan ${service} --rps <n> --error-rate <percent>`,
        error.code,
        error.operation,
        error.missingAction,
        { cause: error },
      );
    }
  }
  const compared =
    metrics && !noTraffic(detection.traffic)
      ? metricDetections(metrics.plan, detection.traffic.requestsPerMinute, metrics.specs, metrics.policy, histories)
      : [];
  if (options.json)
    deps.stdout.write(`${JSON.stringify({ type: 'plan', service, ...detection, ...(compared.length ? { metrics: compared } : {}) })}\n`);
  else
    deps.stdout.write(
      `${[...renderPlan(service, detection), ...metricDetectionLines(compared, { offline: histories === undefined })].join('\n')}\n`,
    );
}

function loadConfig(file: string) {
  try {
    return loadServiceConfigFile(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new UsageError(`cannot read ${file} (${(error as Error).message}); give the service's YAML with --config`, { cause: error });
  }
}

/** The deployed plan's figures at the last hour's traffic (CloudWatch retries sleep on the CLI's clock). */
export async function measuredDetection(clients: AwsClients, metadata: DeploymentMetadata, deps: CliDeps): Promise<PlanDetection> {
  const traffic = await readTraffic(clients.cloudwatch, metadata, deps.now().getTime(), {
    attempts: 4,
    baseDelayMs: 250,
    sleep: deps.sleep,
  });
  return planDetection(metadata.plan, traffic, metadata.thresholds);
}

/**
 * `canary deploy --require-detect <pp>`: refuses (exit 2, before anything is registered or
 * created) when the plan cannot catch `pp` before 100% at the measured traffic.
 */
export function requireDetection(detection: PlanDetection, pp: number, plan: DeploymentMetadata['plan'], policy: JudgePolicy): void {
  const increase = pp / 100;
  if (detectsBeforeFull(detection, increase)) return;
  const at = `at the last hour's ${trafficText(detection.traffic)}`;
  const wanted = `--require-detect ${pp}: the plan cannot catch +${pp} pp errors before 100% ${at}`;
  if (noTraffic(detection.traffic)) throw new PlanRefusedError(`${wanted}: no traffic in the last hour`);
  if (increase < detection.tolerance.errorIncrease) {
    throw new PlanRefusedError(
      `${wanted}: the judge tolerates +${detection.tolerance.errorIncrease * 100} pp (thresholds.maxErrorIncreasePp) and rolls back nothing smaller; lower it or require at least that`,
    );
  }
  const final = detection.stages.at(-1);
  const caught =
    final?.errorIncrease !== undefined
      ? `by the final shift it catches +${(final.errorIncrease * 100).toFixed(1)} pp with 90% probability`
      : 'by the final shift it would not catch even 100% errors';
  const steps = plan.windows.flatMap((w) => w.steps);
  const last = steps.at(-1);
  const bake = finalBakeToDetect(plan, detection.traffic, policy, increase);
  const fix =
    bake !== undefined && last
      ? `a ${last.weight}% bake of ${bake} min would`
      : `no ${last?.weight ?? ''}% bake within the hook window would; larger steps or more traffic are needed`;
  throw new PlanRefusedError(`${wanted}: ${caught}; ${fix}`);
}
