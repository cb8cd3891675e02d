import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

import { parseDeploymentMetadata, parseFreeze, readDeploymentMetadata, readFreeze } from '../../cli/deploy/service-config';
import { DeployConfigError } from '../../lambdas/aws/deploy-errors';
import { metadata } from './fixtures';

const ssmMock = mockClient(SSMClient);
afterEach(() => ssmMock.reset());
const NAME = '/ecs-canary/web/deployment';

describe('service-config', () => {
  describe('parseDeploymentMetadata', () => {
    it('accepts what a service stack writes', () => {
      expect(parseDeploymentMetadata(JSON.stringify(metadata()), NAME)).toEqual(metadata());
    });

    it.each<[string, object, RegExp]>([
      ['a wrong version', { version: 2 }, /field version is 2/],
      ['a missing application', { applicationName: undefined }, /field applicationName is undefined/],
      ['a port out of range', { containerPort: 0 }, /field containerPort is 0/],
      ['one target group', { targetGroups: [metadata().targetGroups[0]] }, /field targetGroups/],
    ])('rejects %s, naming the field and value', (_name, overrides, message) => {
      const attempt = () => parseDeploymentMetadata(JSON.stringify({ ...metadata(), ...overrides }), NAME);
      expect(attempt).toThrow(DeployConfigError);
      expect(attempt).toThrow(message);
    });

    it('rejects a value that is not JSON', () => {
      expect(() => parseDeploymentMetadata('{oops', NAME)).toThrow(/\/ecs-canary\/web\/deployment is not JSON/);
    });
  });

  describe('parseFreeze', () => {
    it.each([
      ['{"frozen":false}', { frozen: false }],
      [
        '{"frozen":true,"reason":"incident 42","by":"ana","at":"2026-11-21T10:00:00.000Z"}',
        { frozen: true, reason: 'incident 42', by: 'ana', at: '2026-11-21T10:00:00.000Z' },
      ],
    ])('reads %s', (json, expected) => {
      expect(parseFreeze(json, '/ecs-canary/web/freeze')).toEqual(expected);
    });

    it.each(['yes', '{"frozen":"true"}', '{}'])('rejects %s', (json) => {
      expect(() => parseFreeze(json, '/ecs-canary/web/freeze')).toThrow(/accepted: \{"frozen":true\|false/);
    });
  });

  describe('readDeploymentMetadata', () => {
    it('reads the service parameter', async () => {
      ssmMock.on(GetParameterCommand, { Name: NAME }).resolves({ Parameter: { Value: JSON.stringify(metadata()) } });
      await expect(readDeploymentMetadata(new SSMClient({}), 'web')).resolves.toEqual(metadata());
    });

    it('says the stack may not be deployed when the parameter is missing', async () => {
      ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: {} }));
      await expect(readDeploymentMetadata(new SSMClient({}), 'web')).rejects.toThrow(
        /no SSM parameter \/ecs-canary\/web\/deployment: is the stack EcsCanary-web deployed/,
      );
    });

    it('refuses metadata of another service', async () => {
      ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(metadata({ service: 'api' })) } });
      await expect(readDeploymentMetadata(new SSMClient({}), 'web')).rejects.toThrow(/describes service "api", not "web"/);
    });

    it('reports other SSM failures as AWS errors', async () => {
      ssmMock.on(GetParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
      await expect(readDeploymentMetadata(new SSMClient({}), 'web')).rejects.toMatchObject({
        name: 'AwsCallError',
        missingAction: 'ssm:GetParameter',
      });
    });
  });

  describe('readFreeze', () => {
    it('refuses a missing switch instead of failing open', async () => {
      ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: {} }));
      await expect(readFreeze(new SSMClient({}), '/ecs-canary/web/freeze')).rejects.toMatchObject({
        name: 'DeployConfigError',
        message: expect.stringMatching(/no SSM parameter \/ecs-canary\/web\/freeze.*canary unfreeze/),
      });
    });
  });
});
