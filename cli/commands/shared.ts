/** Options every command shares and small option parsers. */
import { InvalidArgumentError } from 'commander';

import { SERVICE_NAME_PATTERN, SERVICE_NAME_TEXT } from '../../lib/config';
import type { AwsOptions } from '../context';

export interface GlobalOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly json?: boolean;
}

export function awsOptions(options: GlobalOptions): AwsOptions {
  return { region: options.region, profile: options.profile };
}

/**
 * A commander parser for a whole number from 1 to `max` that names the option on error. Every
 * bound keeps a wait within what a timer can hold: Node fires a `setTimeout` of more than
 * 2^31-1 ms (about 24.8 days) after 1 ms, which would turn a poll into a busy loop against AWS.
 */
export function parsePositiveInt(option: string, max: number): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < 1 || parsed > max) {
      throw new InvalidArgumentError(`${option} is ${JSON.stringify(value)}; accepted: a whole number from 1 to ${max}`);
    }
    return parsed;
  };
}

/** Number flags accept decimal only, as the Lambda functions' environment does. */
export { isDecimalNumber } from '../../lambdas/core/decimal-number';

/** Most seconds between two reads of a polling command (an hour; a hook's window is at most 55 minutes). */
export const MAX_POLL_SECONDS = 3600;

/** Most minutes `canary rollback` waits for the original to serve 100% (a day). */
export const MAX_TIMEOUT_MINUTES = 1440;

/** Most records `canary history` lists at once. */
export const MAX_HISTORY_LIMIT = 10_000;

/**
 * Most characters of a `--reason`: it is stored with who and when in an SSM parameter of the
 * Standard tier, whose value holds at most 4,096 characters.
 */
export const MAX_REASON_CHARACTERS = 1000;

/** A commander parser for a `--reason`: one line of 1 to 1,000 characters (checked before any AWS call). */
export function parseReason(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (value.trim() === '' || value.length > MAX_REASON_CHARACTERS || /[\u0000-\u001f\u007f]/.test(value)) {
    const got = value.length > 60 ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)` : JSON.stringify(value);
    throw new InvalidArgumentError(
      `--reason is ${got}; accepted: one line of 1 to ${MAX_REASON_CHARACTERS} characters (it is stored in an SSM parameter of at most 4,096)`,
    );
  }
  return value;
}

/**
 * The `<service>` argument, checked before any AWS call: it names SSM parameters and the service
 * file, so a name no service file may have (`ORDERS`, `""`, `../x`) is refused with the rule.
 */
export function parseServiceName(value: string): string {
  if (!SERVICE_NAME_PATTERN.test(value)) {
    throw new InvalidArgumentError(`service is ${JSON.stringify(value)}; accepted: ${SERVICE_NAME_TEXT}, as in services/<name>.yaml`);
  }
  return value;
}

/** `--deployment <id>`: a CodeDeploy deployment id (`d-` and letters or digits, such as d-ABCDEF123), checked before any AWS call. */
export function parseDeploymentId(value: string): string {
  if (!/^d-[A-Za-z0-9]+$/.test(value)) {
    throw new InvalidArgumentError(`--deployment is ${JSON.stringify(value)}; accepted: a CodeDeploy deployment id such as d-ABCDEF123`);
  }
  return value;
}

/** `--container <name>`: an ECS container name (1 to 255 letters, digits, - and _), checked before any AWS call. */
export function parseContainerName(value: string): string {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(value)) {
    const got = value.length > 60 ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)` : JSON.stringify(value);
    throw new InvalidArgumentError(`--container is ${got}; accepted: a container name of 1 to 255 letters, digits, - and _`);
  }
  return value;
}
