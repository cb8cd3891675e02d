import { EnvironmentError, readEnv } from '../../lambdas/handlers/runtime';

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
        /AUDIT_RETENTION_DAYS is "soon"; accepted: a number of days above 0/,
      ],
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
});
