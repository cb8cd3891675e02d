"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigError = void 0;
/**
 * The service configuration is invalid. `problems` holds every problem found, one line each;
 * the message lists them all.
 */
class ConfigError extends Error {
    problems;
    constructor(problems, options) {
        super(`Invalid service configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
            problems.map((p) => `  ${p.line}`).join('\n'), options);
        this.problems = problems;
        this.name = 'ConfigError';
    }
}
exports.ConfigError = ConfigError;
