import { type STSClient } from '@aws-sdk/client-sts';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ControlRecord as EngineControlRecord } from '../../lambdas/core/rollout-state';
export { newestAuditReason, newestAuditRecords, wholeAuditChain } from '../../lambdas/aws/audit-records';
export type ControlCommand = EngineControlRecord['command'];
export type ControlRecord = EngineControlRecord;
/** Builds the control record (pure but for the generated request id). */
export declare function controlRecord(request: {
    readonly deploymentId: string;
    readonly command: ControlCommand;
    readonly requestedBy: string;
    readonly callerArn?: string;
    readonly reason?: string;
}, now: Date, requestId?: string): ControlRecord;
/** The caller's IAM identity (sts:GetCallerIdentity, which needs no permission). */
export declare function callerArn(sts: STSClient): Promise<string>;
/** Overwrites the operator control parameter (the tick acts on each request once). */
export declare function putControlRecord(ssm: SSMClient, parameterName: string, record: ControlRecord): Promise<void>;
/** The control record now in force, or undefined. */
export declare function readControlRecord(ssm: SSMClient, parameterName: string): Promise<ControlRecord | undefined>;
