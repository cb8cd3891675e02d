/**
 * Property test of the controller's safety invariants: for any sequence of judge verdicts,
 * operator commands, health, deployment status and observation failures, every decision
 * records first, asks only for weights summing to 100, never shifts to a replacement without a
 * healthy target or while the deployment is not InProgress, restores before reporting Failed,
 * and ends every window before the hook deadline.
 */
import fc from 'fast-check';

import { type Decision, next } from '../../lambdas/core/controller';
import { judge } from '../../lambdas/core/judge';
import type { Observation } from '../../lambdas/core/rollout-state';
import { MIN, observation, startState, T0, twoWindowPlan } from './support/rollout-fixtures';

jest.mock('../../lambdas/core/judge', () => ({ judge: jest.fn() }));
const judgeMock = judge as jest.MockedFunction<typeof judge>;

const tickArb = fc.record({
  verdict: fc.constantFrom('promote', 'hold', 'rollback'),
  healthy: fc.constantFrom(0, 1, 2),
  status: fc.constantFrom('InProgress', 'InProgress', 'InProgress', 'InProgress', 'Stopped', undefined),
  metricsFail: fc.boolean(),
  command: fc.constantFrom(undefined, undefined, undefined, 'promote', 'pause', 'resume', 'abort'),
  waitMinutes: fc.integer({ min: 0, max: 6 }),
});

function check(decision: Decision, obs: Observation) {
  const { actions } = decision;
  if (actions.length > 0) expect(actions[0].kind).toBe('audit');
  for (const action of actions) {
    if (action.kind !== 'setWeights') continue;
    expect(action.original + action.replacement).toBe(100);
    if (action.purpose === 'shift') {
      expect(obs.deploymentStatus).toBe('InProgress');
      expect(obs.replacementHealth?.healthy ?? 0).toBeGreaterThan(0);
      expect(action.replacement).toBeGreaterThan(0);
    } else {
      expect(action).toMatchObject({ original: 100, replacement: 0 });
    }
  }
  const failed = actions.findIndex((a) => a.kind === 'reportHook' && a.status === 'Failed');
  if (failed >= 0) {
    const restore = actions.findIndex((a) => a.kind === 'setWeights' && a.purpose === 'restore');
    expect(restore).toBeGreaterThanOrEqual(0);
    expect(restore).toBeLessThan(failed);
  }
  if (actions.some((a) => a.kind === 'reportHook' && a.status === 'Succeeded')) {
    expect(decision.state.outcome?.status).toBe('Succeeded');
  }
}

describe('controller', () => {
  describe('next (properties)', () => {
    it.each(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const)(
      'keeps the safety invariants for any sequence of observations in %s',
      (hook) => {
        fc.assert(
          fc.property(fc.array(tickArb, { minLength: 1, maxLength: 80 }), (ticks) => {
            let state = startState({ hook, plan: twoWindowPlan });
            let now = T0;
            let requestId = 0;
            for (const tick of ticks) {
              if (state.status === 'done') break;
              judgeMock.mockReturnValue({ decision: tick.verdict, summary: `${tick.verdict}: table`, reasons: [] } as never);
              const obs = observation(
                {
                  deploymentStatus: tick.status,
                  replacementHealth: { healthy: tick.healthy, unhealthy: 2 - tick.healthy },
                  ...(tick.metricsFail ? { metrics: undefined, errors: ['metrics: ThrottlingException'] } : {}),
                  ...(tick.command
                    ? {
                        control: {
                          deploymentId: 'd-ABC',
                          command: tick.command,
                          requestedBy: 'op',
                          at: 'x',
                          requestId: `r-${(requestId += 1)}`,
                        },
                      }
                    : {}),
                } as Partial<Observation>,
                state.weight,
              );
              const decision = next(state, obs, now);
              check(decision, obs);
              // Past the deadline (hook limit less the margin) the window always ends, restoring first.
              if (now >= state.deadlineAt) expect(decision.done).toBe(true);
              state = decision.state;
              now += Math.max(decision.waitSeconds, 1) * 1000 + tick.waitMinutes * MIN;
            }
          }),
          { numRuns: 300, seed: 42 },
        );
      },
    );
  });
});
