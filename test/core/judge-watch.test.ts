/**
 * Watching before the shift to 100%: a passing error test whose evidence is ≥ √bar only with its
 * strongest minute holds the last stage, then promotes at the hold limit unless the test decides.
 * Rule and validity: docs/judge.md ("Watching before the shift to 100%").
 */
import { next } from '../../lambdas/core/controller';
import { judge, type JudgeInput, type Verdict } from '../../lambdas/core/judge';
import type { RolloutState } from '../../lambdas/core/rollout-state';
import { MINUTE, planStage, POLICY, reason, rolloutInput, T0 } from './judge-fixtures';
import { observation, startState, targets, twoWindowPlan } from './support/rollout-fixtures';

const DEFAULTS = { ...POLICY, maxErrorRatePercent: 1 };
/** 5% for minutes 0–4, 25% for 5–14, 50% from minute 15 on (the final stage: its bake ends at minute 30, its hold limit at 40). */
const weightAt = (i: number) => (i < 5 ? 5 : i < 15 ? 25 : 50);
const FINAL = planStage(29);
const HOLD_LIMIT_AT = T0 + 40 * MINUTE;

/**
 * 2 rps on a 2% service (60 canary requests a minute at 50%): the original fails 1 of 60 a minute.
 * The 50% stage's canary fails 2 of 60, 4 in minute 21 and 14 in minute 27 — its strongest minute,
 * which one client's burst could explain — then `after(i)` of 60 from minute 30 on.
 */
function lastStage(minutes: number, after: (i: number) => number, stage = FINAL): JudgeInput {
  const canaryRate = (i: number) => (i < 15 ? 0.02 : i >= 30 ? after(i) / 60 : i === 27 ? 14 / 60 : i === 21 ? 4 / 60 : 2 / 60);
  return rolloutInput({ total: 120, baselineRate: 0.02, weightAt, canaryRate, minutes, stage });
}

/** The judge at the end of every minute from the bake's end on, until it stops holding. */
function untilDecided(after: (i: number) => number): Array<{ at: number; verdict: Verdict }> {
  const seen: Array<{ at: number; verdict: Verdict }> = [];
  for (let minutes = 30; minutes <= 50; minutes++) {
    const input = lastStage(minutes, after);
    const verdict = judge(input, DEFAULTS);
    seen.push({ at: input.now, verdict });
    if (verdict.decision !== 'hold') break;
  }
  return seen;
}

describe('watching before the shift to 100%', () => {
  it('holds a last-stage bake whose error evidence rests on one strong minute, where an earlier stage promotes', () => {
    const final = judge(
      lastStage(30, () => 1),
      DEFAULTS,
    );
    expect(final.decision).toBe('hold');
    const errors = reason(final, 'errors');
    expect(errors?.status).toBe('hold');
    expect(errors?.detail).toMatch(/Watching before the shift to 100%: evidence 31\.9 of 571, 2\.42 without its strongest minute/);
    expect(final.summary).toMatch(/^hold before the shift to 100% \(9 min 30 s left, then promote unless a test decides\)/);
    // The same data in a stage whose next promotion is not the shift to 100%: no watch, it promotes.
    expect(
      judge(
        lastStage(30, () => 1, { ...FINAL, final: false }),
        DEFAULTS,
      ).decision,
    ).toBe('promote');
  });

  it("does not watch evidence whose effect rests on one client's burst: a clean last stage promotes at its bake's end", () => {
    // A quiet 0.05% service: no errors in the original's minutes, one burst of 10 canary errors and two stray ones.
    const input = rolloutInput({ total: 120, baselineRate: 0.0005, weightAt, minutes: 30, stage: FINAL });
    input.canary[27].errors += 10;
    input.canary[20].errors += 1;
    input.canary[21].errors += 1;
    const verdict = judge(input, DEFAULTS);
    expect(reason(verdict, 'errors')?.observed).toMatch(/evidence 32\.8/);
    expect(verdict.decision).toBe('promote');
  });

  it('rolls back during the watch when the regression goes on', () => {
    const seen = untilDecided(() => 4);
    const last = seen.at(-1)!;
    expect(last.verdict.decision).toBe('rollback');
    expect(reason(last.verdict, 'errors')?.status).toBe('fail');
    expect(last.at).toBeLessThan(HOLD_LIMIT_AT);
    expect(seen.slice(0, -1).every((s) => s.verdict.decision === 'hold')).toBe(true);
  });

  it('promotes once the evidence falls below √bar when the canary is clean afterwards; never rolls back on the strong minute', () => {
    const seen = untilDecided(() => 1);
    expect(seen[0].verdict.decision).toBe('hold');
    expect(seen.at(-1)!.verdict.decision).toBe('promote');
    expect(seen.at(-1)!.at).toBeLessThan(HOLD_LIMIT_AT);
  });

  it('ends a watch that does not decide at the hold limit in a promotion, not a rollback', () => {
    const seen = untilDecided(() => 2);
    const last = seen.at(-1)!;
    expect(last.verdict.decision).toBe('promote');
    expect(last.at).toBeGreaterThanOrEqual(HOLD_LIMIT_AT);
    expect(last.at).toBeLessThan(HOLD_LIMIT_AT + MINUTE);
    // Until then it held, the evidence between √bar and the bar.
    expect(seen.slice(0, -1).every((s) => s.verdict.decision === 'hold' && reason(s.verdict, 'errors')?.status === 'hold')).toBe(true);
  });

  it('is not extended by a traffic gap (the engine bounds such extensions only by the hook deadline)', () => {
    // The bake's 15 data-minutes, then no traffic at all: the hold limit of a rising test would
    // stretch by the quiet minutes, the watch does not.
    const quiet = lastStage(30, () => 1);
    const before = judge({ ...quiet, now: HOLD_LIMIT_AT - MINUTE }, DEFAULTS);
    expect(before.decision).toBe('hold');
    expect(before.quietMs).toBe(6 * MINUTE);
    expect(judge({ ...quiet, now: HOLD_LIMIT_AT }, DEFAULTS).decision).toBe('promote');
  });

  it('through the engine: the BeforeAllowTraffic window holds, then answers Succeeded at the hold limit, before its hook deadline', () => {
    const windowStart = T0 + 15 * MINUTE;
    const started = startState({ hook: 'BeforeAllowTraffic', plan: twoWindowPlan, at: windowStart });
    let state: RolloutState = {
      ...started,
      status: 'baking' as const,
      stepIndex: 0,
      weight: 50,
      stageStartedAt: windowStart,
      targets,
      rollout: { startedAt: T0, slowThresholdMs: 322 },
      config: { ...started.config, policy: DEFAULTS },
    };
    const holds: number[] = [];
    for (let minutes = 30; minutes <= 50; minutes++) {
      const input = lastStage(minutes, () => 2);
      const d = next(state, observation({ metrics: { replacement: input.canary, original: input.baseline } }, 50), input.now);
      if (!d.done) {
        holds.push(input.now);
        state = d.state;
        continue;
      }
      expect(d.state.outcome?.status).toBe('Succeeded');
      expect(input.now).toBeLessThan(HOLD_LIMIT_AT + MINUTE);
      expect(input.now).toBeLessThan(started.deadlineAt);
      break;
    }
    expect(state.config.lastWindowBeforeTraffic).toBe(true);
    expect(holds.length).toBeGreaterThanOrEqual(9);
  });
});
