/**
 * Seeded random malformed service files over the whole grammar: any field of a complete file
 * replaced by any value, removed, or joined by an unknown key, and any bytes of the text changed.
 * Whatever the file, the loader answers with a config or with problems, one line each naming the
 * file and what is accepted; it never throws, and the constructs' path (`validateServiceConfig`)
 * throws nothing but `ConfigError`. A failure prints the seed and the counterexample.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

import { ConfigError, parseServiceConfig, validateServiceConfig } from '../../lib/config';

const FILE = 'services/orders.yaml';
const SEED = Number(process.env.FUZZ_SEED ?? 3707);

/** A file that sets every section, so that every field's parser is reached by the mutations. */
const COMPLETE = `
name: orders
image: public.ecr.aws/nginx/nginx:1.27
containerPort: 8080
healthCheck: { path: /healthz }
cpu: 512
memoryMiB: 1024
desiredCount: 2
environment: { MODE: fast, WORKERS: "4" }
listener: { port: 80, testPort: 9000, testAllowedCidrs: [10.0.0.0/8] }
rollout:
  steps:
    - { weight: 5, bakeMinutes: 5 }
    - { weight: 25, bakeMinutes: 10 }
    - { weight: 50, bakeMinutes: 15 }
  postTrafficBakeMinutes: 15
  holdLimitMinutes: 10
thresholds: { maxErrorRatePercent: 2, maxP95Ms: 800, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 }
smokeChecks: [{ path: /ping, expectStatus: 200 }]
canaryHeader: { name: X-Canary, value: always }
notifications: { emails: [ops@example.com], slack: { workspaceId: T0123ABCD, channelId: C0123ABCD } }
scaling: { minTasks: 2, maxTasks: 6, cpuPercent: 60 }
secrets: { DB_PASSWORD: { secretsManager: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" } }
metrics:
  - { name: checkout, namespace: Shop, metricName: Checkouts, statistic: Sum, min: 0 }
auditRetentionDays: 90
logRetentionDays: 30
`;

function baseObject(): Record<string, unknown> {
  const result = parseServiceConfig(COMPLETE, FILE);
  if (!result.success) throw new Error(`the complete file must load: ${result.problems.map((p) => p.line).join('; ')}`);
  return JSON.parse(JSON.stringify(result.config)) as Record<string, unknown>;
}

type Path = (string | number)[];

/** Every path in `value` (objects and lists included), so a mutation can land at any depth. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

type Mutation = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown };

function mutate(base: Record<string, unknown>, path: Path, mutation: Mutation): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  if (path.length === 0) return mutation.kind === 'set' ? mutation.value : copy;
  let parent: any = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment];
  const last = path[path.length - 1]!;
  if (mutation.kind === 'set') parent[last] = mutation.value;
  else if (mutation.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (parent[last] !== null && typeof parent[last] === 'object' && !Array.isArray(parent[last]))
    parent[last][mutation.key] = mutation.value;
  return copy;
}

/** Values that break fields: wrong types, edges of ranges, odd text, deep and empty structures. */
const hostile = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0,
    Number.MAX_VALUE,
    2 ** 53 + 1,
    '',
    ' ',
    '\n',
    '0',
    'yes',
    'off',
    '~',
    '*',
    '${x}',
    'é',
    '\u0000',
  ),
  fc.constantFrom({}, [], [[]], { a: {} }, 'x'.repeat(300), 'arn:aws-cn:acm:eu-west-1:1:certificate/x'),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 20 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/**
 * The checks every problem line passes: one line, naming the file; a YAML syntax error with its
 * line and column, any other problem with what is accepted (or the rule it breaks and the fix).
 */
function expectWellFormed(lines: readonly string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line.startsWith(FILE)).toBe(true);
    expect(line).not.toContain('\n');
    expect(line).not.toMatch(/\bat .*\.(ts|js):\d+|TypeError|undefined is not|Cannot read/);
    if (!line.startsWith(`${FILE}:`) || !/^\S+:\d+:\d+: not valid YAML: /.test(line))
      expect(line).toMatch(/accepted|did you mean|must|shorten/);
  }
}

function parseOrProblems(text: string): string[] | 'ok' {
  const result = parseServiceConfig(text, FILE);
  return result.success ? 'ok' : result.problems.map((p) => p.line);
}

describe('random malformed service files', () => {
  const base = baseObject();
  const all = paths(base);

  it('the complete file loads, and its own object loads again unchanged', () => {
    expect(parseOrProblems(stringify(base))).toBe('ok');
    expect(all.length).toBeGreaterThan(60);
  });

  it('any field set to any value, removed, or given an unknown key: a config or one well-formed line per problem', () => {
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), value: hostile }),
      fc.constant({ kind: 'delete' as const }),
      fc.record({ kind: fc.constant('add' as const), key: fc.string({ minLength: 1, maxLength: 12 }), value: hostile }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...all), mutation, (path, change) => {
        const input = mutate(base, path, change);
        const text = stringify(input);
        const outcome = parseOrProblems(text);
        if (outcome !== 'ok') expectWellFormed(outcome);
        // The constructs' path: the same object, validated without YAML, throws ConfigError or nothing.
        try {
          validateServiceConfig(input, FILE);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expectWellFormed((error as ConfigError).problems.map((p) => p.line));
        }
      }),
      { seed: SEED, numRuns: 70 },
    );
  });

  it('any bytes of the text changed: never a throw, a config or well-formed lines', () => {
    const text = stringify(base);
    const edit = fc.record({
      at: fc.nat({ max: text.length }),
      remove: fc.nat({ max: 8 }),
      insert: fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.constantFrom('{', '[', ': ', '&a ', '*a', '!Ref ', '- ', '\t', '%YAML 1.1\n---\n', '"', "'", '#'),
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let changed = text;
        for (const e of edits) changed = changed.slice(0, e.at) + e.insert + changed.slice(e.at + e.remove);
        const outcome = parseOrProblems(changed);
        if (outcome !== 'ok') expectWellFormed(outcome);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('every problem of a file at once: k top-level fields given a mapping report at least k problems, each naming its field', () => {
    const scalars = Object.keys(base).filter((k) => typeof base[k] !== 'object' && k !== 'name');
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...scalars), { minLength: 1, maxLength: scalars.length }), (keys) => {
        const input = { ...base, ...Object.fromEntries(keys.map((k) => [k, { x: 1 }])) };
        const outcome = parseOrProblems(stringify(input));
        expect(outcome).not.toBe('ok');
        const lines = outcome as string[];
        expectWellFormed(lines);
        for (const key of keys) expect(lines.some((l) => l.startsWith(`${FILE}: ${key}`))).toBe(true);
      }),
      { seed: SEED, numRuns: 10 },
    );
  });
});
