import { type Action, type Decision, next } from '../../lambdas/core/controller';
import { judge } from '../../lambdas/core/judge';
import { bakingState, MIN, observation, startState, T0, targets } from './support/rollout-fixtures';

jest.mock('../../lambdas/core/judge', () => ({ judge: jest.fn() }));
const judgeMock = judge as jest.MockedFunction<typeof judge>;
afterEach(() => judgeMock.mockReset());

function verdict(decision: 'promote' | 'hold') {
  judgeMock.mockReturnValue({ decision, summary: `${decision}: because`, reasons: [] } as never);
}
const kinds = (d: Decision) => d.actions.map((a) => a.kind);
const writes = (d: Decision) => d.actions.filter((a): a is Extract<Action, { kind: 'setWeights' }> => a.kind === 'setWeights');
const reason = (d: Decision) => (d.actions[0].kind === 'audit' ? d.actions[0].draft.reason : undefined);
const sick = { replacementHealth: { healthy: 0, unhealthy: 2 } };

describe("controller: production follows the replacement's health (invariant 1)", () => {
  it('restores the original at once when a retried first tick finds its shift landed on a replacement that lost its targets', () => {
    // The tick that wrote 50/50 died after the write; Step Functions retries it with the state from before.
    const d = next({ ...startState({ hook: 'BeforeAllowTraffic' }), targets }, observation({ ...sick }, 50), T0 + MIN);
    expect(d.done).toBe(true);
    expect(kinds(d)).toEqual(['audit', 'removeHeaderRule', 'setWeights', 'putWeightMetric', 'reportHook', 'notify']);
    expect(writes(d)).toEqual([{ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 }]);
    expect(d.actions[0]).toMatchObject({
      kind: 'audit',
      draft: {
        verdict: 'rollback',
        reason: 'the replacement serves 50% of production with no healthy target (0 healthy, 2 unhealthy); restoring the original at once',
      },
    });
  });

  it('restores at once while a stage without metrics would otherwise hold', () => {
    const d = next(
      bakingState(1, T0),
      observation({ ...sick, metrics: undefined, errors: ['metrics: ThrottlingException'] }, 25),
      T0 + 3 * MIN,
    );
    expect(d.done).toBe(true);
    expect(writes(d)[0]).toMatchObject({ purpose: 'restore', original: 100 });
    expect(reason(d)).toMatch(/^the replacement serves 25% of production with no healthy target/);
    expect(judgeMock).not.toHaveBeenCalled();
  });

  it('still waits, writing nothing, when the replacement has no weight yet', () => {
    const d = next(startState(), observation({ ...sick }, 0), T0 + MIN);
    expect(d.done).toBe(false);
    expect(writes(d)).toEqual([]);
    expect(reason(d)).toMatch(/^waiting for a healthy replacement target/);
  });

  it("does not restore when the replacement's health could not be read", () => {
    verdict('hold');
    const d = next(
      bakingState(1, T0),
      observation({ replacementHealth: undefined, errors: ['targetHealth: ThrottlingException'] }, 25),
      T0 + 3 * MIN,
    );
    expect(d.done).toBe(false);
    expect(writes(d)).toEqual([]);
  });
});

describe('controller: canary rules follow health within a window', () => {
  it('recreates the rules removed by a hold once health recovers, after the audit record and before any shift', () => {
    verdict('hold');
    // The listener could not be read this tick, so the hold (not the restore) removes the rules.
    const held = next(
      { ...bakingState(0, T0), rulesWithdrawn: undefined },
      observation(
        { metrics: undefined, errors: ['metrics: timeout'], replacementHealth: { healthy: 0, unhealthy: 1 }, listener: undefined },
        5,
      ),
      T0 + 2 * MIN,
    );
    expect(kinds(held)).toEqual(['audit', 'removeHeaderRule']);
    expect(held.state.rulesWithdrawn).toBe(true);

    const stillSick = next(
      held.state,
      observation(
        { metrics: undefined, errors: ['metrics: timeout'], replacementHealth: { healthy: 0, unhealthy: 1 }, listener: undefined },
        5,
      ),
      T0 + 3 * MIN,
    );
    expect(kinds(stillSick)).toEqual(['audit', 'removeHeaderRule']);
    expect(stillSick.state.rulesWithdrawn).toBe(true);

    const recovered = next(stillSick.state, observation({}, 5), T0 + 4 * MIN);
    expect(kinds(recovered)).toEqual(['audit', 'createHeaderRule']);
    expect(recovered.state.rulesWithdrawn).toBeUndefined();

    const after = next(recovered.state, observation({}, 5), T0 + 5 * MIN);
    expect(kinds(after)).toEqual(['audit']);
  });

  it('recreates the rules with a promotion, once, before the weight write', () => {
    verdict('promote');
    const d = next({ ...bakingState(0, T0), rulesWithdrawn: true }, observation({}, 5), T0 + 6 * MIN);
    expect(kinds(d)).toEqual(['audit', 'createHeaderRule', 'setWeights', 'putWeightMetric', 'notify']);
  });

  it('does not recreate rules for a service without canary routing, nor in the post-traffic bake', () => {
    verdict('hold');
    const plain = { ...bakingState(0, T0), rulesWithdrawn: true };
    const noRouting = next({ ...plain, config: { ...plain.config, canaryHeader: false } }, observation({}, 5), T0 + 2 * MIN);
    expect(kinds(noRouting)).not.toContain('createHeaderRule');
    const bake = next(
      { ...plain, config: { ...plain.config, postTrafficBakeMinutes: 10 }, weight: 100 },
      observation({}, 100),
      T0 + 2 * MIN,
    );
    expect(kinds(bake)).not.toContain('createHeaderRule');
  });
});
