/**
 * `canary deploy` and the on-call commands against the real rollout engine (hooks, tick, guard and
 * the synthesized state machine over the fake AWS, with sim traffic; test/e2e/support). The
 * CLI's sleeps drive the fake clock, so following a deployment or a rollback waits for what the
 * engine and CodeDeploy really do. `canary deploy` creates the deployment itself; the world
 * learns its id (EngineWorld.expectDeployment) and serves its traffic.
 */
import { EngineWorld, type EngineWorldOptions } from '../e2e/support/engine-world';
import { runCliOn } from '../support/cli';

const MINUTE = 60_000;
let env: EngineWorld;
afterEach(() => env?.restore());

async function run(argv: string[]) {
  const { auditKeyArn, auditAnchorBucket } = env.service.metadata;
  const { code, stdout, stderr } = await runCliOn(env.world, argv, {
    region: 'us-east-1',
    env: { CANARY_AUDIT_TRUST_ROOT: `${auditKeyArn},${auditAnchorBucket}` },
  });
  return { code, lines: stdout.trim().split('\n'), errors: stderr.trim().split('\n') };
}

async function startAndReach(weight: number, options: EngineWorldOptions) {
  env = new EngineWorld(options);
  env.deploy();
  const reached = await env.world.clock.advanceUntil(() => env.replacementPercent() === weight, 90 * MINUTE, 10_000);
  expect(reached).toBe(true);
}

const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/svc:2.0.0';

/** `canary deploy` creates the deployment; the world runs sim traffic for it and the engine rolls it out. */
async function deployWithTraffic(options: EngineWorldOptions) {
  env = new EngineWorld({ totalRps: 50, ...options });
  env.expectDeployment();
  const result = await run(['deploy', 'svc', '--image', IMAGE, '--poll-seconds', '60']);
  const production = env.world.elbv2.percents(env.service.metadata.productionListenerArn);
  return { result, production };
}

/** A task definition without what registering assigns, for comparing two revisions' content. */
function content(arn: string) {
  const {
    taskDefinitionArn: _arn,
    revision: _revision,
    registeredAt: _at,
    status: _status,
    ...rest
  } = env.world.ecs.findTaskDefinition(arn)!;
  return rest;
}

describe('canary deploy with the real engine', () => {
  describe('over simulated traffic', () => {
    it('rolls a clean release out to 100% of production on a revision that changes only the image, and exits 0', async () => {
      const { result, production } = await deployWithTraffic({});
      expect(result.code).toBe(0);
      expect(result.errors).toEqual(['']);
      const id = env.deployment.id;
      // First what the plan can detect at the last hour's traffic (none in this world before the deployment), then the creation.
      expect(result.lines[0]).toMatch(/plan: no traffic reached svc's target groups in the last hour/);
      expect(result.lines[1]).toMatch(new RegExp(`created deployment ${id} of svc: ${IMAGE.replace(/\./g, '\\.')} as arn:aws:ecs:`));
      expect(result.lines.at(-1)).toMatch(new RegExp(`deployment ${id} succeeded$`));
      expect(env.deployment.kind).toBe('user');
      expect(env.deployment.status).toBe('Succeeded');
      // The engine walked every stage before CodeDeploy's AllowTraffic.
      expect([...new Set(env.ticks.map((t) => t.weight))]).toEqual(expect.arrayContaining([5, 25, 50]));

      const replacement = env.deployment.replacementTaskSet!;
      expect(production).toEqual({ [replacement.targetGroupArn]: 100, [env.deployment.originalTargetGroupArn]: 0 });
      expect(env.world.ecs.liveTaskSets().map((t) => t.id)).toEqual([replacement.id]);

      const original = content(env.service.initialTaskDefinitionArn);
      expect(replacement.taskDefinitionArn).not.toBe(env.service.initialTaskDefinitionArn);
      expect(content(replacement.taskDefinitionArn)).toEqual({
        ...original,
        containerDefinitions: original.containerDefinitions!.map((c) =>
          c.name === env.service.metadata.containerName ? { ...c, image: IMAGE } : c,
        ),
      });
      expect(env.violations).toEqual([]);
      expect(env.invariants()).toEqual([]);
    });

    it("rolls a +5 pp error regression back to 100% original and exits 1 with the judge's reason last", async () => {
      const { result, production } = await deployWithTraffic({ regression: { kind: 'errors', deltaPp: 5, onsetMinute: 3 } });
      expect(result.code).toBe(1);
      expect(result.errors.at(-1)).toMatch(new RegExp(`^failed: deployment ${env.deployment.id} failed.*: rollback: canary 5xx `));
      expect(env.deployment.status).toBe('Failed');
      // The last progress line names the hook that failed, not the events CodeDeploy skipped after it.
      expect(result.lines.at(-1)).toMatch(
        new RegExp(`\\| ${env.deployment.id} \\| Failed \\| AfterAllowTestTraffic \\| .*\\| traffic 0% new \\|`),
      );
      // It never left the canary stages: production did not reach the new task set beyond 50%.
      expect(Math.max(...env.ticks.map((t) => t.weight))).toBeLessThanOrEqual(50);
      // When CodeDeploy reports Failed its rollback has moved production back; the original task set serves it.
      expect(production).toEqual({ [env.deployment.originalTargetGroupArn]: 100, [env.deployment.replacementTargetGroupArn]: 0 });
      expect(env.world.ecs.liveTaskSets(env.deployment.originalTargetGroupArn).map((t) => t.taskDefinitionArn)).toEqual([
        env.service.initialTaskDefinitionArn,
      ]);
      expect(env.violations).toEqual([]);
      expect(env.invariants()).toEqual([]);
    });
  });

  it('refuses a service frozen with canary freeze: exit 1, "refused" last, nothing registered, no deployment', async () => {
    env = new EngineWorld({});
    expect((await run(['freeze', 'svc', '--reason', 'incident 7', '--yes'])).code).toBe(0);
    const result = await run(['deploy', 'svc', '--image', IMAGE]);
    expect(result.code).toBe(1);
    expect(result.errors.at(-1)).toMatch(
      /^refused: svc is frozen by oncall at .*: incident 7\. Run canary unfreeze svc when deployments may resume$/,
    );
    const { applicationName, deploymentGroupName } = env.service.metadata;
    expect(env.world.codedeploy.listDeployments({ applicationName, deploymentGroupName }).deployments).toEqual([]);
    expect(env.world.ecs.findTaskDefinition(env.service.metadata.taskDefinitionFamily)?.taskDefinitionArn).toBe(
      env.service.initialTaskDefinitionArn,
    );
  });

  it('follows a service without traffic to the engine rollback and exits 1 with "insufficient evidence" last', async () => {
    // No sim traffic is attached: the engine sees no requests, holds, then fails the window.
    env = new EngineWorld({});
    const result = await run([
      'deploy',
      'svc',
      '--image',
      '111111111111.dkr.ecr.us-east-1.amazonaws.com/svc:2.0.0',
      '--poll-seconds',
      '60',
    ]);
    expect(result.code).toBe(1);
    expect(result.errors.at(-1)).toMatch(/^failed: deployment d-\w+ failed.*: rollback: insufficient evidence/);
    expect(result.lines.join('\n')).toMatch(/\| InProgress \| AfterAllowTestTraffic \| stage 1\/3 \(5%\) \| traffic 5% new \| bake /);
    expect(env.world.elbv2.percents(env.service.metadata.productionListenerArn)).toMatchObject({ [env.service.blue.arn]: 100 });
    expect(env.violations).toEqual([]);
  });
});

describe('on-call commands with the real engine', () => {
  describe('status and history', () => {
    it('show the stage, weights and verdicts while it runs, and the rollback reason with a verified chain after', async () => {
      await startAndReach(5, { totalRps: 50, regression: { kind: 'errors', deltaPp: 5, onsetMinute: 3 } });
      await env.world.clock.advance(2 * MINUTE);
      const during = await run(['status', 'svc']);
      expect(during.code).toBe(0);
      expect(during.lines.slice(0, 2)).toEqual([
        expect.stringMatching(/^svc {2}d-\w+ {2}IN PROGRESS · AfterAllowTestTraffic, stage 1\/3 \(5%\)$/),
        '  traffic now: 95% original (svc-blue), 5% replacement (svc-green) — read from the production listener',
      ]);
      expect(during.lines[2]).toMatch(/^ {2}bake {4}[0-5] of 5 data-minutes left$/);
      expect(during.lines).toContainEqual(expect.stringMatching(/^ {10}errors pass: /));
      // The fake does not model GetDeploymentGroup: status says the alarms are unavailable and shows the rest.
      expect(during.lines.at(-1)).toMatch(/^ {2}alarms? /);

      await env.runToCompletion();
      expect(env.deployment.status).toBe('Failed');
      const history = await run(['history', 'svc']);
      expect(history.code).toBe(0);
      expect(history.lines.at(-1)).toMatch(
        /^hash chain verified: \d+ records intact \(hash chain, signatures \(key .*, pinned\), \d+ anchors \(every version\)\)$/,
      );
      expect(history.lines.join('\n')).toMatch(/verdict rollback .*by engine\n {4}rollback: /);

      // The last deployment is CodeDeploy's automatic rollback; status tells the story of the one that failed.
      const after = await run(['status', 'svc']);
      expect(after.lines[0]).toMatch(
        new RegExp(`^svc  ${env.deployment.id}  ROLLED BACK \\(Failed at .*\\) · AfterAllowTestTraffic, stage \\d/3 \\(\\d+%\\)$`),
      );
      expect(after.lines[1]).toMatch(new RegExp(`^  \\(d-\\w+ is CodeDeploy's automatic rollback of ${env.deployment.id}`));
      expect(after.lines[2]).toMatch(/^ {2}why {5}rollback: canary 5xx /);
      expect(after.lines).toContain(
        '  traffic now: 100% original (svc-blue), 0% replacement (svc-green) — read from the production listener',
      );
      const original = await run(['status', 'svc', '--deployment', env.deployment.id]);
      expect(original.lines[0]).toBe(after.lines[0]);
      expect(original.lines).toContainEqual(expect.stringMatching(/^ {2}error {3}CodeDeploy HOOK_EXECUTION_FAILURE: /));
    });
  });

  describe('pause, resume and rollback', () => {
    it('holds the weight while paused, moves on after resume, and rolls back to 100% original', async () => {
      await startAndReach(5, { totalRps: 50 });
      const paused = await run(['pause', 'svc', '--reason', 'checking a dashboard']);
      expect(paused.code).toBe(0);
      expect(paused.lines.at(-1)).toMatch(/^AfterAllowTestTraffic must answer by /);
      await env.world.clock.advance(12 * MINUTE);
      expect(env.replacementPercent()).toBe(5);

      expect((await run(['resume', 'svc'])).code).toBe(0);
      expect(await env.world.clock.advanceUntil(() => env.replacementPercent() === 25, 15 * MINUTE, 10_000)).toBe(true);

      const rolledBack = await run(['rollback', 'svc', '--reason', 'customer reports']);
      expect(rolledBack.code).toBe(0);
      expect(rolledBack.lines.at(-1)).toMatch(/rolled back d-\w+: the original svc-blue serves 100% of production$/);
      expect(env.replacementPercent()).toBe(0);
      expect(env.auditRecords().map((r) => r.actor)).toContain('oncall');
      expect(env.violations).toEqual([]);
    });
  });
});
