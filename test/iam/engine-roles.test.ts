/**
 * Issue 13 item 2: every AWS call the rollout engine and the cdk-deploy resource make in a
 * representative set of end-to-end scenarios (the real handlers over the fake AWS), simulated with
 * @cloud-copilot/iam-simulate against the role of the function that made it, as the synthesized
 * service stack defines it. A denied call fails naming function, action, resource and the
 * simulator's reason; so does a grant no call needs (unless UNUSED_ALLOWED says why it is kept).
 * The scenarios run here, in one jest worker, because the record lives in this process.
 */
import { compilePlan } from '../../lambdas/core/rollout-plan';
import { ORDERS, publishOrders } from '../e2e/support/kpi';
import { functionName, renderAppSpec } from '../support';
import { type Verdict, verdict } from './check';
import { GUARD, IamWorld } from './harness';
import type { Principal } from './simulate';
import { synthesize, type SynthesizedStacks } from './template';

const MINUTE = 60_000;
const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/svc:2.0.0';
const HEADER = { name: 'X-Canary', value: 'always' } as const;
const SMOKE = [{ path: '/health', expectStatus: 200 }];
/** One step (AfterAllowTestTraffic) and a one-minute post-traffic bake: BeforeAllowTraffic has no work. */
const SHORT_PLAN = { steps: [{ weight: 10, bakeMinutes: 5 }], holdLimitMinutes: 2, postTrafficBakeMinutes: 1 };

jest.setTimeout(600_000);

interface Outcome {
  readonly name: string;
  readonly status: string;
  readonly violations: number;
  readonly note?: string;
}

describe('IAM: the engine and the cdk-deploy resource against their synthesized roles', () => {
  let demo: SynthesizedStacks;
  let waitStack: SynthesizedStacks;
  const worlds: IamWorld[] = [];
  const outcomes: Outcome[] = [];
  let result: Verdict;

  async function scenario(
    name: string,
    synth: SynthesizedStacks,
    options: ConstructorParameters<typeof IamWorld>[1],
    run: (w: IamWorld) => Promise<string | void>,
  ) {
    const w = new IamWorld(synth, options);
    try {
      const note = await run(w);
      outcomes.push({
        name,
        status: w.env.deployment.status,
        violations: w.env.violations.length + w.env.invariants().length,
        ...(note ? { note } : {}),
      });
    } finally {
      w.restore();
    }
    worlds.push(w);
  }

  beforeAll(async () => {
    demo = synthesize('svc');
    waitStack = synthesize('svc', { deployOnCdkDeploy: 'wait', rollout: SHORT_PLAN } as never);
    const spec = { canaryHeader: HEADER, smokeChecks: SMOKE };

    await scenario('clean rollout, header rule, smoke checks on the replacement targets', demo, { totalRps: 50, spec }, async (w) => {
      w.env.deploy();
      await w.env.runToCompletion();
    });
    await scenario(
      'rollback of a +5 pp regression',
      demo,
      { totalRps: 50, regression: { kind: 'errors', deltaPp: 5 }, spec },
      async (w) => {
        w.env.deploy();
        await w.env.runToCompletion();
      },
    );
    await scenario(
      'guard restore: a rollback alarm stops the deployment at 25%; EventBridge delivers the STOP twice',
      demo,
      { totalRps: 50, spec },
      async (w) => {
        w.env.deploy();
        await w.world.clock.advanceUntil(() => w.env.replacementPercent() === 25, 90 * MINUTE, 10_000);
        w.world.cloudwatch.setAlarm(w.env.service.alarms[0], 'ALARM');
        await w.env.runToCompletion();
        const [first] = w.world.lambda.invocations.filter((i) => i.functionName === GUARD);
        // The guard waits (on the fake clock) before its re-check: run the clock while it does.
        const again = w.world.lambda.invoke(GUARD, first.event);
        await w.world.clock.advance(5 * MINUTE);
        await again;
      },
    );
    await scenario(
      'frozen while the replacement installs: AfterAllowTestTraffic fails before any traffic',
      demo,
      { totalRps: 50, spec },
      async (w) => {
        w.env.deploy();
        await w.world.clock.advance(30_000);
        w.world.ssm.putParameter({
          Name: w.env.service.metadata.freezeParameterName,
          Value: JSON.stringify({ frozen: true, reason: 'incident', by: 'oncall' }),
          Type: 'String',
          Overwrite: true,
        });
        await w.env.runToCompletion();
      },
    );
    await scenario(
      'frozen: the start check stops the deployment at its start, before any traffic',
      demo,
      { totalRps: 50, spec },
      async (w) => {
        w.world.ssm.putParameter({
          Name: w.env.service.metadata.freezeParameterName,
          Value: JSON.stringify({ frozen: true, reason: 'incident', by: 'oncall' }),
          Type: 'String',
          Overwrite: true,
        });
        w.env.deploy();
        await w.env.runToCompletion();
      },
    );
    await scenario(
      "a pipeline's deployment without the hooks: the start check stops it at its start",
      demo,
      { totalRps: 50, spec },
      async (w) => {
        const { metadata } = w.env.service;
        w.env.expectDeployment();
        // Created straight through CodeDeploy, as a pipeline would (not one of the engine's calls).
        const arn = w.registerRevision(IMAGE);
        w.world.codedeploy.createDeployment({
          applicationName: metadata.applicationName,
          deploymentGroupName: metadata.deploymentGroupName,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: renderAppSpec(metadata, arn, {}) } },
        });
        await w.env.runToCompletion();
      },
    );
    await scenario('cdk deploy (start) creates the deployment; the engine rolls it out', demo, { totalRps: 50, spec }, async (w) => {
      w.env.expectDeployment();
      const { error, result: started } = await w.cdkDeploy(w.registerRevision(IMAGE));
      if (error) throw error;
      await w.env.runToCompletion();
      return started?.Data?.Message;
    });
    const short = { ...spec, plan: compilePlan(SHORT_PLAN) };
    await scenario('cdk deploy (wait) follows a one-window rollout to success', waitStack, { totalRps: 50, spec: short }, async (w) => {
      w.env.expectDeployment();
      const { error } = await w.cdkDeploy(w.registerRevision(IMAGE));
      if (error) throw error;
      await w.world.clock.advance(3 * MINUTE);
    });
    await scenario(
      "cdk deploy (wait) fails with the judge's reason: the replacement crashes as BeforeAllowTraffic starts",
      waitStack,
      {
        totalRps: 50,
        spec: short,
        beforeInvoke: (fn, w) => {
          if (fn === w.env.service.metadata.hooks!.BeforeAllowTraffic) w.world.setReplacementHealth(w.env.deployment.id, 'unhealthy');
        },
      },
      async (w) => {
        w.env.expectDeployment();
        const { error } = await w.cdkDeploy(w.registerRevision(IMAGE));
        await w.world.clock.advance(3 * MINUTE);
        return error?.message;
      },
    );
    await scenario('cdk deploy (wait) stops the deployment when its own wait runs out', waitStack, { totalRps: 50, spec }, async (w) => {
      w.env.expectDeployment();
      const trigger = waitStack.stack.canaryService.cdkDeployTrigger!;
      // The construct's WAIT_LIMIT_MINUTES is 50; the default plan takes longer than a 5-minute limit.
      const handlers = ['OnEvent', 'IsComplete'].map((id) => trigger.node.findChild(id));
      const original = w.environment.bind(w);
      w.environment = (fn) => ({ ...original(fn), ...(handlers.includes(fn) ? { WAIT_LIMIT_MINUTES: '5' } : {}) });
      const { error } = await w.cdkDeploy(w.registerRevision(IMAGE));
      await w.env.runToCompletion();
      return error?.message;
    });
    await scenario(
      'AfterAllowTraffic cannot read its targets: it records why, reports Failed and notifies',
      demo,
      { totalRps: 50, spec },
      async (w) => {
        const hook = functionName(w.env.service.metadata.hooks!.AfterAllowTraffic);
        w.world.interceptor = async (call, answer) => {
          if (call.caller === hook && call.command === 'GetDeploymentTargetCommand')
            throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
          return answer();
        };
        w.env.deploy();
        await w.env.runToCompletion();
        return w.env.deployment.hookReports.map((r) => `${r.hook} ${r.status}`).join(', ');
      },
    );
    await scenario(
      'AfterAllowTraffic cannot start its execution: it restores the original, reports Failed and notifies',
      demo,
      { totalRps: 50, spec },
      async (w) => {
        const hook = functionName(w.env.service.metadata.hooks!.AfterAllowTraffic);
        w.world.interceptor = async (call, answer) => {
          if (call.caller === hook && call.command === 'StartExecutionCommand')
            throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
          return answer();
        };
        w.env.deploy();
        await w.env.runToCompletion();
        // The original is the group the engine's first shift left at 95%; a later engine write of 100% to it is the hook's restore.
        const engineWrites = w.world.elbv2.writes.filter((write) => write.operation === 'ModifyListener' && write.actor === 'client');
        const original = Object.entries(engineWrites[0]?.forward ?? {}).find(([, weight]) => weight === 95)?.[0];
        const restored = original !== undefined && engineWrites.some((write) => write.forward[original] === 100);
        return `${w.env.deployment.hookReports.map((r) => `${r.hook} ${r.status}`).join(', ')}; restored by the hook: ${restored}`;
      },
    );
    // Every attempt of one hook's invocation dies: Lambda sends the record to the hook-failure function.
    for (const hook of ['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const) {
      await scenario(
        `every attempt of the ${hook} invocation dies: the hook-failure function restores, answers Failed and notifies`,
        demo,
        {
          totalRps: 50,
          spec,
          beforeInvoke: (fn, w) => {
            if (fn === w.env.service.metadata.hooks![hook]) throw new Error('Runtime exited with error: signal: killed');
          },
        },
        async (w) => {
          w.env.deploy();
          await w.env.runToCompletion();
          return w.env.deployment.hookReports.map((r) => `${r.hook} ${r.status}`).join(', ');
        },
      );
    }
    await scenario(
      "rollback of a KPI that falls 20%: the tick reads each version's task definition (DescribeServices) and its metrics",
      synthesize('svc', { metrics: [ORDERS] } as never),
      { totalRps: 50, spec, metrics: [ORDERS] },
      async (w) => {
        publishOrders(w.env, 0.08);
        w.env.deploy();
        await w.env.runToCompletion();
      },
    );
    await scenario(
      "a pipeline's deployment without the hooks whose START and READY never arrive: the minute sweep stops it in its ready wait",
      demo,
      { totalRps: 50, spec, startCheckEvents: [], sweep: true },
      async (w) => {
        const { metadata } = w.env.service;
        w.env.expectDeployment();
        const arn = w.registerRevision(IMAGE);
        w.world.codedeploy.createDeployment({
          applicationName: metadata.applicationName,
          deploymentGroupName: metadata.deploymentGroupName,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: renderAppSpec(metadata, arn, {}) } },
        });
        await w.env.runToCompletion();
      },
    );
    result = await verdict(worlds);
  });

  it('runs every scenario to the end it is about, with every invariant held', () => {
    expect(outcomes.map((o) => [o.name, o.status, o.violations])).toEqual([
      ['clean rollout, header rule, smoke checks on the replacement targets', 'Succeeded', 0],
      ['rollback of a +5 pp regression', 'Failed', 0],
      ['guard restore: a rollback alarm stops the deployment at 25%; EventBridge delivers the STOP twice', 'Stopped', 0],
      ['frozen while the replacement installs: AfterAllowTestTraffic fails before any traffic', 'Failed', 0],
      ['frozen: the start check stops the deployment at its start, before any traffic', 'Stopped', 0],
      ["a pipeline's deployment without the hooks: the start check stops it at its start", 'Stopped', 0],
      ['cdk deploy (start) creates the deployment; the engine rolls it out', 'Succeeded', 0],
      ['cdk deploy (wait) follows a one-window rollout to success', 'Succeeded', 0],
      ["cdk deploy (wait) fails with the judge's reason: the replacement crashes as BeforeAllowTraffic starts", 'Failed', 0],
      ['cdk deploy (wait) stops the deployment when its own wait runs out', 'Stopped', 0],
      ['AfterAllowTraffic cannot read its targets: it records why, reports Failed and notifies', 'Failed', 0],
      ['AfterAllowTraffic cannot start its execution: it restores the original, reports Failed and notifies', 'Failed', 0],
      ...(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const).map((hook) => [
        `every attempt of the ${hook} invocation dies: the hook-failure function restores, answers Failed and notifies`,
        'Failed',
        0,
      ]),
      ["rollback of a KPI that falls 20%: the tick reads each version's task definition (DescribeServices) and its metrics", 'Failed', 0],
      [
        "a pipeline's deployment without the hooks whose START and READY never arrive: the minute sweep stops it in its ready wait",
        'Stopped',
        0,
      ],
    ]);
    expect(outcomes[8].note).toMatch(/failed/);
    expect(outcomes[9].note).toMatch(/did not finish within 5 min/);
    expect(outcomes[10].note).toMatch(/AfterAllowTraffic Failed$/);
    expect(outcomes[11].note).toMatch(/AfterAllowTraffic Failed; restored by the hook: true$/);
    expect([12, 13, 14].map((i) => outcomes[i].note)).toEqual([
      'AfterAllowTestTraffic Failed',
      'AfterAllowTestTraffic Succeeded, BeforeAllowTraffic Failed',
      'AfterAllowTestTraffic Succeeded, BeforeAllowTraffic Succeeded, AfterAllowTraffic Failed',
    ]);
  });

  it('attributes every call to a function (the scenarios make none of their own)', () => {
    expect(result.unattributed).toEqual([]);
    expect(result.calls).toBeGreaterThan(500);
  });

  it("simulates every call as allowed by its function's role", () => {
    expect(result.denials).toEqual([]);
  });

  it('leaves no grant that no call needs', () => {
    expect(result.unused).toEqual([]);
  });

  it('fails, naming function, action, resource and reason, when a grant is removed from a role', async () => {
    const withoutModifyListener = (principal: Principal): Principal =>
      principal.name.startsWith('engine-tick')
        ? {
            ...principal,
            policy: {
              ...principal.policy,
              Statement: principal.policy.Statement.filter((s) => ![s.Action].flat().includes('elasticloadbalancing:ModifyListener')),
            },
          }
        : principal;
    const removed = await verdict(worlds.slice(0, 1), { alter: withoutModifyListener });
    expect(removed.denials).toEqual([
      expect.objectContaining({
        principal: expect.stringMatching(/^engine-tick /),
        action: 'elasticloadbalancing:ModifyListener',
        resource: worlds[0].env.service.metadata.productionListenerArn,
        reason: expect.stringMatching(/^ImplicitlyDenied: no statement of the role's policy allows elasticloadbalancing:ModifyListener/),
      }),
    ]);
  });

  it('fails when a wildcard-only action is granted on an ARN instead of *', async () => {
    const onGroup = (principal: Principal): Principal => ({
      ...principal,
      policy: {
        ...principal.policy,
        Statement: principal.policy.Statement.map((s) =>
          [s.Action].flat().includes('codedeploy:PutLifecycleEventHookExecutionStatus')
            ? { ...s, Resource: 'arn:aws:codedeploy:us-east-1:111111111111:deploymentgroup:svc-app/svc-dg' }
            : s,
        ),
      },
    });
    const wrong = await verdict(worlds.slice(0, 1), { alter: onGroup });
    expect(wrong.denials.map((d) => d.action)).toContain('codedeploy:PutLifecycleEventHookExecutionStatus');
  });
});
