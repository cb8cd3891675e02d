/** `canary freeze <service> --reason …` / `canary unfreeze <service>`: the kill switch the hooks honour. */
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { Command } from 'commander';
import { awsCall } from '../../deploy/errors';
import { readDeploymentMetadata, type FreezeState } from '../../deploy/service-config';
import { actor, type CliDeps } from '../context';
import { UsageError } from '../exit';
import { awsOptions, type GlobalOptions } from './shared';

export function registerFreeze(program: Command, deps: CliDeps): void {
  program
    .command('freeze')
    .description('stop new rollouts: the next AfterAllowTestTraffic hook fails the deployment before any production traffic')
    .argument('<service>')
    .requiredOption('--reason <text>', 'why (recorded with who and when)')
    .action(async (service: string, options: { reason: string }, command: Command) => {
      if (options.reason.trim() === '') throw new UsageError('--reason is empty; say why the service is frozen');
      await setFreeze(service, true, options.reason, command.optsWithGlobals(), deps);
    });
  program
    .command('unfreeze')
    .description('allow rollouts again')
    .argument('<service>')
    .action(async (service: string, _options: unknown, command: Command) => {
      await setFreeze(service, false, undefined, command.optsWithGlobals(), deps);
    });
}

async function setFreeze(service: string, frozen: boolean, reason: string | undefined, options: GlobalOptions, deps: CliDeps): Promise<void> {
  const clients = deps.clients(awsOptions(options));
  // Reading the metadata first checks the service exists, so a typo cannot create a stray switch.
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const value: FreezeState = { frozen, ...(reason ? { reason } : {}), by: actor(deps.env), at: deps.now().toISOString() };
  await awsCall('ssm:PutParameter', () =>
    clients.ssm.send(new PutParameterCommand({ Name: metadata.freezeParameterName, Value: JSON.stringify(value), Type: 'String', Overwrite: true })),
  );
  if (options.json) {
    deps.stdout.write(`${JSON.stringify({ type: frozen ? 'frozen' : 'unfrozen', service, ...value })}\n`);
  } else if (frozen) {
    deps.stdout.write(
      `${service} frozen by ${value.by}: ${reason}\n` +
        `new deployments are refused; one already past AfterAllowTestTraffic is not stopped (use canary rollback ${service})\n`,
    );
  } else {
    deps.stdout.write(`${service} unfrozen by ${value.by}: deployments may proceed\n`);
  }
}
