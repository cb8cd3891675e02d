import { DeployConfigError, toAwsCallError } from '../../lambdas/aws/deploy-errors';
import { isTransientError } from '../../lambdas/aws/engine-errors';

const sdkError = (name: string, fault: 'client' | 'server', extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, $fault: fault, ...extra });

describe('engine errors', () => {
  describe('isTransientError', () => {
    it.each([
      ['throttled', sdkError('ThrottlingException', 'client')],
      ['a 5xx', sdkError('InternalServerError', 'server')],
      ['a timeout', sdkError('TimeoutError', 'client')],
      ['a dropped connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
      ['throttled, wrapped by an adapter', toAwsCallError(sdkError('ThrottlingException', 'client'), 'ssm:GetParameter')],
    ])('is transient for %s', (_what, error) => {
      expect(isTransientError(error)).toBe(true);
    });

    it.each([
      ['access denied', toAwsCallError(sdkError('AccessDeniedException', 'client'), 'ssm:GetParameter')],
      ['a validation error', sdkError('ValidationException', 'client')],
      ['unusable configuration', new DeployConfigError('/ecs-canary/svc/deployment is not JSON', '/ecs-canary/svc/deployment')],
      ['a plain error', new Error('boom')],
    ])('is permanent for %s', (_what, error) => {
      expect(isTransientError(error)).toBe(false);
    });
  });
});
