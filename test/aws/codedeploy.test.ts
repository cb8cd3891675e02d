import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  LifecycleEventAlreadyCompletedException,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';

import { assertInProgress, deploymentTargets, reportHookStatus } from '../../lambdas/aws/codedeploy';
import { DeploymentNotInProgressError, DeploymentTargetError } from '../../lambdas/aws/engine-errors';

const codedeploy = mockClient(CodeDeployClient);
const client = new CodeDeployClient({});
const groups = [
  { arn: 'arn:tg/blue', fullName: 'targetgroup/blue/1', name: 'orders-blue' },
  { arn: 'arn:tg/green', fullName: 'targetgroup/green/2', name: 'orders-green' },
] as const;
const taskSets = (green: string, blue: string) => ({
  deploymentTarget: {
    ecsTarget: {
      taskSetsInfo: [
        { taskSetLabel: 'Blue' as const, trafficWeight: 100, targetGroup: { name: blue } },
        { taskSetLabel: 'Green' as const, trafficWeight: 0, targetGroup: { name: green } },
      ],
    },
  },
});

afterEach(() => codedeploy.reset());

describe('codedeploy adapter', () => {
  describe('deploymentTargets', () => {
    beforeEach(() => codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['cluster:orders'] }));

    it.each([
      ['green is the replacement', 'orders-green', 'orders-blue', 'arn:tg/green', 'arn:tg/blue'],
      ['roles swapped on the next deployment', 'orders-blue', 'orders-green', 'arn:tg/blue', 'arn:tg/green'],
    ])('maps task set labels to target groups: %s', async (_name, green, blue, replacement, original) => {
      codedeploy.on(GetDeploymentTargetCommand, { deploymentId: 'd-1', targetId: 'cluster:orders' }).resolves(taskSets(green, blue));
      const pair = await deploymentTargets(client, 'd-1', groups);
      expect([pair.replacement.arn, pair.original.arn]).toEqual([replacement, original]);
    });

    it('fails naming the unknown target group', async () => {
      codedeploy.on(GetDeploymentTargetCommand).resolves(taskSets('someone-else', 'orders-blue'));
      await expect(deploymentTargets(client, 'd-1', groups)).rejects.toThrow(DeploymentTargetError);
      await expect(deploymentTargets(client, 'd-1', groups)).rejects.toThrow(/"someone-else"; expected one of orders-blue, orders-green/);
    });
  });

  describe('assertInProgress', () => {
    it('passes an InProgress deployment', async () => {
      codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'InProgress' } });
      await expect(assertInProgress(client, 'd-1')).resolves.toBeUndefined();
    });

    it.each(['Stopped', 'Failed', 'Succeeded'])('throws DeploymentNotInProgressError when %s', async (status) => {
      codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: status as never } });
      await expect(assertInProgress(client, 'd-1')).rejects.toMatchObject({ name: 'DeploymentNotInProgressError', status });
      await expect(assertInProgress(client, 'd-1')).rejects.toBeInstanceOf(DeploymentNotInProgressError);
    });
  });

  describe('reportHookStatus', () => {
    it('returns false when the hook was already answered (a retried tick)', async () => {
      codedeploy
        .on(PutLifecycleEventHookExecutionStatusCommand)
        .rejects(new LifecycleEventAlreadyCompletedException({ message: 'done', $metadata: {} }));
      await expect(reportHookStatus(client, 'd-1', 'hook-1', 'Succeeded')).resolves.toBe(false);
    });

    it('reports the hook execution status', async () => {
      codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
      await expect(reportHookStatus(client, 'd-1', 'hook-1', 'Failed')).resolves.toBe(true);
      expect(codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand)[0].args[0].input).toEqual({
        deploymentId: 'd-1',
        lifecycleEventHookExecutionId: 'hook-1',
        status: 'Failed',
      });
    });
  });
});
