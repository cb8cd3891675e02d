/** The start of every Lambda invocation's logging. */
import type { Logger } from '@aws-lambda-powertools/logger';

/**
 * The part of Lambda's context object the handlers use. Declared here rather than taken from
 * @types/aws-lambda (a devDependency), so the package's declarations need nothing the package
 * does not install.
 */
export interface InvocationContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/**
 * Clears the keys the previous invocation of a warm container appended (its deployment id, hook)
 * and adds this invocation's Lambda context (request id, function name and version, cold start)
 * to every log line.
 */
export function startInvocation(log: Logger, context?: InvocationContext): void {
  log.resetKeys();
  // Lambda passes its full context object; the logger reads only the fields declared above.
  if (context) log.addContext(context as Parameters<Logger['addContext']>[0]);
}

/**
 * The event checked by `parse` before the handler reads it; a malformed one is logged as one
 * error line (its message names the field, the value and what is accepted) and thrown, named.
 */
export function checkedEvent<T>(log: Logger, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    log.error((error as Error).message, { errorName: (error as Error).name });
    throw error;
  }
}
