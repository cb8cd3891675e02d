/**
 * What CodeDeploy writes to the load balancer and requires of it (test/support/codedeploy-traffic.ts):
 * every rule forwarding to its target groups moves at AllowTraffic and on rollback, the unused
 * target group stays at weight 0, and a listener that does not forward to the primary's target
 * group fails the deployment with "Primary taskset target group must be behind listener".
 */
import { CodeDeployClient, GetDeploymentCommand, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import {
  type Action,
  CreateRuleCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { BEHIND_LISTENER_MESSAGE, type FakeAws, forwardWeights, type HookEvent } from '../support';
import { MINUTE, useWorld } from './helpers';

const codedeploy = new CodeDeployClient({ region: 'us-east-1' });
const elbv2 = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });

/** Answers every hook Succeeded, except those named (Failed, or left unanswered with undefined). */
function answerHooks(world: FakeAws, answers: Record<string, 'Failed' | undefined> = {}, seen: Record<string, HookEvent> = {}) {
  world.codedeploy.onHook(async (hook, event) => {
    seen[hook] = event;
    if (hook in answers && answers[hook] === undefined) return;
    await codedeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: answers[hook] ?? 'Succeeded',
      }),
    );
  });
  return seen;
}

const forward = (tuples: Array<[string, number]>): Action[] => [
  { Type: 'forward', ForwardConfig: { TargetGroups: tuples.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } },
];
const rule = (listenerArn: string, priority: number, actions: Action[], field: 'path' | 'header' = 'path') =>
  elbv2.send(
    new CreateRuleCommand({
      ListenerArn: listenerArn,
      Priority: priority,
      Conditions: [
        field === 'path'
          ? { Field: 'path-pattern', Values: ['/api/*'] }
          : { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] } },
      ],
      Actions: actions,
    }),
  );
const deploymentOf = async (id: string) => (await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;

describe('CodeDeploy traffic in the fake', () => {
  const fx = useWorld({ terminationWaitMinutes: 5 });
  const production = () => fx.world.elbv2.listener(fx.web.metadata.productionListenerArn);
  const ruleWeights = (priority: number) => forwardWeights(production().rules.find((r) => r.priority === priority)!.actions);

  describe('AllowTraffic', () => {
    it('rewrites every production rule forwarding to its target groups to {replacement 100, original 0}, and leaves other rules alone', async () => {
      const { world, web } = fx;
      const other = world.elbv2.addTargetGroup('other', web.blue.loadBalancerArn);
      await rule(web.metadata.productionListenerArn, 5, [{ Type: 'forward', TargetGroupArn: web.blue.arn }]);
      await rule(web.metadata.productionListenerArn, 6, [{ Type: 'forward', TargetGroupArn: other.arn }]);
      answerHooks(world);
      world.deploy('web');
      await world.clock.advance(4 * MINUTE);
      expect(forwardWeights(production().defaultActions)).toEqual({ [web.green.arn]: 100, [web.blue.arn]: 0 });
      expect(ruleWeights(5)).toEqual({ [web.green.arn]: 100, [web.blue.arn]: 0 });
      expect(ruleWeights(6)).toEqual({ [other.arn]: 1 });
      expect(world.elbv2.writes.filter((w) => w.actor === 'codedeploy' && w.operation === 'ModifyRule')).toHaveLength(1);
    });

    it('moves the test listener the same way at AllowTestTraffic, keeping the original at weight 0', async () => {
      const { world, web } = fx;
      answerHooks(world, { AfterAllowTestTraffic: undefined });
      world.deploy('web');
      await world.clock.advance(3 * MINUTE);
      expect(forwardWeights(world.elbv2.listener(web.metadata.testListenerArn).defaultActions)).toEqual({
        [web.green.arn]: 100,
        [web.blue.arn]: 0,
      });
    });
  });

  describe('rollback', () => {
    it('moves the canary-header rule back to the original with the default action, before the replacement is gone', async () => {
      const { world, web } = fx;
      const seen = answerHooks(world, { AfterAllowTestTraffic: undefined });
      const id = world.deploy('web');
      await world.clock.advance(3 * MINUTE);
      await rule(web.metadata.productionListenerArn, 1, forward([[web.green.arn, 1]]), 'header');
      const event = seen.AfterAllowTestTraffic;
      await codedeploy.send(
        new PutLifecycleEventHookExecutionStatusCommand({
          deploymentId: event.DeploymentId,
          lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
          status: 'Failed',
        }),
      );
      await world.clock.advance(MINUTE);
      expect((await deploymentOf(id)).status).toBe('Failed');
      expect(ruleWeights(1)).toEqual({ [web.blue.arn]: 100, [web.green.arn]: 0 });
      expect(forwardWeights(world.elbv2.listener(web.metadata.testListenerArn).defaultActions)).toEqual({
        [web.blue.arn]: 100,
        [web.green.arn]: 0,
      });
      const rewrite = world.elbv2.writes.find((w) => w.actor === 'codedeploy' && w.operation === 'ModifyRule')!;
      const deletion = web.ecsService.taskSets.find((t) => t.targetGroupArn === web.green.arn)!.deletedAt!;
      expect(rewrite.at).toBeLessThanOrEqual(deletion);
    });

    it('moves a rule that AllowTraffic had moved to the replacement back to the original when a post-traffic hook fails', async () => {
      const { world, web } = fx;
      await rule(web.metadata.productionListenerArn, 5, [{ Type: 'forward', TargetGroupArn: web.blue.arn }]);
      answerHooks(world, { AfterAllowTraffic: 'Failed' });
      world.deploy('web');
      await world.clock.advance(10 * MINUTE);
      expect(ruleWeights(5)).toEqual({ [web.blue.arn]: 100, [web.green.arn]: 0 });
      expect(
        world.elbv2.writes.filter((w) => w.actor === 'codedeploy' && w.operation === 'ModifyRule').map((w) => w.forward[web.green.arn]),
      ).toEqual([100, 0]);
    });
  });

  describe('"Primary taskset target group must be behind listener"', () => {
    it.each([
      [
        'the production listener forwards only to the other target group',
        async () => {
          await elbv2.send(
            new ModifyListenerCommand({
              ListenerArn: fx.web.metadata.productionListenerArn,
              DefaultActions: forward([[fx.web.green.arn, 1]]),
            }),
          );
        },
      ],
      [
        'the production listener has the primary at weight 0',
        async () => {
          await elbv2.send(
            new ModifyListenerCommand({
              ListenerArn: fx.web.metadata.productionListenerArn,
              DefaultActions: forward([
                [fx.web.blue.arn, 0],
                [fx.web.green.arn, 100],
              ]),
            }),
          );
        },
      ],
      [
        'the test listener forwards to the other target group',
        async () => {
          await elbv2.send(
            new ModifyListenerCommand({ ListenerArn: fx.web.metadata.testListenerArn, DefaultActions: forward([[fx.web.green.arn, 1]]) }),
          );
        },
      ],
      [
        'a production rule forwards to the other target group',
        async () => {
          await rule(fx.web.metadata.productionListenerArn, 3, forward([[fx.web.green.arn, 1]]), 'header');
        },
      ],
    ])('fails the deployment at its start, before any task set, when %s', async (_name, setUp) => {
      const { world, web } = fx;
      await setUp();
      answerHooks(world);
      const id = world.deploy('web');
      await world.clock.advance(MINUTE);
      const info = await deploymentOf(id);
      expect([info.status, info.errorInformation?.code]).toEqual(['Failed', 'ELASTIC_LOAD_BALANCING_INVALID']);
      expect(info.errorInformation?.message).toContain(BEHIND_LISTENER_MESSAGE);
      expect(web.ecsService.taskSets.filter((t) => t.targetGroupArn === web.green.arn)).toHaveLength(0);
      expect(info.rollbackInfo).toBeUndefined();
    });

    it('starts when production rules forward to the primary or to target groups not its own', async () => {
      const { world, web } = fx;
      await rule(
        web.metadata.productionListenerArn,
        3,
        forward([
          [web.blue.arn, 100],
          [web.green.arn, 0],
        ]),
        'header',
      );
      await rule(web.metadata.productionListenerArn, 4, [
        { Type: 'forward', TargetGroupArn: world.elbv2.addTargetGroup('other', web.blue.loadBalancerArn).arn },
      ]);
      answerHooks(world);
      const id = world.deploy('web');
      await world.clock.advance(MINUTE);
      expect((await deploymentOf(id)).status).toBe('InProgress');
    });

    it('fails at AllowTraffic, and rolls back, when production stopped forwarding to the original before it', async () => {
      const { world, web } = fx;
      world.codedeploy.onHook(async (hook, event) => {
        if (hook === 'BeforeAllowTraffic') {
          await elbv2.send(
            new ModifyListenerCommand({
              ListenerArn: web.metadata.productionListenerArn,
              DefaultActions: forward([
                [web.blue.arn, 0],
                [web.green.arn, 100],
              ]),
            }),
          );
        }
        await codedeploy.send(
          new PutLifecycleEventHookExecutionStatusCommand({
            deploymentId: event.DeploymentId,
            lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
            status: 'Succeeded',
          }),
        );
      });
      const id = world.deploy('web');
      await world.clock.advance(5 * MINUTE);
      const info = await deploymentOf(id);
      expect([info.status, info.errorInformation?.code]).toEqual(['Failed', 'ELASTIC_LOAD_BALANCING_INVALID']);
      expect(world.codedeploy.deployment(id).events.find((e) => e.name === 'AllowTraffic')?.status).toBe('Failed');
      expect(info.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
      expect(forwardWeights(production().defaultActions)).toEqual({ [web.blue.arn]: 100, [web.green.arn]: 0 });
    });
  });
});
