#!/usr/bin/env node
/**
 * The `canary` CLI for pipelines and on-call. `npm ci` bundles it to `dist/bin/canary.js` (and
 * `npm pack` compiles it there), which `bin/canary.js` runs: no TypeScript at run time (docs/packaging.md).
 */
import { processDeps } from '../cli/context';
import { runCli } from '../cli/program';

// The SDK warns under Node 20 on every command that its releases after January 2027 need Node 22
// (aws-sdk-js-v3#7983, its documented switch); our SDK is pinned and runs on Node 20. Set it to
// anything but `true` to see the warning.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Ctrl-C while following: the deployment goes on in AWS; say how to find it again.
process.once('SIGINT', () => {
  process.stderr.write(
    '\ninterrupted: the deployment continues in AWS; follow it with canary status <service>, stop it with canary rollback <service>\n',
  );
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
