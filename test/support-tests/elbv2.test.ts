import {
  type Action,
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { MINUTE, useWorld } from './helpers';

const elbv2 = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });

describe('FakeElbv2', () => {
  const fx = useWorld();
  const weighted = (tuples: Array<[string, number | undefined]>): Action[] => [
    { Type: 'forward', ForwardConfig: { TargetGroups: tuples.map(([arn, Weight]) => ({ TargetGroupArn: arn, Weight })) } },
  ];

  describe('ModifyListener', () => {
    it('rewrites the default action and records the write with its time and target health', async () => {
      const { world, web } = fx;
      world.ecs.createTaskSet(web.ecsService, web.initialTaskDefinitionArn, web.green.arn, 'healthy');
      await world.clock.advance(MINUTE);
      await elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: web.metadata.productionListenerArn,
          DefaultActions: weighted([
            [web.blue.arn, 95],
            [web.green.arn, 5],
          ]),
        }),
      );
      expect(world.elbv2.percents(web.metadata.productionListenerArn)).toEqual({ [web.blue.arn]: 95, [web.green.arn]: 5 });
      expect(world.elbv2.writes.at(-1)).toMatchObject({
        at: world.clock.now(),
        actor: 'client',
        forward: { [web.blue.arn]: 95, [web.green.arn]: 5 },
        healthyTargets: { [web.blue.arn]: 2, [web.green.arn]: 2 },
      });
    });

    it.each([
      [
        'a weight above 999',
        (b: string, g: string) =>
          weighted([
            [b, 1000],
            [g, 0],
          ]),
        'Weight 1000 is invalid',
      ],
      [
        'a negative weight',
        (b: string, g: string) =>
          weighted([
            [b, -1],
            [g, 100],
          ]),
        'Weight -1 is invalid',
      ],
      [
        'a fractional weight',
        (b: string, g: string) =>
          weighted([
            [b, 2.5],
            [g, 97.5],
          ]),
        'Weight 2.5 is invalid',
      ],
      ['six target groups', (b: string) => weighted(Array.from({ length: 6 }, () => [b, 1] as [string, number])), 'at most 5'],
      [
        'the same target group twice',
        (b: string) =>
          weighted([
            [b, 50],
            [b, 50],
          ]),
        'listed twice',
      ],
      [
        'TargetGroupArn that differs from ForwardConfig',
        (b: string, g: string) =>
          [{ Type: 'forward', TargetGroupArn: b, ForwardConfig: { TargetGroups: [{ TargetGroupArn: g }] } }] as Action[],
        'exactly that one',
      ],
      ['a forward without target groups', () => [{ Type: 'forward' }] as Action[], 'needs TargetGroupArn or ForwardConfig'],
    ])('rejects %s with ValidationError and leaves the listener unchanged', async (_, actions, message) => {
      const { world, web } = fx;
      const before = world.elbv2.percents(web.metadata.productionListenerArn);
      const call = elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: web.metadata.productionListenerArn,
          DefaultActions: actions(web.blue.arn, web.green.arn),
        }),
      );
      await expect(call).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining(message) });
      expect(world.elbv2.percents(web.metadata.productionListenerArn)).toEqual(before);
      expect(world.elbv2.writes).toHaveLength(0);
    });

    it('keeps the stickiness config it is sent and reports it back; { Enabled: false } when none was sent', async () => {
      const { web } = fx;
      const stickiness = { Enabled: true, DurationSeconds: 300 };
      const listenerArn = web.metadata.productionListenerArn;
      const describe = async () =>
        (await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners![0].DefaultActions![0].ForwardConfig;
      await elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: listenerArn,
          DefaultActions: [
            {
              Type: 'forward',
              ForwardConfig: { TargetGroups: [{ TargetGroupArn: web.blue.arn, Weight: 100 }], TargetGroupStickinessConfig: stickiness },
            },
          ],
        }),
      );
      expect((await describe())?.TargetGroupStickinessConfig).toEqual(stickiness);
      await elbv2.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: weighted([[web.blue.arn, 100]]) }));
      expect((await describe())?.TargetGroupStickinessConfig).toEqual({ Enabled: false });
    });

    it.each([
      ['enabled without DurationSeconds', { Enabled: true }, 'DurationSeconds is required'],
      ['a duration of 0 s', { Enabled: true, DurationSeconds: 0 }, 'DurationSeconds 0 is invalid'],
      ['a duration over 7 days', { Enabled: true, DurationSeconds: 604_801 }, 'DurationSeconds 604801 is invalid'],
    ])('rejects target group stickiness %s with ValidationError', async (_, TargetGroupStickinessConfig, message) => {
      const { web } = fx;
      const call = elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: web.metadata.productionListenerArn,
          DefaultActions: [
            {
              Type: 'forward',
              ForwardConfig: { TargetGroups: [{ TargetGroupArn: web.blue.arn, Weight: 1 }], TargetGroupStickinessConfig },
            },
          ],
        }),
      );
      await expect(call).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining(message) });
    });

    it.each([
      [
        'an unknown listener',
        { ListenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2' },
        'ListenerNotFoundException',
      ],
      [
        'an unknown target group',
        {
          DefaultActions: [
            { Type: 'forward' as const, TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1' },
          ],
        },
        'TargetGroupNotFoundException',
      ],
    ])('rejects %s', async (_, override, name) => {
      const { web } = fx;
      const input = { ListenerArn: web.metadata.productionListenerArn, DefaultActions: weighted([[web.blue.arn, 100]]), ...override };
      await expect(elbv2.send(new ModifyListenerCommand(input))).rejects.toMatchObject({ name });
    });
  });

  describe('rules', () => {
    const headerRule = (listenerArn: string, tg: string, Priority = 10) =>
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority,
        Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: tg }],
      });

    it('creates, lists (default rule last) and deletes a header rule', async () => {
      const { web } = fx;
      const { Rules } = await elbv2.send(headerRule(web.metadata.productionListenerArn, web.green.arn));
      const listed = await elbv2.send(new DescribeRulesCommand({ ListenerArn: web.metadata.productionListenerArn }));
      expect(listed.Rules!.map((r) => [r.Priority, r.IsDefault])).toEqual([
        ['10', false],
        ['default', true],
      ]);
      await elbv2.send(new DeleteRuleCommand({ RuleArn: Rules![0].RuleArn }));
      expect((await elbv2.send(new DescribeRulesCommand({ ListenerArn: web.metadata.productionListenerArn }))).Rules).toHaveLength(1);
    });

    it('rejects a second rule with the same priority with PriorityInUseException', async () => {
      const { web } = fx;
      await elbv2.send(headerRule(web.metadata.productionListenerArn, web.green.arn));
      await expect(elbv2.send(headerRule(web.metadata.productionListenerArn, web.green.arn))).rejects.toMatchObject({
        name: 'PriorityInUseException',
      });
    });

    it.each([
      ['the default rule', 'OperationNotPermittedException', true],
      ['an unknown rule', 'RuleNotFoundException', false],
    ])('refuses to delete %s', async (_, name, isDefault) => {
      const { web } = fx;
      const { Rules } = await elbv2.send(new DescribeRulesCommand({ ListenerArn: web.metadata.productionListenerArn }));
      const RuleArn = isDefault ? Rules![0].RuleArn : `${Rules![0].RuleArn}0`;
      await expect(elbv2.send(new DeleteRuleCommand({ RuleArn }))).rejects.toMatchObject({ name });
    });
  });

  describe('DescribeTargetHealth', () => {
    it.each([
      ['healthy', 'healthy'],
      ['unhealthy', 'unhealthy'],
      ['initial', 'initial'],
    ] as const)('reports a %s task set in use as %s', async (health, state) => {
      const { world, web } = fx;
      const taskSet = world.ecs.createTaskSet(web.ecsService, web.initialTaskDefinitionArn, web.green.arn, health);
      await elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: web.metadata.testListenerArn,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: web.green.arn }],
        }),
      );
      const { TargetHealthDescriptions } = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: web.green.arn }));
      expect(TargetHealthDescriptions!.map((d) => [d.Target?.Id, d.TargetHealth?.State])).toEqual(taskSet.taskIps.map((ip) => [ip, state]));
    });

    it('reports targets of a target group no listener uses as unused', async () => {
      const { world, web } = fx;
      world.ecs.createTaskSet(web.ecsService, web.initialTaskDefinitionArn, web.green.arn, 'healthy');
      const { TargetHealthDescriptions } = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: web.green.arn }));
      expect(TargetHealthDescriptions!.map((d) => d.TargetHealth?.Reason)).toEqual(['Target.NotInUse', 'Target.NotInUse']);
    });
  });
});
