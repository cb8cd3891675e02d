/**
 * `canary deploy <service> --image <uri>`: register a revision with only the image changed,
 * create the CodeDeploy deployment with the ecs-canary AppSpec, follow it to the end. Before it
 * creates anything it prints what the plan can detect at the last hour's traffic (`canary plan`'s
 * figures) and, with `--require-detect <pp>`, refuses (exit 2) a plan that cannot catch that.
 */
import type { Command } from 'commander';
import type { CliDeps } from '../context';
import { type GlobalOptions } from './shared';
interface DeployOptions extends GlobalOptions {
    readonly image: string;
    readonly wait: boolean;
    readonly dryRun?: boolean;
    readonly pollSeconds: number;
    readonly requireDetect?: number;
}
export declare function registerDeploy(program: Command, deps: CliDeps): void;
export declare function deploy(service: string, options: DeployOptions, deps: CliDeps): Promise<void>;
export {};
