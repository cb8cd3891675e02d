/**
 * The test run's own tools: jest's transform (test/transform.js) must not change what a module
 * does, and `npm test`'s static checks (scripts/static-checks.js) must fail when any check fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import * as vm from 'node:vm';

import { TsJestTransformer } from 'ts-jest';

import { scratchDir } from './scratch';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const transform = require('./transform.js') as {
  createTransformer(options: object): {
    process(source: string, file: string, options: object): { code: string };
    getCacheKey(source: string, file: string, options: object): string;
  };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CHECKS, runChecks } = require('../scripts/static-checks.js') as {
  CHECKS: { name: string }[];
  runChecks(checks: object[], options: { stderr: Writable }): Promise<number>;
};

const SOURCE = [
  'export function sloppyWrite(): void {',
  '  // @ts-expect-error: an undeclared name, which strict mode refuses',
  '  undeclared = 1;',
  '}',
  'export const mathIsGlobal = (): boolean => Math === globalThis.Math;',
  '',
].join('\n');

const FILE = path.join(__dirname, 'tooling-fixture.ts');
const OPTIONS = { config: { cwd: path.join(__dirname, '..'), rootDir: path.join(__dirname, '..') }, cacheFS: new Map() } as never;
const transformed = transform.createTransformer({ diagnostics: false }).process(SOURCE, FILE, OPTIONS).code;
const tsJestOnly = new TsJestTransformer({ diagnostics: false }).process(SOURCE, FILE, OPTIONS).code;

/** The transformed module, run the way jest runs it: in a vm context, wrapped as CommonJS. */
function load(code: string): Record<string, () => unknown> {
  const context = vm.createContext({});
  const wrapper = vm.runInContext(`(function (exports, module, require) {${code}\n})`, context, { filename: FILE }) as (
    exports: object,
    module: object,
    require: NodeRequire,
  ) => void;
  const module = { exports: {} as Record<string, () => unknown> };
  wrapper(module.exports, module, require);
  return module.exports;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    text: () => text,
  };
}

describe("jest's transform", () => {
  const loaded = load(transformed);

  it('keeps modules strict: the bindings come after the "use strict" directive', () => {
    expect(() => loaded.sloppyWrite()).toThrow('undeclared is not defined');
  });

  it("binds the context's own built-ins, so identity checks hold", () => {
    expect(loaded.mathIsGlobal()).toBe(true);
  });

  it("adds no line, so source maps and stack traces stay right: every line after the first is ts-jest's own", () => {
    expect(transformed.split('\n').slice(1)).toEqual(tsJestOnly.split('\n').slice(1));
    expect(transformed.split('\n')[0]).toMatch(/^"use strict";const \{Math,.*\} = globalThis;/);
  });
});

describe("npm test's static checks", () => {
  const node = (name: string, script: string) => ({ name, bin: '-e', args: [script] });

  it('are the type check, ESLint and Prettier', () => {
    expect(CHECKS.map((check) => check.name)).toEqual(['tsc --noEmit', 'eslint .', 'prettier --check']);
  });

  it('fail when any one fails, printing its output and its name', async () => {
    const out = sink();
    const code = await runChecks([node('passes', ''), node('breaks', 'console.error("bad line"); process.exit(2)')], {
      stderr: out.stream,
    });
    expect(code).toBe(1);
    expect(out.text()).toBe('bad line\nbreaks failed (exit 2)\n');
  });

  it('pass quietly when all pass', async () => {
    const out = sink();
    expect(await runChecks([node('a', 'console.log("ok")'), node('b', '')], { stderr: out.stream })).toBe(0);
    expect(out.text()).toBe('');
  });
});

describe("npm test's jest runner (scripts/jest.js)", () => {
  const runner = path.join(__dirname, '..', 'scripts', 'jest.js');
  /** Runs a one-test project through the runner; its test makes a temporary directory, names it in `seen.txt` and fails. */
  function runProbe(): { status: number | null; made: string } {
    const dir = scratchDir('jest-runner-');
    const seen = path.join(dir, 'seen.txt');
    writeFileSync(
      path.join(dir, 'probe.test.js'),
      `const fs = require('node:fs'), os = require('node:os'), path = require('node:path');
test('probe', () => {
  fs.writeFileSync(${JSON.stringify(seen)}, fs.mkdtempSync(path.join(os.tmpdir(), 'probe-')));
  expect('the probe').toBe('failing on purpose');
});`,
    );
    const config = JSON.stringify({ rootDir: dir, testMatch: ['**/probe.test.js'], transform: {} });
    const run = spawnSync(process.execPath, [runner, '--config', config, '--silent'], { encoding: 'utf8' });
    return { status: run.status, made: readFileSync(seen, 'utf8') };
  }

  it("gives the run a temporary directory of its own, removes it at the end, and passes jest's exit code on", () => {
    // A failing run: its exit code comes through, and the directory goes all the same.
    const { status, made } = runProbe();
    expect(status).toBe(1);
    expect(path.basename(path.dirname(made))).toMatch(/^ecs-canary-test-/);
    expect(existsSync(path.dirname(made))).toBe(false);
  });
});
