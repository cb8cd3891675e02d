/**
 * Reads the service's audit table (contracts.md, "Audit table") and writes the operator control
 * record, an SSM parameter since the trail became engine-only (docs/audit.md). The chain itself
 * (hashing, signatures, verification) is `lambdas/core/audit-chain.ts` and `audit-trail.ts`.
 */
import { randomUUID } from 'node:crypto';

import type { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

import { putControl, readControl } from '../../lambdas/aws/control-parameter';
import { awsCall } from '../../lambdas/aws/deploy-errors';
import type { ControlRecord as EngineControlRecord } from '../../lambdas/core/rollout-state';

export { auditPartitionPages, newestAuditRecords, wholeAuditChain } from '../../lambdas/aws/audit-records';

export type ControlCommand = EngineControlRecord['command'];

export type ControlRecord = EngineControlRecord;

/** Builds the control record (pure but for the generated request id). */
export function controlRecord(
  request: {
    readonly deploymentId: string;
    readonly command: ControlCommand;
    readonly requestedBy: string;
    readonly callerArn?: string;
    readonly reason?: string;
  },
  now: Date,
  requestId: string = randomUUID(),
): ControlRecord {
  return {
    deploymentId: request.deploymentId,
    command: request.command,
    requestedBy: request.requestedBy,
    ...(request.callerArn ? { callerArn: request.callerArn } : {}),
    ...(request.reason ? { reason: request.reason } : {}),
    at: now.toISOString(),
    requestId,
  };
}

/** The caller's IAM identity (sts:GetCallerIdentity, which needs no permission). */
export async function callerArn(sts: STSClient): Promise<string> {
  const { Arn } = await awsCall('sts:GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
  return Arn ?? 'unknown';
}

/** Overwrites the operator control parameter (the tick acts on each request once). */
export async function putControlRecord(ssm: SSMClient, parameterName: string, record: ControlRecord): Promise<void> {
  await putControl(ssm, parameterName, record);
}

/** The control record now in force, or undefined. */
export async function readControlRecord(ssm: SSMClient, parameterName: string): Promise<ControlRecord | undefined> {
  return awsCall('ssm:GetParameter', () => readControl(ssm, parameterName));
}
