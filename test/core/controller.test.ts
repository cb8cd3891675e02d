import { type Action, type Decision, failSafe, metricReads, next, secondsUntilNextMinute } from '../../lambdas/core/controller';
import { judge } from '../../lambdas/core/judge';
import { bakingState, MIN, minutes, observation, startState, T0, targets, twoWindowPlan } from './support/rollout-fixtures';

jest.mock('../../lambdas/core/judge', () => ({ judge: jest.fn() }));
const judgeMock = judge as jest.MockedFunction<typeof judge>;

function verdict(decision: 'promote' | 'hold' | 'rollback', summary = `${decision}: because`) {
  judgeMock.mockReturnValue({
    decision,
    summary,
    reasons: [{ check: 'errors', status: decision === 'rollback' ? 'fail' : 'pass', observed: '1%', bar: '≤ 2%', detail: summary }],
  } as never);
}
const kinds = (d: Decision) => d.actions.map((a) => a.kind);
const find = <K extends Action['kind']>(d: Decision, kind: K) =>
  d.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
const listenerWrites = (d: Decision) => find(d, 'setWeights');

/** Every decision: the audit record comes first, weights sum to 100, a failure restores before reporting. */
function expectInvariants(d: Decision) {
  if (d.actions.length > 0) expect(d.actions[0].kind).toBe('audit');
  for (const w of listenerWrites(d)) expect(w.original + w.replacement).toBe(100);
  const report = d.actions.findIndex((a) => a.kind === 'reportHook' && a.status === 'Failed');
  if (report >= 0) {
    const restore = d.actions.findIndex((a) => a.kind === 'setWeights' && a.purpose === 'restore' && a.original === 100);
    expect(restore).toBeGreaterThanOrEqual(0);
    expect(restore).toBeLessThan(report);
  }
}

afterEach(() => judgeMock.mockReset());

describe('controller', () => {
  describe('next', () => {
    describe('promote path', () => {
      it('shifts 5 → 25 → 50 and reports Succeeded, each shift only after a promote verdict', () => {
        verdict('promote');
        let now = T0;
        let d = next(startState(), observation(), now);
        const weights: number[] = [];
        while (!d.done) {
          expectInvariants(d);
          weights.push(...listenerWrites(d).map((w) => w.replacement));
          now += d.waitSeconds * 1000 + 5 * MIN;
          d = next(d.state, observation({}, d.state.weight), now);
        }
        expectInvariants(d);
        expect(weights).toEqual([5, 25, 50]);
        expect(find(d, 'reportHook')).toEqual([{ kind: 'reportHook', status: 'Succeeded' }]);
        expect(d.state.outcome?.status).toBe('Succeeded');
      });

      it('creates the header rule with the first shift and removes it when the last window before AllowTraffic completes', () => {
        verdict('promote');
        const first = next(startState(), observation(), T0);
        expect(kinds(first)).toEqual(['audit', 'recordRollout', 'createHeaderRule', 'setWeights', 'putWeightMetric', 'notify']);
        const last = next(bakingState(2, T0), observation({}, 50), T0 + 20 * MIN);
        expect(kinds(last)).toEqual(['audit', 'removeHeaderRule', 'reportHook', 'notify']);
      });

      it('keeps the header rule at the end of window 1 when window 2 still has steps', () => {
        verdict('promote');
        const state = {
          ...startState({ plan: twoWindowPlan }),
          status: 'baking' as const,
          stepIndex: 1,
          weight: 25,
          stageStartedAt: T0,
          targets,
        };
        const d = next(state, observation({}, 25), T0 + 20 * MIN);
        expect(kinds(d)).not.toContain('removeHeaderRule');
        expect(find(d, 'reportHook')[0].status).toBe('Succeeded');
      });

      it('records the judge reasons and figures in the audit record before the shift', () => {
        verdict('promote', 'promote: 400 canary requests');
        const d = next(bakingState(0, T0), observation({}, 5), T0 + 6 * MIN);
        const [audit] = find(d, 'audit');
        expect(audit.draft).toMatchObject({
          verdict: 'promote',
          reason: expect.stringContaining('400 canary requests'),
          weights: { original: 75, replacement: 25 },
          stage: { index: 1, weight: 25 },
        });
        expect(audit.draft.reasons).toHaveLength(1);
        expect(audit.draft.figures).toHaveProperty('canary');
      });
    });

    describe('hold and rollback', () => {
      it('holds without writing the listener while the judge holds', () => {
        verdict('hold');
        const d = next(bakingState(1, T0), observation({}, 25), T0 + 3 * MIN);
        expect(d.done).toBe(false);
        expect(listenerWrites(d)).toEqual([]);
        expect(find(d, 'audit')[0].draft.verdict).toBe('hold');
      });

      it('restores 100% to the original, removes the header rule and reports Failed on rollback', () => {
        verdict('rollback', 'rollback: canary 5xx 4.8% (12/250) vs baseline 0.3%');
        const d = next(bakingState(0, T0), observation({}, 5), T0 + 2 * MIN);
        expectInvariants(d);
        expect(kinds(d)).toEqual(['audit', 'removeHeaderRule', 'setWeights', 'putWeightMetric', 'reportHook', 'notify']);
        expect(find(d, 'setWeights')[0]).toMatchObject({ purpose: 'restore', original: 100, replacement: 0 });
        expect(d.state.outcome).toEqual({ status: 'Failed', reason: expect.stringContaining('4.8%') });
      });

      it('fails with "insufficient evidence" when a hold outlives the bake plus hold limit', () => {
        verdict('hold');
        const d = next(bakingState(0, T0), observation({}, 5), T0 + (5 + 5 + 3) * MIN);
        expectInvariants(d);
        expect(d.state.outcome?.reason).toMatch(/^insufficient evidence/);
        expect(find(d, 'reportHook')[0].status).toBe('Failed');
      });

      it('holds instead of shifting when the judge promotes but the replacement has no healthy target', () => {
        verdict('promote');
        // Listener unread this tick; with the listener read at 5% the replacement's lost targets restore the original.
        const d = next(
          bakingState(0, T0),
          observation({ replacementHealth: { healthy: 0, unhealthy: 2 }, listener: undefined }, 5),
          T0 + 6 * MIN,
        );
        expect(listenerWrites(d)).toEqual([]);
        expect(find(d, 'audit')[0].draft.reason).toMatch(/no healthy target/);
      });

      it('does not make the first shift to a replacement without a healthy target', () => {
        const d = next(startState(), observation({ replacementHealth: { healthy: 0, unhealthy: 1 } }), T0);
        expect(listenerWrites(d)).toEqual([]);
        expect(d.done).toBe(false);
      });

      it('fails when the listener was changed outside the engine', () => {
        const d = next(bakingState(1, T0), observation({ recorded: [] }, 60), T0 + 2 * MIN);
        expectInvariants(d);
        expect(d.state.outcome?.reason).toMatch(/changed outside the engine/);
      });
    });

    describe('deployment no longer InProgress', () => {
      it.each(['Stopped', 'Failed'])('writes only the restore when the deployment is %s', (status) => {
        const d = next(bakingState(1, T0), observation({ deploymentStatus: status }, 25), T0 + 2 * MIN);
        expect(listenerWrites(d)).toEqual([{ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 }]);
        expect(kinds(d)).not.toContain('reportHook');
        expect(d.state.outcome?.status).toBe('Abandoned');
        expect(judgeMock).not.toHaveBeenCalled();
      });

      it('writes nothing when the deployment is Succeeded: its original task set is gone (a retried tick whose answer landed)', () => {
        const d = next(bakingState(1, T0), observation({ deploymentStatus: 'Succeeded' }, 100), T0 + 2 * MIN);
        expect(kinds(d)).toEqual(['audit', 'notify']);
        expect(d.state.outcome?.status).toBe('Abandoned');
      });
    });

    describe('observation failures', () => {
      const failing = (state = bakingState(0, T0)) =>
        next(state, observation({ metrics: undefined, errors: ['metrics: ThrottlingException after 4 attempts'] }, 5), T0 + 2 * MIN);

      it('counts a failed metrics read as no evidence, holds and retries sooner', () => {
        const d = failing();
        expect(d.state.failedObservations).toBe(1);
        expect(listenerWrites(d)).toEqual([]);
        expect(d.waitSeconds).toBe(30);
        expect(judgeMock).not.toHaveBeenCalled();
      });

      it('says it is holding after three failed observations in a row', () => {
        const d = failing(bakingState(0, T0, { failedObservations: 2 }));
        expect(find(d, 'notify')[0].message).toMatch(/holding at 5%: 3 failed observations in a row/);
      });

      it('resets the count when metrics are read again', () => {
        verdict('hold');
        const d = next(bakingState(0, T0, { failedObservations: 2 }), observation({}, 5), T0 + 2 * MIN);
        expect(d.state.failedObservations).toBe(0);
      });

      it('writes nothing when the deployment status cannot be read', () => {
        const d = next(
          bakingState(0, T0),
          observation({ deploymentStatus: undefined, errors: ['deployment: AccessDenied'] }, 5),
          T0 + 2 * MIN,
        );
        expect(listenerWrites(d)).toEqual([]);
        expect(d.done).toBe(false);
      });
    });

    describe('hook deadline', () => {
      it('restores and reports Failed when the window reaches its deadline', () => {
        verdict('hold');
        const d = next(bakingState(2, T0 + 40 * MIN), observation({}, 50), T0 + 58 * MIN);
        expectInvariants(d);
        expect(d.state.outcome?.reason).toMatch(/hook deadline/);
      });

      it('fails instead of shifting when the remaining bakes would overrun the deadline', () => {
        verdict('promote');
        const d = next(bakingState(1, T0), observation({}, 25), T0 + 45 * MIN);
        expectInvariants(d);
        expect(d.state.outcome?.reason).toMatch(/would end after/);
        expect(listenerWrites(d).map((w) => w.purpose)).toEqual(['restore']);
      });
    });

    describe('operator control', () => {
      const control = (command: 'promote' | 'pause' | 'resume' | 'abort', requestId = 'r-1') => ({
        deploymentId: 'd-ABC',
        command,
        requestedBy: 'alice',
        reason: 'testing',
        at: new Date(T0).toISOString(),
        requestId,
      });

      it('aborts: restores, reports Failed and names who', () => {
        const d = next(bakingState(0, T0), observation({ control: control('abort') }, 5), T0 + MIN);
        expectInvariants(d);
        expect(d.state.outcome?.reason).toBe('aborted by alice: testing');
        expect(find(d, 'audit')[0].draft.actor).toBe('alice');
      });

      it('pauses: holds even when the judge would promote, but still rolls back a failing canary', () => {
        verdict('promote');
        const paused = next(bakingState(0, T0), observation({ control: control('pause') }, 5), T0 + 6 * MIN);
        expect(listenerWrites(paused)).toEqual([]);
        expect(paused.state.paused?.by).toBe('alice');
        verdict('rollback');
        const failing = next(paused.state, observation({ control: control('pause') }, 5), T0 + 7 * MIN);
        expect(failing.state.outcome?.status).toBe('Failed');
      });

      it('resumes: the paused time extends the hold limit', () => {
        verdict('hold');
        const paused = next(bakingState(0, T0), observation({ control: control('pause', 'p') }, 5), T0 + MIN).state;
        const resumed = next(paused, observation({ control: control('resume', 'r') }, 5), T0 + 21 * MIN);
        expect(resumed.state.paused).toBeUndefined();
        expect(resumed.state.stagePausedMs).toBe(20 * MIN);
        expect(resumed.done).toBe(false);
      });

      it('promote: skips the rest of the bake while the judge holds', () => {
        verdict('hold');
        const d = next(bakingState(0, T0), observation({ control: control('promote') }, 5), T0 + MIN);
        expect(listenerWrites(d)).toEqual([expect.objectContaining({ purpose: 'shift', replacement: 25 })]);
        expect(d.state.promoteRequestedBy).toBeUndefined();
      });

      it('promote never overrides a failing judge', () => {
        verdict('rollback');
        const d = next(bakingState(0, T0), observation({ control: control('promote') }, 5), T0 + MIN);
        expect(d.state.outcome?.status).toBe('Failed');
      });

      it.each([
        ['another deployment', { deploymentId: 'd-OTHER' }],
        ['an acknowledged request', {}],
      ])('ignores a control record of %s', (_name, change) => {
        verdict('hold');
        const state = bakingState(0, T0, { acknowledgedRequests: ['r-1'] });
        const d = next(state, observation({ control: { ...control('abort'), ...change } }, 5), T0 + MIN);
        expect(d.state.outcome).toBeUndefined();
      });
    });

    describe('freeze switch', () => {
      it('stops a running rollout: records who froze it, restores 100% to the original, reports Failed', () => {
        verdict('promote');
        const d = next(
          bakingState(1, T0),
          observation(
            {
              freeze: {
                frozen: true,
                by: 'carol',
                reason: 'incident 42',
                callerArn: 'arn:aws:sts::123456789012:assumed-role/oncall/carol',
              },
            },
            25,
          ),
          T0 + 3 * MIN,
        );
        expectInvariants(d);
        expect(d.state.outcome).toEqual({ status: 'Failed', reason: 'frozen by carol: incident 42; production returned to the original' });
        expect(find(d, 'audit')[0].draft.figures).toMatchObject({
          freeze: { frozen: true, by: 'carol', callerArn: 'arn:aws:sts::123456789012:assumed-role/oncall/carol' },
        });
        expect(find(d, 'audit')[0].draft).toMatchObject({ verdict: 'rollback', actor: 'carol' });
        expect(listenerWrites(d)).toEqual([expect.objectContaining({ purpose: 'restore', original: 100, replacement: 0 })]);
      });

      it('goes on when the switch is off or cannot be read', () => {
        verdict('hold');
        expect(next(bakingState(1, T0), observation({ freeze: { frozen: false } }, 25), T0 + 3 * MIN).done).toBe(false);
        expect(next(bakingState(1, T0), observation({ errors: ['freeze: AccessDenied'] }, 25), T0 + 3 * MIN).done).toBe(false);
      });
    });

    describe('one rollout across windows', () => {
      const history = minutes(T0 - 60 * MIN, 60, { requests: 2000, errors: 10 }).map((b, i) => ({ ...b, p95Ms: 200 + (i % 3) * 10 }));
      const judged = () => judgeMock.mock.calls.at(-1)![0];

      it("starts the rollout at the first shift with E = ratio × the original's p95, recorded right after the audit record", () => {
        verdict('hold');
        const d = next(startState(), observation({ history }), T0);
        expect(d.state.rollout).toEqual({ startedAt: T0, slowThresholdMs: 315 });
        expect(find(d, 'recordRollout')).toEqual([{ kind: 'recordRollout', rollout: { startedAt: T0, slowThresholdMs: 315 } }]);
        expect(kinds(d).slice(0, 2)).toEqual(['audit', 'recordRollout']);
      });

      it('judges a later window as the same rollout: the recorded first shift and E, no new record', () => {
        verdict('hold');
        const recorded = { startedAt: T0 - 30 * MIN, slowThresholdMs: 300 };
        const first = next(
          startState({ plan: twoWindowPlan, hook: 'BeforeAllowTraffic', at: T0 }),
          observation({ rollout: recorded, history }, 25),
          T0,
        );
        expect(first.state.rollout).toEqual(recorded);
        expect(find(first, 'recordRollout')).toEqual([]);
        next(
          first.state,
          observation({ metrics: { replacement: minutes(T0 - 30 * MIN, 31, { requests: 100, errors: 0 }), original: history } }, 50),
          T0 + 3 * MIN,
        );
        expect(judged().stage).toMatchObject({ weight: 50, rolloutStartedAt: T0 - 30 * MIN, final: true });
        expect(judged().slowThresholdMs).toBe(300);
        expect(judged().canary).toHaveLength(31);
      });

      it("reads the original's history at a window's start, then both groups from the first shift and the hour before it", () => {
        expect(metricReads(startState(), T0)).toEqual({ original: { from: T0 - 60 * MIN, to: T0 } });
        expect(metricReads(bakingState(1, T0 + 5 * MIN), T0 + 9 * MIN)).toEqual({
          replacement: { from: T0 - MIN },
          original: { from: T0 - 60 * MIN },
        });
      });

      it('holds blind, writing nothing, while the rollout record cannot be read', () => {
        const d = next(startState(), observation({ rollout: undefined, errors: ['rollout: AccessDenied'] }), T0);
        expect(listenerWrites(d)).toEqual([]);
        expect(d.state.status).toBe('starting');
        expect(d.state.failedObservations).toBe(1);
      });

      it("starts the post-traffic bake at 100% from the hook's time and judges it as weight 100 of the same rollout", () => {
        verdict('hold');
        const recorded = { startedAt: T0 - 40 * MIN, slowThresholdMs: 300 };
        const first = next(startState({ hook: 'AfterAllowTraffic' }), observation({ rollout: recorded }, 100), T0);
        expect(first.state).toMatchObject({ status: 'baking', weight: 100, stageStartedAt: T0, rollout: recorded });
        expect(listenerWrites(first)).toEqual([]);
        next(
          first.state,
          observation({ metrics: { replacement: minutes(T0 - 40 * MIN, 42, { requests: 100, errors: 0 }), original: history } }, 100),
          T0 + 3 * MIN,
        );
        expect(judged().stage).toMatchObject({
          weight: 100,
          startedAt: T0,
          rolloutStartedAt: T0 - 40 * MIN,
          final: false,
          minBakeMs: 15 * MIN,
        });
        verdict('rollback');
        const rolled = next(first.state, observation({}, 100), T0 + 4 * MIN);
        expect(listenerWrites(rolled)).toEqual([expect.objectContaining({ purpose: 'restore', original: 100 })]);
      });
    });

    describe('window without steps', () => {
      it('reports Succeeded at once, removing the header rule but restoring nothing', () => {
        const d = next(startState({ hook: 'BeforeAllowTraffic' }), observation({}, 50), T0);
        expect(kinds(d)).toEqual(['audit', 'removeHeaderRule', 'reportHook', 'notify']);
        expect(find(d, 'reportHook')[0].status).toBe('Succeeded');
      });
    });

    it('does nothing once done', () => {
      const done = { ...bakingState(0, T0), status: 'done' as const };
      expect(next(done, observation(), T0)).toEqual({ state: done, actions: [], waitSeconds: 0, done: true });
    });
  });

  describe('failSafe', () => {
    it('restores, removes the header rule and reports Failed after the tick kept failing for 5 minutes', () => {
      const failing = { ...bakingState(1, T0), tickFailures: { since: T0, count: 4 } };
      const d = failSafe(failing, 'Lambda.Unknown: out of memory', T0 + 5 * MIN);
      expectInvariants(d);
      expect(kinds(d)).toEqual(['audit', 'removeHeaderRule', 'setWeights', 'putWeightMetric', 'reportHook', 'notify']);
      expect(d.state.outcome?.reason).toMatch(/tick failed \(Lambda.Unknown: out of memory\)/);
    });

    it('holds without writes, recording why, when the tick has only just started failing', () => {
      const d = failSafe(bakingState(1, T0), 'ThrottlingException: Rate exceeded', T0 + MIN);
      expectInvariants(d);
      expect(kinds(d)).toEqual(['audit']);
      expect(d.done).toBe(false);
      expect(d.state.tickFailures).toEqual({ since: T0 + MIN, count: 1 });
      expect(d.waitSeconds).toBeGreaterThan(0);
    });

    it('fails at once when the hold limit is shorter than the tolerance', () => {
      const strict = bakingState(1, T0);
      const d = failSafe({ ...strict, config: { ...strict.config, holdLimitMinutes: 0 } }, 'x', T0 + MIN);
      expect(d.done).toBe(true);
      expect(kinds(d)).toContain('reportHook');
    });

    it('fails near the hook deadline even when the failures are recent', () => {
      const state = bakingState(1, T0);
      expect(failSafe(state, 'x', state.deadlineAt - MIN).done).toBe(true);
    });

    it('reports Failed without a restore when the target groups are unknown', () => {
      const { targets: _unknown, ...state } = { ...bakingState(1, T0), tickFailures: { since: T0, count: 4 } };
      const d = failSafe(state, 'x', T0 + 5 * MIN);
      expect(kinds(d)).toEqual(['audit', 'removeHeaderRule', 'putWeightMetric', 'reportHook', 'notify']);
    });

    it('forgets the failures once a tick runs again', () => {
      const held = failSafe(bakingState(1, T0), 'x', T0 + MIN).state;
      verdict('hold');
      expect(next(held, observation({}, 5), T0 + 2 * MIN).state.tickFailures).toBeUndefined();
    });

    it('does nothing for a window that is already done', () => {
      expect(failSafe({ ...bakingState(0, T0), status: 'done' }, 'x', T0).actions).toEqual([]);
    });
  });

  describe('secondsUntilNextMinute', () => {
    it.each([
      [0, 32],
      [31, 61],
      [32, 60],
      [40, 52],
      [20, 72],
    ])('at second %i waits %i s', (second, expected) => {
      expect(secondsUntilNextMinute(T0 + second * 1000)).toBe(expected);
    });
  });

  describe('rules follow health', () => {
    it.each<[string, { healthy: number; unhealthy: number } | undefined, boolean]>([
      ['removes the canary rules on a hold while the replacement has no healthy target', { healthy: 0, unhealthy: 2 }, true],
      ['keeps them while the replacement health is unreadable', undefined, false],
    ])('%s', (_name, health, removed) => {
      const { replacementHealth: _, ...rest } = observation();
      const decision = next(startState({ canaryHeader: true }), { ...rest, ...(health ? { replacementHealth: health } : {}) }, T0 + MIN);
      expect(decision.actions.map((a) => a.kind)).toEqual(['audit', ...(removed ? ['removeHeaderRule'] : [])]);
      expect(decision.state.weight).toBe(0);
    });

    it('never removes them for a service without canary routing', () => {
      const decision = next(
        startState({ canaryHeader: false }),
        observation({ replacementHealth: { healthy: 0, unhealthy: 1 } }),
        T0 + MIN,
      );
      expect(decision.actions.map((a) => a.kind)).toEqual(['audit']);
    });
  });

  describe('a listener that differs from the state', () => {
    it('fails a write nobody recorded, and carries on at a shift this window recorded (a retried tick)', () => {
      const state = bakingState(0, T0);
      const listener = { original: 75, replacement: 25 };
      expect(next(state, observation({ listener, recorded: [] }, 25), T0 + 7 * MIN).state.outcome?.reason).toMatch(
        /^listener weights changed outside the engine: .* and recorded no such shift$/,
      );
      const recorded = [
        {
          at: T0 + 6 * MIN,
          kind: 'decision',
          actor: 'engine',
          hook: state.hook,
          verdict: 'promote',
          stage: { index: 1, weight: 25 },
          weights: listener,
        },
      ];
      const decision = next(state, observation({ listener, recorded }, 25), T0 + 7 * MIN);
      expect(decision).toMatchObject({ done: false, state: { status: 'baking', stepIndex: 1, weight: 25 } });
      expect(decision.actions.map((a) => a.kind)).toEqual(['audit']);
    });
  });
});
