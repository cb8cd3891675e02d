/**
 * Errors the fake throws look like the SDK's: the modelled exception class where the SDK has one
 * (so `instanceof` and `error.name` both work), otherwise the service's base exception with the
 * error code as `name` (e.g. ELBv2 `ValidationError`, CloudWatch `ThrottlingException`).
 */
type ExceptionClass = new (options: { message: string; $metadata: object }) => Error;
type ServiceExceptionClass = new (options: { name: string; $fault: 'client' | 'server'; $metadata: object; message?: string }) => Error;

export function awsError<C extends ExceptionClass>(exceptionClass: C, message: string): InstanceType<C> {
  return new exceptionClass({ message, $metadata: { httpStatusCode: 400 } }) as InstanceType<C>;
}

export function serviceError(base: ServiceExceptionClass, name: string, message: string, httpStatusCode = 400): Error {
  return new base({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode }, message });
}

/** A call the fake does not model: a plain Error, so a test fails loudly instead of silently passing. */
export class NotModelledError extends Error {
  constructor(what: string) {
    super(`fake AWS: ${what} is not modelled by test/support`);
    this.name = 'NotModelledError';
  }
}

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

let counter = 0;
/** Deterministic ids: a prefix and a per-process counter, zero padded to `width` hex digits. */
export function nextId(width = 8): string {
  counter += 1;
  return counter.toString(16).padStart(width, '0');
}
