/**
 * `canary deploy <service> --image <uri>`: register a revision with only the image changed,
 * create the CodeDeploy deployment with the ecs-canary AppSpec, follow it to the end.
 */
import type { Command } from 'commander';
import type { CliDeps } from '../context';
import { type GlobalOptions } from './shared';
interface DeployOptions extends GlobalOptions {
    readonly image: string;
    readonly wait: boolean;
    readonly dryRun?: boolean;
    readonly pollSeconds: number;
}
export declare function registerDeploy(program: Command, deps: CliDeps): void;
export declare function deploy(service: string, options: DeployOptions, deps: CliDeps): Promise<void>;
export {};
