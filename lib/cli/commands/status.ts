/**
 * `canary status <service>`: the current (or last) deployment: lifecycle event, stage, weights,
 * bake remaining, the last verdict with its numbers, hook deadline, freeze switch, alarm states.
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import type { Command } from 'commander';
import type { DeploymentMetadata } from '../../../lambdas/core/metadata';
import { awsCall, AwsCallError } from '../../deploy/errors';
import { readDeploymentMetadata, readFreeze, type FreezeState } from '../../deploy/service-config';
import type { AwsClients, CliDeps } from '../context';
import { currentOrLastDeployment, observeDeployment } from '../observe';
import type { ProgressState } from '../progress/model';
import { renderFrame } from '../progress/render';
import { deadlineText, hookDeadline } from './control';
import { awsOptions, type GlobalOptions } from './shared';

export interface AlarmView {
  readonly name: string;
  readonly state: string;
  readonly reason?: string;
}

export function registerStatus(program: Command, deps: CliDeps): void {
  program
    .command('status')
    .description('show the current (or last) deployment of a service')
    .argument('<service>')
    .option('--deployment <id>', 'a specific deployment instead of the current one')
    .action(async (service: string, options: { deployment?: string }, command: Command) => {
      await status(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}

/** The deployment group's rollback alarms and their states. */
export async function alarmStates(clients: AwsClients, metadata: DeploymentMetadata): Promise<AlarmView[]> {
  const group = await awsCall('codedeploy:GetDeploymentGroup', () =>
    clients.codedeploy.send(new GetDeploymentGroupCommand({ applicationName: metadata.applicationName, deploymentGroupName: metadata.deploymentGroupName })),
  );
  const names = (group.deploymentGroupInfo?.alarmConfiguration?.alarms ?? []).map((a) => a.name).filter((n): n is string => !!n);
  if (names.length === 0) return [];
  const described = await awsCall('cloudwatch:DescribeAlarms', () => clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names })));
  return names.map((name) => {
    const alarm = described.MetricAlarms?.find((a) => a.AlarmName === name) ?? described.CompositeAlarms?.find((a) => a.AlarmName === name);
    return { name, state: alarm?.StateValue ?? 'MISSING', reason: alarm?.StateReason };
  });
}

/** The status text (pure). */
export function renderStatus(
  progress: ProgressState,
  extra: { deadline: string; freeze: FreezeState; alarms: readonly AlarmView[] | AwsCallError; rollbackOf?: string },
  width = 100,
): string[] {
  const lines = renderFrame(progress, width);
  if (extra.rollbackOf) {
    lines.splice(1, 0, `  this is CodeDeploy's automatic rollback of ${extra.rollbackOf}; why it failed: canary status ${progress.service} --deployment ${extra.rollbackOf}`);
  }
  for (const check of progress.lastVerdict?.checks ?? []) lines.push(`    ${check}`);
  if (progress.lastVerdict) lines.push(`    (record #${progress.lastVerdict.seq} at ${progress.lastVerdict.at})`);
  if (!progress.terminal) lines.push(`  hook    ${extra.deadline}`);
  if (progress.terminal && progress.errorMessage) lines.push(`  error   ${progress.errorMessage}`);
  lines.push(
    extra.freeze.frozen
      ? `  freeze  FROZEN by ${extra.freeze.by ?? '?'} at ${extra.freeze.at ?? '?'}: ${extra.freeze.reason ?? 'no reason given'}`
      : '  freeze  not frozen',
  );
  if (extra.alarms instanceof AwsCallError) {
    lines.push(`  alarms  unavailable: ${extra.alarms.message}`);
    return lines;
  }
  if (extra.alarms.length === 0) lines.push('  alarms  none attached to the deployment group');
  for (const alarm of extra.alarms) lines.push(`  alarm   ${alarm.state.padEnd(17)} ${alarm.name}`);
  return lines;
}

async function status(service: string, options: GlobalOptions & { deployment?: string }, deps: CliDeps): Promise<void> {
  const clients = deps.clients(awsOptions(options));
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const deploymentId = options.deployment ?? (await currentOrLastDeployment(clients, metadata));
  const observation = await observeDeployment(clients, metadata, deploymentId, deps.now);
  const freeze = await readFreeze(clients.ssm, metadata.freezeParameterName);
  // Alarms are one part of the picture: without permission to read them, show the rest and say why.
  const alarms = await alarmStates(clients, metadata).catch((error: unknown) => {
    if (error instanceof AwsCallError) return error;
    throw error;
  });
  if (options.json) {
    const deadline = hookDeadline(observation.snapshot);
    deps.stdout.write(
      `${JSON.stringify({ type: 'status', ...observation.progress, hookDeadline: deadline ? { hook: deadline.hook, at: deadline.at.toISOString() } : null, rollbackOf: observation.snapshot.rollbackOf ?? null, freeze, ...(alarms instanceof AwsCallError ? { alarms: null, alarmsError: alarms.message } : { alarms }) })}\n`,
    );
    return;
  }
  const lines = renderStatus(
    observation.progress,
    { deadline: deadlineText(observation.snapshot, deps.now()), freeze, alarms, rollbackOf: observation.snapshot.rollbackOf },
    deps.stdout.columns ?? 120,
  );
  deps.stdout.write(`${lines.join('\n')}\n`);
}
