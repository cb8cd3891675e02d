import { PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { PutCommand } from '@aws-sdk/lib-dynamodb';

import type { HookName } from '../../lambdas/core/rollout-plan';
import { answerHookFailure } from '../../lambdas/handlers/hook-failure';
import { answerHook } from '../../lambdas/handlers/hooks';
import { type BaseRuntime, loadRuntime, logger, resetRuntime, type Runtime } from '../../lambdas/handlers/runtime';
import { tickInvocation } from '../../lambdas/handlers/tick';
import { fakeRuntime, metadata } from './support/fake-runtime';

logger.setLogLevel('SILENT');
const METADATA = '/ecs-canary/orders/deployment';
const FREEZE = '/ecs-canary/orders/freeze';
const HOOKS: HookName[] = ['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'];
const hookEvent = { DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'h-1' };

const awsError = (name: string, message: string, fault: 'client' | 'server') =>
  Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: fault === 'server' ? 500 : 400 } });
const denied = () =>
  awsError(
    'AccessDeniedException',
    `User: arn:aws:sts::1:assumed-role/hook/fn is not authorized to perform: ssm:GetParameter on resource: ${METADATA}`,
    'client',
  );
const throttled = () => awsError('ThrottlingException', 'Rate exceeded', 'client');

/** What GetParameter of the metadata parameter answers: a value, or an error to throw. */
type MetadataRead = string | (() => Error);

const PERMANENT: Array<[string, MetadataRead, RegExp]> = [
  ['not JSON', '{"version":1,', /is not JSON/],
  ['the wrong shape', '{"version":1,"service":"orders"}', /field \w+ is undefined/],
  ['missing', () => new ParameterNotFound({ message: 'not found', $metadata: {} }), /no SSM parameter \/ecs-canary\/orders\/deployment/],
  ['denied to the role', denied, /missing permission ssm:GetParameter/],
];

let env: ReturnType<typeof fakeRuntime>;
afterEach(() => {
  env.reset();
  resetRuntime();
});

/**
 * The fake runtime's world with the metadata parameter answering `reads` in turn (the last one
 * from then on), and the container's real loader (loadRuntime: GetParameter, parse, check).
 */
function world(...reads: MetadataRead[]) {
  env = fakeRuntime();
  const served = [...reads];
  let metadataReads = 0;
  env.mocks.ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => {
    if (input.Name === FREEZE) return { Parameter: { Value: JSON.stringify({ frozen: false }) } };
    metadataReads += 1;
    const read = served.length > 1 ? served.shift()! : served[0];
    if (typeof read === 'function') throw read();
    return { Parameter: { Value: read } };
  });
  const { metadata: _metadata, ...base } = env.runtime;
  const processEnv = {
    SERVICE_NAME: 'orders',
    METADATA_PARAMETER: METADATA,
    FREEZE_PARAMETER: FREEZE,
    AUDIT_TABLE_NAME: 'audit',
    AUDIT_RETENTION_DAYS: '30',
    TOPIC_ARN: 'arn:topic',
    STATE_MACHINE_ARN: env.runtime.env.stateMachineArn,
  };
  const load = async (): Promise<Runtime> => ({ ...(await loadRuntime(env.runtime.clients, processEnv, base.clock)), sleep: base.sleep });
  const reports = () => env.mocks.codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input);
  return { base: base as BaseRuntime, load, reports, metadataReads: () => metadataReads };
}

describe('an engine function whose deployment metadata cannot be read', () => {
  describe.each(HOOKS)('the %s hook', (hook) => {
    it.each(PERMANENT)('answers Failed at once when the metadata is %s, the reason recorded first', async (_what, read, problem) => {
      const w = world(read);
      const result = await answerHook(w.base, w.load, hook, hookEvent);
      expect(result).toEqual({ passed: false, reason: expect.stringMatching(/the deployment metadata is unusable/) });
      expect(result.reason).toMatch(problem);
      // Permanent: read once, never retried; nothing restored (nothing names the listener), CodeDeploy answered.
      expect(w.metadataReads()).toBe(1);
      expect(env.world.log).toEqual(['audit:fail', 'hook:Failed', 'sns']);
      expect(w.reports()).toEqual([{ deploymentId: 'd-1', lifecycleEventHookExecutionId: 'h-1', status: 'Failed' }]);
      expect(env.world.audit[0]).toMatchObject({ deploymentId: 'd-1', hook, verdict: 'fail', reason: result.reason });
    });

    it('retries a throttled read within its budget, then answers Failed', async () => {
      const w = world(throttled);
      const result = await answerHook(w.base, w.load, hook, hookEvent);
      expect(result.reason).toMatch(
        /the deployment metadata kept failing for the whole retry budget \(.*ThrottlingException.*6 attempts\)/,
      );
      expect(w.metadataReads()).toBe(6);
      expect(env.world.log).toEqual(['audit:fail', 'hook:Failed', 'sns']);
    });
  });

  it('goes on with the hook when a throttled read succeeds on a retry', async () => {
    const w = world(throttled, throttled, JSON.stringify(metadata()));
    await expect(answerHook(w.base, w.load, 'AfterAllowTestTraffic', hookEvent)).resolves.toMatchObject({ passed: true });
    expect(w.metadataReads()).toBe(3);
    expect(env.world.log).toEqual(['audit:start', 'start:d-1-AfterAllowTestTraffic']);
  });

  it('answers CodeDeploy when the audit table cannot take the reason, and says so in the logs', async () => {
    const w = world('{"version":1,');
    env.mocks.ddb.on(PutCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: dynamodb:PutItem', 'client'));
    const errors = jest.spyOn(logger, 'error');
    await answerHook(w.base, w.load, 'BeforeAllowTraffic', hookEvent);
    expect(env.world.log).toEqual(['hook:Failed', 'sns']);
    expect(errors.mock.calls.map(([message]) => message)).toContain('reason not recorded in the audit trail');
    errors.mockRestore();
  });

  it('answers CodeDeploy with its client alone when the environment is incomplete', async () => {
    const w = world('{"version":1,');
    await expect(answerHook(undefined, w.load, 'AfterAllowTraffic', hookEvent)).resolves.toMatchObject({ passed: false });
    expect(env.world.log).toEqual(['hook:Failed']);
  });

  describe('the hook-failure function', () => {
    const record = {
      requestContext: {
        functionArn: 'arn:aws:lambda:eu-west-1:1:function:orders-BeforeAllowTraffic:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { DeploymentId: 'd-7', LifecycleEventHookExecutionId: 'h-7' },
    };

    it.each(PERMANENT)('answers the hook of the record Failed when the metadata is %s', async (_what, read, problem) => {
      const w = world(read);
      const result = await answerHookFailure(w.base, w.load, record);
      expect(result.reason).toMatch(problem);
      expect(w.reports()).toEqual([{ deploymentId: 'd-7', lifecycleEventHookExecutionId: 'h-7', status: 'Failed' }]);
      expect(env.world.log).toEqual(['audit:fail', 'hook:Failed', 'sns']);
    });
  });

  describe('the tick', () => {
    const input = {
      deploymentId: 'd-1',
      lifecycleEventHookExecutionId: 'h-1',
      hook: 'BeforeAllowTraffic' as const,
      startedAt: '2026-11-21T09:50:00.000Z',
    };

    it.each(PERMANENT)('answers Failed and ends the loop when the metadata is %s', async (_what, read) => {
      const w = world(read);
      await expect(tickInvocation(w.base, w.load, input)).resolves.toMatchObject({ done: true, waitSeconds: 0 });
      expect(w.reports()).toEqual([{ deploymentId: 'd-1', lifecycleEventHookExecutionId: 'h-1', status: 'Failed' }]);
      expect(env.world.log).toEqual(['audit:fail', 'hook:Failed', 'sns']);
    });

    it('leaves a throttled read to the state machine, whose fail-safe call answers Failed', async () => {
      const w = world(throttled);
      await expect(tickInvocation(w.base, w.load, input)).rejects.toThrow(/ThrottlingException.*6 attempts/);
      expect(w.reports()).toEqual([]);
      const failSafe = { ...input, error: { Error: 'ReadRetriesExhaustedError', Cause: 'throttled' } };
      await expect(tickInvocation(w.base, w.load, failSafe)).resolves.toMatchObject({ done: true });
      expect(w.reports()).toEqual([{ deploymentId: 'd-1', lifecycleEventHookExecutionId: 'h-1', status: 'Failed' }]);
    });
  });
});
