/**
 * The red team at random: seeded tampers of any attribute of any record of a signed, anchored
 * trail — a value of another type, an edge value, an extra attribute, a removed one, a copy at
 * another sort key — as a table writer without the signing key can make them. Whatever the
 * tamper, `canary history --verify` exits 1 naming the first bad record, every output format
 * (text, json, csv) exits 1 too, and nothing prints a stack trace; an unchanged item verifies clean.
 */
import fc from 'fast-check';

import type { AuditRecord } from '../../lambdas/core/audit-chain';
import { TrailWorld } from './trail-world';

const SEED = Number(process.env.FUZZ_SEED ?? 3707);

let t: TrailWorld;
let originals: AuditRecord[];
beforeAll(async () => {
  t = new TrailWorld();
  await t.twoRollouts();
  originals = t.items().map((r) => structuredClone(r));
});
afterAll(() => t.restore());

/** Values a tamper writes: other types, edges, text a terminal or a spreadsheet would act on, nesting. */
const tamperValue = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    0,
    -1,
    1.5,
    2 ** 53 + 2,
    '',
    ' ',
    'approved by CAB',
    '\u001b[2J',
    '=HYPERLINK("x")',
    '\n!!! hash chain verified',
    [],
    {},
    { __note: 'x' },
    new Set(['a']),
    new Uint8Array([1, 2]),
  ),
  fc.string({ maxLength: 16 }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);

type Tamper =
  | { kind: 'set'; sk: number; attribute: string; value: unknown }
  | { kind: 'remove'; sk: number; attribute: string }
  | { kind: 'copy'; sk: number; to: number };

function apply(tamper: Tamper): () => void {
  const original = originals.find((r) => r.sk === tamper.sk)!;
  if (tamper.kind === 'copy') {
    t.put({ ...original, sk: tamper.to });
    return () => (originals.some((r) => r.sk === tamper.to) ? t.put(originals.find((r) => r.sk === tamper.to)!) : t.remove(tamper.to));
  }
  const item: Record<string, unknown> = { ...original };
  if (tamper.kind === 'set') item[tamper.attribute] = tamper.value;
  else delete item[tamper.attribute];
  t.put(item);
  return () => t.put(original);
}

const STACK = /\n\s+at .*:\d+:\d+|TypeError|Cannot read|is not a function/;

describe('red team: random tampers of a signed, anchored trail', () => {
  it('the untouched trail verifies clean in every format', async () => {
    for (const args of [['--verify'], ['--format', 'json'], ['--format', 'csv']]) expect((await t.history(args)).code).toBe(0);
  });

  it('any attribute of any record changed, removed or joined by another, or a record copied: every read exits 1, the break named', async () => {
    const sks = originals.map((r) => r.sk);
    // pk is left alone: an item moved to another partition is another service's record, not this trail's.
    const attributes = [...new Set(originals.flatMap((r) => Object.keys(r)))].filter((a) => a !== 'pk' && a !== 'sk');
    const tamper: fc.Arbitrary<Tamper> = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        sk: fc.constantFrom(...sks),
        attribute: fc.oneof(fc.constantFrom(...attributes), fc.constantFrom('note', 'approvedBy', 'figures', 'hook')),
        value: tamperValue,
      }),
      fc.record({ kind: fc.constant('remove' as const), sk: fc.constantFrom(...sks), attribute: fc.constantFrom(...attributes) }),
      fc.record({ kind: fc.constant('copy' as const), sk: fc.constantFrom(...sks), to: fc.constantFrom(...sks, 7, 8, 100) }),
    );
    await fc.assert(
      fc.asyncProperty(tamper, async (change) => {
        const original = originals.find((r) => r.sk === change.sk)!;
        // A tamper that writes what is already there changes nothing.
        const noop =
          (change.kind === 'set' && Object.is((original as unknown as Record<string, unknown>)[change.attribute], change.value)) ||
          (change.kind === 'remove' && !(change.attribute in original)) ||
          (change.kind === 'copy' && change.to === change.sk);
        const undo = apply(change);
        try {
          const verify = await t.history(['--verify']);
          expect({ change, code: verify.code }).toEqual({ change, code: noop ? 0 : 1 });
          if (!noop) expect(verify.stderr).toMatch(/!!! first bad record: #\d+ \([a-z-]+\): /);
          for (const args of [[], ['--format', 'json'], ['--format', 'csv']]) {
            const read = await t.history(args);
            expect({ change, args, code: read.code }).toEqual({ change, args, code: noop ? 0 : 1 });
            expect(read.stderr + read.stdout).not.toMatch(STACK);
          }
        } finally {
          undo();
        }
      }),
      { seed: SEED, numRuns: 20 },
    );
  });
});
