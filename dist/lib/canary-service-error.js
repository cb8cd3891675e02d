"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CanaryServiceError = void 0;
/** A `CanaryService` cannot be built as asked; the message names the construct path and the fix. */
class CanaryServiceError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'CanaryServiceError';
    }
}
exports.CanaryServiceError = CanaryServiceError;
