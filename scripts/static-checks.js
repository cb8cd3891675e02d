#!/usr/bin/env node
// `npm test` runs this before jest: the type check, ESLint and Prettier, side by side (each uses one
// core; the three take about half as long together as one after another). Quiet when all pass; a
// failure prints that tool's own output and exits 1. `npm run lint` still runs ESLint and Prettier alone.
const { spawn } = require('node:child_process');
const { dirname, join } = require('node:path');

/** The path of a package's command, from its package.json `bin`. */
function binOf(pkg, name) {
  const manifest = require(`${pkg}/package.json`);
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name];
  return join(dirname(require.resolve(`${pkg}/package.json`)), bin);
}

const CHECKS = [
  { name: 'tsc --noEmit', bin: binOf('typescript', 'tsc'), args: ['--noEmit'] },
  { name: 'eslint .', bin: binOf('eslint', 'eslint'), args: ['.'] },
  { name: 'prettier --check', bin: binOf('prettier', 'prettier'), args: ['--check', '--log-level', 'warn', '**/*.ts'] },
];

function run(check, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [check.bin, ...check.args], { cwd });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ check, code: 1, output: String(error) }));
    child.on('close', (code) => resolve({ check, code, output }));
  });
}

/** Runs `checks` at once; writes each failure's output and name to `stderr`; resolves to the exit code. */
async function runChecks(checks, { cwd = join(__dirname, '..'), stderr = process.stderr } = {}) {
  const results = await Promise.all(checks.map((check) => run(check, cwd)));
  const failed = results.filter((result) => result.code !== 0);
  for (const { check, code, output } of failed) stderr.write(`${output.trimEnd()}\n${check.name} failed (exit ${code})\n`);
  return failed.length > 0 ? 1 : 0;
}

module.exports = { CHECKS, runChecks };

if (require.main === module) runChecks(CHECKS).then((code) => (process.exitCode = code));
