/**
 * The scenario file format (`canary simulate --scenario <file>`, `bench:judge --scenarios`) at
 * random: seeded changes to any field of a complete scenario — any value, removed, or a key no
 * section has, at any depth. Each file is read or refused with one `ScenarioError` line naming
 * every problem's field, what it got and what it accepts; an unknown key is refused at every level
 * (a misspelt `onsetMinute` would otherwise simulate a regression from the first minute).
 */
import fc from 'fast-check';

import { parseScenario, type Scenario, ScenarioError } from '../../sim/scenario';

const SEED = Number(process.env.FUZZ_SEED ?? 3707);

const COMPLETE: Scenario = {
  name: 'everything',
  seed: 7,
  runs: 1,
  totalRps: 10,
  baselineErrorRate: 0.005,
  noise: { gammaShape: 4, shockRate: 0.02, burstRate: 0.01, shared: false },
  regression: {
    kind: 'errors',
    deltaPp: 5,
    onsetMinute: 3,
    minWeight: 5,
    intermittent: false,
    rampMinutes: 2,
    taskShare: 0.25,
    burstShape: 2,
  },
  shape: {
    incident: { atWeight: 25, fromMinute: 1, toMinute: 4, minutes: 3, multiplier: 5 },
    gap: { atWeight: 5, afterMinutes: 2, minutes: 10 },
    coldStartLatency: [2, 1.5],
    ramp: { factor: 2, minutes: 30 },
  },
  kpi: { metric: 'checkouts', ratePerRequest: 0.1, canaryFactor: 0.8 },
  valueKpi: { metric: 'memory', statistic: 'p95', median: 200, spread: 0.1, samplesPerRequest: 1, canaryFactor: 1.5 },
};

type Path = (string | number)[];
function mappings(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => mappings(v, [...prefix, k]))];
}
function leaves(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => leaves(v, [...prefix, k]))].filter((p) => p.length > 0);
}
function at(root: unknown, path: Path): any {
  return path.reduce<any>((node, key) => node[key], root);
}

const hostile = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 1.5, 1e6, '', 'x', [], {}, [1], { a: 1 }),
  fc.double({ noNaN: true }),
  fc.jsonValue({ maxDepth: 2 }),
);

function expectOneLine(error: unknown): string {
  expect(error).toBeInstanceOf(ScenarioError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message.startsWith('x.json: ')).toBe(true);
  for (const problem of message
    .replace(/^x\.json: /, '')
    .replace(/ \(the scenario format: docs\/simulate\.md\)$/, '')
    .split('; accepted'))
    expect(problem.length).toBeGreaterThan(0);
  expect(message).toContain('accepted');
  return message;
}

describe('random scenario files', () => {
  it('the complete scenario reads unchanged', () => {
    expect(parseScenario(structuredClone(COMPLETE), 'x.json')).toEqual(COMPLETE);
  });

  it('a key no section has, at any depth, is refused naming it and the keys that section accepts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...mappings(COMPLETE)), fc.constantFrom('onsetMinutes', 'deltapp', 'Shared', 'extra'), (path, key) => {
        const value = structuredClone(COMPLETE) as unknown as Record<string, unknown>;
        const section = at(value, path) as Record<string, unknown>;
        const accepted = Object.keys(section);
        section[key] = 1;
        let error: unknown;
        try {
          parseScenario(value, 'x.json');
        } catch (thrown) {
          error = thrown;
        }
        const message = expectOneLine(error);
        expect(message).toContain(`${path.length > 0 ? path.join('.') : '(root)'}: unknown key ${key}; accepted keys: `);
        // The keys listed are the section's own.
        for (const own of accepted) expect(message).toContain(own);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('any field set to any value or removed: read, or one line naming each problem and what is accepted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...leaves(COMPLETE)), fc.option(hostile, { nil: undefined }), (path, replacement) => {
        const value = structuredClone(COMPLETE) as unknown as Record<string, unknown>;
        const parent = at(value, path.slice(0, -1));
        const last = path[path.length - 1]!;
        if (replacement === undefined) {
          if (Array.isArray(parent)) parent.splice(Number(last), 1);
          else delete parent[last];
        } else parent[last] = replacement;
        try {
          parseScenario(value, 'x.json');
        } catch (error) {
          expectOneLine(error);
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
