/** One problem of one service file: printed as `file: field: got value; accepted: …`. */
import { EcsCanaryError } from '../../lambdas/core/ecs-canary-error';
export interface ConfigProblem {
  /** The file, as given to the loader (relative to the working directory when inside it). */
  readonly file: string;
  /** Dotted path of the field, such as `rollout.steps[1].weight`; `(file)` for the file itself. */
  readonly field: string;
  /** The whole line, naming file, field, bad value and what is accepted. */
  readonly line: string;
}

/**
 * The service configuration is invalid. `problems` holds every problem found, one line each;
 * the message lists them all.
 */
export class ConfigError extends EcsCanaryError {
  constructor(
    public readonly problems: readonly ConfigProblem[],
    options?: { cause?: unknown },
  ) {
    super(
      `Invalid service configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.line}`).join('\n'),
      options,
    );
    this.name = 'ConfigError';
  }
}
