/** A `CanaryService` cannot be built as asked; the message names the construct path and the fix. */
export class CanaryServiceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CanaryServiceError';
  }
}
