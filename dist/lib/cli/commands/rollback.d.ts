/**
 * `canary rollback <service> [--reason …]`: record who and why, stop the deployment with
 * auto-rollback, then wait until the original serves 100% of production traffic.
 */
import type { Command } from 'commander';
import { type CliDeps } from '../context';
export declare function registerRollback(program: Command, deps: CliDeps): void;
