import type { Command } from 'commander';
import type { CliDeps } from '../context';
export declare function registerSimulate(program: Command, deps: CliDeps): void;
