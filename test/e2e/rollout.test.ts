/**
 * End-to-end scenarios: the engine's real handlers and state machine over the
 * stateful fake of AWS and sim traffic, on a fake clock. After every tick (and guard run) the
 * safety invariants and the audit chain are checked; every scenario ends with them clean.
 */
import { CodeDeployClient, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { EngineWorld, type EngineWorldOptions } from './support/engine-world';

const MINUTE = 60_000;
let env: EngineWorld;
afterEach(() => env?.restore());

/** Production writes by the engine, as the replacement's percentage. */
/** The engine's writes of the production listener (the guard also puts the test listener back after a failure). */
const shifts = () =>
  env.world.elbv2.writes
    .filter((w) => w.actor === 'client' && w.operation === 'ModifyListener' && w.listenerArn === env.service.metadata.productionListenerArn)
    .map((w) => w.forward[env.deployment.replacementTargetGroupArn] ?? 0);
const failedReason = () =>
  env
    .auditRecords()
    .filter((r) => r.action?.startsWith('restore 100% to the original and report Failed'))
    .map((r) => r.reason)
    .join(' | ');

function start(options: EngineWorldOptions = {}) {
  env = new EngineWorld(options);
  return env.deploy();
}

/** Every scenario ends with the original serving 100% (unless it succeeded), and nothing violated. */
function expectSafeEnd() {
  expect(env.violations).toEqual([]);
  expect(env.invariants()).toEqual([]);
  if (env.deployment.status !== 'Succeeded') expect(env.replacementPercent()).toBe(0);
}

describe('rollout engine end to end', () => {
  describe('clean release', () => {
    it('reaches 100% through 5/25/50 and succeeds', async () => {
      start({ totalRps: 50 });
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Succeeded');
      expect(shifts()).toEqual([5, 25, 50]);
      expectSafeEnd();
    });
  });

  describe('regressions', () => {
    it.each([
      ['+5 pp errors at 5%', { kind: 'errors' as const, deltaPp: 5 }, [5, 0]],
      ['a regression that starts only at 25%', { kind: 'errors' as const, deltaPp: 5, minWeight: 25 }, [5, 25, 0]],
      ['a latency regression', { kind: 'latency' as const, extraMs: 2000, share: 0.3 }, [5, 0]],
    ])('rolls back %s and restores the original', async (_name, regression, expected) => {
      start({ totalRps: 50, regression });
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Failed');
      expect(shifts()).toEqual(expected);
      expect(failedReason()).toMatch(/rollback/);
      expectSafeEnd();
    });

    it('rolls back a replacement that starts crash-looping after the first shift', async () => {
      const id = start({ totalRps: 50 });
      await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, 60 * MINUTE, 1000);
      env.world.setReplacementHealth(id, 'unhealthy');
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Failed');
      expect(shifts()).toEqual([5, 0]);
      expect(failedReason()).toMatch(/healthy/);
      expectSafeEnd();
    });
  });

  describe('stops', () => {
    it('restores the original when a rollback alarm stops the deployment mid-bake', async () => {
      start({ totalRps: 50 });
      await env.world.clock.advanceUntil(() => env.replacementPercent() === 25, 60 * MINUTE, 10_000);
      env.world.cloudwatch.setAlarm('svc-5xx', 'ALARM');
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Stopped');
      expect(env.auditRecords().some((r) => r.actor === 'guard')).toBe(true);
      expectSafeEnd();
    });

    it('restores the original when on-call stops the deployment mid-bake', async () => {
      const id = start({ totalRps: 50 });
      await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, 60 * MINUTE, 10_000);
      await env.world.clock.advance(2 * MINUTE);
      await new CodeDeployClient({}).send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Stopped');
      const guardRecord = env.auditRecords().find((r) => r.actor === 'guard');
      expect(guardRecord?.reason).toMatch(
        /stopped \(STOP\) by a StopDeployment from outside the engine \(no rollback alarm in ALARM, no canary rollback recorded\)/,
      );
      // The judge's newest decision at that moment, with its figures.
      expect(guardRecord?.figures).toMatchObject({
        event: 'STOP',
        alarms: [],
        judge: { verdict: expect.any(String), figures: expect.any(Object) },
      });
      expectSafeEnd();
    });

    it('acts on an operator abort from the control record, naming who', async () => {
      const id = start({ totalRps: 50 });
      await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, 60 * MINUTE, 10_000);
      // The control parameter canary rollback writes (operators do not write the audit table).
      env.world.ssm.putParameter({
        Name: env.runtime.env.controlParameter!,
        Value: JSON.stringify({
          deploymentId: id,
          command: 'abort',
          requestedBy: 'alice',
          callerArn: 'arn:aws:sts::123456789012:assumed-role/oncall/alice',
          reason: 'customer reports',
          at: new Date().toISOString(),
          requestId: 'r-1',
        }),
        Overwrite: true,
      });
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Failed');
      expect(failedReason()).toBe('aborted by alice: customer reports');
      expect(env.auditRecords().find((r) => r.verdict === 'abort')?.figures).toMatchObject({
        callerArn: 'arn:aws:sts::123456789012:assumed-role/oncall/alice',
        requestId: 'r-1',
      });
      expectSafeEnd();
    });
  });

  describe('evidence', () => {
    it('survives CloudWatch throttling: no evidence, never a pass, and still succeeds', async () => {
      start({ totalRps: 50 });
      await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, 60 * MINUTE, 10_000);
      env.world.cloudwatch.throttleNext(12);
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Succeeded');
      expect(env.auditRecords().filter((r) => /no evidence this tick/.test(r.reason)).length).toBeGreaterThanOrEqual(3);
      expect(env.auditRecords().some((r) => /holding at 5%: no evidence/.test(r.reason))).toBe(true);
      expectSafeEnd();
    }, 60_000);

    it('ships a clean release of a quiet service (0.5 rps): the rollout reaches minRequests before 100%', async () => {
      start({ totalRps: 0.5 });
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Succeeded');
      expect(shifts()).toEqual([5, 25, 50]);
      expectSafeEnd();
    });

    it('fails a service too quiet to judge (0.05 rps) with "insufficient evidence" and a hint, production on the original', async () => {
      start({ totalRps: 0.05 });
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Failed');
      expect(failedReason()).toMatch(/insufficient evidence/);
      expect(failedReason()).toMatch(
        /Hint: at 5% the canary gets about 0\.\d+ requests a minute and every bake minute needs one, so it needs a weight of at least \d+% for this step; longer bakes and a lower minRequests do not help/,
      );
      expectSafeEnd();
    });
  });

  describe('CodeDeploy behaviour', () => {
    it('rolls back in the post-traffic bake when the regression shows only at 100%', async () => {
      start({ totalRps: 50, regression: { kind: 'errors', deltaPp: 5, minWeight: 100 } });
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Failed');
      expect(env.auditRecords().find((r) => r.verdict === 'rollback')?.hook).toBe('AfterAllowTraffic');
      expectSafeEnd();
    });

    it('is harmless when a hook is delivered twice', async () => {
      const id = start({ totalRps: 50 });
      await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, 60 * MINUTE, 10_000);
      env.world.codedeploy.redeliverHook(id, 'AfterAllowTestTraffic');
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Succeeded');
      expect(env.world.sfn.executions.size).toBe(3);
      expect(shifts()).toEqual([5, 25, 50]);
      expectSafeEnd();
    });

    it('restores and fails before the one-hour hook deadline when paused too long', async () => {
      const id = start({ totalRps: 50 });
      await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, 60 * MINUTE, 10_000);
      env.world.ssm.putParameter({
        Name: env.runtime.env.controlParameter!,
        Value: JSON.stringify({ deploymentId: id, command: 'pause', requestedBy: 'bob', at: new Date().toISOString(), requestId: 'p-1' }),
        Overwrite: true,
      });
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Failed');
      expect(failedReason()).toMatch(/hook deadline/);
      expect(env.deployment.errorInformation?.code).not.toBe('TIMEOUT');
      expectSafeEnd();
    });

    it('fails before any production traffic when the freeze switch is set', async () => {
      env = new EngineWorld({ totalRps: 50 });
      await new SSMClient({}).send(
        new PutParameterCommand({
          Name: env.service.metadata.freezeParameterName,
          Value: JSON.stringify({ frozen: true, reason: 'incident 42', by: 'carol', at: '2026-01-05T09:00:00Z' }),
          Overwrite: true,
        }),
      );
      env.deploy();
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Failed');
      expect(shifts().filter((w) => w > 0)).toEqual([]);
      expect(failedReason()).toMatch(/frozen by carol .*incident 42/);
      expectSafeEnd();
    });
  });

  describe('freeze during a rollout', () => {
    it.each([
      ['at 25%', (w: number) => w === 25],
      ['in the post-traffic bake', (w: number) => w === 100],
    ])('returns production to the original and fails "frozen by <who>: <reason>" when set %s', async (_name, reached) => {
      start({ totalRps: 50 });
      await env.world.clock.advanceUntil(() => reached(env.replacementPercent()), 120 * MINUTE, 10_000);
      await new SSMClient({}).send(
        new PutParameterCommand({
          Name: env.service.metadata.freezeParameterName,
          Value: JSON.stringify({ frozen: true, reason: 'incident 43', by: 'dave', at: '2026-01-05T11:00:00Z' }),
          Overwrite: true,
        }),
      );
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Failed');
      expect(failedReason()).toMatch(/frozen by dave: incident 43/);
      expectSafeEnd();
    });
  });

  describe('the harness', () => {
    it('would catch a violation: a foreign write of weights that do not sum to 100', async () => {
      start({ totalRps: 50 });
      await env.world.clock.advanceUntil(() => env.replacementPercent() === 5, 60 * MINUTE, 10_000);
      const { ElasticLoadBalancingV2Client, ModifyListenerCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
      await new ElasticLoadBalancingV2Client({}).send(
        new ModifyListenerCommand({
          ListenerArn: env.service.metadata.productionListenerArn,
          DefaultActions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: env.deployment.originalTargetGroupArn, Weight: 90 },
                  { TargetGroupArn: env.deployment.replacementTargetGroupArn, Weight: 5 },
                ],
              },
            },
          ],
        }),
      );
      expect(env.invariants().map((v) => v.invariant)).toContain(2);
    });
  });

  describe('canary header rule', () => {
    it('is present during the rollout and gone after it', async () => {
      start({ totalRps: 50, spec: { canaryHeader: { name: 'X-Canary', value: 'always' } } });
      const listener = () => env.world.elbv2.listener(env.service.metadata.productionListenerArn);
      await env.world.clock.advanceUntil(() => env.replacementPercent() === 25, 60 * MINUTE, 10_000);
      expect(listener().rules.length).toBe(1);
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Succeeded');
      expect(listener().rules).toEqual([]);
      expectSafeEnd();
    });
  });
});
