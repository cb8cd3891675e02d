/**
 * npm 11 reads the `allowScripts` field of package.json (RFC npm/rfcs#868) and warns at every
 * install about a dependency whose install scripts it does not cover. Every package of the lock
 * with an install script is named there, and nothing else is, so `npm ci` installs without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface LockEntry {
  readonly hasInstallScript?: boolean;
}

const read = <T>(file: string): T => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;

/** The package name of a lock key such as `node_modules/a/node_modules/@scope/b`. */
const nameOf = (key: string): string => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('install scripts', () => {
  it("names in package.json's allowScripts exactly the locked packages that have install scripts", () => {
    const { packages } = read<{ packages: Record<string, LockEntry> }>('package-lock.json');
    const withScripts = Object.entries(packages)
      .filter(([key, entry]) => key !== '' && entry.hasInstallScript)
      .map(([key]) => nameOf(key));
    const { allowScripts = {} } = read<{ allowScripts?: Record<string, boolean> }>('package.json');
    expect(Object.keys(allowScripts).sort()).toEqual([...new Set(withScripts)].sort());
    expect(withScripts).toContain('esbuild');
  });
});
