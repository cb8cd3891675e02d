/**
 * End to end with the canary-header rule, under what CodeDeploy does to listener rules (it moves
 * every rule forwarding to its target groups at AllowTraffic and on rollback) and with a production
 * listener that has target-group stickiness. Every scenario ends with every invariant clean —
 * rules included — and no header rule left.
 */
import { CodeDeployClient, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import type { TargetGroupStickinessConfig } from '@aws-sdk/client-elastic-load-balancing-v2';

import { forwardWeights } from '../support';
import { EngineWorld, type EngineWorldOptions } from './support/engine-world';

const MINUTE = 60_000;
const HEADER = { name: 'X-Canary', value: 'always' };
let env: EngineWorld;
afterEach(() => env?.restore());

function start(options: EngineWorldOptions = {}) {
  env = new EngineWorld({ totalRps: 50, ...options, spec: { canaryHeader: HEADER, ...options.spec } });
  return env;
}

const production = () => env.world.elbv2.listener(env.service.metadata.productionListenerArn);
const clientRuleWrites = () => env.world.elbv2.writes.filter((w) => w.actor === 'client' && w.ruleArn !== undefined);

function expectSafeEnd() {
  expect(env.violations).toEqual([]);
  expect(env.invariants()).toEqual([]);
  expect(production().rules).toEqual([]);
  if (env.deployment.status !== 'Succeeded') expect(env.replacementPercent()).toBe(0);
}

describe('canary header rule end to end', () => {
  it.each([
    ['+5 pp errors at 5%', { regression: { kind: 'errors' as const, deltaPp: 5 } }, undefined, 'Failed'],
    ['a regression that starts only at 25%', { regression: { kind: 'errors' as const, deltaPp: 5, minWeight: 25 } }, undefined, 'Failed'],
    ['a rollback alarm mid-bake', {}, async () => env.world.cloudwatch.setAlarm('svc-5xx', 'ALARM'), 'Stopped'],
    [
      'on-call stopping it with rollback',
      {},
      async () => {
        await new CodeDeployClient({}).send(new StopDeploymentCommand({ deploymentId: env.deployment.id, autoRollbackEnabled: true }));
      },
      'Stopped',
    ],
  ])('is gone and nothing forwards to the replacement after %s', async (_name, options, act, status) => {
    start(options).deploy();
    await env.world.clock.advanceUntil(() => production().rules.length === 1 && env.replacementPercent() === 5, 60 * MINUTE, 10_000);
    expect(forwardWeights(production().rules[0].actions)).toEqual({ [env.deployment.replacementTargetGroupArn]: 1 });
    await act?.();
    await env.runToCompletion();
    expect(env.deployment.status).toBe(status);
    expectSafeEnd();
  });

  it("is gone before CodeDeploy's final shift, so a rollback in the post-traffic bake has no rule to move", async () => {
    start({ regression: { kind: 'errors', deltaPp: 5, minWeight: 100 } }).deploy();
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Failed');
    const allowTraffic = env.world.elbv2.writes.find(
      (w) =>
        w.actor === 'codedeploy' &&
        w.listenerArn === env.service.metadata.productionListenerArn &&
        (w.forward[env.deployment.replacementTargetGroupArn] ?? 0) === 100,
    )!;
    const deletion = clientRuleWrites().find((w) => w.operation === 'DeleteRule')!;
    expect(deletion.seq).toBeLessThan(allowTraffic.seq);
    expect(env.world.elbv2.writes.filter((w) => w.actor === 'codedeploy' && w.operation === 'ModifyRule')).toEqual([]);
    expectSafeEnd();
  });

  it('replaces a header rule that CodeDeploy moved to the original in an earlier rollback, and succeeds', async () => {
    start();
    const { blue, green } = env.service;
    // The listener as an earlier deployment left it (set up in the fake, not written by the code under test).
    production().rules.push({
      ruleArn: `${production().defaultRuleArn.replace(/\/[^/]+$/, '')}/stale`,
      priority: 1,
      conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: HEADER.name, Values: [HEADER.value] } }],
      actions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: blue.arn, Weight: 100 },
              { TargetGroupArn: green.arn, Weight: 0 },
            ],
          },
        },
      ],
    });
    env.deploy();
    await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, 60 * MINUTE, 10_000);
    expect(production().rules.map((r) => forwardWeights(r.actions))).toEqual([{ [env.deployment.replacementTargetGroupArn]: 1 }]);
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    expect(clientRuleWrites().map((w) => [w.operation, w.forward])).toEqual([
      ['DeleteRule', { [blue.arn]: 100, [green.arn]: 0 }],
      ['CreateRule', { [green.arn]: 1 }],
      ['DeleteRule', { [green.arn]: 1 }],
    ]);
    expectSafeEnd();
  });

  describe('with target-group stickiness on the production listener', () => {
    it.each([
      ['a clean release', {}, 'Succeeded', [5, 25, 50]],
      ['a rollback at 5%', { regression: { kind: 'errors' as const, deltaPp: 5 } }, 'Failed', [5, 0]],
    ])('keeps it on every weight the engine writes in %s', async (_name, options, status, weights) => {
      start(options);
      const stickiness: TargetGroupStickinessConfig = { Enabled: true, DurationSeconds: 600 };
      production().defaultActions = [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: env.service.blue.arn, Weight: 1 }], TargetGroupStickinessConfig: stickiness },
        },
      ];
      const written: Array<[number, TargetGroupStickinessConfig | undefined]> = [];
      env.world.elbv2.onWrite((w) => {
        if (w.actor !== 'client' || w.operation !== 'ModifyListener' || w.listenerArn !== env.service.metadata.productionListenerArn)
          return;
        written.push([
          w.forward[env.deployment.replacementTargetGroupArn] ?? 0,
          production().defaultActions[0].ForwardConfig?.TargetGroupStickinessConfig,
        ]);
      });
      env.deploy();
      await env.runToCompletion();
      expect(env.deployment.status).toBe(status);
      expect(written).toEqual(weights.map((w) => [w, stickiness]));
      expectSafeEnd();
    });
  });
});
