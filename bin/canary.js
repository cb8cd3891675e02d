#!/usr/bin/env node
// Entry of `canary`: runs dist/bin/canary.js, which `npm ci` bundles in a clone (scripts/prepare.js)
// and `npm pack` compiles for the package (docs/packaging.md).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'dist', 'bin', 'canary.js');
if (!existsSync(compiled)) {
  process.stderr.write(
    `canary: ${compiled} is missing: run \`npm ci\` (with devDependencies) in this clone to build it, ` +
      'or `npx tsx bin/canary.ts` to run from the sources\n',
  );
  process.exit(2);
}
require(compiled);
