import { guardDecision, type GuardInput } from '../../lambdas/core/guard';

const input = (overrides: Partial<GuardInput> = {}): GuardInput => ({
  deploymentId: 'd-ABC', state: 'FAILURE', service: 'web', weights: { original: 95, replacement: 5 }, canaryHeader: false, ...overrides,
});
const kinds = (input: GuardInput) => guardDecision(input).actions.map((a) => a.kind);

describe('guard', () => {
  describe('guardDecision', () => {
    it.each<[string, Partial<GuardInput>, boolean, string[]]>([
      ['restores while the replacement still gets traffic', {}, true, ['setWeights', 'putWeightMetric', 'notify']],
      ['restores when the listener could not be read', { weights: undefined }, true, ['setWeights', 'putWeightMetric', 'notify']],
      ['writes no weights when the original already has 100%', { weights: { original: 100, replacement: 0 } }, false, ['notify']],
      ['removes the header rule first when one is configured', { canaryHeader: true }, true, ['removeHeaderRule', 'setWeights', 'putWeightMetric', 'notify']],
    ])('%s', (_name, overrides, restore, actions) => {
      const decision = guardDecision(input(overrides));

      expect(decision.restore).toBe(restore);
      expect(kinds(input(overrides))).toEqual(actions);
    });

    it('restores exactly 100% to the original', () => {
      expect(guardDecision(input()).actions).toContainEqual({ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 });
    });

    it.each([
      ['FAILURE', 'deployment failed (FAILURE); the listener still sent 5% to the replacement, restoring 100% to the original'],
      ['STOP', 'deployment stopped (STOP); the listener still sent 5% to the replacement, restoring 100% to the original'],
    ])('records the reason of a %s with its figures before any action', (state, reason) => {
      const decision = guardDecision(input({ state }));

      expect(decision.reason).toBe(reason);
      expect(decision.record).toMatchObject({ kind: 'audit', draft: { actor: 'guard', reason, weights: { original: 95, replacement: 5 }, figures: { event: state } } });
      expect(decision.actions.map((a) => a.kind)).not.toContain('audit');
    });

    it('says an unreadable listener is restored anyway', () => {
      expect(guardDecision(input({ weights: undefined })).reason).toMatch(/sent an unknown share% to the replacement, restoring/);
    });
  });
});
