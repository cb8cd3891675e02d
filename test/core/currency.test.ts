import { deploymentCurrency, type DeploymentHistory } from '../../lambdas/core/currency';
import { guardDecision, guardIgnore, type GuardInput } from '../../lambdas/core/guard';
import { ownShift } from '../../lambdas/core/own-shift';
import type { RecordedDecision } from '../../lambdas/core/rollout-state';
import { bakingState, MIN, observation, T0 } from './support/rollout-fixtures';

describe('currency', () => {
  describe('deploymentCurrency', () => {
    it.each<[string, Partial<DeploymentHistory>, boolean, string[]]>([
      ['current when the group has no deployment since', { createdSince: ['d-1'] }, true, []],
      ['current when the list leaves the deployment itself out (bounds not inclusive)', { createdSince: [] }, true, []],
      [
        'current when the only newer one is its own automatic rollback',
        { createdSince: ['d-rb', 'd-1'], rollbackDeploymentId: 'd-rb' },
        true,
        [],
      ],
      [
        'not current once another deployment was created after it',
        { createdSince: ['d-2', 'd-rb', 'd-1'], rollbackDeploymentId: 'd-rb' },
        false,
        ['d-2'],
      ],
      ['not current when a rollback of another deployment follows it', { createdSince: ['d-1', 'd-2', 'd-2rb'] }, false, ['d-2', 'd-2rb']],
    ])('%s', (_name, history, current, newer) => {
      const currency = deploymentCurrency({ deploymentId: 'd-1', createdSince: [], ...history });
      expect(currency.current).toBe(current);
      if (!currency.current) {
        expect(currency.newer).toEqual(newer);
        expect(currency.reason).toBe(
          `deployment d-1 is no longer its group's current deployment: ${newer.join(', ')} ${newer.length > 1 ? 'were' : 'was'} created after it`,
        );
      }
    });
  });

  describe('guardIgnore', () => {
    it('records a stale event as ignored, with the newer deployments, and warns', () => {
      const ignored = guardIgnore({
        deploymentId: 'd-1',
        state: 'FAILURE',
        service: 'web',
        currency: deploymentCurrency({ deploymentId: 'd-1', createdSince: ['d-2', 'd-1'] }),
      });
      expect(ignored.record).toMatchObject({
        kind: 'audit',
        draft: {
          kind: 'event',
          verdict: 'ignore',
          actor: 'guard',
          action: 'no listener write',
          figures: { event: 'FAILURE', newerDeployments: ['d-2'] },
        },
      });
      expect(ignored.actions).toEqual([
        { kind: 'notify', severity: 'warning', subject: '[warning] web d-1 FAILURE ignored', message: ignored.reason },
      ]);
    });

    it('alerts critically and writes nothing when currency cannot be established', () => {
      const ignored = guardIgnore({ deploymentId: 'd-1', state: 'STOP', service: 'web', readError: 'ThrottlingException: Rate exceeded' });
      expect(ignored.reason).toBe(
        "STOP event of d-1 ignored: cannot establish that it is the deployment group's current deployment (ThrottlingException: Rate exceeded); nothing written, production is left to CodeDeploy's rollback",
      );
      expect(ignored.actions.map((a) => a.kind)).toEqual(['notify']);
      expect(ignored.actions[0]).toMatchObject({ severity: 'critical' });
    });
  });

  describe("guardDecision with the original's health", () => {
    const input = (overrides: Partial<GuardInput>): GuardInput => ({
      deploymentId: 'd-1',
      state: 'FAILURE',
      service: 'web',
      weights: { original: 75, replacement: 25 },
      testWeights: { original: 100, replacement: 0 },
      canaryHeader: true,
      ...overrides,
    });
    it.each<[string, Partial<GuardInput>, boolean, string[]]>([
      [
        'restores onto an original with a healthy target',
        { originalHealth: { healthy: 2, unhealthy: 0 } },
        true,
        ['removeHeaderRule', 'setWeights', 'putWeightMetric', 'notify'],
      ],
      ["restores when the original's health is unreadable", {}, true, ['removeHeaderRule', 'setWeights', 'putWeightMetric', 'notify']],
      [
        'writes no weight onto an original without a healthy target, still removes the rule and alerts',
        { originalHealth: { healthy: 0, unhealthy: 2 } },
        false,
        ['removeHeaderRule', 'notify'],
      ],
      [
        'puts the test listener back too when it still forwards to the replacement',
        { testWeights: { original: 0, replacement: 100 } },
        true,
        ['removeHeaderRule', 'setWeights', 'putWeightMetric', 'restoreTestListener', 'notify'],
      ],
      [
        'asks for the test listener when its weights are unreadable (the runner re-reads it)',
        { testWeights: undefined },
        true,
        ['removeHeaderRule', 'setWeights', 'putWeightMetric', 'restoreTestListener', 'notify'],
      ],
      [
        'leaves the test listener on an original without a healthy target',
        { originalHealth: { healthy: 0, unhealthy: 2 }, testWeights: { original: 0, replacement: 100 } },
        false,
        ['removeHeaderRule', 'notify'],
      ],
    ])('%s', (_name, overrides, restore, kinds) => {
      const decision = guardDecision(input(overrides));
      expect(decision.restore).toBe(restore);
      expect(decision.actions.map((a) => a.kind)).toEqual(kinds);
      expect(decision.actions.at(-1)).toMatchObject({ severity: 'critical' });
    });
  });
});

describe('ownShift', () => {
  const state = bakingState(0, T0, { startedAt: T0 - MIN });
  const shiftTo25 = (overrides: Partial<RecordedDecision> = {}): RecordedDecision => ({
    at: T0 + 6 * MIN,
    kind: 'decision',
    actor: 'engine',
    hook: 'AfterAllowTestTraffic',
    verdict: 'promote',
    stage: { index: 1, weight: 25 },
    weights: { original: 75, replacement: 25 },
    ...overrides,
  });
  const seen = (recorded: RecordedDecision[], replacement = 25) =>
    observation({ recorded, listener: { original: 100 - replacement, replacement } }, replacement);

  it('adopts the shift this window recorded as its newest decision', () => {
    expect(ownShift(state, seen([shiftTo25()]))).toMatchObject({
      status: 'baking',
      stepIndex: 1,
      weight: 25,
      stageStartedAt: T0 + 6 * MIN,
      stagePausedMs: 0,
    });
  });

  it.each<[string, RecordedDecision[], number]>([
    ['no record was read', [], 25],
    [
      'the newest acting decision is a rollback',
      [{ ...shiftTo25(), verdict: 'rollback', weights: { original: 100, replacement: 0 } }, shiftTo25()],
      25,
    ],
    ["the recorded weight is not the listener's", [shiftTo25()], 50],
    ['the record is of another window', [shiftTo25({ hook: 'BeforeAllowTraffic' })], 25],
    ['the record predates the current stage', [shiftTo25({ at: T0 - MIN })], 25],
    ["the record is the guard's", [shiftTo25({ actor: 'guard' })], 25],
    [
      'the record is the current stage itself',
      [shiftTo25({ stage: { index: 0, weight: 5 }, weights: { original: 95, replacement: 5 } })],
      5,
    ],
  ])('adopts nothing when %s', (_name, recorded, replacement) => {
    expect(ownShift(state, seen(recorded, replacement))).toBeUndefined();
  });
});
