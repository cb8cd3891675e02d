/**
 * The operator control record as an SSM parameter (`/ecs-canary/<service>/control`): `canary
 * promote|pause|resume|rollback` overwrite it, the tick reads it every tick and the guard reads it
 * to name who stopped a deployment. It lives outside the audit table so that no operator needs
 * write access to the trail (docs/audit.md), and like the freeze switch it is one small value
 * whose every version SSM keeps with the IAM principal that wrote it.
 */
import { type SSMClient } from '@aws-sdk/client-ssm';
import type { ControlRecord } from '../core/rollout-state';
/** The control record, or undefined when none was written or the value is not one (never acted on). */
export declare function readControl(ssm: SSMClient, parameterName: string): Promise<ControlRecord | undefined>;
/** A control value (JSON) as the engine accepts it, or undefined (pure). */
export declare function parseControl(value: string | undefined): ControlRecord | undefined;
/** Overwrites the control parameter (the tick acts on a request once, by its requestId). */
export declare function putControl(ssm: SSMClient, parameterName: string, record: ControlRecord): Promise<void>;
