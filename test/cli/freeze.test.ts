/**
 * `canary freeze` as on-call meets it: outside a terminal it needs --yes and otherwise writes
 * nothing (no AWS call at all); it says when a rollout is in progress and that the engine will
 * stop it; in a terminal it asks before stopping a rollout; a failed look-up never blocks it.
 */
import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';

import { aws, DEFAULT_CALLER, resetAws, run, seedDeploymentList, seedService } from './harness';

afterEach(resetAws);

const switchWrites = () => aws.ssm.commandCalls(PutParameterCommand).map((c) => JSON.parse(c.args[0].input.Value!));
const STOPS = 'the running rollout will be stopped and production returned to the original within a minute';

beforeEach(() => {
  seedService();
  aws.ssm.on(PutParameterCommand).resolves({});
});

describe('canary freeze outside a terminal', () => {
  it.each([
    ['stdout piped', { tty: false }],
    ['stdin piped into a terminal', { tty: true, stdinTTY: false }],
  ])('refuses without --yes (%s): exit 2, one clear line, nothing read or written', async (_case, terminal) => {
    seedDeploymentList(['d-RUNNING']);
    const result = await run(['freeze', 'web', '--reason', 'incident 42'], terminal);
    expect(result.code).toBe(2);
    expect(result.stderr.lines()).toEqual([
      `usage error: canary freeze is not run in a terminal (stdin or stdout is not a TTY); pass --yes to freeze web: new deployments are refused and ${STOPS}. Nothing was written`,
    ]);
    expect(aws.ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(aws.ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(result.questions).toEqual([]);
  });

  it('refuses with --json too, ending with the result event', async () => {
    const result = await run(['--json', 'freeze', 'web', '--reason', 'incident 42']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout.lines().at(-1)!)).toMatchObject({ type: 'result', exitCode: 2 });
    expect(switchWrites()).toEqual([]);
  });

  it('with --yes and a rollout in progress: warns that the engine stops it, then freezes', async () => {
    seedDeploymentList(['d-RUNNING']);
    const result = await run(['freeze', 'web', '--reason', 'incident 42', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout.lines()).toEqual([
      `warning: web has a rollout in progress (d-RUNNING): ${STOPS}`,
      'web frozen by ana: incident 42',
      `d-RUNNING: ${STOPS}; follow it with canary status web --watch`,
      'new deployments are refused until canary unfreeze web',
    ]);
    expect(switchWrites()).toEqual([
      { frozen: true, reason: 'incident 42', by: 'ana', at: '2026-11-21T12:00:00.000Z', callerArn: DEFAULT_CALLER },
    ]);
  });

  it('with --yes and nothing in progress: no warning', async () => {
    seedDeploymentList([], ['d-OLD']);
    const result = await run(['freeze', 'web', '--reason', 'incident 42', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout.lines()).toEqual([
      'web frozen by ana: incident 42',
      'no rollout in progress',
      'new deployments are refused until canary unfreeze web',
    ]);
    expect(switchWrites()).toHaveLength(1);
  });

  it('freezes even when it may not list deployments, saying it could not check', async () => {
    aws.codedeploy
      .on(ListDeploymentsCommand)
      .rejects(
        Object.assign(new Error('User x is not authorized to perform: codedeploy:ListDeployments'), { name: 'AccessDeniedException' }),
      );
    const result = await run(['freeze', 'web', '--reason', 'incident 42', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout.lines()[0]).toMatch(
      /^warning: could not check whether web has a rollout in progress \(codedeploy:ListDeployments failed with AccessDeniedException.*\); if one is running, the running rollout will be stopped/,
    );
    expect(switchWrites()).toHaveLength(1);
  });

  it('--json: a warning event naming the deployment, then the frozen event', async () => {
    seedDeploymentList(['d-RUNNING']);
    const result = await run(['--json', 'freeze', 'web', '--reason', 'incident 42', '--yes']);
    const events = result.stdout.lines().map((l) => JSON.parse(l));
    expect(events).toEqual([
      { type: 'warning', service: 'web', deploymentId: 'd-RUNNING', message: `web has a rollout in progress (d-RUNNING): ${STOPS}` },
      {
        type: 'frozen',
        service: 'web',
        frozen: true,
        reason: 'incident 42',
        by: 'ana',
        at: '2026-11-21T12:00:00.000Z',
        callerArn: DEFAULT_CALLER,
        stopping: 'd-RUNNING',
      },
    ]);
  });
});

describe('canary freeze in a terminal', () => {
  it('asks before stopping a rollout in progress, and writes nothing when not confirmed (exit 1)', async () => {
    seedDeploymentList(['d-RUNNING']);
    const result = await run(['freeze', 'web', '--reason', 'incident 42'], { tty: true, answers: ['n'] });
    expect(result.questions).toEqual(['freeze web and stop d-RUNNING? type yes to confirm: ']);
    expect(result.code).toBe(1);
    expect(result.stderr.lines().at(-1)).toBe('failed: web not frozen: not confirmed (answer "n")');
    expect(switchWrites()).toEqual([]);
  });

  it('freezes once confirmed', async () => {
    seedDeploymentList(['d-RUNNING']);
    const result = await run(['freeze', 'web', '--reason', 'incident 42'], { tty: true, answers: ['yes'] });
    expect(result.code).toBe(0);
    expect(result.stdout.text).toContain(`warning: web has a rollout in progress (d-RUNNING): ${STOPS}`);
    expect(switchWrites()).toEqual([expect.objectContaining({ frozen: true, reason: 'incident 42' })]);
  });

  it('asks nothing when no rollout is in progress', async () => {
    seedDeploymentList([]);
    const result = await run(['freeze', 'web', '--reason', 'incident 42'], { tty: true });
    expect(result.code).toBe(0);
    expect(result.questions).toEqual([]);
    expect(switchWrites()).toHaveLength(1);
  });

  it('unfreeze needs no confirmation anywhere', async () => {
    const result = await run(['unfreeze', 'web']);
    expect(result.code).toBe(0);
    expect(switchWrites()).toEqual([{ frozen: false, by: 'ana', at: '2026-11-21T12:00:00.000Z', callerArn: DEFAULT_CALLER }]);
  });
});
