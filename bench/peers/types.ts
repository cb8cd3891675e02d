/** What every judge in the benchmark sees, and what it answers. */
import type { Decision, JudgeInput, MinuteBucket } from '../../lambdas/core/judge';

/** A minute bucket with the p99 Flagger's check needs. */
export interface PeerBucket extends MinuteBucket {
  p99Ms?: number;
}

export interface PeerInput extends JudgeInput {
  canary: PeerBucket[];
  baseline: PeerBucket[];
}

export interface PeerVerdict {
  decision: Decision;
  /** Why, in one line. */
  reason: string;
}

/** A judge asked once a minute during a stage; stateless (it recomputes from the stage's minutes). */
export interface BenchJudge {
  readonly name: string;
  decide(input: PeerInput): PeerVerdict;
}

const MINUTE_MS = 60_000;

/** The stage's complete minutes of one group, oldest first. */
export function stageMinutes(input: PeerInput, group: 'canary' | 'baseline'): PeerBucket[] {
  return input[group]
    .filter((b) => b.start + MINUTE_MS > input.stage.startedAt && b.start + MINUTE_MS <= input.now)
    .sort((a, b) => a.start - b.start);
}

export function bakePassed(input: PeerInput): boolean {
  return input.now - input.stage.startedAt >= input.stage.minBakeMs;
}
