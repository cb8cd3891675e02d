"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.awsOptions = awsOptions;
exports.parsePositiveInt = parsePositiveInt;
/** Options every command shares and small option parsers. */
const commander_1 = require("commander");
function awsOptions(options) {
    return { region: options.region, profile: options.profile };
}
/** A commander parser for a whole number ≥ 1 that names the option on error. */
function parsePositiveInt(option) {
    return (value) => {
        const parsed = Number(value);
        if (!/^\d+$/.test(value) || parsed < 1) {
            throw new commander_1.InvalidArgumentError(`${option} is ${JSON.stringify(value)}; accepted: a whole number of at least 1`);
        }
        return parsed;
    };
}
