#!/usr/bin/env node
// Entry of `canary`: runs the compiled CLI. `dist/` is built by `npm run build` and committed, so a
// fresh clone runs it after `npm ci --omit=dev`, without TypeScript (docs/packaging.md).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'dist', 'bin', 'canary.js');
if (!existsSync(compiled)) {
  process.stderr.write(`canary: ${compiled} is missing; run npm run build (needs the devDependencies)\n`);
  process.exit(2);
}
require(compiled);
