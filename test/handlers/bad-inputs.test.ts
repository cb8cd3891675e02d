/**
 * Seeded random malformed inputs for every function's entry: CodeDeploy hook events, EventBridge
 * state changes (the guard's and the start check's), Lambda's on-failure records, and the
 * environment the construct sets. Each is accepted exactly when it is well formed, else refused
 * with the module's named error in one line naming the field and what is accepted, before the
 * runtime is loaded — so before any AWS call, and so before any write to production.
 */
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';

import { DeployConfigError } from '../../lambdas/aws/deploy-errors';
import { EcsCanaryError } from '../../lambdas/core/ecs-canary-error';
import { InvocationRecordError, parseInvocationRecord } from '../../lambdas/core/hook-failure';
import { LambdaEventError, parseDeploymentEvent, parseHookEvent } from '../../lambdas/core/lambda-events';
import { logger as cdkDeployLogger, onEvent } from '../../lambdas/handlers/cdk-deploy';
import { handler as guardHandler } from '../../lambdas/handlers/guard';
import { handler as hookFailureHandler } from '../../lambdas/handlers/hook-failure';
import { afterAllowTestTraffic, afterAllowTraffic, beforeAllowTraffic } from '../../lambdas/handlers/hooks';
import { EnvironmentError, logger, readEnv } from '../../lambdas/handlers/runtime';
import { handler as startCheckHandler } from '../../lambdas/handlers/start-check';

const SEED = Number(process.env.FUZZ_SEED ?? 3707);
const RUNS = { seed: SEED, numRuns: 60 };

const nonBlank = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Field values that a malformed event carries: missing, wrong types, blank, huge, nested. */
const fieldValue = fc.oneof(
  fc.constantFrom(undefined, null, '', '  ', '\n', 0, 1, true, [], {}, ['d-1'], { id: 'd-1' }, 'x'.repeat(5000)),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const event = <K extends string>(keys: readonly K[]) =>
  fc.oneof(
    fc.record(Object.fromEntries(keys.map((k) => [k, fieldValue])) as Record<K, typeof fieldValue>, { requiredKeys: [] }),
    fc.anything(),
  );

/** A refusal: the named error, one line naming the field, what is accepted, short enough to read. */
function expectRefusal(error: unknown, kind: new (...args: never[]) => Error): void {
  expect(error).toBeInstanceOf(kind);
  expect(error).toBeInstanceOf(EcsCanaryError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message).toMatch(/ is .*; accepted: /);
  expect(message.length).toBeLessThan(400);
}

function outcome(parse: () => unknown): { accepted: true } | { accepted: false; error: unknown } {
  try {
    parse();
    return { accepted: true };
  } catch (error) {
    return { accepted: false, error };
  }
}

describe('malformed inputs at every function entry', () => {
  let errors: jest.SpyInstance;
  beforeEach(() => {
    errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => errors.mockRestore());

  it('hook events: accepted exactly with a DeploymentId and an execution id, else one line naming the field', () => {
    fc.assert(
      fc.property(event(['DeploymentId', 'LifecycleEventHookExecutionId', 'Extra']), (input) => {
        const fields = input as Record<string, unknown> | null;
        const wellFormed =
          fields !== null &&
          typeof fields === 'object' &&
          !Array.isArray(fields) &&
          nonBlank(fields.DeploymentId) &&
          nonBlank(fields.LifecycleEventHookExecutionId);
        const result = outcome(() => parseHookEvent(input, 'BeforeAllowTraffic'));
        expect(result.accepted).toBe(wellFormed);
        if (!result.accepted) expectRefusal(result.error, LambdaEventError);
      }),
      RUNS,
    );
  });

  it.each([
    ['guard', ['FAILURE', 'STOP']],
    ['start check', ['START', 'READY']],
  ])('%s events: accepted exactly with a deployment id and a state its rule delivers (%j), else one line', (reader, states) => {
    const state = fc.oneof(fieldValue, fc.constantFrom('FAILURE', 'STOP', 'START', 'READY', 'SUCCESS', 'failure', 'QUEUED', ''));
    const detail = fc.oneof(
      fc.record(
        { deploymentId: fc.oneof(fc.constant('d-ABCDEF123'), fieldValue), state, deploymentGroup: fieldValue },
        { requiredKeys: [] },
      ),
      fieldValue,
    );
    fc.assert(
      fc.property(fc.oneof(fc.record({ 'detail-type': fieldValue, detail }, { requiredKeys: [] }), fc.anything()), (input) => {
        const d = (input as { detail?: Record<string, unknown> } | null)?.detail;
        const wellFormed =
          d !== null && typeof d === 'object' && !Array.isArray(d) && nonBlank(d.deploymentId) && states.includes(d.state as string);
        const result = outcome(() => parseDeploymentEvent(input, reader, states));
        expect(result.accepted).toBe(wellFormed);
        if (!result.accepted) expectRefusal(result.error, LambdaEventError);
      }),
      RUNS,
    );
  });

  it("Lambda's on-failure records: accepted exactly with the fields the hook-failure function reads, else one line", () => {
    const record = fc.oneof(
      fc.record(
        {
          requestContext: fc.oneof(
            fc.record({ functionArn: fc.oneof(fc.constant('arn:aws:lambda:eu-west-1:1:function:f'), fieldValue), condition: fieldValue }),
            fieldValue,
          ),
          requestPayload: fc.oneof(fc.record({ DeploymentId: fieldValue, LifecycleEventHookExecutionId: fieldValue }), fieldValue),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    fc.assert(
      fc.property(record, (input) => {
        const r = input as { requestContext?: Record<string, unknown>; requestPayload?: Record<string, unknown> } | null;
        const wellFormed =
          typeof r?.requestContext?.functionArn === 'string' &&
          typeof r.requestContext.condition === 'string' &&
          typeof r.requestPayload?.DeploymentId === 'string' &&
          r.requestPayload.DeploymentId !== '' &&
          typeof r.requestPayload.LifecycleEventHookExecutionId === 'string' &&
          r.requestPayload.LifecycleEventHookExecutionId !== '';
        const result = outcome(() => parseInvocationRecord(input));
        expect(result.accepted).toBe(wellFormed);
        if (!result.accepted) expectRefusal(result.error, InvocationRecordError);
      }),
      RUNS,
    );
  });

  // Without the engine's environment a handler that went past its check would fail with EnvironmentError instead.
  it.each<[string, (e: never) => Promise<unknown>, new (...args: never[]) => Error]>([
    ['AfterAllowTestTraffic', afterAllowTestTraffic, LambdaEventError],
    ['BeforeAllowTraffic', beforeAllowTraffic, LambdaEventError],
    ['AfterAllowTraffic', afterAllowTraffic, LambdaEventError],
    ['guard', guardHandler, LambdaEventError],
    ['start check', startCheckHandler, LambdaEventError],
    ['hook failure', hookFailureHandler, InvocationRecordError],
  ])('the %s function refuses a malformed event at its entry, before its runtime', async (_name, invoke, kind) => {
    const malformed = fc.oneof(
      fc.constantFrom(undefined, null, 'd-1', [], {}, { detail: { deploymentId: 'd-1', state: 'SUCCESS' } }),
      fc.record({ DeploymentId: fieldValue, detail: fieldValue, requestPayload: fieldValue }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(malformed, async (input) => {
        const error = await invoke(input as never).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expectRefusal(error, kind);
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it('the guard refuses a state its rule never delivers: a SUCCESS does not restore a finished release', async () => {
    for (const state of ['SUCCESS', 'START', 'READY', 'failure']) {
      const error = await guardHandler({ detail: { deploymentId: 'd-1', state } } as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LambdaEventError);
      expect((error as Error).message).toBe(
        `guard event: detail.state is "${state}"; accepted: FAILURE or STOP, the states its rule delivers`,
      );
    }
  });

  it('the cdk-deploy resource: a request CloudFormation never sends, or properties CdkDeployTrigger never sets, is refused before any AWS call', async () => {
    const mocks = [mockClient(SSMClient), mockClient(ECSClient), mockClient(CodeDeployClient)];
    const quiet = jest.spyOn(cdkDeployLogger, 'info').mockImplementation(() => undefined);
    process.env.CDK_DEPLOY_MODE = 'start';
    const PROPS = ['TaskDefinitionArn', 'Image', 'MetadataParameterName', 'Cluster', 'Service'];
    const request = fc.record(
      {
        RequestType: fc.oneof(fc.constantFrom('Create', 'Update', 'Delete', 'create', 'Bogus'), fieldValue),
        ResourceProperties: fc.oneof(fc.record(Object.fromEntries(PROPS.map((p) => [p, fieldValue])), { requiredKeys: [] }), fieldValue),
      },
      { requiredKeys: [] },
    );
    try {
      await fc.assert(
        fc.asyncProperty(request, async (event) => {
          const props = event.ResourceProperties as Record<string, unknown> | null | undefined;
          const wellFormed =
            (event.RequestType === 'Create' || event.RequestType === 'Update') &&
            PROPS.every((p) => typeof props?.[p] === 'string' && props[p] !== '');
          fc.pre(!wellFormed);
          const result = await onEvent(event as never).then(
            () => ({ accepted: true as const }),
            (error: unknown) => ({ accepted: false as const, error }),
          );
          if (event.RequestType === 'Delete') expect(result.accepted).toBe(true);
          else if (!result.accepted) expectRefusal(result.error, DeployConfigError);
          else throw new Error(`accepted ${JSON.stringify(event)}`);
          for (const mock of mocks) expect(mock.calls()).toHaveLength(0);
        }),
        RUNS,
      );
    } finally {
      delete process.env.CDK_DEPLOY_MODE;
      quiet.mockRestore();
      for (const mock of mocks) mock.restore();
    }
  });

  it('the environment: any value of any variable reads or is refused with one line naming the variable', () => {
    const COMPLETE: NodeJS.ProcessEnv = {
      SERVICE_NAME: 'orders',
      METADATA_PARAMETER: '/ecs-canary/orders/deployment',
      FREEZE_PARAMETER: '/ecs-canary/orders/freeze',
      AUDIT_TABLE_NAME: 'orders-audit',
      TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:orders',
    };
    const NAMES = [
      ...Object.keys(COMPLETE),
      'AUDIT_RETENTION_DAYS',
      'SMOKE_CHECK_MODE',
      'ALARM_NAMES',
      'AUDIT_KEY_ARN',
      'STATE_MACHINE_ARN',
    ];
    const value = fc.oneof(
      fc.constantFrom(undefined, '', ' ', '0', '-1', '1.5', '1e3', 'Infinity', 'NaN', '0x10', '90', 'test-listener', 'replacement-targets'),
      fc.string({ maxLength: 10 }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...NAMES), value), (changes) => {
        const env = { ...COMPLETE, ...changes };
        const result = outcome(() => readEnv(env));
        if (result.accepted) return;
        expect(result.error).toBeInstanceOf(EnvironmentError);
        const message = (result.error as Error).message;
        expect(message).not.toContain('\n');
        expect(NAMES.some((name) => message.includes(name) && name in changes)).toBe(true);
      }),
      RUNS,
    );
  });
});
