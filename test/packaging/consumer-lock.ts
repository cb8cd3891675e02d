/**
 * The package.json and package-lock.json of an app that depends on the packed tarball, so that
 * `npm ci --offline` installs it from the npm cache alone: `npm install <tarball>` would ask the
 * registry for every dependency's metadata, which `npm ci` of this repository never cached. The
 * lock pins what ours pins: our runtime packages (those not marked `dev`), and our required peers
 * (aws-cdk-lib, constructs; not the optional ones, vega and vega-lite, which an app that uses the
 * constructs does not install) with everything they depend on. No build tool: the package ships its
 * Lambda handlers bundled, so the app synthesizes without esbuild.
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
  readonly peerDependencies: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { readonly optional?: boolean }>;
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
}

/**
 * The lock keys of `names` and of everything they depend on: a dependency resolves to the copy nested
 * under its dependent when there is one, else to the hoisted `node_modules/<name>` (npm's lookup).
 */
function closure(repoLock: PackageLock, names: readonly string[]): Set<string> {
  const keys = new Set<string>();
  const visit = (key: string) => {
    const entry = repoLock.packages[key];
    if (!entry || keys.has(key)) return;
    keys.add(key);
    const deps = {
      ...(entry.dependencies as Record<string, string> | undefined),
      ...(entry.optionalDependencies as Record<string, string> | undefined),
    };
    for (const dep of Object.keys(deps)) {
      let dir = key;
      let found: string | undefined;
      for (;;) {
        const candidate = `${dir}/node_modules/${dep}`;
        if (repoLock.packages[candidate]) {
          found = candidate;
          break;
        }
        const up = dir.lastIndexOf('/node_modules/');
        if (up < 0) break;
        dir = dir.slice(0, up);
      }
      visit(found ?? `node_modules/${dep}`);
    }
  };
  for (const name of names) visit(`node_modules/${name}`);
  return keys;
}

/** The app's manifest (our package and its peers aws-cdk-lib and constructs) and its lock. */
export function consumerLock(repoLock: PackageLock, pkg: PackedPackage, options: ConsumerOptions) {
  if (repoLock.lockfileVersion !== 3)
    throw new Error(`package-lock.json: lockfileVersion ${repoLock.lockfileVersion}; this test reads version 3`);
  const peers = Object.keys(pkg.peerDependencies).filter((name) => !pkg.peerDependenciesMeta?.[name]?.optional);
  const dependencies: Record<string, string> = {
    [pkg.name]: `file:${options.tarball}`,
    ...Object.fromEntries(peers.map((name) => [name, pkg.devDependencies[name]])),
  };
  const wanted = closure(repoLock, peers);
  const packages: Record<string, LockEntry> = {
    '': { name: options.name, version: '1.0.0', dependencies },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: `file:${options.tarball}`,
      integrity: options.integrity,
      license: pkg.license,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
      ...(pkg.peerDependenciesMeta ? { peerDependenciesMeta: pkg.peerDependenciesMeta } : {}),
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [key, entry] of Object.entries(repoLock.packages)) {
    if (key === '' || (entry.dev && !wanted.has(key))) continue;
    const { dev: _dev, ...rest } = entry;
    packages[key] = rest;
  }
  return {
    manifest: { name: options.name, version: '1.0.0', private: true, dependencies },
    lock: { name: options.name, version: '1.0.0', lockfileVersion: 3, requires: true, packages },
  };
}
