/**
 * The incremental audit-chain verifier (of the fault campaign and the end-to-end world) finds exactly what `verifyChain` finds over the
 * whole chain, step after step, while the chain grows, is altered, loses records and gets forged ones.
 */
import { type AuditRecord, buildRecord, verifyChain } from '../../lambdas/core/audit-chain';
import { SeededRandom } from '../fault/support/random';
import { FakeAws } from '../support';
import { incrementalChainVerifier, storedChain } from '../support/chain-verifier';

const T0 = Date.parse('2026-01-05T10:00:00Z');
const draft = (n: number) => ({ kind: 'decision' as const, deploymentId: `d-${n % 3}`, reason: `step ${n}`, actor: 'tick' });

/** The items after one random change: append (mostly), alter, drop, expire the oldest, forge a link or a sequence number. */
function step(items: Array<Record<string, unknown>>, random: SeededRandom, n: number): Array<Record<string, unknown>> {
  const next = structuredClone(items);
  const tip = next.at(-1) as AuditRecord | undefined;
  const append = () => next.push({ ...buildRecord('svc', tip, draft(n), T0 + n * 60_000, 30) });
  const someone = () => next[random.int(0, next.length - 1)];
  const change = random.next();
  if (next.length === 0 || change < 0.6) append();
  else if (change < 0.68) someone().reason = 'altered';
  else if (change < 0.74) next.splice(random.int(0, next.length - 1), 1);
  else if (change < 0.8) next.shift();
  else if (change < 0.86) next.push({ ...buildRecord('svc', tip, draft(n), T0 + n * 60_000, 30), prevHash: 'f'.repeat(64) });
  else if (change < 0.9) next.push({ ...buildRecord('svc', tip && { ...tip, sk: tip.sk + 2 }, draft(n), T0 + n * 60_000, 30) });
  else if (change < 0.93) someone().sk = 0.5 + n;
  else if (change < 0.96) next.reverse();
  // else: unchanged
  return next;
}

describe('incrementalChainVerifier', () => {
  it.each([1, 2, 3])('reports what verifyChain reports over the whole chain after every step (seed %d)', (seed) => {
    const random = new SeededRandom(seed);
    const verify = incrementalChainVerifier();
    let items: Array<Record<string, unknown>> = [];
    let withProblems = 0;
    for (let n = 0; n < 120; n++) {
      items = step(items, random, n);
      const whole = verifyChain(items).problems.map((p) => p.problem);
      expect(verify(structuredClone(items))).toEqual(whole);
      if (whole.length > 0) withProblems++;
    }
    // The walk reaches broken chains as well as sound ones.
    expect(withProblems).toBeGreaterThan(0);
    expect(withProblems).toBeLessThan(120);
  });

  it('verifies a chain that only grows at the cost of its new records', () => {
    const verify = incrementalChainVerifier();
    let items: AuditRecord[] = [];
    for (let n = 0; n < 50; n++) {
      items = [...items, buildRecord('svc', items.at(-1), draft(n), T0 + n * 60_000, 30)];
      expect(verify(structuredClone(items))).toEqual([]);
    }
    const altered = structuredClone(items);
    altered[10] = { ...altered[10], reason: 'altered' };
    expect(verify(altered)).toEqual(verifyChain(altered as never).problems.map((p) => p.problem));
    expect(verify(altered)).toEqual(['record 11 was altered: its content no longer matches its hash']);
  });

  it('reads the stored chain as the fake lists it: the service, sk ≥ 1, in sequence', () => {
    const world = new FakeAws();
    const { auditTableName } = world.addService({ name: 'svc' }).metadata;
    const table = auditTableName!;
    for (const n of [3, 1, 2, 11])
      world.dynamodb.putItem({ TableName: table, Item: { ...buildRecord('svc', undefined, draft(n), T0, 30), sk: n } });
    world.dynamodb.putItem({ TableName: table, Item: { pk: 'svc', sk: 0, tip: 3 } });
    world.dynamodb.putItem({ TableName: table, Item: { pk: 'other', sk: 1 } });
    const listed = world.dynamodb.items(table, (i) => i.pk === 'svc' && typeof i.sk === 'number' && i.sk >= 1);
    expect(storedChain(world, 'svc', table)).toEqual(listed);
    expect(storedChain(world, 'svc', table).map((i) => i.sk)).toEqual([1, 2, 3, 11]);
  });
});
