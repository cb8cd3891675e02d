import { CodeDeployClient, CreateDeploymentCommand, ListDeploymentsCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

import {
  assertDeployable,
  ciCommit,
  createCanaryDeployment,
  deploymentDescription,
  planImageRevision,
  primaryTaskDefinition,
  registerRevision,
  stopWithRollback,
} from '../../cli/deploy/deployment';
import { DeployConfigError, DeploymentBlockedError } from '../../lambdas/aws/deploy-errors';
import { describedTaskDefinition, metadata, taskDefinitionArn } from './fixtures';

const ecsMock = mockClient(ECSClient);
const codedeployMock = mockClient(CodeDeployClient);
const ssmMock = mockClient(SSMClient);
afterEach(() => {
  ecsMock.reset();
  codedeployMock.reset();
  ssmMock.reset();
});
const clients = () => ({ ecs: new ECSClient({}), codedeploy: new CodeDeployClient({}), ssm: new SSMClient({}) });
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2.0.0';

describe('deployment', () => {
  describe('planImageRevision and registerRevision', () => {
    it('registers the latest revision of the family with only the image changed', async () => {
      ecsMock.on(DescribeTaskDefinitionCommand, { taskDefinition: 'web', include: ['TAGS'] }).resolves({
        taskDefinition: describedTaskDefinition(),
        tags: [{ key: 'team', value: 'payments' }],
      });
      ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: taskDefinitionArn(8) } });
      const plan = await planImageRevision(clients().ecs, { family: 'web', containerName: 'web', image: IMAGE });
      expect(plan.changes.map((c) => c.path)).toEqual(['containerDefinitions[web].image']);
      await expect(registerRevision(clients().ecs, plan)).resolves.toBe(taskDefinitionArn(8));
      const sent = ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input;
      expect(sent).toMatchObject({ family: 'web', cpu: '512', memory: '1024', tags: [{ key: 'team', value: 'payments' }] });
      expect(sent.containerDefinitions?.[0].image).toBe(IMAGE);
    });

    it('turns a missing container into a config error', async () => {
      ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: describedTaskDefinition() });
      await expect(planImageRevision(clients().ecs, { family: 'web', containerName: 'api', image: IMAGE })).rejects.toThrow(
        DeployConfigError,
      );
    });
  });

  describe('assertDeployable', () => {
    it.each<[string, string, string[], string | undefined, RegExp | undefined]>([
      ['passes when not frozen and idle', '{"frozen":false}', [], undefined, undefined],
      [
        'refuses when frozen, with who and why',
        '{"frozen":true,"reason":"incident 42","by":"ana","at":"2026-11-21T10:00:00.000Z"}',
        [],
        'frozen',
        /web is frozen by ana at 2026-11-21T10:00:00.000Z: incident 42\. Run canary unfreeze web/,
      ],
      [
        'refuses when a deployment is active',
        '{"frozen":false}',
        ['d-ACTIVE1'],
        'in-progress',
        /already has a deployment in progress \(d-ACTIVE1\)/,
      ],
    ])('%s', async (_name, freeze, active, blockedBy, message) => {
      ssmMock.on(GetParameterCommand, { Name: '/ecs-canary/web/freeze' }).resolves({ Parameter: { Value: freeze } });
      codedeployMock.on(ListDeploymentsCommand).resolves({ deployments: active });
      const attempt = assertDeployable(clients(), metadata());
      if (!blockedBy) {
        await expect(attempt).resolves.toBeUndefined();
        return;
      }
      await expect(attempt).rejects.toThrow(DeploymentBlockedError);
      await expect(assertDeployable(clients(), metadata())).rejects.toMatchObject({ blockedBy, message: expect.stringMatching(message!) });
    });

    it('asks only for active statuses of the service deployment group, across pages', async () => {
      ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '{"frozen":false}' } });
      codedeployMock
        .on(ListDeploymentsCommand)
        .resolvesOnce({ deployments: [], nextToken: 't1' })
        .resolvesOnce({ deployments: ['d-LATE'] });
      await expect(assertDeployable(clients(), metadata())).rejects.toMatchObject({ activeDeploymentIds: ['d-LATE'] });
      expect(codedeployMock.commandCalls(ListDeploymentsCommand)[0].args[0].input).toEqual({
        applicationName: 'web-app',
        deploymentGroupName: 'web-dg',
        includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready'],
        nextToken: undefined,
      });
    });
  });

  describe('createCanaryDeployment', () => {
    it('creates the deployment with the AppSpec content and the description', async () => {
      codedeployMock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW' });
      const id = await createCanaryDeployment(clients().codedeploy, {
        metadata: metadata(),
        taskDefinitionArn: taskDefinitionArn(8),
        description: deploymentDescription(IMAGE, 'abc123'),
      });
      expect(id).toBe('d-NEW');
      const input = codedeployMock.commandCalls(CreateDeploymentCommand)[0].args[0].input;
      expect(input).toMatchObject({
        applicationName: 'web-app',
        deploymentGroupName: 'web-dg',
        description: `ecs-canary: ${IMAGE} (commit abc123)`,
      });
      expect(input.revision?.revisionType).toBe('AppSpecContent');
      expect(JSON.parse(input.revision!.appSpecContent!.content!).Resources[0].TargetService.Properties.TaskDefinition).toBe(
        taskDefinitionArn(8),
      );
    });

    it('refuses a service without the engine hooks before calling CodeDeploy', async () => {
      await expect(
        createCanaryDeployment(clients().codedeploy, {
          metadata: metadata({ hooks: undefined }),
          taskDefinitionArn: taskDefinitionArn(8),
          description: 'x',
        }),
      ).rejects.toThrow(/has no hooks/);
      expect(codedeployMock.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });
  });

  describe('primaryTaskDefinition', () => {
    it.each<[string, object, string | undefined]>([
      [
        'the primary task set',
        {
          taskDefinition: taskDefinitionArn(6),
          taskSets: [
            { status: 'ACTIVE', taskDefinition: taskDefinitionArn(8) },
            { status: 'PRIMARY', taskDefinition: taskDefinitionArn(7) },
          ],
        },
        taskDefinitionArn(7),
      ],
      ['the service when it has no task sets', { taskDefinition: taskDefinitionArn(6) }, taskDefinitionArn(6)],
    ])('reads %s', async (_name, service, expected) => {
      ecsMock.on(DescribeServicesCommand, { cluster: 'c', services: ['web'] }).resolves({ services: [service] });
      await expect(primaryTaskDefinition(clients().ecs, { cluster: 'c', service: 'web' })).resolves.toBe(expected);
    });

    it('fails naming the service when it does not exist', async () => {
      ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
      await expect(primaryTaskDefinition(clients().ecs, { cluster: 'c', service: 'web' })).rejects.toThrow(/no service web in cluster c/);
    });
  });

  describe('stopWithRollback', () => {
    it('stops with auto rollback', async () => {
      codedeployMock.on(StopDeploymentCommand).resolves({ status: 'Pending' });
      await stopWithRollback(clients().codedeploy, 'd-1');
      expect(codedeployMock.commandCalls(StopDeploymentCommand)[0].args[0].input).toEqual({
        deploymentId: 'd-1',
        autoRollbackEnabled: true,
      });
    });
  });

  describe('ciCommit and deploymentDescription', () => {
    it.each<[NodeJS.ProcessEnv, string | undefined]>([
      [{ GITHUB_SHA: 'g1' }, 'g1'],
      [{ CI_COMMIT_SHA: 'c1' }, 'c1'],
      [{ GITHUB_SHA: '', CI_COMMIT_SHA: 'c1' }, 'c1'],
      [{}, undefined],
    ])('reads the commit from %j', (env, commit) => {
      expect(ciCommit(env)).toBe(commit);
    });

    it('leaves the commit out when there is none', () => {
      expect(deploymentDescription('web:1')).toBe('ecs-canary: web:1');
    });
  });
});
