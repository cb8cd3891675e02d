import {
  compilePlan,
  DEFAULT_ROLLOUT_PLAN,
  MAX_WINDOW_MINUTES,
  planProblems,
  RolloutPlanInput,
  windowFor,
} from '../../lambdas/core/rollout-plan';

const defaultPlan = DEFAULT_ROLLOUT_PLAN;

const plan = (overrides: Partial<RolloutPlanInput>): RolloutPlanInput => ({ ...defaultPlan, ...overrides });

describe('plan', () => {
  describe('compilePlan', () => {
    it('splits the default plan into 5%+25% in AfterAllowTestTraffic and 50% in BeforeAllowTraffic', () => {
      const compiled = compilePlan(defaultPlan);

      expect(compiled.windows.map((w) => [w.hook, w.steps.map((s) => s.weight), w.worstCaseMinutes])).toEqual([
        ['AfterAllowTestTraffic', [5, 25], 35],
        ['BeforeAllowTraffic', [50], 25],
        ['AfterAllowTraffic', [], 25],
      ]);
      expect(compiled.totalBakeMinutes).toBe(45);
      expect(compiled.worstCaseMinutes).toBe(85);
    });

    it('keeps every step in window 1 when they all fit', () => {
      const compiled = compilePlan(
        plan({
          steps: [
            { weight: 10, bakeMinutes: 2 },
            { weight: 50, bakeMinutes: 2 },
          ],
          holdLimitMinutes: 5,
        }),
      );

      expect(windowFor(compiled, 'AfterAllowTestTraffic')?.steps.map((s) => s.index)).toEqual([0, 1]);
      expect(windowFor(compiled, 'BeforeAllowTraffic')?.steps).toEqual([]);
    });

    it('accepts a window of exactly the limit', () => {
      const compiled = compilePlan(plan({ steps: [{ weight: 5, bakeMinutes: MAX_WINDOW_MINUTES - 10 }] }));

      expect(compiled.windows[0].worstCaseMinutes).toBe(MAX_WINDOW_MINUTES);
    });

    it('throws the first problem as a PlanError naming the field', () => {
      expect(() => compilePlan(plan({ steps: [{ weight: 0, bakeMinutes: 5 }] }))).toThrow(
        expect.objectContaining({ name: 'PlanError', field: 'rollout.steps[0].weight' }),
      );
    });
  });

  describe('planProblems', () => {
    it.each<[string, Partial<RolloutPlanInput>, string, RegExp]>([
      ['no steps', { steps: [] }, 'rollout.steps', /is empty/],
      [
        'weight 100',
        { steps: [{ weight: 100, bakeMinutes: 5 }] },
        'rollout.steps[0].weight',
        /is 100; accepted: a whole percentage greater than 0 and less than 100/,
      ],
      ['fractional weight', { steps: [{ weight: 2.5, bakeMinutes: 5 }] }, 'rollout.steps[0].weight', /is 2.5/],
      [
        'weights not increasing',
        {
          steps: [
            { weight: 25, bakeMinutes: 5 },
            { weight: 25, bakeMinutes: 5 },
          ],
        },
        'rollout.steps[1].weight',
        /not above the previous step's 25/,
      ],
      ['bake under a minute', { steps: [{ weight: 5, bakeMinutes: 0.5 }] }, 'rollout.steps[0].bakeMinutes', /at least 1 minute/],
      ['negative hold limit', { holdLimitMinutes: -1 }, 'rollout.holdLimitMinutes', /0 or more/],
      [
        'one step longer than a window',
        { steps: [{ weight: 5, bakeMinutes: 50 }] },
        'rollout.steps[0].bakeMinutes',
        /takes up to 60 min \(bake 50 \+ hold limit 10\)/,
      ],
      [
        'steps that need three windows',
        {
          steps: [
            { weight: 5, bakeMinutes: 30 },
            { weight: 25, bakeMinutes: 30 },
            { weight: 50, bakeMinutes: 30 },
          ],
        },
        'rollout.steps',
        /does not split into two CodeDeploy hook windows .*\(window 2 would need 80 min/,
      ],
      [
        'post-traffic bake too long',
        { postTrafficBakeMinutes: 50 },
        'rollout.postTrafficBakeMinutes',
        /= 60 min exceeds the 55 min AfterAllowTraffic hook window/,
      ],
    ])('reports %s', (_name, overrides, field, message) => {
      const problems = planProblems(plan(overrides));

      expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) })]));
    });

    it('reports every problem at once', () => {
      const problems = planProblems(
        plan({
          steps: [
            { weight: 0, bakeMinutes: 0 },
            { weight: 150, bakeMinutes: 5 },
          ],
        }),
      );

      expect(problems.map((p) => p.field)).toEqual(['rollout.steps[0].weight', 'rollout.steps[0].bakeMinutes', 'rollout.steps[1].weight']);
    });

    it('finds nothing wrong with the default plan', () => {
      expect(planProblems(defaultPlan)).toEqual([]);
    });
  });
});
