/**
 * `canary freeze <service> --reason … [--yes]` / `canary unfreeze <service>`: the kill switch.
 * While frozen `deploy` refuses, the AfterAllowTestTraffic hook fails new deployments, and the
 * engine's tick stops a rollout in progress (production back to the original within a minute).
 * Freezing says so when a rollout is in progress and, outside a terminal, needs `--yes`.
 */
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { Command } from 'commander';

import { awsCall, AwsCallError } from '../../lambdas/aws/deploy-errors';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { actor, type AwsClients, type CliDeps } from '../context';
import { callerArn } from '../deploy/audit';
import { type FreezeState, readDeploymentMetadata } from '../deploy/service-config';
import { CommandFailedError, UsageError } from '../exit';
import { currentDeployment } from '../observe';
import { awsOptions, type GlobalOptions, parseReason, parseServiceName } from './shared';

/** What the engine does with a rollout in progress once the switch is set. */
export const STOPS_RUNNING_ROLLOUT = 'the running rollout will be stopped and production returned to the original within a minute';

interface FreezeOptions extends GlobalOptions {
  readonly reason: string;
  readonly yes?: boolean;
}

export function registerFreeze(program: Command, deps: CliDeps): void {
  program
    .command('freeze')
    .description('stop rollouts: new deployments are refused and one in progress is rolled back to the original within a minute')
    .argument('<service>', 'service name, as in services/<name>.yaml', parseServiceName)
    .requiredOption('--reason <text>', 'why (recorded with who and when)', parseReason)
    .option('--yes', 'confirm without a question (required when stdin or stdout is not a terminal)')
    .action(async (service: string, options: FreezeOptions, command: Command) => {
      await freeze(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
  program
    .command('unfreeze')
    .description('allow rollouts again')
    .argument('<service>', 'service name, as in services/<name>.yaml', parseServiceName)
    .action(async (service: string, _options: unknown, command: Command) => {
      await writeSwitch(service, false, undefined, command.optsWithGlobals(), deps);
    });
}

/** Whether a person can be asked: both ends are a terminal and the CLI can read an answer. */
function interactive(deps: CliDeps): boolean {
  return deps.stdin?.isTTY === true && deps.stdout.isTTY === true && deps.ask !== undefined;
}

/** The rollout the freeze would stop: its id, none, or why it could not be found. */
async function rolloutInProgress(clients: AwsClients, metadata: DeploymentMetadata): Promise<string | undefined | AwsCallError> {
  // The switch must be settable without read permissions: a failed look-up is reported, not fatal.
  return currentDeployment(clients, metadata).catch((error: unknown) => {
    if (error instanceof AwsCallError) return error;
    throw error;
  });
}

async function freeze(service: string, options: FreezeOptions, deps: CliDeps): Promise<void> {
  // Checked before any AWS call: a script that forgot --yes writes nothing.
  if (!options.yes && !interactive(deps)) {
    throw new UsageError(
      `canary freeze is not run in a terminal (stdin or stdout is not a TTY); pass --yes to freeze ${service}: new deployments are refused and ${STOPS_RUNNING_ROLLOUT}. Nothing was written`,
    );
  }
  const clients = deps.clients(awsOptions(options));
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const running = await rolloutInProgress(clients, metadata);
  const say = (text: string, event: object) =>
    deps.stdout.write(options.json ? `${JSON.stringify({ type: 'warning', service, message: text, ...event })}\n` : `warning: ${text}\n`);
  if (typeof running === 'string') {
    say(`${service} has a rollout in progress (${running}): ${STOPS_RUNNING_ROLLOUT}`, { deploymentId: running });
  } else if (running instanceof AwsCallError) {
    say(`could not check whether ${service} has a rollout in progress (${running.message}); if one is running, ${STOPS_RUNNING_ROLLOUT}`, {
      deploymentId: null,
    });
  }
  if (!options.yes && running !== undefined) {
    const answer = await deps.ask!(`freeze ${service}${typeof running === 'string' ? ` and stop ${running}` : ''}? type yes to confirm: `);
    if (!/^(y|yes)$/i.test(answer.trim()))
      throw new CommandFailedError(`${service} not frozen: not confirmed (answer ${JSON.stringify(answer.trim())})`);
  }
  await writeSwitch(service, true, options.reason, options, deps, {
    clients,
    metadata,
    running: typeof running === 'string' ? running : undefined,
  });
}

async function writeSwitch(
  service: string,
  frozen: boolean,
  reason: string | undefined,
  options: GlobalOptions,
  deps: CliDeps,
  known?: { clients: AwsClients; metadata: DeploymentMetadata; running?: string },
): Promise<void> {
  const clients = known?.clients ?? deps.clients(awsOptions(options));
  // Reading the metadata first checks the service exists, so a typo cannot create a stray switch.
  const metadata = known?.metadata ?? (await readDeploymentMetadata(clients.ssm, service));
  const value: FreezeState = {
    frozen,
    ...(reason ? { reason } : {}),
    by: actor(deps.env),
    at: deps.now().toISOString(),
    callerArn: await callerArn(clients.sts),
  };
  await awsCall('ssm:PutParameter', () =>
    clients.ssm.send(
      new PutParameterCommand({ Name: metadata.freezeParameterName, Value: JSON.stringify(value), Type: 'String', Overwrite: true }),
    ),
  );
  const running = known?.running;
  if (options.json) {
    deps.stdout.write(
      `${JSON.stringify({ type: frozen ? 'frozen' : 'unfrozen', service, ...value, ...(frozen ? { stopping: running ?? null } : {}) })}\n`,
    );
  } else if (frozen) {
    deps.stdout.write(
      `${service} frozen by ${value.by}: ${reason}\n` +
        (running ? `${running}: ${STOPS_RUNNING_ROLLOUT}; follow it with canary status ${service} --watch\n` : 'no rollout in progress\n') +
        `new deployments are refused until canary unfreeze ${service}\n`,
    );
  } else {
    deps.stdout.write(`${service} unfrozen by ${value.by}: deployments may proceed\n`);
  }
}
