"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PlanRefusedError = exports.CommandFailedError = exports.UsageError = exports.EXIT = void 0;
exports.exitFor = exitFor;
/**
 * Exit codes, the contract with pipelines:
 * 0 succeeded; 1 rolled back, failed or refused (the reason on the last line); 2 bad usage or
 * configuration, or a plan that cannot meet `--require-detect`; 3 AWS or permission error (the AWS error code and the missing action named).
 */
const commander_1 = require("commander");
const appspec_1 = require("../deploy/appspec");
const config_1 = require("../config");
const errors_1 = require("../deploy/errors");
const task_definition_1 = require("../deploy/task-definition");
exports.EXIT = { ok: 0, failed: 1, usage: 2, aws: 3 };
/** Bad command-line input found after parsing (a value commander cannot check). */
class UsageError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'UsageError';
    }
}
exports.UsageError = UsageError;
/** A command that ran but did not get what it was asked (nothing to roll back, a broken chain...). */
class CommandFailedError extends Error {
    /** Extra members of the `--json` result event (for example a simulation's scenario and outcome). */
    result;
    constructor(message, options) {
        super(message, options);
        this.name = 'CommandFailedError';
        this.result = options?.result;
    }
}
exports.CommandFailedError = CommandFailedError;
/** A rollout refused before anything was created because its plan cannot meet a stated requirement (exit 2). */
class PlanRefusedError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'PlanRefusedError';
    }
}
exports.PlanRefusedError = PlanRefusedError;
/** The exit code and the one line to print last for an error (pure). */
function exitFor(error) {
    if (error instanceof commander_1.CommanderError) {
        const helpOrVersion = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code);
        // Commander's suggestion ("(Did you mean --html?)") joins the line, so the reason stays last and whole.
        return { code: helpOrVersion ? exports.EXIT.ok : exports.EXIT.usage, line: helpOrVersion ? '' : error.message.replace(/^error: /, 'usage error: ').replace(/\s*\n\s*/g, ' ') };
    }
    if (error instanceof UsageError)
        return { code: exports.EXIT.usage, line: `usage error: ${error.message}` };
    if (error instanceof PlanRefusedError)
        return { code: exports.EXIT.usage, line: `refused: ${error.message}` };
    if (error instanceof config_1.ConfigError || error instanceof errors_1.DeployConfigError || error instanceof appspec_1.AppSpecError || error instanceof task_definition_1.TaskDefinitionError) {
        return { code: exports.EXIT.usage, line: `configuration error: ${error.message}` };
    }
    if (error instanceof errors_1.AwsCallError) {
        const action = error.missingAction ? ` [missing action: ${error.missingAction}]` : '';
        return { code: exports.EXIT.aws, line: `AWS error ${error.code}${action}: ${error.message}` };
    }
    if (error instanceof errors_1.DeploymentBlockedError)
        return { code: exports.EXIT.failed, line: `refused: ${error.message}` };
    if (error instanceof errors_1.DeploymentFailedError || error instanceof CommandFailedError)
        return { code: exports.EXIT.failed, line: `failed: ${error.message}` };
    return { code: exports.EXIT.failed, line: `failed: ${error?.message ?? String(error)}` };
}
