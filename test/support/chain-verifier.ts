/**
 * The audit chain's problems as `verifyChain` finds them, checked after every step of a run at the
 * cost of the records added since the last step: the chain only grows at its end, and each of
 * verifyChain's checks looks at one record (its hash) or one record and the one before it (the
 * links), so the problems of unchanged older records stay as they were.
 */
import { isDeepStrictEqual } from 'node:util';

import { type ChainProblem, isSequenceNumber, verifyChain } from '../../lambdas/core/audit-chain';
import type { FakeAws } from './world';

type Item = Record<string, unknown>;

/** True when every item is a record of the chain and they come in rising sequence (the order verifyChain sorts them into). */
function inChainOrder(items: readonly Item[]): boolean {
  for (let i = 0; i < items.length; i++) {
    if (!isSequenceNumber(items[i].sk)) return false;
    if (i > 0 && (items[i].sk as number) <= (items[i - 1].sk as number)) return false;
  }
  return true;
}

/** The same item: the same object (the fake stores a new object on every write), or one deeply equal to it. */
const sameItem = (a: Item, b: Item): boolean => a === b || isDeepStrictEqual(a, b);

/**
 * A verifier that remembers the items it last verified. When the new items begin with exactly
 * those (the same objects or deeply equal ones), only the newest old record and what follows it
 * are verified again, the newest old record's own problems (already counted) left out; otherwise
 * the whole chain is.
 */
export function incrementalChainVerifier(): (items: readonly unknown[]) => string[] {
  let last: { items: readonly Item[]; problems: readonly ChainProblem[] } | undefined;
  return (list) => {
    const items = list as readonly Item[];
    if (!inChainOrder(items)) {
      last = undefined;
      return verifyChain(items).problems.map((p) => p.problem);
    }
    let problems: readonly ChainProblem[];
    const known = last?.items.length ?? 0;
    if (last && known > 0 && items.length >= known && last.items.every((item, i) => sameItem(item, items[i]))) {
      const newestOld = last.items[known - 1];
      problems =
        items.length === known
          ? last.problems
          : [...last.problems, ...verifyChain([newestOld, ...items.slice(known)]).problems.filter((p) => p.sk !== newestOld.sk)];
    } else {
      problems = verifyChain(items).problems;
    }
    last = { items, problems };
    return problems.map((p) => p.problem);
  };
}

/**
 * The service's audit chain as the fake stores it (pk = the service, sk ≥ 1), in sequence, without
 * the copy `FakeDynamoDb.items` makes: the fake replaces a stored item on every write (PutItem
 * stores a copy, UpdateItem a new object) and never changes one in place, so an item that is the
 * same object as at the previous step has the same content. Nothing here may change them.
 */
export function storedChain(world: FakeAws, service: string, tableName: string): Item[] {
  const table = world.dynamodb.tables.get(tableName);
  if (!table) return [];
  const chain: Item[] = [];
  for (const item of table.items.values()) if (item.pk === service && typeof item.sk === 'number' && item.sk >= 1) chain.push(item);
  return chain.sort((a, b) => (a.sk as number) - (b.sk as number));
}
