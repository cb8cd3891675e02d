/**
 * `canary rollback <service> [--reason …]`: record who and why, stop the deployment with
 * auto-rollback, then wait until the original serves 100% of production traffic.
 */
import type { Command } from 'commander';

import { actor, type CliDeps } from '../context';
import { callerArn, controlRecord, putControlRecord } from '../deploy/audit';
import { stopWithRollback } from '../deploy/deployment';
import { getDeploymentSnapshot, readProductionListener } from '../deploy/deployment-state';
import { follow } from '../deploy/follow';
import { readDeploymentMetadata } from '../deploy/service-config';
import { CommandFailedError } from '../exit';
import { requireActiveDeployment } from '../observe';
import { outputMode, ProgressReporter } from '../progress/reporter';
import {
  awsOptions,
  type GlobalOptions,
  MAX_POLL_SECONDS,
  MAX_TIMEOUT_MINUTES,
  parsePositiveInt,
  parseReason,
  parseServiceName,
} from './shared';

interface RollbackOptions extends GlobalOptions {
  readonly reason?: string;
  readonly timeoutMinutes: number;
  readonly pollSeconds: number;
}

export function registerRollback(program: Command, deps: CliDeps): void {
  program
    .command('rollback')
    .description('stop the current deployment with rollback and wait until the original serves 100%')
    .argument('<service>', 'service name, as in services/<name>.yaml', parseServiceName)
    .option('--reason <text>', 'why (recorded with who)', parseReason, 'operator rollback')
    .option('--timeout-minutes <n>', 'give up waiting after this long', parsePositiveInt('--timeout-minutes', MAX_TIMEOUT_MINUTES), 15)
    .option('--poll-seconds <n>', 'seconds between listener reads', parsePositiveInt('--poll-seconds', MAX_POLL_SECONDS), 5)
    .action(async (service: string, options: RollbackOptions, command: Command) => {
      await rollback(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}

async function rollback(service: string, options: RollbackOptions, deps: CliDeps): Promise<void> {
  const clients = deps.clients(awsOptions(options));
  const reporter = new ProgressReporter(deps.stdout, outputMode(deps.stdout, options.json === true), deps.now);
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const deploymentId = await requireActiveDeployment(clients, metadata, 'roll back');
  const requestedBy = actor(deps.env);
  const reason = options.reason ?? 'operator rollback';
  // Who and why, for the engine to write into the chain (the tick's abort, the guard's STOP record).
  if (metadata.controlParameterName) {
    const record = controlRecord(
      { deploymentId, command: 'abort', requestedBy, callerArn: await callerArn(clients.sts), reason },
      deps.now(),
    );
    await putControlRecord(clients.ssm, metadata.controlParameterName, record);
  }
  await stopWithRollback(clients.codedeploy, deploymentId);
  reporter.info(`stopping ${deploymentId} with rollback (${requestedBy}: ${reason}); waiting until the original serves 100%`, {
    type: 'rollback-requested',
    deploymentId,
    requestedBy,
    reason,
  });

  const result = await follow({
    observe: async () => {
      const snapshot = await getDeploymentSnapshot(clients.codedeploy, deploymentId);
      const byTargetGroup = await readProductionListener(clients.elbv2, metadata);
      const original = snapshot.originalTargetGroup;
      // Without task set labels (no target yet), the deployment's end is the best evidence.
      const restored = original ? byTargetGroup.get(original) === 100 : snapshot.terminal;
      return { terminal: restored, snapshot, original, weight: original ? (byTargetGroup.get(original) ?? 0) : undefined };
    },
    onUpdate: (o) => {
      if (!o.terminal)
        reporter.info(`${deploymentId} ${o.snapshot.status}: original ${o.original ?? '?'} serves ${o.weight ?? '?'}%`, {
          type: 'rollback-progress',
          deploymentId,
          status: o.snapshot.status,
          originalWeight: o.weight ?? null,
        });
    },
    sleep: deps.sleep,
    now: () => deps.now().getTime(),
    intervalMs: options.pollSeconds * 1000,
    timeoutMs: options.timeoutMinutes * 60_000,
  });
  if (result.timedOut) {
    throw new CommandFailedError(
      `after ${options.timeoutMinutes} min the original ${result.last.original ?? ''} still serves ${result.last.weight ?? '?'}% of production (deployment ${result.last.snapshot.status}); check canary status ${service} and the listener ${metadata.productionListenerArn}`,
    );
  }
  reporter.info(`rolled back ${deploymentId}: the original ${result.last.original ?? ''} serves 100% of production`.replace('  ', ' '), {
    type: 'result',
    deploymentId,
    status: 'RolledBack',
  });
}
