/**
 * The events the hook, guard and start-check functions are invoked with, checked at their entry:
 * a malformed event is refused with one logged line naming the field, the value and what is
 * accepted, before the runtime is loaded or any AWS call is made, never with a bare TypeError.
 */
import { GUARD_EVENT_STATES, LambdaEventError, parseDeploymentEvent, parseHookEvent } from '../../lambdas/core/lambda-events';
import { handler as guardHandler } from '../../lambdas/handlers/guard';
import { afterAllowTestTraffic, afterAllowTraffic, beforeAllowTraffic } from '../../lambdas/handlers/hooks';
import { logger } from '../../lambdas/handlers/runtime';
import { handler as startCheckHandler } from '../../lambdas/handlers/start-check';

const HOOK_EVENT = { DeploymentId: 'd-ABCDEF123', LifecycleEventHookExecutionId: 'exec-1' };
const STATE_CHANGE = {
  'detail-type': 'CodeDeploy Deployment State-change Notification',
  detail: { deploymentId: 'd-ABCDEF123', state: 'FAILURE' },
};

describe('lambda events', () => {
  describe('parseHookEvent', () => {
    it('passes CodeDeploy’s event through, extra fields and all', () => {
      const event = { ...HOOK_EVENT, Extra: 1 };
      expect(parseHookEvent(event, 'AfterAllowTestTraffic')).toBe(event);
    });

    it.each<[string, unknown, string]>([
      [
        'no event',
        undefined,
        "AfterAllowTestTraffic hook event is undefined; accepted: CodeDeploy's { DeploymentId, LifecycleEventHookExecutionId }",
      ],
      ['null', null, 'AfterAllowTestTraffic hook event is null; accepted:'],
      ['a list', [HOOK_EVENT], 'AfterAllowTestTraffic hook event is [{"DeploymentId"'],
      ['a string', 'd-ABCDEF123', 'AfterAllowTestTraffic hook event is "d-ABCDEF123"; accepted:'],
      [
        'no DeploymentId',
        { LifecycleEventHookExecutionId: 'exec-1' },
        'DeploymentId is undefined; accepted: a CodeDeploy deployment id such as d-ABCDEF123',
      ],
      ['a numeric DeploymentId', { ...HOOK_EVENT, DeploymentId: 123 }, 'DeploymentId is 123; accepted: a CodeDeploy deployment id'],
      ['a blank DeploymentId', { ...HOOK_EVENT, DeploymentId: '  ' }, 'DeploymentId is "  "; accepted: a CodeDeploy deployment id'],
      ['a lower-case key', { deploymentId: 'd-ABCDEF123', LifecycleEventHookExecutionId: 'exec-1' }, 'DeploymentId is undefined;'],
      [
        'no execution id',
        { DeploymentId: 'd-ABCDEF123' },
        'LifecycleEventHookExecutionId is undefined; accepted: the hook execution id CodeDeploy sends',
      ],
      [
        'an execution id that is an object',
        { ...HOOK_EVENT, LifecycleEventHookExecutionId: { id: 1 } },
        'LifecycleEventHookExecutionId is {"id":1};',
      ],
    ])('refuses %s, naming the field', (_what, event, message) => {
      expect(() => parseHookEvent(event, 'AfterAllowTestTraffic')).toThrow(LambdaEventError);
      expect(() => parseHookEvent(event, 'AfterAllowTestTraffic')).toThrow(message);
    });

    it('shortens a huge value to one readable line', () => {
      const attempt = () => parseHookEvent({ ...HOOK_EVENT, DeploymentId: ['x'.repeat(10_000)] }, 'BeforeAllowTraffic');
      expect(attempt).toThrow(/^BeforeAllowTraffic hook event: DeploymentId is \["x{70,}…; accepted: /);
    });
  });

  describe('parseDeploymentEvent', () => {
    it('passes a state-change notification through', () => {
      expect(parseDeploymentEvent(STATE_CHANGE, 'guard', GUARD_EVENT_STATES)).toBe(STATE_CHANGE);
    });

    it.each<[string, unknown, string]>([
      ['no event', undefined, 'guard event: detail is undefined; accepted: a CodeDeploy Deployment State-change Notification'],
      ['no detail', { 'detail-type': 'CodeDeploy Deployment State-change Notification' }, 'guard event: detail is undefined;'],
      ['a string detail', { detail: '{"deploymentId":"d-1"}' }, 'guard event: detail is "{\\"deploymentId\\":\\"d-1\\"}";'],
      ['no deploymentId', { detail: { state: 'FAILURE' } }, 'detail.deploymentId is undefined; accepted: a CodeDeploy deployment id'],
      ['an empty deploymentId', { detail: { deploymentId: '', state: 'FAILURE' } }, 'detail.deploymentId is "";'],
      [
        'no state',
        { detail: { deploymentId: 'd-1' } },
        'detail.state is undefined; accepted: a deployment state such as START, READY, FAILURE or STOP',
      ],
      ['a numeric state', { detail: { deploymentId: 'd-1', state: 3 } }, 'detail.state is 3;'],
    ])('refuses %s, naming the field', (_what, event, message) => {
      expect(() => parseDeploymentEvent(event, 'guard', GUARD_EVENT_STATES)).toThrow(LambdaEventError);
      expect(() => parseDeploymentEvent(event, 'guard', GUARD_EVENT_STATES)).toThrow(message);
    });
  });

  describe('the functions’ entry points', () => {
    let errors: jest.SpyInstance;
    beforeEach(() => {
      errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => errors.mockRestore());

    // The runtime is never loaded: without its environment it would fail with EnvironmentError instead.
    it.each<[string, () => Promise<unknown>, RegExp]>([
      ['AfterAllowTestTraffic', () => afterAllowTestTraffic(undefined as never), /^AfterAllowTestTraffic hook event is undefined/],
      ['BeforeAllowTraffic', () => beforeAllowTraffic({ DeploymentId: 'd-1' } as never), /LifecycleEventHookExecutionId is undefined/],
      ['AfterAllowTraffic', () => afterAllowTraffic({ LifecycleEventHookExecutionId: 'e' } as never), /DeploymentId is undefined/],
      ['guard', () => guardHandler({} as never), /^guard event: detail is undefined/],
      ['start check', () => startCheckHandler(null as never), /^start check event: detail is undefined/],
      ['start check without a state', () => startCheckHandler({ detail: { deploymentId: 'd-1' } } as never), /detail\.state is undefined/],
    ])('%s refuses a malformed event with one logged error line, before loading the runtime', async (_what, invoke, message) => {
      const error = await invoke().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(LambdaEventError);
      expect((error as Error).message).toMatch(message);
      expect(errors.mock.calls).toEqual([[(error as Error).message, { errorName: 'LambdaEventError' }]]);
    });
  });
});
