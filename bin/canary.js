#!/usr/bin/env node
// Entry of `npx canary`: registers tsx (a devDependency, present after `npm ci`) and runs the
// TypeScript CLI, so no build step is needed.
require('tsx/cjs/api').register();
require('./canary.ts');
