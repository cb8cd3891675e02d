/** Options every command shares and small option parsers. */
import { InvalidArgumentError } from 'commander';

import type { AwsOptions } from '../context';

export interface GlobalOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly json?: boolean;
}

export function awsOptions(options: GlobalOptions): AwsOptions {
  return { region: options.region, profile: options.profile };
}

/** A commander parser for a whole number ≥ 1 that names the option on error. */
export function parsePositiveInt(option: string): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < 1) {
      throw new InvalidArgumentError(`${option} is ${JSON.stringify(value)}; accepted: a whole number of at least 1`);
    }
    return parsed;
  };
}
