/**
 * Issue 13 item 2, the CLI: policies/canary-cli.json (docs/iam.md) filled in with the fake
 * account's names, simulated with @cloud-copilot/iam-simulate against every call the CLI makes
 * in its end-to-end scenarios (deploy, status, history, freeze/unfreeze, pause/resume, rollback,
 * promote — with the real engine rolling out). A denied call fails; so does a statement of the
 * file that no call needs (unless CLI_UNUSED_ALLOWED says why).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ACCOUNT, REGION } from '../support';
import { type IamRequest, iamRequests } from './actions';
import { requestContext, verdict, withResourcePolicies } from './check';
import { CLI, IamWorld } from './harness';
import { type Denial, denials, type Grant, type Principal, unusedGrants } from './simulate';
import { type PolicyDocument, synthesize, type SynthesizedStacks } from './template';

const MINUTE = 60_000;
const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/svc:2.0.0';
const POLICY_FILE = path.join(__dirname, '..', '..', 'policies', 'canary-cli.json');
const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/svc-task`;
const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/svc-execution`;

/** Statements of the file no scenario needs, kept on purpose. */
const CLI_UNUSED_ALLOWED: ReadonlyArray<{ readonly action: string; readonly reason: string }> = [
  {
    action: 'ssm:GetParameter',
    reason:
      'canary status reads the control parameter (who ran canary rollback) only for a deployment that failed, which no CLI scenario asks status about',
  },
  {
    action: 'ssm:GetParameterHistory',
    reason:
      'canary history reads who wrote the deployment metadata only when it names another signing key or bucket than the pinned trust root, which no CLI scenario does (test/audit covers it)',
  },
  {
    action: 'cloudwatch:DescribeAlarms',
    reason:
      'canary status reads the alarms the deployment group names (GetDeploymentGroup), which the fake does not model; status then says the alarms are unavailable',
  },
];

jest.setTimeout(600_000);

/** The policy file with its placeholders filled in from the world (what docs/iam.md tells a user to do). */
function cliPolicy(world: IamWorld): PolicyDocument {
  const { metadata, alarms } = world.env.service;
  const values: Record<string, string> = {
    Region: REGION,
    Account: ACCOUNT,
    Service: metadata.service,
    ApplicationName: metadata.applicationName,
    DeploymentGroupName: metadata.deploymentGroupName,
    TaskDefinitionFamily: metadata.taskDefinitionFamily,
    AuditTableName: metadata.auditTableName!,
    TaskRoleArn: TASK_ROLE,
    ExecutionRoleArn: EXECUTION_ROLE,
    AlarmNamePrefix: alarms[0].replace(/5xx$/, ''),
    AuditKeyArn: metadata.auditKeyArn!,
    AuditAnchorBucket: metadata.auditAnchorBucket!,
  };
  const text = fs.readFileSync(POLICY_FILE, 'utf8').replace(/\$\{(\w+)\}/g, (match, name: string) => {
    if (values[name] === undefined) throw new Error(`${POLICY_FILE}: unknown placeholder ${match}`);
    return values[name];
  });
  return JSON.parse(text) as PolicyDocument;
}

describe('IAM: the CLI against policies/canary-cli.json', () => {
  let demo: SynthesizedStacks;
  const worlds: IamWorld[] = [];
  const codes: Array<[string, number]> = [];
  const found: Denial[] = [];
  let unused: Grant[] = [];
  let cliCalls = 0;

  async function scenario(
    synth: SynthesizedStacks,
    options: ConstructorParameters<typeof IamWorld>[1],
    run: (w: IamWorld, cli: (name: string, argv: string[]) => Promise<number>) => Promise<void>,
  ) {
    const w = new IamWorld(synth, options);
    // The service's task definition as the stack registers it: a task role, an execution role and the stack's tags.
    const { metadata } = w.env.service;
    w.world.ecs.registerTaskDefinition({
      family: metadata.taskDefinitionFamily,
      taskRoleArn: TASK_ROLE,
      executionRoleArn: EXECUTION_ROLE,
      tags: [{ key: 'team', value: 'payments' }],
      containerDefinitions: [
        { name: metadata.containerName, image: 'svc:initial', portMappings: [{ containerPort: metadata.containerPort }] },
      ],
    } as never);
    try {
      await run(w, async (name, argv) => {
        const { code } = await w.cli(argv);
        codes.push([name, code]);
        return code;
      });
    } finally {
      w.restore();
    }
    worlds.push(w);
  }

  beforeAll(async () => {
    demo = synthesize('svc');
    await scenario(demo, { totalRps: 50 }, async (w, cli) => {
      w.env.expectDeployment();
      await cli('deploy', ['deploy', 'svc', '--image', IMAGE, '--poll-seconds', '60']);
      await cli('status', ['status', 'svc']);
      await cli('history', ['history', 'svc']);
    });
    await scenario(demo, {}, async (_w, cli) => {
      await cli('freeze', ['freeze', 'svc', '--reason', 'incident 7', '--yes']);
      await cli('deploy while frozen', ['deploy', 'svc', '--image', IMAGE]);
      await cli('unfreeze', ['unfreeze', 'svc']);
    });
    await scenario(demo, { totalRps: 50 }, async (w, cli) => {
      w.env.deploy();
      await w.world.clock.advanceUntil(() => w.env.replacementPercent() === 5, 90 * MINUTE, 10_000);
      await cli('pause', ['pause', 'svc', '--reason', 'checking a dashboard']);
      await w.world.clock.advance(3 * MINUTE);
      await cli('resume', ['resume', 'svc']);
      await cli('rollback', ['rollback', 'svc', '--reason', 'customer reports']);
      await w.env.runToCompletion();
    });
    await scenario(demo, { totalRps: 50, spec: { terminationWaitMinutes: 30 } }, async (w, cli) => {
      w.env.deploy();
      await w.world.clock.advanceUntil(() => w.env.deployment.inTerminationWait, 200 * MINUTE, 10_000);
      await cli('promote in the termination wait', ['promote', 'svc']);
      await w.env.runToCompletion();
    });

    const unusedIn = new Map<string, { grant: Grant; count: number }>();
    for (const w of worlds) {
      const principal: Principal = { name: CLI, roleArn: `arn:aws:iam::${ACCOUNT}:role/web-deployer`, policy: cliPolicy(w) };
      const calls = w.calls.filter((c) => c.caller === CLI);
      cliCalls += calls.length;
      const requests: IamRequest[] = withResourcePolicies(
        w,
        calls.flatMap((c) => iamRequests(c.command, c.input, requestContext(w))),
      );
      found.push(...(await denials(principal, requests)));
      for (const grant of await unusedGrants(principal, requests))
        unusedIn.set(grant.key, { grant, count: (unusedIn.get(grant.key)?.count ?? 0) + 1 });
    }
    unused = [...unusedIn.values()]
      .filter((u) => u.count === worlds.length)
      .map((u) => u.grant)
      .filter((g) => !CLI_UNUSED_ALLOWED.some((a) => a.action === g.action));
  });

  it('runs the commands to the exits they are about', () => {
    expect(codes).toEqual([
      ['deploy', 0],
      ['status', 0],
      ['history', 0],
      ['freeze', 0],
      ['deploy while frozen', 1],
      ['unfreeze', 0],
      ['pause', 0],
      ['resume', 0],
      ['rollback', 0],
      ['promote in the termination wait', 0],
    ]);
    expect([0, 2, 3].map((i) => worlds[i].env.deployment.status)).toEqual(['Succeeded', 'Stopped', 'Succeeded']);
  });

  it('simulates every CLI call as allowed by the policy file', () => {
    expect(cliCalls).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });

  it('has no statement in the policy file that no CLI call needs', () => {
    expect(unused).toEqual([]);
  });

  it('denies nothing the engine does while the CLI drives it', async () => {
    const engine = await verdict(worlds, { skipCallers: [CLI] });
    expect(engine.denials).toEqual([]);
  });

  it("grants the new calls no further: tags only on create, companions only on the service's config and application, stops only in its region", async () => {
    const w = worlds[0];
    const principal: Principal = { name: CLI, roleArn: `arn:aws:iam::${ACCOUNT}:role/web-deployer`, policy: cliPolicy(w) };
    const { metadata } = w.env.service;
    const codedeployArn = (resource: string) => `arn:aws:codedeploy:${REGION}:${ACCOUNT}:${resource}`;
    const broader: IamRequest[] = [
      { action: 'ecs:TagResource', resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${metadata.taskDefinitionFamily}:3` },
      {
        action: 'ecs:TagResource',
        resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${metadata.service}`,
        context: { 'ecs:CreateAction': 'CreateService' },
      },
      {
        action: 'codedeploy:GetDeploymentConfig',
        resource: codedeployArn('deploymentconfig:CodeDeployDefault.ECSLinear10PercentEvery1Minutes'),
      },
      { action: 'codedeploy:RegisterApplicationRevision', resource: codedeployArn('application:other-app') },
      { action: 'codedeploy:GetApplicationRevision', resource: codedeployArn('application:other-app') },
      { action: 'codedeploy:StopDeployment', resource: '*', context: { 'aws:RequestedRegion': 'eu-west-1' } },
      { action: 'codedeploy:ContinueDeployment', resource: '*', context: { 'aws:RequestedRegion': 'eu-west-1' } },
    ];
    expect((await denials(principal, broader)).map((d) => d.action)).toEqual(broader.map((r) => r.action));
  });

  it('fails when a statement is removed from the file', async () => {
    const w = worlds[0];
    const policy = cliPolicy(w);
    const principal: Principal = {
      name: CLI,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/web-deployer`,
      policy: { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== 'PassTheTaskRolesToEcs') },
    };
    const requests = withResourcePolicies(
      w,
      w.calls.filter((c) => c.caller === CLI).flatMap((c) => iamRequests(c.command, c.input, requestContext(w))),
    );
    expect(await denials(principal, requests)).toEqual([
      expect.objectContaining({
        principal: CLI,
        action: 'iam:PassRole',
        resource: TASK_ROLE,
        reason: expect.stringMatching(/^ImplicitlyDenied/),
      }),
      expect.objectContaining({ principal: CLI, action: 'iam:PassRole', resource: EXECUTION_ROLE }),
    ]);
  });
});
