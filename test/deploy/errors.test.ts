import { AccessDeniedException } from '@aws-sdk/client-ecs';

import { awsCall, AwsCallError, toAwsCallError } from '../../lambdas/aws/deploy-errors';

const sdkError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('errors', () => {
  describe('toAwsCallError', () => {
    it.each<[string, unknown, string, string | undefined, RegExp, string?]>([
      [
        'an AccessDeniedException naming the action',
        new AccessDeniedException({
          message:
            'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: ecs:RegisterTaskDefinition on resource: *',
          $metadata: {},
        }),
        'AccessDeniedException',
        'ecs:RegisterTaskDefinition',
        /ecs:RegisterTaskDefinition failed with AccessDeniedException: missing permission ecs:RegisterTaskDefinition/,
      ],
      [
        'a denial whose message names no action (falls back to the operation)',
        sdkError('AccessDeniedException', 'Access denied'),
        'AccessDeniedException',
        'codedeploy:CreateDeployment',
        /missing permission codedeploy:CreateDeployment/,
        'codedeploy:CreateDeployment',
      ],
      [
        'an unauthorised message under another code',
        sdkError(
          'AuthorizationError',
          'User: x is not authorized to perform: elasticloadbalancing:DescribeListeners because no identity-based policy allows',
        ),
        'AuthorizationError',
        'elasticloadbalancing:DescribeListeners',
        /missing permission elasticloadbalancing:DescribeListeners/,
      ],
      [
        'a throttling error',
        sdkError('ThrottlingException', 'Rate exceeded'),
        'ThrottlingException',
        undefined,
        /failed with ThrottlingException: Rate exceeded/,
      ],
      ['a plain error', new Error('socket hang up'), 'UnknownError', undefined, /failed with UnknownError: socket hang up/],
    ])('explains %s', (_name, error, code, missingAction, message, operation = 'ecs:RegisterTaskDefinition') => {
      const wrapped = toAwsCallError(error, operation);
      expect(wrapped).toBeInstanceOf(AwsCallError);
      expect(wrapped.code).toBe(code);
      expect(wrapped.missingAction).toBe(missingAction);
      expect(wrapped.message).toMatch(message);
      expect(wrapped.cause).toBe(error);
    });

    it('keeps an AwsCallError as it is', () => {
      const original = new AwsCallError('x', 'C', 'op');
      expect(toAwsCallError(original, 'other')).toBe(original);
    });
  });

  describe('awsCall', () => {
    it('returns the result of a successful call', async () => {
      await expect(awsCall('ssm:GetParameter', async () => 42)).resolves.toBe(42);
    });

    it('wraps a failure with the operation name', async () => {
      await expect(awsCall('ssm:GetParameter', async () => Promise.reject(sdkError('InternalServerError', 'boom')))).rejects.toMatchObject({
        name: 'AwsCallError',
        operation: 'ssm:GetParameter',
        code: 'InternalServerError',
      });
    });
  });
});
