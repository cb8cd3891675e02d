import { guardPrimaryRestore, type PrimaryRestoreInput } from '../../lambdas/core/guard-primary';

const input = (overrides: Partial<PrimaryRestoreInput> = {}): PrimaryRestoreInput => ({
  deploymentId: 'd-ABC',
  state: 'FAILURE',
  service: 'web',
  why: 'no replacement task set',
  primary: 'web-blue',
  other: 'web-green',
  weights: { original: 100, replacement: 0 },
  testWeights: { original: 100, replacement: 0 },
  primaryHealth: { healthy: 2, unhealthy: 0 },
  canaryHeader: false,
  ...overrides,
});
const kinds = (i: PrimaryRestoreInput) => guardPrimaryRestore(i).actions.map((a) => a.kind);
const draftOf = (i: PrimaryRestoreInput) => {
  const { record } = guardPrimaryRestore(i);
  if (record.kind !== 'audit') throw new Error('the record is not an audit action');
  return record.draft;
};

describe('guardPrimaryRestore: the test listener', () => {
  it('writes nothing when both listeners are read on the primary', () => {
    expect(guardPrimaryRestore(input()).restore).toBe(false);
    expect(kinds(input())).toEqual(['notify']);
    expect(draftOf(input())).toMatchObject({ verdict: 'ignore', action: 'no listener write' });
  });

  it('restores a test listener read on the other target group', () => {
    const i = input({ testWeights: { original: 0, replacement: 100 } });
    expect(guardPrimaryRestore(i).restore).toBe(true);
    expect(kinds(i)).toEqual(['restoreTestListener', 'notify']);
    expect(draftOf(i)).toMatchObject({ verdict: 'restore', action: 'restore the test listener to web-blue' });
  });

  // Left unread, a test listener still on the other group fails every later deployment at its start.
  it('reads an unreadable test listener again and restores it, recorded before the write', () => {
    const i = input({ testWeights: undefined, testUnreadable: true });
    const decision = guardPrimaryRestore(i);
    expect(decision.restore).toBe(true);
    expect(kinds(i)).toEqual(['restoreTestListener', 'notify']);
    expect(draftOf(i)).toMatchObject({ verdict: 'restore', action: 'restore the test listener to web-blue if it forwards to web-green' });
    expect(decision.reason).toMatch(
      /the test listener could not be read: it is read again and restored to web-blue if it forwards to web-green/,
    );
  });

  it('restores production and an unreadable test listener together', () => {
    expect(kinds(input({ weights: { original: 0, replacement: 100 }, testWeights: undefined, testUnreadable: true }))).toEqual([
      'setWeights',
      'putWeightMetric',
      'restoreTestListener',
      'notify',
    ]);
  });

  it('writes neither listener onto a primary without a healthy target (invariant 1)', () => {
    const i = input({ testWeights: undefined, testUnreadable: true, primaryHealth: { healthy: 0, unhealthy: 2 } });
    expect(guardPrimaryRestore(i).restore).toBe(false);
    expect(kinds(i)).toEqual(['notify']);
  });

  it('does not restore a test listener that was not read at all', () => {
    expect(kinds(input({ testWeights: undefined }))).toEqual(['notify']);
  });
});

describe('guardPrimaryRestore: a production listener that could not be read', () => {
  // Production may still forward to the other group: its restore reads it again, never writes blind.
  it('asks for a restore that reads production again and writes only if it forwards to the other group', () => {
    const i = input({ weights: undefined, productionUnreadable: true, canaryHeader: true });
    const decision = guardPrimaryRestore(i);
    expect(decision.restore).toBe(true);
    expect(decision.actions).toEqual([
      { kind: 'removeHeaderRule' },
      { kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0, ifElsewhere: true },
      expect.objectContaining({
        kind: 'notify',
        severity: 'critical',
        subject: expect.stringMatching(/the unread production listener read again/),
      }),
    ]);
    expect(draftOf(i)).toMatchObject({ verdict: 'restore', action: 'restore 100% to web-blue if production forwards to web-green' });
    expect(decision.reason).toMatch(
      /the production listener could not be read: it is read again and restored to web-blue if it forwards to web-green/,
    );
  });

  it('reads both listeners again when neither could be read', () => {
    const i = input({ weights: undefined, productionUnreadable: true, testWeights: undefined, testUnreadable: true });
    expect(kinds(i)).toEqual(['setWeights', 'restoreTestListener', 'notify']);
  });

  it('writes nothing onto a primary without a healthy target (invariant 1)', () => {
    const i = input({ weights: undefined, productionUnreadable: true, primaryHealth: { healthy: 0, unhealthy: 2 } });
    expect(guardPrimaryRestore(i).restore).toBe(false);
    expect(kinds(i)).toEqual(['notify']);
  });

  it('asks for nothing when production was not read at all (no target groups to read it by)', () => {
    expect(kinds(input({ weights: undefined }))).toEqual(['notify']);
  });
});
