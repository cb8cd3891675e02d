/**
 * Exit codes, the contract with pipelines:
 * 0 succeeded; 1 rolled back, failed or refused (the reason on the last line); 2 bad usage or
 * configuration, or a plan that cannot meet `--require-detect`; 3 AWS or permission error (the AWS error code
 * and the missing action named),
 * or no AWS credentials (the line says how to provide them).
 */
import { CommanderError } from 'commander';

import { AwsCallError, DeployConfigError, DeploymentBlockedError, DeploymentFailedError } from '../lambdas/aws/deploy-errors';
import { AppSpecError } from '../lambdas/core/appspec';
import { EcsCanaryError } from '../lambdas/core/ecs-canary-error';
import { ConfigError } from '../lib/config';
import { TaskDefinitionError } from './deploy/task-definition';

export const EXIT = { ok: 0, failed: 1, usage: 2, aws: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad command-line input found after parsing (a value commander cannot check). */
export class UsageError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** A command that ran but did not get what it was asked (nothing to roll back, a broken chain...). */
export class CommandFailedError extends EcsCanaryError {
  /** Extra members of the `--json` result event (for example a simulation's scenario and outcome). */
  readonly result?: Readonly<Record<string, unknown>>;

  constructor(message: string, options?: { cause?: unknown; result?: Readonly<Record<string, unknown>> }) {
    super(message, options);
    this.name = 'CommandFailedError';
    this.result = options?.result;
  }
}

/** A rollout refused before anything was created because its plan cannot meet a stated requirement (exit 2). */
export class PlanRefusedError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlanRefusedError';
  }
}

/** The exit code and the one line to print last for an error (pure). */
export function exitFor(error: unknown): { code: ExitCode; line: string } {
  if (error instanceof CommanderError) {
    const helpOrVersion = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code);
    // Commander's suggestion ("(Did you mean --html?)") joins the line, so the reason stays last and whole.
    return {
      code: helpOrVersion ? EXIT.ok : EXIT.usage,
      line: helpOrVersion ? '' : error.message.replace(/^error: /, 'usage error: ').replace(/\s*\n\s*/g, ' '),
    };
  }
  if (error instanceof UsageError) return { code: EXIT.usage, line: `usage error: ${error.message}` };
  if (error instanceof PlanRefusedError) return { code: EXIT.usage, line: `refused: ${error.message}` };
  if (
    error instanceof ConfigError ||
    error instanceof DeployConfigError ||
    error instanceof AppSpecError ||
    error instanceof TaskDefinitionError
  ) {
    return { code: EXIT.usage, line: `configuration error: ${error.message}` };
  }
  const credentials = credentialsProblem(error);
  if (credentials) return { code: EXIT.aws, line: credentials };
  if (error instanceof AwsCallError) {
    const action = error.missingAction ? ` [missing action: ${error.missingAction}]` : '';
    return { code: EXIT.aws, line: `AWS error ${error.code}${action}: ${error.message}` };
  }
  if (error instanceof DeploymentBlockedError) return { code: EXIT.failed, line: `refused: ${error.message}` };
  if (error instanceof DeploymentFailedError || error instanceof CommandFailedError)
    return { code: EXIT.failed, line: `failed: ${error.message}` };
  return { code: EXIT.failed, line: `failed: ${(error as Error)?.message ?? String(error)}` };
}

/** What the SDK's credential chain throws when no provider has credentials (or a profile is missing or expired). */
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set(['CredentialsProviderError', 'ProviderError', 'TokenProviderError']);

/** The one line for missing credentials, naming the fix; undefined for any other error. */
export function credentialsProblem(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = e instanceof AwsCallError ? e.code : e.name;
    if (!CREDENTIAL_ERRORS.has(code)) continue;
    // An AwsCallError reads "<operation> failed with <code>: <SDK message>[; <what else to try>]".
    const detail =
      error instanceof AwsCallError
        ? `${error.operation}: ${error.message.replace(`${error.operation} failed with ${error.code}: `, '')}`
        : e.message;
    const [what, ...more] = detail.split('; ');
    return `no AWS credentials (${what}); ${CREDENTIALS_FIX}${more.length > 0 ? `; ${more.join('; ')}` : ''}`;
  }
  return undefined;
}

const CREDENTIALS_FIX =
  'configure them (aws configure, aws sso login, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or choose a profile with --profile <name> or AWS_PROFILE';
