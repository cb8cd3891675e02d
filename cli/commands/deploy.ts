/**
 * `canary deploy <service> --image <uri>`: register a revision with only the image changed,
 * create the CodeDeploy deployment with the ecs-canary AppSpec, follow it to the end. Before it
 * creates anything it prints what the plan can detect at the last hour's traffic (`canary plan`'s
 * figures) and, with `--require-detect <pp>`, refuses (exit 2) a plan that cannot catch that.
 */
import type { Command } from 'commander';

import { AwsCallError, DeploymentBlockedError, DeploymentFailedError } from '../../lambdas/aws/deploy-errors';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import type { CliDeps } from '../context';
import {
  appSpecFor,
  assertDeployable,
  ciCommit,
  createCanaryDeployment,
  deploymentDescription,
  planImageRevision,
  registerRevision,
} from '../deploy/deployment';
import { deploymentOutcome, follow, retryTransient } from '../deploy/follow';
import { readDeploymentMetadata } from '../deploy/service-config';
import { formatDiff, imageProblem } from '../deploy/task-definition';
import { UsageError } from '../exit';
import { summaryLines } from '../forecast/forecast-text';
import { observeDeployment } from '../observe';
import { newestReasonRecord } from '../progress/model';
import { outputMode, ProgressReporter } from '../progress/reporter';
import { recordChecker, trustPin, verifiedReason } from '../record-checks';
import { measuredDetection, parseNumberIn, requireDetection } from './plan';
import { awsOptions, type GlobalOptions, MAX_POLL_SECONDS, parseContainerName, parsePositiveInt, parseServiceName } from './shared';

/** Failed progress reads in a row tolerated while following (the deployment goes on regardless). */
const FOLLOW_RETRIES = 5;

interface DeployOptions extends GlobalOptions {
  readonly image: string;
  /** The container whose image changes; the load-balanced one by default. */
  readonly container?: string;
  readonly wait: boolean;
  readonly dryRun?: boolean;
  readonly pollSeconds: number;
  readonly requireDetect?: number;
}

export function registerDeploy(program: Command, deps: CliDeps): void {
  program
    .command('deploy')
    .description('ship an image through the gated rollout and follow it to the end')
    .argument('<service>', 'service name, as in services/<name>.yaml', parseServiceName)
    .requiredOption('--image <uri>', 'container image to deploy, e.g. 1234.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2')
    .option(
      '--container <name>',
      'the container whose image changes, when the task has several (default: the one the load balancer routes to); every other container and setting is kept',
      parseContainerName,
    )
    .option('--no-wait', 'return after creating the deployment, printing its id')
    .option('--dry-run', 'print the task definition diff, the AppSpec and the plan; change nothing')
    .option('--poll-seconds <n>', 'seconds between progress reads', parsePositiveInt('--poll-seconds', MAX_POLL_SECONDS), 10)
    .option(
      '--require-detect <pp>',
      "refuse (exit 2) unless the plan catches this error increase (percentage points) before 100% at the last hour's traffic",
      parseNumberIn('--require-detect', 'percentage points above 0 and at most 100, e.g. 2', (v) => v > 0 && v <= 100),
    )
    .action(async (service: string, options: DeployOptions, command: Command) => {
      await deploy(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}

export async function deploy(service: string, options: DeployOptions, deps: CliDeps): Promise<void> {
  const problem = imageProblem(options.image);
  if (problem) throw new UsageError(problem);
  const pin = trustPin(deps.env);
  const clients = deps.clients(awsOptions(options));
  const reporter = new ProgressReporter(deps.stdout, outputMode(deps.stdout, options.json === true), deps.now);
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const revision = await planImageRevision(clients.ecs, {
    family: metadata.taskDefinitionFamily,
    containerName: options.container ?? metadata.containerName,
    image: options.image,
  });
  const commit = ciCommit(deps.env);
  const description = deploymentDescription(options.image, commit);
  await detectionSummary(metadata, options, deps, clients, reporter);

  if (options.dryRun) {
    await dryRun(metadata, revision, description, options, deps, clients);
    return;
  }

  await assertDeployable(clients, metadata);
  const taskDefinitionArn = await registerRevision(clients.ecs, revision);
  const deploymentId = await createCanaryDeployment(clients.codedeploy, { metadata, taskDefinitionArn, description });
  reporter.info(`created deployment ${deploymentId} of ${service}: ${options.image} as ${taskDefinitionArn}`, {
    type: 'created',
    deploymentId,
    taskDefinitionArn,
    image: options.image,
    ...(commit ? { commit } : {}),
  });
  if (!options.wait) {
    if (reporter.mode !== 'json') deps.stdout.write(`${deploymentId}\n`);
    return;
  }

  const checker = recordChecker(clients, metadata, deps, pin);
  const result = await follow({
    observe: () => observeDeployment(clients, metadata, deploymentId, checker),
    onUpdate: (observation) => reporter.update(observation.progress),
    sleep: deps.sleep,
    now: () => deps.now().getTime(),
    intervalMs: options.pollSeconds * 1000,
    retryError: (error, consecutive) => {
      const retry = retryTransient(FOLLOW_RETRIES)(error, consecutive);
      if (retry)
        reporter.info(`reading progress failed (${(error as Error).message}); retrying (${consecutive}/${FOLLOW_RETRIES})`, {
          type: 'warning',
        });
      return retry;
    },
  }).catch((error: unknown) => {
    if (!(error instanceof AwsCallError)) throw error;
    throw new AwsCallError(
      `${error.message}; deployment ${deploymentId} was created and goes on without this command (follow it with canary status ${service})`,
      error.code,
      error.operation,
      error.missingAction,
      { cause: error },
    );
  });
  // The last line quotes the deciding record's reason only when that record verifies (as canary status does).
  const failed = result.last.snapshot.status !== 'Succeeded';
  const deciding = failed ? newestReasonRecord(result.last.records, deploymentId) : undefined;
  const reason = await verifiedReason(checker, deciding, `the newest reason of ${deploymentId}`, service);
  const outcome = deploymentOutcome(result.last.snapshot, reason);
  if (!outcome.succeeded) throw new DeploymentFailedError(outcome.reason, deploymentId, result.last.snapshot.status);
  reporter.info(outcome.reason, { type: 'result', exitCode: 0, deploymentId, status: 'Succeeded' });
}

/**
 * Prints what the plan can detect at the last hour's traffic; with `--require-detect` refuses a
 * plan that cannot catch it (and fails when the traffic cannot be read). Without the flag an
 * unreadable CloudWatch is a warning: the detection summary never blocks a deployment.
 */
async function detectionSummary(
  metadata: DeploymentMetadata,
  options: DeployOptions,
  deps: CliDeps,
  clients: ReturnType<CliDeps['clients']>,
  reporter: ProgressReporter,
): Promise<void> {
  let detection;
  try {
    detection = await measuredDetection(clients, metadata, deps);
  } catch (error) {
    if (options.requireDetect !== undefined) throw error;
    reporter.info(
      `plan: the last hour's traffic could not be read (${(error as Error).message}); deploying without the detection summary`,
      { type: 'warning' },
    );
    return;
  }
  const [line, ...more] = summaryLines(metadata.service, detection);
  reporter.info(line, { type: 'plan', ...detection });
  if (reporter.mode !== 'json') for (const next of more) reporter.info(next);
  if (options.requireDetect !== undefined) requireDetection(detection, options.requireDetect, metadata.plan, metadata.thresholds);
}

/** Sleeps in one-second steps, redrawing after each. */
async function dryRun(
  metadata: DeploymentMetadata,
  revision: Awaited<ReturnType<typeof planImageRevision>>,
  description: string,
  options: DeployOptions,
  deps: CliDeps,
  clients: ReturnType<CliDeps['clients']>,
): Promise<void> {
  const current = revision.current;
  const nextArn = `${current.taskDefinitionArn?.replace(/:\d+$/, '')}:${(current.revision ?? 0) + 1}`;
  const appSpec = appSpecFor(metadata, nextArn);
  let refusal: DeploymentBlockedError | undefined;
  try {
    await assertDeployable(clients, metadata);
  } catch (error) {
    if (!(error instanceof DeploymentBlockedError)) throw error;
    refusal = error;
  }
  const blocker = refusal?.message;
  const container = options.container ?? metadata.containerName;
  const kept = (current.containerDefinitions ?? []).map((c) => c.name ?? '').filter((name) => name !== container);
  const steps = metadata.plan.windows.flatMap((w) =>
    w.steps.map((s) => `  ${w.hook}: ${s.weight}% for ${s.bakeMinutes} min (holds up to ${metadata.plan.holdLimitMinutes} min more)`),
  );
  if (options.json) {
    deps.stdout.write(
      `${JSON.stringify({ type: 'dry-run', service: metadata.service, container, keptContainers: kept, changes: revision.changes, appSpec, description, plan: metadata.plan, refusal: blocker ?? null })}\n`,
    );
  } else {
    const lines = [
      `dry run: nothing registered, nothing deployed`,
      `task definition ${current.taskDefinitionArn} → new revision of ${metadata.taskDefinitionFamily}:`,
      ...formatDiff(revision.changes).map((l) => `  ${l}`),
      `  kept as in revision ${current.revision}: every other field${kept.length > 0 ? ` and container${kept.length > 1 ? 's' : ''} ${kept.join(', ')}` : ''} (secrets, roles, sizes, logging included)`,
      `AppSpec (${nextArn} stands for the revision that would be registered):`,
      ...JSON.stringify(appSpec, null, 2)
        .split('\n')
        .map((l) => `  ${l}`),
      `description: ${description}`,
      `plan:`,
      ...steps,
      `  AllowTraffic: CodeDeploy shifts to 100%`,
      `  AfterAllowTraffic: bake at 100% for ${metadata.plan.postTrafficBakeMinutes} min, then the original is terminated`,
      `  fastest clean rollout ${metadata.plan.totalBakeMinutes} min, worst case ${metadata.plan.worstCaseMinutes} min`,
      blocker ? `would refuse now: ${blocker}` : `would deploy now: not frozen, no deployment in progress`,
    ];
    deps.stdout.write(`${lines.join('\n')}\n`);
  }
  if (refusal) throw refusal;
}
