import { createHash } from 'node:crypto';

import { AppSpecError, type AppSpecInput, appSpecRevision, renderAppSpec } from '../../lambdas/core/appspec';
import { HOOK_FUNCTIONS, taskDefinitionArn } from './fixtures';

const input = (overrides: Partial<AppSpecInput> = {}): AppSpecInput => ({
  taskDefinitionArn: taskDefinitionArn(8),
  containerName: 'web',
  containerPort: 8080,
  hooks: HOOK_FUNCTIONS,
  ...overrides,
});

describe('appspec', () => {
  describe('renderAppSpec', () => {
    it('renders the ECS target service with the revision, container, port and the three hooks in order', () => {
      expect(renderAppSpec(input())).toEqual({
        version: '0.0',
        Resources: [
          {
            TargetService: {
              Type: 'AWS::ECS::Service',
              Properties: {
                TaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8',
                LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 },
              },
            },
          },
        ],
        Hooks: [
          { AfterAllowTestTraffic: 'web-canary-after-test' },
          { BeforeAllowTraffic: 'web-canary-before-traffic' },
          { AfterAllowTraffic: 'web-canary-after-traffic' },
        ],
      });
    });

    it('ignores hooks it does not register', () => {
      const rendered = renderAppSpec(input({ hooks: { ...HOOK_FUNCTIONS, BeforeInstall: 'other' } }));
      expect(rendered.Hooks.map((h) => Object.keys(h)[0])).toEqual(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']);
    });

    it.each<[string, Partial<AppSpecInput>, string, RegExp]>([
      [
        'a family without revision',
        { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web' },
        'taskDefinitionArn',
        /task-definition\/web".*accepted/,
      ],
      ['a bare family name', { taskDefinitionArn: 'web:3' }, 'taskDefinitionArn', /"web:3"/],
      ['an empty container', { containerName: ' ' }, 'containerName', /containerName is empty/],
      ['port 0', { containerPort: 0 }, 'containerPort', /containerPort is 0; accepted: a whole number from 1 to 65535/],
      ['port 70000', { containerPort: 70000 }, 'containerPort', /70000/],
      ['a fractional port', { containerPort: 80.5 }, 'containerPort', /80.5/],
      ['no hooks', { hooks: {} }, 'hooks', /lacks AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic/],
      ['one hook missing', { hooks: { ...HOOK_FUNCTIONS, BeforeAllowTraffic: '' } }, 'hooks', /lacks BeforeAllowTraffic \(/],
    ])('rejects %s, naming the field', (_name, overrides, field, message) => {
      const attempt = () => renderAppSpec(input(overrides));
      expect(attempt).toThrow(AppSpecError);
      expect(attempt).toThrow(message);
      try {
        attempt();
      } catch (error) {
        expect((error as AppSpecError).field).toBe(field);
      }
    });

    it('accepts a GovCloud/China partition ARN', () => {
      const arn = 'arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web:1';
      expect(renderAppSpec(input({ taskDefinitionArn: arn })).Resources[0].TargetService.Properties.TaskDefinition).toBe(arn);
    });
  });

  describe('appSpecRevision', () => {
    it('sends the AppSpec as AppSpecContent JSON with its SHA-256', () => {
      const appSpec = renderAppSpec(input());
      const revision = appSpecRevision(appSpec);
      expect(revision.revisionType).toBe('AppSpecContent');
      expect(JSON.parse(revision.appSpecContent.content)).toEqual(appSpec);
      expect(revision.appSpecContent.sha256).toBe(createHash('sha256').update(revision.appSpecContent.content).digest('hex'));
    });
  });
});
