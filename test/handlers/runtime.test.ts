import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

import { DeployConfigError } from '../../lambdas/aws/deploy-errors';
import { createClients, EnvironmentError, loadRuntime, logger, readEnv, resetRuntime } from '../../lambdas/handlers/runtime';

const complete = {
  SERVICE_NAME: 'orders',
  METADATA_PARAMETER: '/ecs-canary/orders/deployment',
  FREEZE_PARAMETER: '/ecs-canary/orders/freeze',
  AUDIT_TABLE_NAME: 'audit',
  TOPIC_ARN: 'arn:topic',
};

describe('runtime', () => {
  describe('readEnv', () => {
    it('reads the environment the construct sets, with defaults', () => {
      expect(readEnv(complete)).toEqual({
        service: 'orders',
        metadataParameter: '/ecs-canary/orders/deployment',
        freezeParameter: '/ecs-canary/orders/freeze',
        auditTableName: 'audit',
        auditRetentionDays: 90,
        topicArn: 'arn:topic',
        smokeCheckMode: 'test-listener',
      });
    });

    it.each([
      ['a missing variable', { ...complete, TOPIC_ARN: undefined }, /TOPIC_ARN is not set/],
      [
        'a bad retention',
        { ...complete, AUDIT_RETENTION_DAYS: 'soon' },
        /AUDIT_RETENTION_DAYS is "soon"; accepted: a whole number of days ≥ 1/,
      ],
      [
        'an infinite retention',
        { ...complete, AUDIT_RETENTION_DAYS: 'Infinity' },
        /AUDIT_RETENTION_DAYS is "Infinity"; accepted: a whole number of days ≥ 1/,
      ],
      [
        'a fractional retention',
        { ...complete, AUDIT_RETENTION_DAYS: '1.5' },
        /AUDIT_RETENTION_DAYS is "1.5"; accepted: a whole number of days ≥ 1/,
      ],
      ['an empty retention', { ...complete, AUDIT_RETENTION_DAYS: '' }, /AUDIT_RETENTION_DAYS is ""; accepted: a whole number of days ≥ 1/],
      [
        'a negative retention',
        { ...complete, AUDIT_RETENTION_DAYS: '-30' },
        /AUDIT_RETENTION_DAYS is "-30"; accepted: a whole number of days ≥ 1/,
      ],
      ['an empty service name', { ...complete, SERVICE_NAME: '' }, /SERVICE_NAME is not set/],
      [
        'a blank service name',
        { ...complete, SERVICE_NAME: '  ' },
        /^environment variable SERVICE_NAME is " {2}"; accepted: a non-blank value without spaces around it/,
      ],
      [
        'a service name with spaces around it',
        { ...complete, SERVICE_NAME: ' orders' },
        /SERVICE_NAME is " orders"; accepted: a non-blank/,
      ],
      ['a blank topic', { ...complete, TOPIC_ARN: '\t' }, /TOPIC_ARN is "\\t"; accepted: a non-blank/],
      // `Number` reads hex, binary and octal, and a blank string as 0.
      [
        'a hexadecimal retention',
        { ...complete, AUDIT_RETENTION_DAYS: '0x10' },
        /AUDIT_RETENTION_DAYS is "0x10"; accepted: a whole number/,
      ],
      ['a binary retention', { ...complete, AUDIT_RETENTION_DAYS: '0b101' }, /AUDIT_RETENTION_DAYS is "0b101"; accepted: a whole number/],
      ['a retention with a space', { ...complete, AUDIT_RETENTION_DAYS: ' 30' }, /AUDIT_RETENTION_DAYS is " 30"; accepted: a whole number/],
      [
        'a bad smoke check mode',
        { ...complete, SMOKE_CHECK_MODE: 'both' },
        /SMOKE_CHECK_MODE is "both"; accepted: test-listener or replacement-targets/,
      ],
    ])('fails naming %s', (_name, env, message) => {
      expect(() => readEnv(env)).toThrow(EnvironmentError);
      expect(() => readEnv(env)).toThrow(message);
    });
  });

  describe('loadRuntime', () => {
    const ssm = mockClient(SSMClient);
    let errors: jest.SpyInstance;
    beforeEach(() => {
      resetRuntime();
      errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => {
      errors.mockRestore();
      ssm.reset();
      resetRuntime();
    });

    it.each([
      ['garbage', '{"version":1,'],
      ['a document without its fields', '{"version":1,"service":"orders"}'],
    ])('refuses deployment metadata that is %s with one logged line naming the parameter', async (_what, value) => {
      ssm.on(GetParameterCommand).resolves({ Parameter: { Value: value } });
      const error = await loadRuntime(
        createClients(async () => ({ status: 200 })),
        complete,
      ).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(DeployConfigError);
      expect((error as Error).message).toMatch(/^\/ecs-canary\/orders\/deployment/);
      expect(errors.mock.calls).toEqual([[(error as Error).message, { errorName: 'DeployConfigError' }]]);
    });
  });
});
