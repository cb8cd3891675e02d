import { type Decision, next } from '../../lambdas/core/controller';
import { judge } from '../../lambdas/core/judge';
import type { RecordedDecision } from '../../lambdas/core/rollout-state';
import { bakingState, MIN, observation, startState, T0, targets, twoWindowPlan } from './support/rollout-fixtures';

jest.mock('../../lambdas/core/judge', () => ({ judge: jest.fn() }));
const judgeMock = judge as jest.MockedFunction<typeof judge>;
beforeEach(() => judgeMock.mockReturnValue({ decision: 'hold', summary: 'hold: baking', reasons: [] } as never));
afterEach(() => judgeMock.mockReset());

const kinds = (d: Decision) => d.actions.map((a) => a.kind);
const record = (at: number, verdict: string, replacement: number, overrides: Partial<RecordedDecision> = {}): RecordedDecision => ({
  at,
  kind: 'decision',
  actor: 'engine',
  hook: 'AfterAllowTestTraffic',
  verdict,
  weights: { original: 100 - replacement, replacement },
  ...overrides,
});
/** Newest first, as the tick reads them. */
const seen = (listener: number, recorded: RecordedDecision[] | undefined, errors: string[] = []) =>
  observation({ listener: { original: 100 - listener, replacement: listener }, ...(recorded ? { recorded } : {}), errors }, listener);

describe('a retried tick recognizes its own writes, and only those', () => {
  const at5 = bakingState(0, T0);

  it('adopts its promotion when the fail-safe recorded holds after the write (the tick kept failing after it)', () => {
    const recorded = [
      record(T0 + 8 * MIN, 'hold', 5),
      record(T0 + 7 * MIN, 'hold', 5),
      record(T0 + 6 * MIN, 'promote', 25, { stage: { index: 1, weight: 25 } }),
    ];
    const d = next(at5, seen(25, recorded), T0 + 9 * MIN);
    expect(d.done).toBe(false);
    expect(d.state).toMatchObject({ stepIndex: 1, weight: 25, stageStartedAt: T0 + 6 * MIN });
    expect(kinds(d)).toEqual(['audit']);
  });

  it("repeats the answer when the window answered Succeeded and CodeDeploy's AllowTraffic moved production on", () => {
    const before = {
      ...startState({ hook: 'BeforeAllowTraffic', plan: twoWindowPlan }),
      status: 'baking' as const,
      stepIndex: 0,
      weight: 50,
      stageStartedAt: T0,
      targets,
    };
    const recorded = [record(T0 + 16 * MIN, 'succeed', 50, { hook: 'BeforeAllowTraffic' })];
    const d = next(before, seen(100, recorded), T0 + 16 * MIN + 5000);
    expect(d.done).toBe(true);
    expect(d.state.outcome?.status).toBe('Succeeded');
    expect(d.actions.filter((a) => a.kind === 'setWeights')).toEqual([]);
    expect(d.actions).toContainEqual({ kind: 'reportHook', status: 'Succeeded' });
  });

  it('repeats a recorded rollback with its reason when the restore landed before the tick died', () => {
    const recorded = [record(T0 + 4 * MIN, 'rollback', 0, { reason: 'rollback: canary 5xx 15.4%' })];
    const d = next(at5, seen(0, recorded), T0 + 4 * MIN + 10_000);
    expect(d.done).toBe(true);
    expect(d.state.outcome).toEqual({ status: 'Failed', reason: 'rollback: canary 5xx 15.4%' });
    expect(d.actions).toContainEqual({ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 });
  });

  it('holds without writes while its records cannot be read, and fails after three such ticks', () => {
    let state = at5;
    for (let i = 1; i < 3; i += 1) {
      const d = next(state, seen(25, undefined, ['recorded: ThrottlingException']), T0 + (2 + i) * MIN);
      expect(d.done).toBe(false);
      expect(d.actions.filter((a) => a.kind === 'setWeights')).toEqual([]);
      state = d.state;
    }
    const last = next(state, seen(25, undefined, ['recorded: ThrottlingException']), T0 + 6 * MIN);
    expect(last.state.outcome?.status).toBe('Failed');
    expect(last.state.outcome?.reason).toMatch(/^listener weights changed outside the engine or by a retried tick: .* 3 times in a row$/);
  });

  it.each<[string, RecordedDecision[]]>([
    ['no record', []],
    ['only holds', [record(T0 + 3 * MIN, 'hold', 5), record(T0 + 2 * MIN, 'hold', 5)]],
    ['a recorded promotion to another weight', [record(T0 + 6 * MIN, 'promote', 25, { stage: { index: 1, weight: 25 } })]],
    ["the guard's record", [record(T0 + 6 * MIN, 'promote', 50, { actor: 'guard', stage: { index: 2, weight: 50 } })]],
    [
      'a promotion of another window',
      [record(T0 + 6 * MIN, 'promote', 50, { hook: 'BeforeAllowTraffic', stage: { index: 2, weight: 50 } })],
    ],
    ['a succeed from before the stage began', [record(T0 - MIN, 'succeed', 5)]],
  ])('still fails a truly foreign write (listener at 50%%) when the records hold %s', (_name, recorded) => {
    const d = next(at5, seen(50, recorded), T0 + 7 * MIN);
    expect(d.state.outcome?.status).toBe('Failed');
    expect(d.state.outcome?.reason).toBe(
      'listener weights changed outside the engine: replacement has 50%, the engine set 5% and recorded no such shift',
    );
    expect(d.actions).toContainEqual({ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 });
  });
});
