/**
 * The package.json and package-lock.json of an app that depends on the packed tarball, so that
 * `npm ci --offline` installs it from the npm cache alone: `npm install <tarball>` would ask the
 * registry for every dependency's metadata, which `npm ci` of this repository never cached. The
 * lock pins what ours pins: our runtime packages (those not marked `dev`) and the named tools.
 */

export interface LockEntry {
  readonly version?: string;
  readonly dev?: boolean;
  readonly [field: string]: unknown;
}

export interface PackageLock {
  readonly lockfileVersion: number;
  readonly packages: Record<string, LockEntry>;
}

export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
  readonly [field: string]: unknown;
}

export interface ConsumerOptions {
  /** The app's package name. */
  readonly name: string;
  /** The tarball, relative to the app directory. */
  readonly tarball: string;
  /** `sha512-<base64>` of the tarball. */
  readonly integrity: string;
  /** devDependencies of ours the app needs too (esbuild: NodejsFunction bundles with it). */
  readonly tools: readonly string[];
}

/** The app's manifest (our package, aws-cdk-lib, constructs and the tools) and its lock. */
export function consumerLock(repoLock: PackageLock, pkg: PackedPackage, options: ConsumerOptions) {
  if (repoLock.lockfileVersion !== 3) throw new Error(`package-lock.json: lockfileVersion ${repoLock.lockfileVersion}; this test reads version 3`);
  const dependencies: Record<string, string> = {
    [pkg.name]: `file:${options.tarball}`,
    'aws-cdk-lib': pkg.dependencies['aws-cdk-lib'],
    constructs: pkg.dependencies.constructs,
    ...Object.fromEntries(options.tools.map((tool) => [tool, pkg.devDependencies[tool]])),
  };
  const isTool = (key: string) =>
    options.tools.some((tool) => key === `node_modules/${tool}` || key.startsWith(`node_modules/${tool}/`) || key.startsWith(`node_modules/@${tool}/`));
  const packages: Record<string, LockEntry> = {
    '': { name: options.name, version: '1.0.0', dependencies },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: `file:${options.tarball}`,
      integrity: options.integrity,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [key, entry] of Object.entries(repoLock.packages)) {
    if (key === '' || (entry.dev && !isTool(key))) continue;
    const { dev: _dev, ...rest } = entry;
    packages[key] = rest;
  }
  return {
    manifest: { name: options.name, version: '1.0.0', private: true, dependencies },
    lock: { name: options.name, version: '1.0.0', lockfileVersion: 3, requires: true, packages },
  };
}
