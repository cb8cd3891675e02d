import { type ConfigProblem } from './errors';
import { type ServiceConfig } from './schema';
/** Where `bin/app.ts` looks for service files unless told otherwise. */
export declare const DEFAULT_SERVICES_DIR = "services";
/** Environment variable that overrides the services directory (tests, benchmarks). */
export declare const SERVICES_DIR_ENV = "ECS_CANARY_SERVICES_DIR";
/**
 * Loads and validates every `*.yaml` / `*.yml` file in `dir`, in name order.
 * @throws ConfigError listing every problem of every file, and duplicate service names.
 */
export declare function loadServiceConfigs(dir: string): ServiceConfig[];
/** Loads and validates one file. @throws ConfigError with every problem of the file. */
export declare function loadServiceConfigFile(file: string): ServiceConfig;
/** The file a configuration was loaded from, as shown in messages; undefined for one built in code. */
export declare function configSource(config: unknown): string | undefined;
export type ParseResult = {
    readonly success: true;
    readonly config: ServiceConfig;
    readonly name: string;
} | {
    readonly success: false;
    readonly problems: ConfigProblem[]; /** The `name` field when it is a string. */
    readonly name?: string;
};
/**
 * Validates a configuration given as an object (a CDK app that builds `CanaryService` itself);
 * `source` names it in the messages, such as the construct path.
 * @throws ConfigError with every problem.
 */
export declare function validateServiceConfig(input: unknown, source: string): ServiceConfig;
/** Validates the YAML text of one service file; `file` is used in the messages only. */
export declare function parseServiceConfig(text: string, file: string): ParseResult;
/** `['rollout', 'steps', 1, 'weight']` → `rollout.steps[1].weight`. */
export declare function formatPath(segments: readonly PropertyKey[]): string;
