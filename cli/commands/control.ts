/**
 * `canary promote|pause|resume <service>`: operator commands the engine acts on at its next tick
 * (the control record), and after 100% promote ends CodeDeploy's termination wait.
 */
import { ContinueDeploymentCommand } from '@aws-sdk/client-codedeploy';
import type { Command } from 'commander';

import { awsCall, DeployConfigError } from '../../lambdas/aws/deploy-errors';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { actor, type CliDeps } from '../context';
import { callerArn, type ControlCommand, controlRecord, putControlRecord } from '../deploy/audit';
import { type DeploymentSnapshot, getDeploymentSnapshot } from '../deploy/deployment-state';
import { readDeploymentMetadata } from '../deploy/service-config';
import { requireActiveDeployment } from '../observe';
import { clock } from '../progress/render';
import { awsOptions, type GlobalOptions, parseReason, parseServiceName } from './shared';

/** CodeDeploy fails a hook not answered within one hour. */
export const HOOK_LIMIT_MINUTES = 60;

/** When the running hook must have answered, or undefined when no hook runs (pure). */
export function hookDeadline(snapshot: DeploymentSnapshot): { hook: string; at: Date } | undefined {
  const running = snapshot.lifecycleEvents.find((e) => e.status === 'InProgress' && e.startedAt);
  return running?.startedAt ? { hook: running.name, at: new Date(running.startedAt.getTime() + HOOK_LIMIT_MINUTES * 60_000) } : undefined;
}

export function deadlineText(snapshot: DeploymentSnapshot, now: Date): string {
  const deadline = hookDeadline(snapshot);
  if (!deadline) return 'no hook is running now';
  const left = (deadline.at.getTime() - now.getTime()) / 1000;
  return `${deadline.hook} must answer by ${deadline.at.toISOString()} (${clock(left)} left); the engine fails the deployment a few minutes before`;
}

export function registerControl(program: Command, deps: CliDeps): void {
  const describe: Record<ControlCommand, string> = {
    promote: 'skip the rest of the current bake once the judge is not failing; after 100%, end the termination wait',
    pause: 'hold the rollout in place (within the hook deadline)',
    resume: 'continue a paused rollout',
    abort: '',
  };
  for (const name of ['promote', 'pause', 'resume'] as const) {
    program
      .command(name)
      .description(describe[name])
      .argument('<service>', 'service name, as in services/<name>.yaml', parseServiceName)
      .option('--reason <text>', 'why (recorded)', parseReason)
      .action(async (service: string, options: { reason?: string }, command: Command) => {
        await control(name, service, { ...command.optsWithGlobals(), ...options }, deps);
      });
  }
}

/** The control parameter operators write to; a stack from before it has none (one clear line). */
export function requireControlParameter(metadata: DeploymentMetadata): string {
  if (!metadata.controlParameterName) {
    throw new DeployConfigError(
      `the deployment metadata of ${metadata.service} has no controlParameterName: redeploy the service stack with this version of ecs-canary (operator commands moved out of the audit table)`,
      'controlParameterName',
    );
  }
  return metadata.controlParameterName;
}

export function requireAuditTable(metadata: DeploymentMetadata): string {
  if (!metadata.auditTableName) {
    throw new DeployConfigError(
      `the deployment metadata of ${metadata.service} has no auditTableName: the rollout engine is not wired into its stack`,
      'auditTableName',
    );
  }
  return metadata.auditTableName;
}

async function control(
  name: 'promote' | 'pause' | 'resume',
  service: string,
  options: GlobalOptions & { reason?: string },
  deps: CliDeps,
): Promise<void> {
  const clients = deps.clients(awsOptions(options));
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const parameterName = requireControlParameter(metadata);
  const deploymentId = await requireActiveDeployment(clients, metadata, name);
  const snapshot = await getDeploymentSnapshot(clients.codedeploy, deploymentId);
  const write = (text: string, event: object) =>
    deps.stdout.write(options.json ? `${JSON.stringify({ type: name, service, deploymentId, ...event })}\n` : `${text}\n`);

  if (name === 'promote' && snapshot.terminationWait) {
    await awsCall('codedeploy:ContinueDeployment', () =>
      clients.codedeploy.send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'TERMINATION_WAIT' })),
    );
    write(`${deploymentId}: termination wait ended; CodeDeploy terminates the original task set now`, { action: 'ContinueDeployment' });
    return;
  }
  const record = controlRecord(
    { deploymentId, command: name, requestedBy: actor(deps.env), callerArn: await callerArn(clients.sts), reason: options.reason },
    deps.now(),
  );
  await putControlRecord(clients.ssm, parameterName, record);
  const effect = {
    promote: 'the engine ends the current bake at its next tick if the judge is not failing',
    pause: 'the engine holds the current weight from its next tick',
    resume: 'the engine continues from its next tick',
  }[name];
  write(
    `${name} requested for ${deploymentId} by ${record.requestedBy} (${record.callerArn}, request ${record.requestId}): ${effect}\n${deadlineText(snapshot, deps.now())}`,
    {
      requestId: record.requestId,
      requestedBy: record.requestedBy,
      callerArn: record.callerArn,
      hookDeadline: hookDeadline(snapshot)?.at.toISOString() ?? null,
    },
  );
}
