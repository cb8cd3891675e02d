import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';

import {
  canaryMatches,
  cookieMatch,
  ensureHeaderRule,
  ensureRule,
  readWeights,
  removeHeaderRules,
  removeRules,
  targetHealth,
  writeWeights,
} from '../../lambdas/aws/elbv2';
import { WeightsInvariantError } from '../../lambdas/aws/engine-errors';

const elb = mockClient(ElasticLoadBalancingV2Client);
const client = new ElasticLoadBalancingV2Client({});
const LISTENER = 'arn:listener/app/lb/1/2';
const targets = {
  replacement: { arn: 'arn:tg/green', fullName: 'targetgroup/green/2', name: 'green' },
  original: { arn: 'arn:tg/blue', fullName: 'targetgroup/blue/1', name: 'blue' },
};
const header = { name: 'X-Canary', value: 'always' };
const headerRule = (arn: string, priority: string, forward: Array<[string, number]> = [['arn:tg/green', 1]]) => ({
  RuleArn: arn,
  Priority: priority,
  Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-canary', Values: ['always'] } }],
  Actions: [
    { Type: 'forward' as const, ForwardConfig: { TargetGroups: forward.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } },
  ],
});
const listenerWith = (forwardConfig: object) => ({ Listeners: [{ DefaultActions: [{ Type: 'forward' as const, ...forwardConfig }] }] });

afterEach(() => elb.reset());

describe('elbv2 adapter', () => {
  describe('readWeights', () => {
    it.each([
      [
        'a weighted forward',
        {
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: 'arn:tg/blue', Weight: 95 },
              { TargetGroupArn: 'arn:tg/green', Weight: 5 },
            ],
          },
        },
        { original: 95, replacement: 5 },
      ],
      [
        'relative weights',
        {
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: 'arn:tg/blue', Weight: 3 },
              { TargetGroupArn: 'arn:tg/green', Weight: 1 },
            ],
          },
        },
        { original: 75, replacement: 25 },
      ],
      ['a plain forward to one group', { TargetGroupArn: 'arn:tg/green' }, { original: 0, replacement: 100 }],
    ])('reads %s', async (_name, action, expected) => {
      elb.on(DescribeListenersCommand).resolves({ Listeners: [{ DefaultActions: [{ Type: 'forward', ...action }] }] });
      await expect(readWeights(client, LISTENER, targets)).resolves.toEqual(expected);
    });

    it('refuses a listener forwarding to another target group', async () => {
      elb.on(DescribeListenersCommand).resolves({ Listeners: [{ DefaultActions: [{ Type: 'forward', TargetGroupArn: 'arn:tg/other' }] }] });
      await expect(readWeights(client, LISTENER, targets)).rejects.toBeInstanceOf(WeightsInvariantError);
    });
  });

  describe('writeWeights', () => {
    it('writes a weighted forward naming only the two target groups', async () => {
      elb.on(DescribeListenersCommand).resolves(
        listenerWith({
          ForwardConfig: {
            TargetGroups: [{ TargetGroupArn: 'arn:tg/blue', Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        }),
      );
      elb.on(ModifyListenerCommand).resolves({});
      await writeWeights(client, LISTENER, targets, { original: 75, replacement: 25 });
      expect(elb.commandCalls(ModifyListenerCommand)[0].args[0].input).toEqual({
        ListenerArn: LISTENER,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: 'arn:tg/blue', Weight: 75 },
                { TargetGroupArn: 'arn:tg/green', Weight: 25 },
              ],
            },
          },
        ],
      });
    });

    it("keeps the listener's target-group stickiness in the forward it writes", async () => {
      const stickiness = { Enabled: true, DurationSeconds: 3600 };
      elb.on(DescribeListenersCommand).resolves(
        listenerWith({
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: 'arn:tg/blue', Weight: 95 },
              { TargetGroupArn: 'arn:tg/green', Weight: 5 },
            ],
            TargetGroupStickinessConfig: stickiness,
          },
        }),
      );
      elb.on(ModifyListenerCommand).resolves({});
      await writeWeights(client, LISTENER, targets, { original: 75, replacement: 25 });
      expect(
        elb.commandCalls(ModifyListenerCommand)[0].args[0].input.DefaultActions![0].ForwardConfig?.TargetGroupStickinessConfig,
      ).toEqual(stickiness);
    });

    it.each([
      ['a shift fails, so the stickiness is never silently lost', { original: 75, replacement: 25 }, 0],
      ['the restore is written all the same', { original: 100, replacement: 0 }, 1],
    ])('when the listener cannot be read, %s', async (_name, weights, writes) => {
      elb.on(DescribeListenersCommand).rejects(new Error('Rate exceeded'));
      elb.on(ModifyListenerCommand).resolves({});
      const call = writeWeights(client, LISTENER, targets, weights);
      await (writes === 0 ? expect(call).rejects.toThrow('Rate exceeded') : expect(call).resolves.toBeUndefined());
      expect(elb.commandCalls(ModifyListenerCommand)).toHaveLength(writes);
    });

    it.each([[{ original: 90, replacement: 5 }], [{ original: 97.5, replacement: 2.5 }], [{ original: 110, replacement: -10 }]])(
      'refuses %j without calling AWS',
      async (weights) => {
        await expect(writeWeights(client, LISTENER, targets, weights)).rejects.toBeInstanceOf(WeightsInvariantError);
        expect(elb.commandCalls(ModifyListenerCommand)).toHaveLength(0);
      },
    );
  });

  describe('targetHealth', () => {
    it('counts healthy and unhealthy targets, not initial or draining ones', async () => {
      elb.on(DescribeTargetHealthCommand).resolves({
        TargetHealthDescriptions: [
          { TargetHealth: { State: 'healthy' } },
          { TargetHealth: { State: 'unhealthy' } },
          { TargetHealth: { State: 'initial' } },
          { TargetHealth: { State: 'healthy' } },
        ],
      });
      await expect(targetHealth(client, 'arn:tg/green')).resolves.toEqual({ healthy: 2, unhealthy: 1 });
    });
  });

  describe('header rule', () => {
    it('creates the rule at the highest free precedence, forwarding to the replacement', async () => {
      elb.on(DescribeRulesCommand).resolves({
        Rules: [
          { RuleArn: 'r-default', Priority: 'default' },
          { RuleArn: 'r-1', Priority: '1' },
          { RuleArn: 'r-3', Priority: '3' },
        ],
      });
      elb.on(CreateRuleCommand).resolves({});
      await expect(ensureHeaderRule(client, LISTENER, header, 'arn:tg/green')).resolves.toBe('created');
      expect(elb.commandCalls(CreateRuleCommand)[0].args[0].input).toMatchObject({
        Priority: 2,
        Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['always'] } }],
        Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'arn:tg/green', Weight: 1 }] } }],
      });
    });

    it('keeps an existing rule (duplicate tick)', async () => {
      elb.on(DescribeRulesCommand).resolves({ Rules: [headerRule('r-h', '1')] });
      await expect(ensureHeaderRule(client, LISTENER, header, 'arn:tg/green')).resolves.toBe('present');
      expect(elb.commandCalls(CreateRuleCommand)).toHaveLength(0);
    });

    it('keeps a rule CodeDeploy rewrote to {replacement 100, original 0}', async () => {
      elb.on(DescribeRulesCommand).resolves({
        Rules: [
          headerRule('r-h', '1', [
            ['arn:tg/green', 100],
            ['arn:tg/blue', 0],
          ]),
        ],
      });
      await expect(ensureHeaderRule(client, LISTENER, header, 'arn:tg/green')).resolves.toBe('present');
      expect(elb.commandCalls(DeleteRuleCommand)).toHaveLength(0);
    });

    it('replaces a header rule CodeDeploy moved to the original (left by an earlier deployment), reusing its precedence', async () => {
      elb.on(DescribeRulesCommand).resolves({
        Rules: [
          headerRule('r-stale', '1', [
            ['arn:tg/blue', 100],
            ['arn:tg/green', 0],
          ]),
          { RuleArn: 'r-2', Priority: '2' },
        ],
      });
      elb.on(DeleteRuleCommand).resolves({});
      elb.on(CreateRuleCommand).resolves({});
      await expect(ensureHeaderRule(client, LISTENER, header, 'arn:tg/green')).resolves.toBe('replaced');
      expect(elb.commandCalls(DeleteRuleCommand).map((c) => c.args[0].input.RuleArn)).toEqual(['r-stale']);
      expect(elb.commandCalls(CreateRuleCommand)[0].args[0].input).toMatchObject({
        Priority: 1,
        Actions: [{ ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'arn:tg/green', Weight: 1 }] } }],
      });
    });

    it('removes every header rule across pages and nothing else', async () => {
      elb
        .on(DescribeRulesCommand, { ListenerArn: LISTENER, Marker: undefined })
        .resolves({ Rules: [headerRule('r-h1', '1'), { RuleArn: 'r-other', Priority: '2' }], NextMarker: 'm' });
      elb.on(DescribeRulesCommand, { ListenerArn: LISTENER, Marker: 'm' }).resolves({ Rules: [headerRule('r-h2', '5')] });
      elb.on(DeleteRuleCommand).resolves({});
      await expect(removeHeaderRules(client, LISTENER, header)).resolves.toBe(2);
      expect(elb.commandCalls(DeleteRuleCommand).map((c) => c.args[0].input.RuleArn)).toEqual(['r-h1', 'r-h2']);
    });
  });

  describe('cookie rule', () => {
    const cookie = { name: 'canary', value: 'always' };
    const cookieRule = (arn: string, priority: string, forward: Array<[string, number]> = [['arn:tg/green', 1]]) => ({
      RuleArn: arn,
      Priority: priority,
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'cookie', Values: ['*canary=always*'] } }],
      Actions: [
        {
          Type: 'forward' as const,
          ForwardConfig: { TargetGroups: forward.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) },
        },
      ],
    });

    it('matches the Cookie header with *name=value* (ALB has no cookie condition)', () => {
      expect(cookieMatch(cookie)).toEqual({ headerName: 'Cookie', values: ['*canary=always*'] });
      expect(canaryMatches({ canaryHeader: header, canaryCookie: cookie }).map((m) => m.headerName)).toEqual(['X-Canary', 'Cookie']);
      expect(canaryMatches({})).toEqual([]);
    });

    it('creates the cookie rule beside a header rule, at the next free precedence', async () => {
      elb.on(DescribeRulesCommand).resolves({ Rules: [headerRule('r-h', '1'), { RuleArn: 'r-default', Priority: 'default' }] });
      elb.on(CreateRuleCommand).resolves({});
      await expect(ensureRule(client, LISTENER, cookieMatch(cookie), 'arn:tg/green')).resolves.toBe('created');
      expect(elb.commandCalls(CreateRuleCommand)[0].args[0].input).toMatchObject({
        Priority: 2,
        Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'Cookie', Values: ['*canary=always*'] } }],
        Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'arn:tg/green', Weight: 1 }] } }],
      });
    });

    it('does not take the header rule for the cookie rule, nor the cookie rule for the header rule', async () => {
      elb.on(DescribeRulesCommand).resolves({ Rules: [cookieRule('r-c', '1')] });
      elb.on(CreateRuleCommand).resolves({});
      await expect(ensureHeaderRule(client, LISTENER, header, 'arn:tg/green')).resolves.toBe('created');
      elb.reset();
      elb.on(DescribeRulesCommand).resolves({ Rules: [headerRule('r-h', '1')] });
      elb.on(CreateRuleCommand).resolves({});
      await expect(ensureRule(client, LISTENER, cookieMatch(cookie), 'arn:tg/green')).resolves.toBe('created');
    });

    it('replaces a cookie rule CodeDeploy moved to the original', async () => {
      elb.on(DescribeRulesCommand).resolves({
        Rules: [
          cookieRule('r-stale', '3', [
            ['arn:tg/blue', 100],
            ['arn:tg/green', 0],
          ]),
        ],
      });
      elb.on(DeleteRuleCommand).resolves({});
      elb.on(CreateRuleCommand).resolves({});
      await expect(ensureRule(client, LISTENER, cookieMatch(cookie), 'arn:tg/green')).resolves.toBe('replaced');
      expect(elb.commandCalls(DeleteRuleCommand).map((c) => c.args[0].input.RuleArn)).toEqual(['r-stale']);
      expect(elb.commandCalls(CreateRuleCommand)[0].args[0].input).toMatchObject({ Priority: 1 });
    });

    it('removes header and cookie rules in one pass, and calls nothing when neither is configured', async () => {
      elb
        .on(DescribeRulesCommand)
        .resolves({ Rules: [headerRule('r-h', '1'), cookieRule('r-c', '2'), { RuleArn: 'r-other', Priority: '3' }] });
      elb.on(DeleteRuleCommand).resolves({});
      await expect(removeRules(client, LISTENER, canaryMatches({ canaryHeader: header, canaryCookie: cookie }))).resolves.toBe(2);
      expect(elb.commandCalls(DeleteRuleCommand).map((c) => c.args[0].input.RuleArn)).toEqual(['r-h', 'r-c']);
      elb.reset();
      await expect(removeRules(client, LISTENER, [])).resolves.toBe(0);
      expect(elb.calls()).toHaveLength(0);
    });
  });
});
