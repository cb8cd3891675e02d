#!/usr/bin/env node
// `npm ci` in a clone runs this (`prepare`): it bundles the `canary` CLI — bin/canary.ts and what it
// imports from lib/ and lambdas/ — into dist/bin/canary.js with esbuild, in about a second. Packages
// in node_modules stay imports. `npm pack` builds the full dist/ (with declarations) instead.
// With `npm ci --omit=dev` there is no esbuild: it says what to run and leaves the install intact.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const outfile = join(root, 'dist', 'bin', 'canary.js');

let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  process.stderr.write(
    'ecs-canary: the canary CLI is not built: esbuild (a devDependency) is not installed.\n' +
      '  Run `npm ci` without --omit=dev in this clone, or install the packed release (npm run release).\n',
  );
  process.exit(0);
}
// An installed package has no sources, and `npm pack` has just built dist/ with tsc (prepack).
if (!existsSync(join(root, 'bin', 'canary.ts')) || ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);

esbuild.buildSync({
  entryPoints: [join(root, 'bin', 'canary.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});
