/** Step Functions adapter: start a window's rollout execution (idempotent by name) and stop them. */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';

import { EcsCanaryError } from '../core/ecs-canary-error';
import { HOOKS } from '../core/rollout-plan';
import type { ExecutionInput } from '../core/rollout-state';

/** `<deploymentId>-<hook>`: a duplicate hook invocation starts nothing new. */
export const executionName = (deploymentId: string, hook: string) => `${deploymentId}-${hook}`;

/** `arn:…:stateMachine:<name>` → `arn:…:execution:<name>:<executionName>`. */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * Starts the rollout execution for a hook. Starting the same name with the same input returns the
 * running execution; with another input Step Functions answers ExecutionAlreadyExists, which means
 * a duplicate hook invocation, so it counts as started too.
 */
export async function startRollout(
  client: SFNClient,
  stateMachineArn: string,
  input: ExecutionInput,
): Promise<{ executionArn: string; alreadyStarted: boolean }> {
  const name = executionName(input.deploymentId, input.hook);
  try {
    const result = await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return { executionArn: result.executionArn ?? executionArn(stateMachineArn, name), alreadyStarted: false };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return { executionArn: executionArn(stateMachineArn, name), alreadyStarted: true };
    throw error;
  }
}

/** The status of a hook's rollout execution, or undefined when it was never started. */
export async function rolloutStatus(
  client: SFNClient,
  stateMachineArn: string,
  deploymentId: string,
  hook: string,
): Promise<string | undefined> {
  try {
    const { status } = await client.send(
      new DescribeExecutionCommand({ executionArn: executionArn(stateMachineArn, executionName(deploymentId, hook)) }),
    );
    return status ?? 'UNKNOWN';
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
}

/** Some of a deployment's rollout executions could not be stopped; `stopped` names those that were. */
export class RolloutStopError extends EcsCanaryError {
  constructor(
    message: string,
    readonly stopped: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RolloutStopError';
  }
}

/**
 * Stops the deployment's rollout executions; returns the names it stopped (absent ones are skipped).
 * Every hook's execution is tried; when any StopExecution fails, `RolloutStopError` is thrown after
 * the last one, naming those stopped and carrying the first failure.
 */
export async function stopRollouts(client: SFNClient, stateMachineArn: string, deploymentId: string, cause: string): Promise<string[]> {
  const stopped: string[] = [];
  const failed: Array<{ name: string; error: unknown }> = [];
  for (const hook of HOOKS) {
    const name = executionName(deploymentId, hook);
    try {
      await client.send(
        new StopExecutionCommand({
          executionArn: executionArn(stateMachineArn, name),
          error: 'DeploymentStopped',
          cause: cause.slice(0, 32_000),
        }),
      );
      stopped.push(name);
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) failed.push({ name, error });
    }
  }
  if (failed.length > 0) {
    const first = failed[0]!.error;
    throw new RolloutStopError(
      `cannot stop the rollout execution${failed.length > 1 ? 's' : ''} ${failed.map((f) => f.name).join(', ')}: ${first instanceof Error ? `${first.name}: ${first.message}` : String(first)}`,
      stopped,
      { cause: first },
    );
  }
  return stopped;
}
