#!/usr/bin/env -S npx tsx
/**
 * The `canary` CLI for pipelines and on-call. `bin/canary.js` loads this through tsx so that
 * `npx canary …` works after `npm ci` without a build step.
 */
import { processDeps } from '../lib/cli/context';
import { runCli } from '../lib/cli/program';

// Ctrl-C while following: the deployment goes on in AWS; say how to find it again.
process.once('SIGINT', () => {
  process.stderr.write('\ninterrupted: the deployment continues in AWS; follow it with canary status <service>, stop it with canary rollback <service>\n');
  process.exit(130);
});

runCli(process.argv.slice(2), processDeps()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
