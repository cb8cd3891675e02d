/**
 * The operator control record as an SSM parameter (`/ecs-canary/<service>/control`): `canary
 * promote|pause|resume|rollback` overwrite it, the tick reads it every tick and the guard reads it
 * to name who stopped a deployment. It lives outside the audit table so that no operator needs
 * write access to the trail (docs/audit.md), and like the freeze switch it is one small value
 * whose every version SSM keeps with the IAM principal that wrote it.
 */
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

import type { ControlRecord } from '../core/rollout-state';
import { awsCall } from './deploy-errors';

const COMMANDS: ReadonlyArray<ControlRecord['command']> = ['promote', 'pause', 'resume', 'abort'];

/** The control record, or undefined when none was written or the value is not one (never acted on). */
export async function readControl(ssm: SSMClient, parameterName: string): Promise<ControlRecord | undefined> {
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: parameterName }))).Parameter?.Value;
  } catch (error) {
    if (error instanceof ParameterNotFound) return undefined;
    throw error;
  }
  return parseControl(value);
}

/** A control value (JSON) as the engine accepts it, or undefined (pure). */
export function parseControl(value: string | undefined): ControlRecord | undefined {
  let item: Record<string, unknown>;
  try {
    item = JSON.parse(value ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof item !== 'object' || item === null) return undefined;
  if (
    typeof item.deploymentId !== 'string' ||
    !COMMANDS.includes(item.command as never) ||
    typeof item.requestId !== 'string' ||
    typeof item.requestedBy !== 'string'
  )
    return undefined;
  return {
    deploymentId: item.deploymentId,
    command: item.command as ControlRecord['command'],
    requestedBy: item.requestedBy,
    requestId: item.requestId,
    at: String(item.at ?? ''),
    ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
    ...(typeof item.callerArn === 'string' ? { callerArn: item.callerArn } : {}),
  };
}

/** Overwrites the control parameter (the tick acts on a request once, by its requestId). */
export async function putControl(ssm: SSMClient, parameterName: string, record: ControlRecord): Promise<void> {
  await awsCall('ssm:PutParameter', () =>
    ssm.send(new PutParameterCommand({ Name: parameterName, Value: JSON.stringify(record), Type: 'String', Overwrite: true })),
  );
}
