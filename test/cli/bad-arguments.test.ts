/**
 * Every `canary` command with every class of bad argument, read from the program itself so a new
 * command or option is attacked too: a missing, extra or malformed `<service>`, an unknown option,
 * an option without its value, an empty or blank value for every option that takes one, and values
 * no number option accepts; then seeded random command lines that mix one such fault into
 * otherwise valid flags. Each is refused with exit 2 and one stderr line, before any AWS call and
 * without writing a file: nothing is half-applied.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Option } from 'commander';
import fc from 'fast-check';

import type { CliDeps } from '../../cli/context';
import { buildProgram } from '../../cli/program';
import { aws, resetAws, run, type RunResult } from './harness';

const SEED = Number(process.env.FUZZ_SEED ?? 3707);
const OUT = mkdtempSync(join(tmpdir(), 'ecs-canary-bad-arguments-'));
/** The offline commands' service file, so that they reach their options' checks. */
const IN = mkdtempSync(join(tmpdir(), 'ecs-canary-bad-arguments-in-'));
mkdirSync(join(IN, 'services'));
writeFileSync(join(IN, 'services', 'web.yaml'), 'name: web\nimage: public.ecr.aws/nginx/nginx:1.27\n');
const ENV = { ECS_CANARY_SERVICES_DIR: join(IN, 'services') };

/** A value each option accepts, so that a fault elsewhere on the line is the only one. */
const VALID: Record<string, string> = {
  '--image': 'public.ecr.aws/nginx/nginx:1.27',
  '--container': 'app',
  '--poll-seconds': '5',
  '--require-detect': '2',
  '--deployment': 'd-ABCDEF123',
  '--reason': 'incident 42',
  '--timeout-minutes': '10',
  '--limit': '5',
  '--trust-root': 'arn:aws:kms:eu-west-1:123456789012:key/abc,web-audit-anchors',
  '--scenario': 'clean',
  '--html': join(OUT, 'report.html'),
  '--speed': '10',
  '--rps': '100',
  '--error-rate': '1',
  '--p95': '200',
  '--out': join(OUT, 'appspec'),
  '--services-dir': join(IN, 'services'),
  '--config': join(IN, 'services', 'web.yaml'),
};
const VALID_FORMAT: Record<string, string> = { history: 'text', appspec: 'yaml' };

/** Options that take a number: none accepts these. */
const NUMERIC = ['--poll-seconds', '--require-detect', '--timeout-minutes', '--limit', '--speed', '--rps', '--error-rate', '--p95'];
const NOT_A_NUMBER = ['NaN', 'Infinity', '-1', '0x10', '1e999', 'five', '5 s'];
const BLANK = ['', '   ', '\t'];
const BAD_SERVICES = ['', 'WEB', '../web', 'web/x', 'w', 'x'.repeat(28), 'web\n', '-web', 'wéb', 'web.yaml'];

interface CommandShape {
  readonly name: string;
  readonly valueOptions: readonly string[];
  readonly required: readonly string[];
}

const shapes: CommandShape[] = buildProgram({} as CliDeps).commands.map((command) => {
  const options = command.options as readonly (Option & { mandatory?: boolean })[];
  const valueOptions = options.filter((o) => o.required || o.optional).map((o) => o.long!);
  return { name: command.name(), valueOptions, required: options.filter((o) => o.mandatory).map((o) => o.long!) };
});

const valueFor = (command: string, option: string) => (option === '--format' ? VALID_FORMAT[command]! : VALID[option]!);

/** The command with its required options given valid values. */
const base = (shape: CommandShape, service = 'web'): string[] => [
  shape.name,
  service,
  ...shape.required.flatMap((o) => [o, valueFor(shape.name, o)]),
];

const awsCalls = () => Object.values(aws).reduce((sum, mock) => sum + mock.calls().length, 0);

function expectRefused(result: RunResult, argv: readonly string[], mentions?: string): void {
  const context = JSON.stringify(argv);
  expect({ argv: context, code: result.code }).toEqual({ argv: context, code: 2 });
  expect({ argv: context, stderr: result.stderr.lines().length }).toEqual({ argv: context, stderr: 1 });
  const line = result.stderr.lines()[0]!;
  expect(line).toMatch(/^(usage|configuration) error: /);
  expect(line).not.toMatch(/\bat .*\.(ts|js):\d+|TypeError|Cannot read|is not a function/);
  if (mentions) expect(line).toContain(mentions);
  expect({ argv: context, awsCalls: awsCalls(), clients: result.awsOptions.length }).toEqual({ argv: context, awsCalls: 0, clients: 0 });
  expect(readdirSync(OUT)).toEqual([]);
}

describe('bad arguments to every canary command', () => {
  beforeEach(() => resetAws());

  it('reads every command and its options from the program', () => {
    expect(shapes.map((s) => s.name).sort()).toEqual(
      ['appspec', 'deploy', 'freeze', 'history', 'pause', 'plan', 'promote', 'resume', 'rollback', 'simulate', 'status', 'unfreeze'].sort(),
    );
    for (const shape of shapes) for (const option of shape.valueOptions) expect(valueFor(shape.name, option)).toBeDefined();
  });

  describe.each(shapes.map((s) => [s.name, s] as const))('%s', (_name, shape) => {
    it.each(BAD_SERVICES)('refuses the service %j', async (service) => {
      const argv = base(shape, service);
      expectRefused(await run(argv, { env: ENV }), argv);
    });

    it('refuses a missing service, a second one, an unknown option and an option without its value', async () => {
      const lines: string[][] = [
        [shape.name],
        [...base(shape), 'extra'],
        [...base(shape), '--bogus'],
        ...shape.valueOptions.map((o) => [...base(shape), o]),
      ];
      for (const argv of lines) expectRefused(await run(argv, { env: ENV }), argv);
    });

    it('refuses an empty or blank value for every option that takes one, naming the option', async () => {
      for (const option of shape.valueOptions)
        for (const value of BLANK) {
          const argv = [...base(shape).filter((_t, i, all) => all[i - 1] !== option && all[i] !== option), option, value];
          expectRefused(await run(argv, { env: ENV }), argv, option);
        }
    });

    it('refuses what no number option accepts, naming the option', async () => {
      for (const option of shape.valueOptions.filter((o) => NUMERIC.includes(o)))
        for (const value of NOT_A_NUMBER) {
          const argv = [...base(shape), option, value];
          expectRefused(await run(argv, { env: ENV }), argv, option);
        }
    });
  });

  it('seeded random command lines with one fault among valid flags are refused the same way', async () => {
    type Fault = 'service' | 'blank' | 'unknown' | 'no-value' | 'extra' | 'number';
    const line = fc
      .record({
        shape: fc.constantFrom(...shapes),
        picks: fc.array(fc.nat(), { maxLength: 4 }),
        json: fc.boolean(),
        region: fc.boolean(),
        fault: fc.constantFrom<Fault>('service', 'blank', 'unknown', 'no-value', 'extra', 'number'),
        pick: fc.nat(),
        service: fc.constantFrom(...BAD_SERVICES),
        blank: fc.constantFrom(...BLANK),
        number: fc.constantFrom(...NOT_A_NUMBER),
      })
      .map(({ shape, picks, json, region, fault: drawn, pick, service, blank, number }) => {
        // A command without value options (unfreeze) gets an unknown option instead.
        const fault = shape.valueOptions.length === 0 && ['blank', 'no-value', 'number'].includes(drawn) ? 'unknown' : drawn;
        const options = shape.valueOptions.length > 0 ? shape.valueOptions : [undefined];
        const chosen = [...new Set([...shape.required, ...picks.map((p) => options[p % options.length]).filter((o) => o !== undefined)])];
        const numeric = shape.valueOptions.filter((o) => NUMERIC.includes(o));
        const target =
          fault === 'number' && numeric.length > 0
            ? numeric[pick % numeric.length]!
            : shape.valueOptions[pick % shape.valueOptions.length]!;
        const argv = [shape.name, fault === 'service' ? service : 'web'];
        for (const option of chosen)
          if (!(fault === 'blank' || fault === 'number') || option !== target) argv.push(option, valueFor(shape.name, option));
        if (fault === 'blank') argv.push(target, blank);
        if (fault === 'number') argv.push(target, numeric.length > 0 ? number : blank);
        if (fault === 'unknown') argv.push('--no-such-option');
        if (fault === 'extra') argv.push('second');
        if (region) argv.unshift('--region', 'eu-west-1');
        if (json) argv.push('--json');
        if (fault === 'no-value') argv.push(target);
        return argv;
      });
    await fc.assert(
      fc.asyncProperty(line, async (argv) => {
        resetAws();
        const result = await run(argv, { env: ENV });
        expectRefused(result, argv);
        if (argv.includes('--json')) expect(JSON.parse(result.stdout.lines().at(-1)!)).toMatchObject({ type: 'result', exitCode: 2 });
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('a malformed CANARY_AUDIT_TRUST_ROOT is refused by every command that reads it, before any AWS call', async () => {
    const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/abc';
    const malformed = fc.oneof(
      fc.constantFrom(
        ' ',
        KEY,
        `${KEY},`,
        `,web-anchors`,
        `${KEY},web-anchors,extra`,
        `${KEY},Web_Anchors`,
        `${KEY},ab`,
        `key/abc,web-anchors`,
      ),
      fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })).map(([a, b]) => `${a},${b}`),
    );
    const commands = [
      ['history', 'web'],
      ['status', 'web'],
      ['deploy', 'web', '--image', VALID['--image']!],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commands), malformed, async (argv, root) => {
        resetAws();
        const result = await run(argv, { env: { ...ENV, CANARY_AUDIT_TRUST_ROOT: root } });
        expectRefused(result, argv, 'CANARY_AUDIT_TRUST_ROOT');
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  afterAll(() => {
    const written = existsSync(join(OUT, 'appspec'));
    for (const dir of [OUT, IN]) rmSync(dir, { recursive: true, force: true });
    expect(written).toBe(false);
  });
});
