/**
 * Which item of a service's audit partition the engine's next record links to. Pure: the adapter
 * reads the newest items and passes a signature check.
 *
 * The tip is the newest item that is a record as the engine writes it: a whole sequence number,
 * the engine's fields, a hash that is its own and (when the engine signs) a valid signature. An
 * item that is none of these — planted at 6.5 or at 10⁹, unsigned, re-hashed — is left for
 * `canary history --verify` to report and never becomes the predecessor of the engine's next
 * record, so it does not break the trail beyond itself. Only when the sequence number after that
 * record is already taken can no record follow it there: then the tip is the last of the items at
 * consecutive whole sequence numbers above it (the next free number follows it).
 */
import { type AuditRecord, type ChainTip, hashRecord, isSequenceNumber } from './audit-chain';
import { malformation } from './audit-record-checks';

export interface TipSearch {
  /** The tip, once found. */
  readonly tip?: ChainTip;
  /** Whether the items given so far settle it (false: read older items and call again with them appended). */
  readonly settled: boolean;
}

/** Whether an item is a record as the engine writes it; `signed` checks its signature (absent: not checked). */
export function isEngineRecord(item: Record<string, unknown>, signed?: (record: AuditRecord) => boolean): boolean {
  if (!isSequenceNumber(item.sk) || malformation(item) !== undefined) return false;
  const record = item as unknown as AuditRecord;
  if (hashRecord(record) !== record.hash) return false;
  return signed === undefined || signed(record);
}

/**
 * The tip among `newestFirst` (the partition's items with sk > 0, newest first, as far as read);
 * `exhausted` when no older item exists. Unsettled while no engine record has been found yet and
 * older items remain.
 */
export function findChainTip(
  newestFirst: ReadonlyArray<Record<string, unknown>>,
  exhausted: boolean,
  signed?: (record: AuditRecord) => boolean,
): TipSearch {
  const whole = newestFirst.filter((item) => isSequenceNumber(item.sk));
  const index = whole.findIndex((item) => isEngineRecord(item, signed));
  if (index < 0) return exhausted ? { settled: true, ...(whole[0] ? { tip: tipOf(whole[0]) } : {}) } : { settled: false };
  // Items just before it in the list (newer) at the following sequence numbers take those slots.
  let last = index;
  while (last > 0 && whole[last - 1].sk === (whole[last].sk as number) + 1) last -= 1;
  return { settled: true, tip: tipOf(whole[last]) };
}

function tipOf(item: Record<string, unknown>): ChainTip {
  return {
    sk: item.sk as number,
    hash: String(item.hash),
    ...(typeof item.expiresAt === 'number' ? { expiresAt: item.expiresAt } : {}),
    ...(typeof item.at === 'string' ? { at: item.at } : {}),
  };
}
