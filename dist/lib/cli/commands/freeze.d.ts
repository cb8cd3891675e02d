import type { Command } from 'commander';
import { type CliDeps } from '../context';
/** What the engine does with a rollout in progress once the switch is set. */
export declare const STOPS_RUNNING_ROLLOUT = "the running rollout will be stopped and production returned to the original within a minute";
export declare function registerFreeze(program: Command, deps: CliDeps): void;
