/** Step Functions adapter: start a window's rollout execution (idempotent by name) and stop them. */
import { SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionInput } from '../core/rollout-state';
/** `<deploymentId>-<hook>`: a duplicate hook invocation starts nothing new. */
export declare const executionName: (deploymentId: string, hook: string) => string;
/** `arn:…:stateMachine:<name>` → `arn:…:execution:<name>:<executionName>`. */
export declare function executionArn(stateMachineArn: string, name: string): string;
/**
 * Starts the rollout execution for a hook. Starting the same name with the same input returns the
 * running execution; with another input Step Functions answers ExecutionAlreadyExists, which means
 * a duplicate hook invocation, so it counts as started too.
 */
export declare function startRollout(client: SFNClient, stateMachineArn: string, input: ExecutionInput): Promise<{
    executionArn: string;
    alreadyStarted: boolean;
}>;
/** The status of a hook's rollout execution, or undefined when it was never started. */
export declare function rolloutStatus(client: SFNClient, stateMachineArn: string, deploymentId: string, hook: string): Promise<string | undefined>;
/** Stops the deployment's rollout executions; returns the names it stopped (absent ones are skipped). */
export declare function stopRollouts(client: SFNClient, stateMachineArn: string, deploymentId: string, cause: string): Promise<string[]>;
