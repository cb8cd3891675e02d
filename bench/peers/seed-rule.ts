/**
 * The seeds' scripts: every minute, roll back when the minute's canary error rate is above 5% or
 * its p95 above 1000 ms; otherwise promote when the bake time is over. An empty minute passes.
 */
import { bakePassed, BenchJudge, PeerInput, PeerVerdict, stageMinutes } from './types';

export const SEED_MAX_ERROR_RATE = 0.05;
export const SEED_MAX_P95_MS = 1000;

export const seedRule: BenchJudge = {
  name: 'seed rule',
  decide(input: PeerInput): PeerVerdict {
    for (const minute of stageMinutes(input, 'canary')) {
      const rate = minute.requests > 0 ? minute.errors / minute.requests : 0;
      if (rate > SEED_MAX_ERROR_RATE) return { decision: 'rollback', reason: `minute error rate ${(rate * 100).toFixed(1)}% > 5%` };
      if ((minute.p95Ms ?? 0) > SEED_MAX_P95_MS) return { decision: 'rollback', reason: `minute p95 ${minute.p95Ms} ms > 1000 ms` };
    }
    return bakePassed(input) ? { decision: 'promote', reason: 'bake over, no bad minute' } : { decision: 'hold', reason: 'baking' };
  },
};
