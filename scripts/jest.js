#!/usr/bin/env node
// `npm test` runs jest through this: every temporary file of the run (the cdk.out directory of each
// synthesized test app, service files, reports, the children's) goes into one directory of its own,
// removed when jest ends; left in the system's temporary directory they add up to gigabytes.
// Jest's cache stays where jest keeps it by default. Arguments are passed on to jest.
const { spawn } = require('node:child_process');
const { mkdtempSync, realpathSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');

const systemTmp = realpathSync(tmpdir());
// Jest's default cache directory, computed as jest computes it, before TMPDIR changes.
const cacheDirectory = process.getuid ? join(systemTmp, `jest_${process.getuid().toString(36)}`) : join(systemTmp, 'jest');
const jestBin = join(dirname(require.resolve('jest/package.json')), require('jest/package.json').bin);
const runTmp = mkdtempSync(join(systemTmp, 'ecs-canary-test-'));

const jest = spawn(
  process.execPath,
  ['--max-semi-space-size=64', jestBin, `--cacheDirectory=${cacheDirectory}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, TMPDIR: runTmp, TMP: runTmp, TEMP: runTmp } },
);

const cleanUp = () => rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
// Ctrl-C reaches jest too (same process group); the directory goes once jest has stopped.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => jest.kill(signal));
jest.on('error', (error) => {
  cleanUp();
  console.error(`cannot start jest: ${error.message}`);
  process.exit(1);
});
jest.on('exit', (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal ? 1 : 0));
});
