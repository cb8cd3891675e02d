import { ContinueDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';

import { aws, resetAws, run, seedDeployment, seedDeploymentList, seedListener, seedService, START, target } from './harness';

afterEach(resetAws);

const CALLER = 'arn:aws:sts::111122223333:assumed-role/oncall/ana';
/** The control parameter write (operators do not write the audit table). */
const controlWrite = () =>
  aws.ssm.commandCalls(PutParameterCommand).find((c) => c.args[0].input.Name === '/ecs-canary/web/control')?.args[0].input;
const controlItem = () => {
  const input = controlWrite();
  return input ? { Name: input.Name, Overwrite: input.Overwrite, Item: JSON.parse(input.Value!) } : undefined;
};
beforeEach(() => aws.sts.on(GetCallerIdentityCommand).resolves({ Arn: CALLER, Account: '111122223333' }));

describe('operator commands', () => {
  describe('freeze and unfreeze', () => {
    beforeEach(() => {
      seedService();
      seedDeploymentList([]);
      aws.ssm.on(PutParameterCommand).resolves({});
    });

    it('freeze writes frozen, the reason, who (name and IAM identity) and when to the switch', async () => {
      const result = await run(['freeze', 'web', '--reason', 'incident 42', '--yes']);
      expect(result.code).toBe(0);
      const input = aws.ssm.commandCalls(PutParameterCommand)[0].args[0].input;
      expect(input).toMatchObject({ Name: '/ecs-canary/web/freeze', Type: 'String', Overwrite: true });
      expect(JSON.parse(input.Value!)).toEqual({
        frozen: true,
        reason: 'incident 42',
        by: 'ana',
        at: '2026-11-21T12:00:00.000Z',
        callerArn: CALLER,
      });
      expect(result.stdout.text).toContain('web frozen by ana: incident 42');
    });

    it('unfreeze writes frozen false with who and when', async () => {
      expect((await run(['unfreeze', 'web'])).code).toBe(0);
      expect(JSON.parse(aws.ssm.commandCalls(PutParameterCommand)[0].args[0].input.Value!)).toEqual({
        frozen: false,
        by: 'ana',
        at: '2026-11-21T12:00:00.000Z',
        callerArn: CALLER,
      });
    });

    it.each([[['freeze', 'web', '--yes']], [['freeze', 'web', '--reason', ' ', '--yes']]])(
      'refuses %j without a reason (exit 2)',
      async (argv) => {
        const result = await run(argv);
        expect(result.code).toBe(2);
        expect(aws.ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
      },
    );

    it('exits 3 naming ssm:PutParameter when it may not write', async () => {
      aws.ssm
        .on(PutParameterCommand)
        .rejects(Object.assign(new Error('not authorized to perform: ssm:PutParameter on resource'), { name: 'AccessDeniedException' }));
      const result = await run(['freeze', 'web', '--reason', 'x', '--yes']);
      expect(result.code).toBe(3);
      expect(result.stderr.lines().at(-1)).toContain('[missing action: ssm:PutParameter]');
    });
  });

  describe('rollback', () => {
    beforeEach(() => {
      seedService();
      seedDeploymentList(['d-NEW']);
      aws.codedeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
      aws.ddb.on(PutCommand).resolves({});
      seedDeployment([{ status: 'InProgress' }, { status: 'Stopped' }], target([['AfterAllowTestTraffic', 'InProgress']], 25));
    });

    it('records who and why, stops with rollback and waits until the original serves 100%', async () => {
      seedListener(25, 25, 0);
      const result = await run(['rollback', 'web', '--reason', 'p99 up on the dashboard']);
      expect(result.code).toBe(0);
      expect(controlItem()).toMatchObject({
        Name: '/ecs-canary/web/control',
        Overwrite: true,
        Item: { deploymentId: 'd-NEW', command: 'abort', requestedBy: 'ana', callerArn: CALLER, reason: 'p99 up on the dashboard' },
      });
      expect(aws.ddb.commandCalls(PutCommand)).toHaveLength(0);
      expect(aws.codedeploy.commandCalls(StopDeploymentCommand)[0].args[0].input).toEqual({
        deploymentId: 'd-NEW',
        autoRollbackEnabled: true,
      });
      expect(result.slept).toBe(10_000);
      expect(result.stdout.lines().at(-1)).toBe(
        '2026-11-21T12:00:10.000Z rolled back d-NEW: the original web-blue serves 100% of production',
      );
    });

    it('exits 1 when the original is not restored in time', async () => {
      seedListener(25);
      const result = await run(['rollback', 'web', '--timeout-minutes', '1']);
      expect(result.code).toBe(1);
      expect(result.stderr.lines().at(-1)).toMatch(/after 1 min the original web-blue still serves 75% of production/);
    });

    it('exits 1 when nothing is in progress, stopping nothing', async () => {
      seedDeploymentList([]);
      const result = await run(['rollback', 'web']);
      expect(result.code).toBe(1);
      expect(result.stderr.lines().at(-1)).toBe('failed: web has no deployment in progress: nothing to roll back');
      expect(aws.codedeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
    });
  });

  describe('promote, pause and resume', () => {
    const hookStart = new Date(START - 20 * 60_000);
    beforeEach(() => {
      seedService();
      seedDeploymentList(['d-NEW']);
      aws.ddb.on(PutCommand).resolves({});
      aws.codedeploy.on(ContinueDeploymentCommand).resolves({});
    });

    it.each(['promote', 'pause', 'resume'] as const)('%s writes the control record and shows the hook deadline', async (command) => {
      seedDeployment([{ status: 'InProgress' }], target([['AfterAllowTestTraffic', 'InProgress', hookStart]], 5));
      const result = await run([command, 'web', '--reason', 'checked by hand']);
      expect(result.code).toBe(0);
      expect(controlItem()?.Item).toMatchObject({
        deploymentId: 'd-NEW',
        command,
        requestedBy: 'ana',
        callerArn: CALLER,
        reason: 'checked by hand',
        at: '2026-11-21T12:00:00.000Z',
      });
      expect(aws.ddb.commandCalls(PutCommand)).toHaveLength(0);
      expect(controlItem()?.Item?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.stdout.text).toContain('AfterAllowTestTraffic must answer by 2026-11-21T12:40:00.000Z (40:00 left)');
      expect(aws.codedeploy.commandCalls(ContinueDeploymentCommand)).toHaveLength(0);
    });

    it('promote ends the termination wait after 100%', async () => {
      seedDeployment(
        [{ status: 'InProgress' }],
        target(
          [
            ['AllowTraffic', 'Succeeded'],
            ['AfterAllowTraffic', 'Succeeded'],
          ],
          100,
        ),
      );
      const result = await run(['promote', 'web']);
      expect(result.code).toBe(0);
      expect(aws.codedeploy.commandCalls(ContinueDeploymentCommand)[0].args[0].input).toEqual({
        deploymentId: 'd-NEW',
        deploymentWaitType: 'TERMINATION_WAIT',
      });
      expect(controlItem()).toBeUndefined();
    });

    it('exits 2 when the service has no control parameter (engine not wired in, or a stack from before it)', async () => {
      seedService({ controlParameterName: undefined });
      const result = await run(['pause', 'web']);
      expect(result.code).toBe(2);
      expect(result.stderr.lines().at(-1)).toMatch(/no controlParameterName: redeploy the service stack/);
    });

    it('prints a JSON event with --json', async () => {
      seedDeployment([{ status: 'InProgress' }], target([['BeforeAllowTraffic', 'InProgress', hookStart]], 25));
      const result = await run(['--json', 'pause', 'web']);
      expect(JSON.parse(result.stdout.text)).toMatchObject({
        type: 'pause',
        deploymentId: 'd-NEW',
        hookDeadline: '2026-11-21T12:40:00.000Z',
      });
    });
  });

  describe('bad arguments, refused before any AWS call', () => {
    it('refuses a malformed CANARY_AUDIT_TRUST_ROOT before reading anything', async () => {
      const result = await run(['history', 'web'], { env: { CANARY_AUDIT_TRUST_ROOT: 'my-key' } });
      expect(result.code).toBe(2);
      expect(result.stderr.lines()).toEqual([
        'usage error: CANARY_AUDIT_TRUST_ROOT is "my-key"; accepted: <KMS key ARN>,<bucket name>, as the service stack\'s output AuditTrustRoot prints it',
      ]);
      expect(aws.ssm.calls()).toHaveLength(0);
    });

    const LONG = 'x'.repeat(1001);
    it.each<[string[], RegExp]>([
      [['freeze', 'web', '--reason', '', '--yes'], /--reason is ""; accepted: one line of 1 to 1000 characters/],
      [['freeze', 'web', '--reason', '   ', '--yes'], /--reason is " {3}"; accepted: one line of 1 to 1000 characters/],
      // The switch is a Standard SSM parameter (4,096 characters at most): a longer reason would fail the freeze itself.
      [['freeze', 'web', '--reason', LONG, '--yes'], /--reason is "x{40}"… \(1001 characters\); accepted: one line of 1 to 1000/],
      [['freeze', 'web', '--reason', 'two\nlines', '--yes'], /--reason is "two\\nlines"; accepted: one line/],
      [['freeze', 'WEB', '--reason', 'incident', '--yes'], /service is "WEB"; accepted: a name of 2 to 27 lowercase letters/],
      [['unfreeze', 'web.yaml'], /service is "web\.yaml"; accepted: a name of 2 to 27 lowercase letters/],
      [['rollback', 'web', '--reason', ''], /--reason is ""; accepted: one line of 1 to 1000 characters/],
      [['rollback', 'web', '--reason', LONG], /--reason is "x{40}"… \(1001 characters\)/],
      [['rollback', 'web', '--timeout-minutes', '0'], /--timeout-minutes is "0"; accepted: a whole number from 1 to 1440$/],
      [['rollback', 'web', '--timeout-minutes', '1e3'], /--timeout-minutes is "1e3"; accepted: a whole number from 1 to 1440$/],
      [['rollback', 'web', '--poll-seconds', '99999999'], /--poll-seconds is "99999999"; accepted: a whole number from 1 to 3600$/],
      [['rollback', '-web'], /unknown option '-web'/],
      [['pause', 'web', '--reason', LONG], /--reason is "x{40}"… \(1001 characters\)/],
      [['promote', 'w'], /service is "w"; accepted: a name of 2 to 27 lowercase letters/],
      [['resume', 'web-'], /service is "web-"; accepted: a name of 2 to 27 lowercase letters/],
      [['status', 'web', '--watch', '--poll-seconds', '-1'], /--poll-seconds is "-1"; accepted: a whole number from 1 to 3600$/],
      [['status', 'we b'], /service is "we b"; accepted: a name of 2 to 27 lowercase letters/],
      [['status', 'web', '--deployment', ''], /--deployment is ""; accepted: a CodeDeploy deployment id such as d-ABCDEF123$/],
      [['status', 'web', '--deployment', 'd-ABC 123'], /--deployment is "d-ABC 123"; accepted: a CodeDeploy deployment id/],
      [['history', 'web', '--deployment', 'ABCDEF123'], /--deployment is "ABCDEF123"; accepted: a CodeDeploy deployment id/],
      [['history', 'web', '--limit', '0'], /--limit is "0"; accepted: a whole number from 1 to 10000$/],
      [
        ['history', 'web', '--limit', '99999999999999999999'],
        /--limit is "99999999999999999999"; accepted: a whole number from 1 to 10000$/,
      ],
      [['history', 'web', '--format', 'xml'], /--format is "xml"; accepted: text, json, csv/],
      [['history', 'web', '--trust-root', ''], /--trust-root is ""; accepted: <KMS key ARN>,<bucket name>/],
      [
        ['history', 'web', '--trust-root', 'arn:aws:kms:eu-west-1:123456789012:key/abc,Anchors_Bucket'],
        /--trust-root is "arn:aws:kms:eu-west-1:123456789012:key\/abc,Anchors_Bucket"; accepted: <KMS key ARN>,<bucket name>/,
      ],
      [['appspec', 'web', '--format', 'toml'], /--format is "toml"; accepted: yaml or json/],
      [['appspec', 'wéb'], /service is "wéb"; accepted: a name of 2 to 27 lowercase letters/],
      [['--region', 'EU-WEST-1', 'status', 'web'], /--region is "EU-WEST-1"; accepted: a region code .*; did you mean eu-west-1\?$/],
      [['--profile', '', 'status', 'web'], /--profile is ""; accepted: a profile name from ~\/\.aws\/config, without surrounding spaces$/],
      [['--profile', 'prod ', 'status', 'web'], /--profile is "prod "; accepted: a profile name/],
      [['status', 'web', '--regoin', 'eu-west-1'], /unknown option '--regoin' \(Did you mean --region\?\)/],
    ])('exits 2 on %j with one line', async (argv, message) => {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.stderr.lines()).toHaveLength(1);
      expect(result.stderr.lines()[0]).toMatch(message);
      expect(aws.ssm.calls()).toHaveLength(0);
    });
  });
});
