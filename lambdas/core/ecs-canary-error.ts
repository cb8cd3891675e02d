/**
 * The base of every error ecs-canary throws on purpose: a message that names what is wrong and what
 * is accepted, a `name` and an optional `cause`. The CDK app and the CLI print such an error as
 * one line, without a stack trace.
 */
const BRAND = Symbol.for('ecs-canary.EcsCanaryError');

export class EcsCanaryError extends Error {
  /** True for an `EcsCanaryError` from any copy of the package (a brand, not `instanceof`). */
  static isEcsCanaryError(error: unknown): error is EcsCanaryError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
  }

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EcsCanaryError';
    Object.defineProperty(this, BRAND, { value: true });
  }
}
