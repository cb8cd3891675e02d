import type { Command } from 'commander';
import { type CliDeps } from '../context';
export declare function registerFreeze(program: Command, deps: CliDeps): void;
