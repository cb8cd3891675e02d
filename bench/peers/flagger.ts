/**
 * Flagger-style analysis: every minute (interval 1m) check the canary's request success rate
 * (error rate ≤ 1%) and request duration (p99 ≤ 500 ms) with `thresholdRange`; a minute without
 * data fails its check; after `threshold` (2) failed checks, roll back; promote when the step's
 * time is over.
 */
import { bakePassed, BenchJudge, PeerInput, PeerVerdict, stageMinutes } from './types';

export const FLAGGER_MAX_ERROR_RATE = 0.01;
export const FLAGGER_MAX_P99_MS = 500;
export const FLAGGER_THRESHOLD = 2;

export function flaggerCheckFails(minute: { requests: number; errors: number; p99Ms?: number }): string | undefined {
  if (minute.requests === 0 || minute.p99Ms === undefined) return 'no data';
  const rate = minute.errors / minute.requests;
  if (rate > FLAGGER_MAX_ERROR_RATE) return `error rate ${(rate * 100).toFixed(1)}% > 1%`;
  if (minute.p99Ms > FLAGGER_MAX_P99_MS) return `p99 ${minute.p99Ms} ms > 500 ms`;
  return undefined;
}

export const flagger: BenchJudge = {
  name: 'Flagger-style',
  decide(input: PeerInput): PeerVerdict {
    const failures = stageMinutes(input, 'canary')
      .map(flaggerCheckFails)
      .filter((f): f is string => f !== undefined);
    if (failures.length >= FLAGGER_THRESHOLD)
      return { decision: 'rollback', reason: `${failures.length} failed checks: ${failures.join('; ')}` };
    return bakePassed(input)
      ? { decision: 'promote', reason: `step time over with ${failures.length} failed check(s)` }
      : { decision: 'hold', reason: 'analysing' };
  },
};
