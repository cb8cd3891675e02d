import {
  CodeDeployClient,
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  DeploymentLimitExceededException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';

import type { CodeDeployStateChangeEvent, HookEvent } from '../support';
import { MINUTE, useWorld } from './helpers';

const codedeploy = new CodeDeployClient({ region: 'us-east-1' });

/** Registers hook handlers that answer every hook with `status` (or leave it unanswered with undefined). */
function answerHooks(
  world: ReturnType<typeof useWorld>['world'],
  answers: Record<string, 'Succeeded' | 'Failed' | undefined>,
  seen: string[] = [],
) {
  world.codedeploy.onHook(async (hook, event: HookEvent) => {
    seen.push(hook);
    const status = answers[hook] ?? (hook in answers ? undefined : 'Succeeded');
    if (!status) return;
    await codedeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status,
      }),
    );
  });
  return seen;
}

const deploymentOf = async (id: string) => (await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;

describe('FakeCodeDeploy', () => {
  const fx = useWorld({ terminationWaitMinutes: 5 });

  describe('lifecycle', () => {
    it('runs the hooks in CodeDeploy order, shifts production at AllowTraffic and succeeds after the termination wait', async () => {
      const { world, web } = fx;
      const seen = answerHooks(world, {});
      const id = world.deploy('web');
      await world.clock.advance(3 * MINUTE);
      expect(seen).toEqual(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']);
      expect((await deploymentOf(id)).status).toBe('InProgress'); // termination wait
      expect(world.elbv2.percents(web.metadata.productionListenerArn)).toEqual({ [web.blue.arn]: 0, [web.green.arn]: 100 });
      await world.clock.advance(5 * MINUTE);
      expect((await deploymentOf(id)).status).toBe('Succeeded');
      expect(world.ecs.liveTaskSets(web.blue.arn)).toHaveLength(0);
    });

    it('invokes every AppSpec hook, including BeforeInstall and AfterInstall, in order', async () => {
      const { world, web } = fx;
      const seen = answerHooks(world, {});
      const hooks = { BeforeInstall: 'a', AfterInstall: 'b', AfterAllowTestTraffic: 'c', BeforeAllowTraffic: 'd', AfterAllowTraffic: 'e' };
      const { taskDefinition } = world.ecs.registerTaskDefinition({
        family: 'web',
        containerDefinitions: [{ name: 'app', image: 'web:2', portMappings: [{ containerPort: 8080 }] }],
      });
      const { renderAppSpec } = await import('../support');
      await codedeploy.send(
        new CreateDeploymentCommand({
          applicationName: web.metadata.applicationName,
          deploymentGroupName: web.metadata.deploymentGroupName,
          revision: {
            revisionType: 'AppSpecContent',
            appSpecContent: { content: renderAppSpec(web.metadata, taskDefinition.taskDefinitionArn!, hooks) },
          },
        }),
      );
      await world.clock.advance(10 * MINUTE);
      expect(seen).toEqual(['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']);
    });

    it('points the test listener at the replacement at AllowTestTraffic, before production moves', async () => {
      const { world, web } = fx;
      const production: number[] = [];
      world.codedeploy.onHook(async (hook, event) => {
        if (hook === 'AfterAllowTestTraffic') {
          production.push(world.elbv2.percents(web.metadata.productionListenerArn)[web.green.arn] ?? 0);
          expect(world.elbv2.percents(web.metadata.testListenerArn)).toEqual({ [web.green.arn]: 100, [web.blue.arn]: 0 });
        }
        await codedeploy.send(
          new PutLifecycleEventHookExecutionStatusCommand({
            deploymentId: event.DeploymentId,
            lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
            status: 'Succeeded',
          }),
        );
      });
      world.deploy('web');
      await world.clock.advance(10 * MINUTE);
      expect(production).toEqual([0]);
    });

    it('reports the replacement as GREEN on the other target group in GetDeploymentTarget', async () => {
      const { world, web } = fx;
      answerHooks(world, { AfterAllowTestTraffic: undefined });
      const id = world.deploy('web');
      await world.clock.advance(3 * MINUTE);
      const { deploymentTarget } = await codedeploy.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'web-cluster:web' }));
      const sets = deploymentTarget!.ecsTarget!.taskSetsInfo!;
      expect(sets.map((s) => [s.taskSetLabel, s.targetGroup?.name, s.trafficWeight])).toEqual([
        ['Blue', web.blue.name, 100],
        ['Green', web.green.name, 0],
      ]);
    });

    it('swaps blue and green after a successful deployment', async () => {
      const { world, web } = fx;
      answerHooks(world, {});
      world.deploy('web');
      await world.clock.advance(20 * MINUTE);
      const second = world.deploy('web');
      await world.clock.advance(2 * MINUTE);
      const deployment = world.codedeploy.deployment(second);
      expect([deployment.originalTargetGroupArn, deployment.replacementTargetGroupArn]).toEqual([web.green.arn, web.blue.arn]);
    });

    it('ends the termination wait on ContinueDeployment TERMINATION_WAIT', async () => {
      const { world } = fx;
      answerHooks(world, {});
      const id = world.deploy('web');
      await world.clock.advance(5 * MINUTE);
      await codedeploy.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }));
      await world.clock.settle();
      expect((await deploymentOf(id)).status).toBe('Succeeded');
    });
  });

  describe('CreateDeployment', () => {
    it('fails with DeploymentLimitExceededException while a deployment of the group is active', async () => {
      const { world } = fx;
      world.deploy('web');
      expect(() => world.deploy('web')).toThrow(DeploymentLimitExceededException);
    });

    it.each([
      ['not YAML', '{'],
      [
        'no task definition',
        JSON.stringify({
          Resources: [
            {
              TargetService: { Type: 'AWS::ECS::Service', Properties: { LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 } } },
            },
          ],
        }),
      ],
      [
        'unknown hook',
        'Resources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: arn\n        LoadBalancerInfo: {ContainerName: app, ContainerPort: 8080}\nHooks:\n  - AfterTraffic: fn\n',
      ],
    ])('rejects an AppSpec with %s as InvalidRevisionException', async (_, content) => {
      const { web } = fx;
      await expect(
        codedeploy.send(
          new CreateDeploymentCommand({
            applicationName: web.metadata.applicationName,
            deploymentGroupName: web.metadata.deploymentGroupName,
            revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
          }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidRevisionException' });
    });
  });

  describe('PutLifecycleEventHookExecutionStatus', () => {
    it('accepts a hook status once and rejects a second report with LifecycleEventAlreadyCompletedException', async () => {
      const { world } = fx;
      const events: HookEvent[] = [];
      world.codedeploy.onHook((_hook, event) => void events.push(event));
      world.deploy('web');
      await world.clock.advance(3 * MINUTE);
      const report = {
        deploymentId: events[0].DeploymentId,
        lifecycleEventHookExecutionId: events[0].LifecycleEventHookExecutionId,
        status: 'Succeeded' as const,
      };
      await codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand(report));
      await expect(codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand(report))).rejects.toMatchObject({
        name: 'LifecycleEventAlreadyCompletedException',
      });
    });

    it.each([
      ['an unknown execution id', { lifecycleEventHookExecutionId: 'nope' }, 'InvalidLifecycleEventHookExecutionIdException'],
      ['status InProgress', { status: 'InProgress' }, 'InvalidLifecycleEventHookExecutionStatusException'],
    ])('rejects %s', async (_, override, name) => {
      const { world } = fx;
      const events: HookEvent[] = [];
      world.codedeploy.onHook((_hook, event) => void events.push(event));
      world.deploy('web');
      await world.clock.advance(3 * MINUTE);
      const report = {
        deploymentId: events[0].DeploymentId,
        lifecycleEventHookExecutionId: events[0].LifecycleEventHookExecutionId,
        status: 'Succeeded',
        ...override,
      };
      await expect(codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand(report as never))).rejects.toMatchObject({ name });
    });
  });

  describe('failures and rollback', () => {
    it('fails a deployment whose hook does not report within one hour, and rolls back', async () => {
      const { world, web } = fx;
      answerHooks(world, { AfterAllowTestTraffic: undefined });
      const id = world.deploy('web');
      await world.clock.advance(60 * MINUTE);
      expect((await deploymentOf(id)).status).toBe('InProgress');
      await world.clock.advance(2 * MINUTE);
      const info = await deploymentOf(id);
      expect(info.status).toBe('Failed');
      expect(info.errorInformation?.code).toBe('TIMEOUT');
      expect(info.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
      expect(world.elbv2.percents(web.metadata.testListenerArn)).toEqual({ [web.blue.arn]: 100, [web.green.arn]: 0 });
    });

    it('reroutes production to the original when a post-traffic hook reports Failed', async () => {
      const { world, web } = fx;
      answerHooks(world, { AfterAllowTraffic: 'Failed' });
      const id = world.deploy('web');
      await world.clock.advance(10 * MINUTE);
      expect((await deploymentOf(id)).errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
      expect(world.elbv2.percents(web.metadata.productionListenerArn)).toEqual({ [web.blue.arn]: 100, [web.green.arn]: 0 });
      expect(world.ecs.liveTaskSets(web.green.arn)).toHaveLength(0);
    });

    it('stops and rolls back when a deployment-group alarm goes to ALARM during the termination wait', async () => {
      const { world, web } = fx;
      answerHooks(world, {});
      const id = world.deploy('web');
      await world.clock.advance(4 * MINUTE);
      world.cloudwatch.setAlarm(web.alarms[0], 'ALARM');
      await world.clock.advance(MINUTE);
      const info = await deploymentOf(id);
      expect([info.status, info.errorInformation?.code]).toEqual(['Stopped', 'ALARM_ACTIVE']);
      expect(world.elbv2.percents(web.metadata.productionListenerArn)).toEqual({ [web.blue.arn]: 100, [web.green.arn]: 0 });
    });

    it.each([
      [true, { blue: 100, green: 0 }],
      [false, { blue: 0, green: 100 }],
    ])('StopDeployment with autoRollbackEnabled=%s leaves production at %j', async (autoRollbackEnabled, expected) => {
      const { world, web } = fx;
      answerHooks(world, { AfterAllowTraffic: undefined });
      const id = world.deploy('web');
      await world.clock.advance(5 * MINUTE);
      await codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled }));
      await world.clock.advance(MINUTE);
      const names: Record<string, string> = { [web.blue.arn]: 'blue', [web.green.arn]: 'green' };
      const percents = Object.fromEntries(
        Object.entries(world.elbv2.percents(web.metadata.productionListenerArn)).map(([arn, p]) => [names[arn], p]),
      );
      expect(percents).toEqual(expected);
      expect((await deploymentOf(id)).status).toBe('Stopped');
    });

    it('emits FAILURE and STOP state changes to subscribers, asynchronously', async () => {
      const { world, web } = fx;
      const states: string[] = [];
      world.codedeploy.onStateChange(
        (event: CodeDeployStateChangeEvent) => void states.push(`${event.detail.deploymentGroup}:${event.detail.state}`),
      );
      answerHooks(world, { AfterAllowTestTraffic: 'Failed' });
      world.deploy('web');
      await world.clock.advance(5 * MINUTE);
      world.deploy('web');
      await world.clock.advance(MINUTE);
      world.cloudwatch.setAlarm(web.alarms[0], 'ALARM');
      await world.clock.advance(MINUTE);
      expect(states.filter((s) => !s.endsWith('START') && !s.endsWith('SUCCESS'))).toEqual(['web-dg:FAILURE', 'web-dg:STOP']);
    });
  });

  describe('ListDeployments', () => {
    it("filters a group's deployments by status", async () => {
      const { world, web } = fx;
      answerHooks(world, { AfterAllowTestTraffic: 'Failed' });
      const failed = world.deploy('web');
      await world.clock.advance(5 * MINUTE);
      const running = world.deploy('web');
      await world.clock.settle();
      const list = (statuses: ('InProgress' | 'Failed')[]) =>
        codedeploy.send(
          new ListDeploymentsCommand({
            applicationName: web.metadata.applicationName,
            deploymentGroupName: web.metadata.deploymentGroupName,
            includeOnlyStatuses: statuses,
          }),
        );
      expect((await list(['InProgress'])).deployments).toEqual([running]);
      expect((await list(['Failed'])).deployments).toEqual([failed]);
    });

    it('lists the deployments created since a time, the automatic rollback included', async () => {
      const { world, web } = fx;
      answerHooks(world, { AfterAllowTestTraffic: 'Failed' });
      const failed = world.deploy('web');
      await world.clock.advance(5 * MINUTE);
      const rollback = (await deploymentOf(failed)).rollbackInfo!.rollbackDeploymentId!;
      const running = world.deploy('web');
      await world.clock.settle();
      const since = async (id: string) =>
        (
          await codedeploy.send(
            new ListDeploymentsCommand({
              applicationName: web.metadata.applicationName,
              deploymentGroupName: web.metadata.deploymentGroupName,
              createTimeRange: { start: (await deploymentOf(id)).createTime },
            }),
          )
        ).deployments!;
      expect(new Set(await since(failed))).toEqual(new Set([failed, rollback, running]));
      expect(await since(running)).toEqual([running]);
    });
  });

  describe('EventBridge delivery', () => {
    it('delivers a state change late and twice when told, as at-least-once delivery may', async () => {
      const { world } = fx;
      const seen: Array<{ state: string; at: number }> = [];
      world.codedeploy.onStateChange(
        (event: CodeDeployStateChangeEvent) => void seen.push({ state: event.detail.state, at: world.clock.now() }),
      );
      world.codedeploy.deliverStateChanges((event) =>
        event.detail.state === 'FAILURE' ? [3 * 60 * MINUTE, 3 * 60 * MINUTE + 5 * MINUTE] : [0],
      );
      answerHooks(world, { AfterAllowTestTraffic: 'Failed' });
      world.deploy('web');
      await world.clock.advance(5 * MINUTE);
      const failedAt = world.codedeploy.lifecycle.emitted.find((e) => e.detail.state === 'FAILURE')!;
      expect(seen.filter((s) => s.state === 'FAILURE')).toEqual([]);
      await world.clock.advance(4 * 60 * MINUTE);
      // The event's `time` has whole seconds: each delivery lands within a second after time + delay.
      expect(seen.filter((s) => s.state === 'FAILURE').map((s) => Math.floor((s.at - Date.parse(failedAt.time)) / 1000) * 1000)).toEqual([
        3 * 60 * MINUTE,
        3 * 60 * MINUTE + 5 * MINUTE,
      ]);
    });
  });
});

describe('FakeCodeDeploy redelivery', () => {
  const fx = useWorld();

  it('redelivers a hook event with the same execution id, so a second report is refused', async () => {
    const { world } = fx;
    const received: HookEvent[] = [];
    const outcomes: string[] = [];
    world.codedeploy.onHook(async (_hook, event) => {
      received.push(event);
      try {
        await codedeploy.send(
          new PutLifecycleEventHookExecutionStatusCommand({
            deploymentId: event.DeploymentId,
            lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
            status: 'Succeeded',
          }),
        );
        outcomes.push('reported');
      } catch (error) {
        outcomes.push((error as Error).name);
      }
    });
    const id = world.deploy('web');
    await world.clock.advance(75_000);
    world.codedeploy.redeliverHook(id, 'AfterAllowTestTraffic');
    await world.clock.settle();
    expect(received[0]).toEqual(received[received.length - 1]);
    expect(outcomes.slice(0, 1).concat(outcomes.slice(-1))).toEqual(['reported', 'LifecycleEventAlreadyCompletedException']);
  });
});
