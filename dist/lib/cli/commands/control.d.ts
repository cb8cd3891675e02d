import type { Command } from 'commander';
import type { DeploymentMetadata } from '../../../lambdas/core/metadata';
import { type DeploymentSnapshot } from '../../deploy/observe';
import { type CliDeps } from '../context';
/** CodeDeploy fails a hook not answered within one hour. */
export declare const HOOK_LIMIT_MINUTES = 60;
/** When the running hook must have answered, or undefined when no hook runs (pure). */
export declare function hookDeadline(snapshot: DeploymentSnapshot): {
    hook: string;
    at: Date;
} | undefined;
export declare function deadlineText(snapshot: DeploymentSnapshot, now: Date): string;
export declare function registerControl(program: Command, deps: CliDeps): void;
/** The control parameter operators write to; a stack from before it has none (one clear line). */
export declare function requireControlParameter(metadata: DeploymentMetadata): string;
export declare function requireAuditTable(metadata: DeploymentMetadata): string;
