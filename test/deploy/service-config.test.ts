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
      ['a list for the document', [], /field \(root\) is \[\]; accepted: a JSON object, the deployment metadata the service stack writes/],
      ['null thresholds', { thresholds: null }, /field thresholds is null; accepted: the judge thresholds \{ maxErrorRatePercent, /],
      [
        'a negative minRequests',
        { thresholds: { ...metadata().thresholds, minRequests: -5 } },
        /field thresholds\.minRequests is -5; accepted: a count above 0/,
      ],
      ['smoke checks as a string', { smokeChecks: '/health' }, /field smokeChecks is "\/health"; accepted: a list of smoke checks/],
      [
        'a smoke check path that is a number',
        { smokeChecks: [{ path: 5, expectStatus: 200 }] },
        /field smokeChecks\.0\.path is 5; accepted: a URL path/,
      ],
      // Without a window that has steps every hook passes and CodeDeploy shifts 100% at once.
      [
        'a plan without windows',
        { plan: { ...metadata().plan, windows: [] } },
        /field plan\.windows is \[\]; accepted: one window per hook, in the order AfterAllowTestTraffic, /,
      ],
      [
        'a plan whose windows have no step',
        { plan: { ...metadata().plan, windows: metadata().plan.windows.map((w) => ({ ...w, steps: [] })) } },
        /field plan\.windows is .*; accepted: at least one step \(without one, CodeDeploy would shift 100% at once\)/,
      ],
      [
        'a step of 100%',
        {
          plan: {
            ...metadata().plan,
            windows: metadata().plan.windows.map((w, i) => (i === 0 ? { ...w, steps: [{ weight: 100, bakeMinutes: 5 }] } : w)),
          },
        },
        /field plan\.windows\.0\.steps\.0\.weight is 100; accepted: a percentage above 0 and below 100/,
      ],
      [
        'a header rule without a name',
        { canaryHeader: { value: 'always' } },
        /field canaryHeader\.name is undefined; accepted: a non-empty string/,
      ],
      [
        'a cookie rule that is a string',
        { canaryCookie: 'canary=always' },
        /field canaryCookie is "canary=always"; accepted: a cookie \{ name, value \}/,
      ],
      ['metrics that are not a list', { metrics: 'x' }, /field metrics is "x"; accepted: a list of the metrics the judge checks/],
      [
        'a capacity provider without a name',
        { capacityProviderStrategy: [{ weight: 1 }] },
        /field capacityProviderStrategy\.0\.capacityProvider is undefined/,
      ],
      [
        'an ECS service without a cluster',
        { ecsService: { service: 'web' } },
        /field ecsService\.cluster is undefined; accepted: a non-empty string/,
      ],
      ['an FTP listener', { productionListenerProtocol: 'FTP' }, /field productionListenerProtocol is "FTP"; accepted: HTTP or HTTPS/],
    ])('rejects %s, naming the field and value', (_name, overrides, message) => {
      const attempt = () =>
        parseDeploymentMetadata(JSON.stringify(Array.isArray(overrides) ? overrides : { ...metadata(), ...overrides }), NAME);
      expect(attempt).toThrow(DeployConfigError);
      expect(attempt).toThrow(message);
    });

    it.each(['{oops', '', '\uFEFF{}', '{"containerPort":NaN}'])('rejects %j, which is not JSON', (value) => {
      expect(() => parseDeploymentMetadata(value, NAME)).toThrow(
        /^\/ecs-canary\/web\/deployment is not JSON \(.*\); it is written by the service stack/,
      );
    });

    it('shortens a long value in the message to one readable line', () => {
      const smokeChecks = Array.from({ length: 50 }, (_, i) => ({ path: `/p${i}`, expectStatus: 'ok' }));
      const attempt = () => parseDeploymentMetadata(JSON.stringify({ ...metadata(), smokeChecks }), NAME);
      expect(attempt).toThrow(/field smokeChecks\.0\.expectStatus is "ok"; accepted: a number/);
      const big = { ...metadata(), plan: { ...metadata().plan, windows: Array(40).fill(metadata().plan.windows[0]) } };
      expect(() => parseDeploymentMetadata(JSON.stringify(big), NAME)).toThrow(
        /field plan\.windows is \[.{100,118}…; accepted: one window per hook/,
      );
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
