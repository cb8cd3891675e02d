/**
 * End to end with canary routing by header or cookie: both rules are created at the first shift,
 * route what ALB would route (the `Cookie` header compared with `*name=value*`, case-insensitively),
 * are moved by CodeDeploy like any rule forwarding to its target groups, and are gone on every
 * path — before CodeDeploy's final shift on a release, before the restore on a rollback.
 */
import { forwardWeights } from '../support';
import { headerValueMatches } from '../support/http';
import { EngineWorld, type EngineWorldOptions } from './support/engine-world';

const MINUTE = 60_000;
const HEADER = { name: 'X-Canary', value: 'always' };
const COOKIE = { name: 'canary', value: 'always' };
let env: EngineWorld;
afterEach(() => env?.restore());

function start(options: EngineWorldOptions = {}) {
  env = new EngineWorld({ totalRps: 50, ...options, spec: { canaryHeader: HEADER, canaryCookie: COOKIE, ...options.spec } });
  return env;
}

const production = () => env.world.elbv2.listener(env.service.metadata.productionListenerArn);
const url = () => `http://${env.service.metadata.loadBalancerDnsName}:80/`;
/** Which version answers a request: the replacement's image answers 299. */
async function answeredBy(headers: Record<string, string>): Promise<'replacement' | 'original'> {
  env.world.http.responder = ({ image }) => (image === 'svc:next' ? 299 : 200);
  const { status } = await env.world.http.get(url(), 1000, headers);
  return status === 299 ? 'replacement' : 'original';
}

function expectSafeEnd() {
  expect(env.violations).toEqual([]);
  expect(env.invariants()).toEqual([]);
  expect(production().rules).toEqual([]);
  if (env.deployment.status !== 'Succeeded') expect(env.replacementPercent()).toBe(0);
}

describe('the fake ALB compares header values as ALB does', () => {
  it.each([
    ['*canary=always*', 'canary=always', true],
    ['*canary=always*', 'a=1; canary=always; b=2', true],
    ['*canary=always*', 'CANARY=Always', true],
    ['*canary=always*', 'canary=never', false],
    ['always', 'always', true],
    ['alw?ys', 'always', true],
    ['a.b', 'axb', false],
  ])('%s against %s: %s', (pattern, value, matches) => {
    expect(headerValueMatches(pattern, value)).toBe(matches);
  });
});

describe('canary routing by header or cookie end to end', () => {
  it('routes the header and the cookie to the replacement from the first shift, then removes both on a rollback', async () => {
    start({ regression: { kind: 'errors', deltaPp: 5 } }).deploy();
    await env.world.clock.advanceUntil(() => production().rules.length === 2 && env.replacementPercent() === 5, 60 * MINUTE, 10_000);
    const replacement = env.deployment.replacementTargetGroupArn;
    expect(production().rules.map((r) => [r.conditions[0].HttpHeaderConfig, forwardWeights(r.actions)])).toEqual([
      [{ HttpHeaderName: 'X-Canary', Values: ['always'] }, { [replacement]: 1 }],
      [{ HttpHeaderName: 'Cookie', Values: ['*canary=always*'] }, { [replacement]: 1 }],
    ]);
    expect(await answeredBy({ 'X-Canary': 'always' })).toBe('replacement');
    expect(await answeredBy({ Cookie: 'canary=always' })).toBe('replacement');
    expect(await answeredBy({ Cookie: 'session=abc; canary=always; theme=dark' })).toBe('replacement');
    // Another value takes the weighted default (5% replacement), not the rule (100% replacement).
    const plain = await Promise.all(Array.from({ length: 20 }, () => answeredBy({ Cookie: 'canary=never' })));
    expect(plain).toContain('original');
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Failed');
    expectSafeEnd();
    expect(await answeredBy({ Cookie: 'canary=always' })).toBe('original');
  });

  it("removes both rules before CodeDeploy's final shift on a clean release, so CodeDeploy moves none", async () => {
    start().deploy();
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    const allowTraffic = env.world.elbv2.writes.find(
      (w) =>
        w.actor === 'codedeploy' &&
        w.listenerArn === env.service.metadata.productionListenerArn &&
        (w.forward[env.deployment.replacementTargetGroupArn] ?? 0) === 100,
    )!;
    const deletions = env.world.elbv2.writes.filter((w) => w.actor === 'client' && w.operation === 'DeleteRule');
    expect(deletions).toHaveLength(2);
    for (const deletion of deletions) expect(deletion.seq).toBeLessThan(allowTraffic.seq);
    expect(env.world.elbv2.writes.filter((w) => w.actor === 'codedeploy' && w.operation === 'ModifyRule')).toEqual([]);
    expectSafeEnd();
  });

  it('replaces a cookie rule that CodeDeploy moved to the original in an earlier rollback', async () => {
    start({ spec: { canaryHeader: undefined } });
    const { blue, green } = env.service;
    // The listener as an earlier deployment left it (set up in the fake, not written by the code under test).
    production().rules.push({
      ruleArn: `${production().defaultRuleArn.replace(/\/[^/]+$/, '')}/stale`,
      priority: 1,
      conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'Cookie', Values: ['*canary=always*'] } }],
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
    expect(await answeredBy({ Cookie: 'canary=always' })).toBe('replacement');
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    expectSafeEnd();
  });

  it('removes both rules when a rollback alarm stops the deployment mid-bake', async () => {
    start().deploy();
    await env.world.clock.advanceUntil(() => production().rules.length === 2 && env.replacementPercent() === 5, 60 * MINUTE, 10_000);
    expect(production().rules).toHaveLength(2);
    env.world.cloudwatch.setAlarm('svc-5xx', 'ALARM');
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Stopped');
    expectSafeEnd();
  });
});
