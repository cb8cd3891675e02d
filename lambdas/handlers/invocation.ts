/** The start of every Lambda invocation's logging. */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * Clears the keys the previous invocation of a warm container appended (its deployment id, hook)
 * and adds this invocation's Lambda context (request id, function name and version, cold start)
 * to every log line.
 */
export function startInvocation(log: Logger, context?: Context): void {
  log.resetKeys();
  if (context) log.addContext(context);
}
