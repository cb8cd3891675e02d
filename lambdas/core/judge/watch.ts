/**
 * The watch before the shift to 100%: which passing paired test is watched, and the paired totals
 * without the one minute a client's burst could fill (docs/judge.md, "Watching before the shift to 100%").
 */
import { sumCounts } from './data';
import type { Evidence, PairedCounts } from './evidence';
import type { TestReading } from './rollback';
import type { Reason } from './types';

/**
 * A paired test that passes but whose evidence, its strongest minute included, is ≥ √bar, with the
 * effect within two standard errors of the tolerance even without the canary's largest excess
 * minute (`withoutLargestExcess`): before the shift to 100% the stage watches it (holds, then
 * promotes at the hold limit unless the test decides). Holding spends no α: only the evidence
 * reaching its bar rolls back (docs/judge.md, "Watching before the shift to 100%").
 */
export function watched(e: Evidence, bar: number, verdict: Reason['status'], effectNear: boolean): TestReading['watch'] {
  return verdict === 'pass' && effectNear && e.value >= Math.sqrt(bar) ? { withoutStrongestMinute: e.withoutStrongestMinute } : undefined;
}

/**
 * The paired totals without the minute in which the canary had the most events beyond `expected`
 * (one client's burst is one minute): the effect a watch needs must not rest on that minute alone.
 */
export function withoutLargestExcess(counts: readonly PairedCounts[], expected: (m: PairedCounts) => number): PairedCounts {
  const all = sumCounts(counts);
  if (counts.length < 2) return all;
  const largest = counts.reduce((a, m) => (m.canaryEvents - expected(m) > a.canaryEvents - expected(a) ? m : a));
  return {
    canaryTrials: all.canaryTrials - largest.canaryTrials,
    canaryEvents: all.canaryEvents - largest.canaryEvents,
    baselineTrials: all.baselineTrials - largest.baselineTrials,
    baselineEvents: all.baselineEvents - largest.baselineEvents,
  };
}
