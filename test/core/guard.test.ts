import {
  fencedStatus,
  guardDecision,
  type GuardInput,
  guardNoTargets,
  guardRecheck,
  RECHECK_AFTER_FENCE_MS,
  RECHECK_RESERVE_MS,
  type RecheckInput,
  recheckPlan,
  stopCause,
} from '../../lambdas/core/guard';

const input = (overrides: Partial<GuardInput> = {}): GuardInput => ({
  deploymentId: 'd-ABC',
  state: 'FAILURE',
  service: 'web',
  weights: { original: 95, replacement: 5 },
  testWeights: { original: 100, replacement: 0 },
  canaryHeader: false,
  ...overrides,
});
const kinds = (input: GuardInput) => guardDecision(input).actions.map((a) => a.kind);

describe('guard', () => {
  describe('guardDecision', () => {
    it.each<[string, Partial<GuardInput>, boolean, string[]]>([
      ['restores while the replacement still gets traffic', {}, true, ['setWeights', 'putWeightMetric', 'notify']],
      ['restores when the listener could not be read', { weights: undefined }, true, ['setWeights', 'putWeightMetric', 'notify']],
      ['writes no weights when the original already has 100%', { weights: { original: 100, replacement: 0 } }, false, ['notify']],
      [
        'removes the header rule first when one is configured',
        { canaryHeader: true },
        true,
        ['removeHeaderRule', 'setWeights', 'putWeightMetric', 'notify'],
      ],
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
      expect(decision.record).toMatchObject({
        kind: 'audit',
        draft: { actor: 'guard', reason, weights: { original: 95, replacement: 5 }, figures: { event: state } },
      });
      expect(decision.actions.map((a) => a.kind)).not.toContain('audit');
    });

    // A stop without CodeDeploy's rollback after AllowTestTraffic leaves the test listener on the
    // replacement, and CodeDeploy then fails every later deployment of the group at its start.
    it.each<[string, Partial<GuardInput>, string[]]>([
      [
        'with production',
        { testWeights: { original: 0, replacement: 100 } },
        ['setWeights', 'putWeightMetric', 'restoreTestListener', 'notify'],
      ],
      [
        'when production is already on the original',
        { weights: { original: 100, replacement: 0 }, testWeights: { original: 0, replacement: 100 } },
        ['restoreTestListener', 'notify'],
      ],
      [
        'when the test listener could not be read',
        { testWeights: undefined },
        ['setWeights', 'putWeightMetric', 'restoreTestListener', 'notify'],
      ],
      [
        'not onto an original without a healthy target',
        { testWeights: { original: 0, replacement: 100 }, originalHealth: { healthy: 0, unhealthy: 2 } },
        ['notify'],
      ],
    ])('restores the test listener to the original %s', (_name, overrides, actions) => {
      expect(kinds(input(overrides))).toEqual(actions);
    });

    it('records why it restores the test listener, with its weights', () => {
      const decision = guardDecision(input({ state: 'STOP', testWeights: { original: 0, replacement: 100 } }));
      expect(decision.reason).toMatch(
        /; the test listener still sent 100% to the replacement, restoring it to the original too .*Primary taskset target group must be behind listener/,
      );
      expect(decision.record).toMatchObject({
        draft: {
          action:
            'restore 100% to the original, remove the header rule, stop the rollout executions, restore the test listener to the original',
          figures: { testWeights: { original: 0, replacement: 100 } },
        },
      });
    });

    it('says an unreadable listener is restored anyway', () => {
      expect(guardDecision(input({ weights: undefined })).reason).toMatch(/sent an unknown share% to the replacement, restoring/);
    });
  });

  describe('recheckPlan', () => {
    const fencedAt = Date.parse('2026-11-21T10:00:00Z');
    it.each<[string, number, number | undefined, number, boolean]>([
      ['waits until the tick timeout and the in-flight margin have passed since the fence', 0, undefined, RECHECK_AFTER_FENCE_MS, true],
      ['counts the time the restore took', 20_000, undefined, RECHECK_AFTER_FENCE_MS - 20_000, true],
      ['does not wait when that time is over', RECHECK_AFTER_FENCE_MS + 5_000, undefined, 0, true],
      ['fits in a guard with time to spare', 5_000, 115_000, RECHECK_AFTER_FENCE_MS - 5_000, true],
      ['re-checks early, and says so, when the guard would time out first', 5_000, 55_000, 55_000 - RECHECK_RESERVE_MS, false],
      ['never waits a negative time', 5_000, 3_000, 0, false],
    ])('%s', (_name, elapsed, remaining, waitMs, complete) => {
      expect(recheckPlan(fencedAt, fencedAt + elapsed, remaining)).toEqual({ waitMs, complete });
    });
  });

  describe('guardRecheck', () => {
    const recheck = (overrides: Partial<RecheckInput> = {}): RecheckInput => ({
      deploymentId: 'd-ABC',
      state: 'STOP',
      service: 'web',
      weights: { original: 100, replacement: 0 },
      canaryHeader: false,
      afterFenceMs: 90_000,
      ...overrides,
    });
    it.each<[string, Partial<RecheckInput>, boolean, string[]]>([
      ['does nothing when the restore held', {}, false, []],
      ['removes header rules again either way', { canaryHeader: true }, false, ['removeHeaderRule']],
      [
        'restores again after a tick in flight shifted traffic back',
        { weights: { original: 75, replacement: 25 } },
        true,
        ['audit', 'setWeights', 'putWeightMetric', 'notify'],
      ],
      [
        'restores again when the listener cannot be read',
        { weights: undefined },
        true,
        ['audit', 'setWeights', 'putWeightMetric', 'notify'],
      ],
      [
        'removes the header rule before restoring',
        { weights: { original: 95, replacement: 5 }, canaryHeader: true },
        true,
        ['audit', 'removeHeaderRule', 'setWeights', 'putWeightMetric', 'notify'],
      ],
    ])('%s', (_name, overrides, restore, kinds) => {
      const decision = guardRecheck(recheck(overrides));

      expect(decision.restore).toBe(restore);
      expect([...(decision.record ? [decision.record] : []), ...decision.actions].map((a) => a.kind)).toEqual(kinds);
    });

    it('records what it found with its figures before restoring exactly 100% to the original', () => {
      const decision = guardRecheck(recheck({ weights: { original: 75, replacement: 25 }, afterFenceMs: 91_400 }));

      expect(decision.record).toMatchObject({
        kind: 'audit',
        draft: {
          actor: 'guard',
          verdict: 'restore',
          weights: { original: 75, replacement: 25 },
          figures: { event: 'STOP', secondsAfterFence: 91 },
        },
      });
      expect(decision.reason).toBe(
        "re-check 91 s after the fence: the listener sent 25% to the replacement after the restore (a tick's write was in flight); restoring 100% to the original again",
      );
      expect(decision.actions).toContainEqual({ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 });
    });
  });

  describe('fencedStatus', () => {
    it.each([
      ['STOP', 'Stopped (fenced by the guard at 2026-11-21T10:00:00.000Z)'],
      ['FAILURE', 'Failed (fenced by the guard at 2026-11-21T10:00:00.000Z)'],
    ])('names a %s fence as a status that is not InProgress', (state, status) => {
      expect(fencedStatus({ deploymentId: 'd-ABC', state, at: '2026-11-21T10:00:00.000Z' })).toBe(status);
    });
  });
});

describe('guard: why it stopped, in the record', () => {
  const base = { deploymentId: 'd-1', service: 'web', weights: { original: 75, replacement: 25 }, canaryHeader: false };
  const judge = {
    sk: 7,
    at: '2026-11-21T11:55:00.000Z',
    verdict: 'hold',
    reason: 'stage 2: judge holds',
    figures: { canary: { requests: 250, errors: 12 } },
  };

  it("names the alarms in ALARM with their reasons and keeps the judge's last figures", () => {
    const alarms = [{ name: 'web-5xx', state: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [7.0] > 5.0' }];
    const decision = guardDecision({ ...base, state: 'STOP', context: { alarms, judge } });
    expect(decision.reason).toBe(
      'deployment stopped (STOP) by alarm web-5xx (Threshold Crossed: 1 datapoint [7.0] > 5.0) in ALARM; the listener still sent 25% to the replacement, restoring 100% to the original',
    );
    expect(decision.record).toMatchObject({ draft: { actor: 'guard', figures: { event: 'STOP', alarms, judge } } });
  });

  it("names the operator of canary rollback with their IAM identity and reason, as the record's actor", () => {
    const operator = {
      requestedBy: 'ana',
      callerArn: 'arn:aws:sts::1:assumed-role/oncall/ana',
      reason: 'p99 up',
      requestId: 'r-1',
      at: 'x',
    };
    const decision = guardDecision({ ...base, state: 'STOP', context: { alarms: [], operator } });
    expect(decision.reason).toMatch(
      /^deployment stopped \(STOP\) by canary rollback by ana \(arn:aws:sts::1:assumed-role\/oncall\/ana\): p99 up; /,
    );
    expect(decision.record).toMatchObject({ draft: { actor: 'ana', figures: { operator } } });
  });

  it("words the start check's own stop as the start check's, not as a stop from outside the engine", () => {
    const startCheck = {
      at: '2026-11-21T10:00:00.000Z',
      reason: 'deployment d-ABC (created by ci) stopped with rollback at its start: the AppSpec names no hooks',
    };
    expect(stopCause('STOP', { alarms: [], startCheck })).toBe(
      `ecs-canary's start check, which stopped it with rollback at its start (${startCheck.reason})`,
    );
    const decision = guardDecision({
      ...base,
      state: 'STOP',
      weights: { original: 100, replacement: 0 },
      context: { alarms: [], startCheck },
    });
    expect(decision.reason).toMatch(
      /^deployment stopped \(STOP\) by ecs-canary's start check, which stopped it with rollback at its start \(/,
    );
    expect(decision.reason).not.toMatch(/from outside the engine/);
  });

  it('says so when nothing the engine knows stopped it', () => {
    expect(stopCause('STOP', { alarms: [] })).toBe(
      'a StopDeployment from outside the engine (no rollback alarm in ALARM, no canary rollback recorded)',
    );
    expect(stopCause('FAILURE', { alarms: [] })).toBeUndefined();
    expect(guardDecision({ ...base, state: 'FAILURE', context: { alarms: [] } }).reason).toMatch(
      /^deployment failed \(FAILURE\); the listener/,
    );
  });
});

describe('guardNoTargets', () => {
  it('records a deployment that ended before Install as ignored, with a warning and no write', () => {
    const ignored = guardNoTargets({
      deploymentId: 'd-1',
      state: 'STOP',
      service: 'web',
      why: 'deployment d-1 has 0 targets; an ECS deployment has exactly one',
      beforeInstall: true,
    });
    expect(ignored.reason).toBe(
      'STOP event of d-1 ignored: the deployment ended before CodeDeploy created its replacement task set, so no traffic moved to it (deployment d-1 has 0 targets; an ECS deployment has exactly one); nothing written',
    );
    expect(ignored.record).toMatchObject({
      kind: 'audit',
      draft: { kind: 'event', verdict: 'ignore', actor: 'guard', action: 'no listener write' },
    });
    expect(ignored.actions).toEqual([
      { kind: 'notify', severity: 'warning', subject: '[warning] web d-1 STOP ignored', message: ignored.reason },
    ]);
  });

  it('alerts critically when the task sets name a target group outside the service', () => {
    const ignored = guardNoTargets({
      deploymentId: 'd-1',
      state: 'FAILURE',
      service: 'web',
      why: 'the Blue task set\'s target group is "other"',
      beforeInstall: false,
    });
    expect(ignored.reason).toMatch(/do not match the service's target groups/);
    expect(ignored.actions[0]).toMatchObject({ severity: 'critical' });
  });
});
