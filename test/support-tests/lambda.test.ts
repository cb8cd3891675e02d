import { FakeClock, FakeLambda } from '../support';

/** A fake Lambda whose clock records handler errors instead of throwing them. */
function lambdaWorld() {
  const clock = new FakeClock({ start: 0, onHandlerError: 'record' });
  const lambda = new FakeLambda(clock);
  const received: unknown[] = [];
  lambda.register('on-failure', (record) => {
    received.push(record);
  });
  return { clock, lambda, received };
}

describe('FakeLambda', () => {
  describe('invokeAsync with an on-failure destination', () => {
    it('sends the invocation record once every attempt has failed', async () => {
      const { clock, lambda, received } = lambdaWorld();
      lambda.register('hook', () => {
        throw new Error('boom');
      });
      lambda.configureAsyncInvoke('hook', { retryAttempts: 2, maxEventAgeMs: 900_000, onFailure: 'on-failure' });
      lambda.invokeAsync('hook', { DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'h-1' });
      await clock.advance(10 * 60_000);
      expect(lambda.invocations.filter((i) => i.functionName === 'hook').map((i) => i.at)).toEqual([0, 60_000, 180_000]);
      expect(received).toEqual([
        expect.objectContaining({
          requestContext: expect.objectContaining({
            condition: 'RetriesExhausted',
            approximateInvokeCount: 3,
            functionArn: expect.stringContaining(':function:hook'),
          }),
          requestPayload: { DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'h-1' },
          responsePayload: { errorType: 'Error', errorMessage: 'boom' },
        }),
      ]);
    });

    it('sends nothing when an attempt succeeds', async () => {
      const { clock, lambda, received } = lambdaWorld();
      let calls = 0;
      lambda.register('hook', () => {
        calls += 1;
        if (calls < 3) throw new Error('flaky');
      });
      lambda.configureAsyncInvoke('hook', { onFailure: 'on-failure' });
      lambda.invokeAsync('hook', { DeploymentId: 'd-1' });
      await clock.advance(10 * 60_000);
      expect(calls).toBe(3);
      expect(received).toEqual([]);
    });

    it('discards a retry older than the maximum event age as EventAgeExceeded', async () => {
      const { clock, lambda, received } = lambdaWorld();
      lambda.register('hook', () => {
        throw new Error('boom');
      });
      lambda.configureAsyncInvoke('hook', { maxEventAgeMs: 90_000, onFailure: 'on-failure' });
      lambda.invokeAsync('hook', { DeploymentId: 'd-1' });
      await clock.advance(10 * 60_000);
      expect(lambda.invocations.filter((i) => i.functionName === 'hook')).toHaveLength(2);
      expect(received).toEqual([
        expect.objectContaining({ requestContext: expect.objectContaining({ condition: 'EventAgeExceeded', approximateInvokeCount: 2 }) }),
      ]);
    });

    it('drops the event without a destination, as before', async () => {
      const { clock, lambda, received } = lambdaWorld();
      lambda.register('hook', () => {
        throw new Error('boom');
      });
      lambda.invokeAsync('hook', { DeploymentId: 'd-1' });
      await clock.advance(10 * 60_000);
      expect(lambda.invocations).toHaveLength(3);
      expect(lambda.failureRecords).toEqual([]);
      expect(received).toEqual([]);
    });
  });
});
