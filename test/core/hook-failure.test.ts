import {
  decideHookInvocationFailed,
  decideMetadataUnreadable,
  describeCondition,
  type InvocationRecord,
  InvocationRecordError,
  parseInvocationRecord,
} from '../../lambdas/core/hook-failure';

/** An invocation record as Lambda sends it to an on-failure destination. */
function record(overrides: Partial<InvocationRecord['requestContext']> = {}, responsePayload?: unknown): InvocationRecord {
  return {
    timestamp: '2026-12-07T12:00:00.000Z',
    requestContext: {
      requestId: 'r-1',
      functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:CodeDeployHook_svc-BeforeAllowTraffic:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      ...overrides,
    },
    requestPayload: { DeploymentId: 'd-ABC', LifecycleEventHookExecutionId: 'hook-1' },
    responseContext: { statusCode: 200, functionError: 'Unhandled' },
    ...(responsePayload !== undefined ? { responsePayload } : {}),
  };
}

const known = { targetsKnown: true, canaryHeader: false };

describe('hook failure', () => {
  describe('decideHookInvocationFailed', () => {
    it('records why first, restores the original, then answers Failed, then notifies critically', () => {
      const decision = decideHookInvocationFailed({ record: record(), service: 'svc', hook: 'BeforeAllowTraffic', ...known });
      expect(decision.actions.map((a) => a.kind)).toEqual(['audit', 'setWeights', 'reportHook', 'notify']);
      expect(decision.actions[1]).toEqual({ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 });
      expect(decision.actions[2]).toEqual({ kind: 'reportHook', status: 'Failed' });
      expect(decision.actions[3]).toMatchObject({
        kind: 'notify',
        severity: 'critical',
        subject: '[critical] svc d-ABC BeforeAllowTraffic',
      });
      expect(decision.deploymentId).toBe('d-ABC');
      expect(decision.lifecycleEventHookExecutionId).toBe('hook-1');
    });

    it.each([
      ['RetriesExhausted', 3, 'every attempt of the invocation failed (3 attempts)'],
      ['EventAgeExceeded', 1, 'the event grew older than the maximum event age before it was processed (1 attempt)'],
      ['SomethingNew', 2, 'Lambda discarded the invocation (SomethingNew, 2 attempts)'],
    ])('names the condition %s and the attempts in the audit record', (condition, attempts, words) => {
      const decision = decideHookInvocationFailed({
        record: record({ condition, approximateInvokeCount: attempts }),
        service: 'svc',
        hook: 'AfterAllowTestTraffic',
        ...known,
      });
      const audit = decision.actions[0] as Extract<(typeof decision.actions)[number], { kind: 'audit' }>;
      expect(audit.draft).toMatchObject({
        deploymentId: 'd-ABC',
        hook: 'AfterAllowTestTraffic',
        verdict: 'fail',
        actor: 'engine',
        figures: { condition, attempts },
      });
      expect(audit.draft.reason).toContain(words);
      expect(describeCondition(record({ condition, approximateInvokeCount: attempts }))).toBe(words);
    });

    it.each([
      [{ targetsKnown: true, canaryHeader: true }, ['audit', 'removeHeaderRule', 'setWeights', 'reportHook', 'notify']],
      [{ targetsKnown: false, canaryHeader: true }, ['audit', 'removeHeaderRule', 'reportHook', 'notify']],
      [{ targetsKnown: false, canaryHeader: false }, ['audit', 'reportHook', 'notify']],
    ])('with %j: %j', (facts, kinds) => {
      const decision = decideHookInvocationFailed({ record: record(), service: 'svc', hook: 'BeforeAllowTraffic', ...facts });
      expect(decision.actions.map((a) => a.kind)).toEqual(kinds);
      expect((decision.actions[0] as { draft: { action: string } }).draft.action).toMatch(
        facts.targetsKnown ? /^restore 100%/ : /^report Failed without a restore/,
      );
    });

    it('quotes the last error Lambda recorded', () => {
      const decision = decideHookInvocationFailed({
        record: record({}, { errorType: 'Error', errorMessage: 'Task timed out' }),
        service: 'svc',
        hook: 'BeforeAllowTraffic',
        ...known,
      });
      expect(decision.reason).toContain('last error: Error: Task timed out');
    });

    it('names the function when the hook is unknown', () => {
      const decision = decideHookInvocationFailed({ record: record(), service: 'svc', ...known });
      expect(decision.reason).toMatch(/^arn:aws:lambda:.*CodeDeployHook_svc-BeforeAllowTraffic/);
      expect((decision.actions[0] as { draft: { hook?: string } }).draft.hook).toBeUndefined();
    });
  });

  describe('parseInvocationRecord', () => {
    it('accepts a record with the fields the decision reads', () => {
      expect(parseInvocationRecord(record()).requestPayload.DeploymentId).toBe('d-ABC');
    });

    it.each([
      ['requestContext.functionArn', { requestPayload: record().requestPayload }],
      ['requestContext.condition', { ...record(), requestContext: { functionArn: 'f', approximateInvokeCount: 3 } }],
      ['requestPayload.DeploymentId', { ...record(), requestPayload: { LifecycleEventHookExecutionId: 'h' } }],
      ['requestPayload.LifecycleEventHookExecutionId', { ...record(), requestPayload: { DeploymentId: 'd-1' } }],
    ])('fails naming %s when it is missing', (field, value) => {
      expect(() => parseInvocationRecord(value)).toThrow(InvocationRecordError);
      expect(() => parseInvocationRecord(value)).toThrow(`hook failure record: ${field} is`);
    });
  });

  describe('decideMetadataUnreadable', () => {
    const input = {
      deploymentId: 'd-ABC',
      service: 'svc',
      hook: 'BeforeAllowTraffic' as const,
      answeredBy: 'the BeforeAllowTraffic hook',
      problem: 'DeployConfigError: /ecs-canary/svc/deployment is not JSON',
    };

    it('records why first, answers Failed, notifies critically, and writes no weights (nothing names the listener)', () => {
      const decision = decideMetadataUnreadable({ ...input, transient: false });
      expect(decision.actions.map((a) => a.kind)).toEqual(['audit', 'reportHook', 'notify']);
      expect(decision.actions[1]).toEqual({ kind: 'reportHook', status: 'Failed' });
      expect(decision.actions[0]).toMatchObject({
        kind: 'audit',
        draft: { deploymentId: 'd-ABC', hook: 'BeforeAllowTraffic', verdict: 'fail', reason: decision.reason },
      });
      expect(decision.actions[2]).toMatchObject({ severity: 'critical', subject: '[critical] svc d-ABC BeforeAllowTraffic' });
    });

    it.each([
      [false, /^the BeforeAllowTraffic hook: the deployment metadata is unusable \(DeployConfigError: .* is not JSON\)/],
      [true, /^the BeforeAllowTraffic hook: the deployment metadata kept failing for the whole retry budget/],
    ])('says whether the read failed for good or kept failing (transient: %s)', (transient, reason) => {
      expect(decideMetadataUnreadable({ ...input, transient }).reason).toMatch(reason);
    });
  });
});
