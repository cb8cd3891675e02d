/** A `CanaryService` cannot be built as asked; the message names the construct path and the fix. */
export declare class CanaryServiceError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
