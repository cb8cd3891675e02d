/**
 * `canary appspec <service>`: what a pipeline that creates its own CodeDeploy deployments needs
 * so that the rollout is gated — the AppSpec with the service's three hooks (and CodePipeline's
 * `<TASK_DEFINITION>` placeholder), and with `--image` the task definition with that image, as
 * `canary deploy --dry-run` would register it. A deployment without the hooks is stopped at its
 * start (docs/pipelines.md).
 */
import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { type Command, InvalidArgumentError } from 'commander';

import type { CliDeps } from '../context';
import { planImageRevision } from '../deploy/deployment';
import {
  appSpecFileName,
  type AppSpecFormat,
  pipelineAppSpec,
  renderPipelineAppSpec,
  renderTaskDefinition,
} from '../deploy/pipeline-appspec';
import { readDeploymentMetadata } from '../deploy/service-config';
import { formatDiff, imageProblem } from '../deploy/task-definition';
import { UsageError } from '../exit';
import { awsOptions, type GlobalOptions, parseServiceName } from './shared';

interface AppSpecOptions extends GlobalOptions {
  readonly image?: string;
  readonly out?: string;
  readonly format: AppSpecFormat;
}

function parseFormat(value: string): AppSpecFormat {
  if (value === 'yaml' || value === 'json') return value;
  throw new InvalidArgumentError(`--format is ${JSON.stringify(value)}; accepted: yaml or json`);
}

export function registerAppSpec(program: Command, deps: CliDeps): void {
  program
    .command('appspec')
    .description('print (or write) the AppSpec a pipeline must give CodeDeploy so the rollout is gated; with --image also taskdef.json')
    .argument('<service>', 'service name, as in services/<name>.yaml', parseServiceName)
    .option('--image <uri>', 'also write taskdef.json: the current task definition with this image (needs --out)')
    .option('--out <dir>', 'write appspec.yaml (or appspec.json) and taskdef.json into this directory instead of printing')
    .option('--format <format>', 'yaml or json', parseFormat, 'yaml' as AppSpecFormat)
    .action(async (service: string, options: AppSpecOptions, command: Command) => {
      await appSpec(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}

export async function appSpec(service: string, options: AppSpecOptions, deps: CliDeps): Promise<void> {
  if (options.out !== undefined) checkOutDir(options.out, options.format, options.image !== undefined);
  if (options.image !== undefined) {
    const problem = imageProblem(options.image);
    if (problem) throw new UsageError(problem);
    if (!options.out) throw new UsageError('--image writes taskdef.json next to the AppSpec; give --out <dir> as well');
  }
  const clients = deps.clients(awsOptions(options));
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const text = renderPipelineAppSpec(metadata, options.format);
  const revision = options.image
    ? await planImageRevision(clients.ecs, {
        family: metadata.taskDefinitionFamily,
        containerName: metadata.containerName,
        image: options.image,
      })
    : undefined;
  if (options.out === undefined) {
    deps.stdout.write(
      options.json ? `${JSON.stringify({ type: 'appspec', service, format: options.format, appSpec: pipelineAppSpec(metadata) })}\n` : text,
    );
    return;
  }
  await mkdir(options.out, { recursive: true });
  const files = [join(options.out, appSpecFileName(options.format))];
  await writeFile(files[0], text);
  if (revision) {
    files.push(join(options.out, 'taskdef.json'));
    await writeFile(files[1], renderTaskDefinition(revision.input));
  }
  if (options.json) {
    deps.stdout.write(`${JSON.stringify({ type: 'appspec', service, files, ...(revision ? { changes: revision.changes } : {}) })}\n`);
    return;
  }
  const lines = [
    `wrote ${files.join(' and ')} for ${service}`,
    ...(revision
      ? [`task definition ${revision.current.taskDefinitionArn} with:`, ...formatDiff(revision.changes).map((l) => `  ${l}`)]
      : []),
    `a deployment whose AppSpec lacks these hooks is stopped at its start; follow one with canary status ${service} --watch`,
  ];
  deps.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * `--out`, checked before any AWS call and any write, so that an AppSpec is never written without
 * its taskdef.json: an empty path, a file where the directory should be, or a directory where a
 * file goes is refused naming it.
 */
function checkOutDir(out: string, format: AppSpecFormat, withTaskDefinition: boolean): void {
  const refuse = (got: string) =>
    new UsageError(
      `--out ${JSON.stringify(out)}: ${got}; accepted: a directory (created if missing) to write ${appSpecFileName(format)}${withTaskDefinition ? ' and taskdef.json' : ''} into`,
    );
  if (out.trim() === '') throw refuse('is empty');
  const stat = statSync(out, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw refuse('is a file, not a directory');
  const files = [appSpecFileName(format), ...(withTaskDefinition ? ['taskdef.json'] : [])];
  const blocked = files.find((file) => statSync(join(out, file), { throwIfNoEntry: false })?.isDirectory());
  if (blocked) throw refuse(`${blocked} in it is a directory`);
}
