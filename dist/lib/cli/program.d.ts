import { Command } from 'commander';
import type { CliDeps } from './context';
export declare function buildProgram(deps: CliDeps): Command;
/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export declare function runCli(argv: readonly string[], deps: CliDeps): Promise<number>;
