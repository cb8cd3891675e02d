/**
 * Where `canary plan` and `canary simulate` find a service's YAML: `--config <file>`, else
 * `<name>.yaml` (or `.yml`) in `--services-dir <dir>`, in `ECS_CANARY_SERVICES_DIR` (the variable
 * `cdk synth` honours too), or in `./services`; else the example of that name the package ships
 * (`services/demo.yaml`), so `canary simulate demo` runs right after an install.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { DEFAULT_SERVICES_DIR, SERVICES_DIR_ENV } from '../lib/config';
import { UsageError } from './exit';

export interface ServiceFileOptions {
  /** `--config <file>`: this file, whatever the service's name. */
  readonly config?: string;
  /** `--services-dir <dir>`. */
  readonly servicesDir?: string;
}

/** The service file to read for `service`. @throws UsageError naming where it looked and how to point elsewhere. */
export function resolveServiceFile(service: string, options: ServiceFileOptions, env: NodeJS.ProcessEnv): string {
  // An empty --config or --services-dir (an unset shell variable) would otherwise fall back to another file without a word.
  for (const [flag, value, accepted] of [
    ['--config', options.config, 'the path of a service YAML file'],
    ['--services-dir', options.servicesDir, 'a directory holding <service>.yaml'],
  ] as const)
    if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} is ${JSON.stringify(value)}; accepted: ${accepted}`);
  if (options.config) return options.config;
  const [dir, from] = options.servicesDir
    ? [options.servicesDir, '--services-dir']
    : env[SERVICES_DIR_ENV]
      ? [env[SERVICES_DIR_ENV]!, SERVICES_DIR_ENV]
      : [DEFAULT_SERVICES_DIR, undefined];
  const found = serviceFileIn(dir, service);
  if (found) return found;
  if (from === undefined) {
    const bundled = bundledExample(service);
    if (bundled) return bundled;
  }
  const looked = `${join(dir, `${service}.yaml`)}${from ? ` (${from})` : ''}`;
  throw new UsageError(
    `no service file ${looked}; accepted: --config <file>, --services-dir <dir> or ${SERVICES_DIR_ENV}=<dir> holding ${service}.yaml, or run in the directory above services/${examples().length > 0 ? ` (examples shipped: ${examples().join(', ')})` : ''}`,
  );
}

/** `<dir>/<service>.yaml` or `.yml` when it exists. */
function serviceFileIn(dir: string, service: string): string | undefined {
  return [`${service}.yaml`, `${service}.yml`].map((name) => join(dir, name)).find((file) => existsSync(file));
}

/** The package's own `services/` directory (next to package.json, from cli or dist/cli). */
function packageServicesDir(): string | undefined {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'ecs-canary')
        return existsSync(join(dir, 'services')) && statSync(join(dir, 'services')).isDirectory() ? join(dir, 'services') : undefined;
    } catch {
      // no package.json here: go up
    }
  }
  return undefined;
}

/** The shipped example of that name, if the package has one. */
export function bundledExample(service: string): string | undefined {
  const dir = packageServicesDir();
  return dir ? serviceFileIn(dir, service) : undefined;
}

/** Names of the examples the package ships. */
function examples(): string[] {
  return BUNDLED_EXAMPLES.filter((name) => bundledExample(name) !== undefined);
}

/** The examples the package ships in `services/` (package.json `files`). */
export const BUNDLED_EXAMPLES = ['demo'] as const;
