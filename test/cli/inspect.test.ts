import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';

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
  START,
  target,
} from './harness';

afterEach(resetAws);

const judged = decision({
  stage: { index: 0, weight: 5 },
  verdict: 'hold',
  reason: 'bake 3/5 min',
  reasons: [
    { check: 'errors', status: 'pass', observed: '0.2%', bar: '≤ 1.2%', detail: 'canary 5xx 0.2% (1/450) vs baseline 0.2% (18/8550)' },
  ],
  figures: { canaryRequests: 450 },
});
/** The same verdict with the judge's bake count, as the tick records it. */
const judgedWithBake = decision({
  ...judged,
  reasons: [
    ...judged.reasons!,
    {
      check: 'bake',
      status: 'hold',
      observed: '3 complete data-minute(s) at 5% (4 min since the shift)',
      bar: '≥ 5 data-minutes',
      detail: 'baking: 2 data-minute(s) left.',
    },
  ],
});

describe('inspection commands', () => {
  describe('status', () => {
    beforeEach(() => {
      seedService(SIGNED_AUDIT);
      seedListener(5);
      seedAudit(chain([judgedWithBake]));
      seedDeployment([{ status: 'InProgress' }], target([['AfterAllowTestTraffic', 'InProgress', new Date(START - 5 * 60_000)]], 0));
      aws.codedeploy
        .on(GetDeploymentGroupCommand)
        .resolves({ deploymentGroupInfo: { alarmConfiguration: { enabled: true, alarms: [{ name: 'web-5xx' }, { name: 'web-gone' }] } } });
      aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'OK' }] });
    });

    it('shows the current deployment: event, stage, listener weights, bake left in data-minutes, verdict with numbers, deadline, freeze, alarms', async () => {
      seedDeploymentList(['d-NEW']);
      const result = await run(['status', 'web']);
      expect(result.code).toBe(0);
      expect(result.stdout.lines()).toEqual([
        'web  d-NEW  IN PROGRESS · AfterAllowTestTraffic, stage 1/3 (5%)',
        '  traffic now: 95% original (web-blue), 5% replacement (web-green) — read from the production listener',
        '  bake    2 of 5 data-minutes left',
        '  verdict hold: bake 3/5 min',
        '          errors pass: canary 5xx 0.2% (1/450) vs baseline 0.2% (18/8550)',
        '          bake hold: baking: 2 data-minute(s) left.',
        '          (record #1 at 2026-11-21T11:50:00.000Z)',
        '  hook    AfterAllowTestTraffic must answer by 2026-11-21T12:55:00.000Z (55:00 left); the engine fails the deployment a few minutes before',
        '  urls    test http://web-123.eu-west-1.elb.amazonaws.com:9000/',
        '  freeze  not frozen',
        '  alarm   OK                web-5xx',
        '  alarm   MISSING           web-gone',
      ]);
    });

    it('falls back to the last deployment when none is active', async () => {
      seedDeploymentList([], ['d-NEW', 'd-OLDER']);
      const result = await run(['--json', 'status', 'web']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout.text)).toMatchObject({
        type: 'status',
        deploymentId: 'd-NEW',
        alarms: [
          { name: 'web-5xx', state: 'OK' },
          { name: 'web-gone', state: 'MISSING' },
        ],
      });
    });

    it('exits 1 when the service never deployed', async () => {
      seedDeploymentList([], []);
      const result = await run(['status', 'web']);
      expect(result.code).toBe(1);
      expect(result.stderr.lines().at(-1)).toMatch(/web has no deployments yet/);
    });
  });

  describe('history', () => {
    const records = chain([
      decision({ deploymentId: 'd-OLD', verdict: 'promote', reason: 'old one' }),
      judged,
      decision({
        kind: 'event',
        action: 'shift',
        stage: { index: 1, weight: 25 },
        weights: { original: 75, replacement: 25 },
        reason: 'shifted to 25%',
      }),
    ]);
    beforeEach(() => seedService());

    it('lists the trail newest first with reasons and figures; without a signing key and bucket nothing is verified, and it says so', async () => {
      seedAudit(records);
      const result = await run(['history', 'web', '--deployment', 'd-NEW']);
      expect(result.code).toBe(1);
      expect(result.stdout.lines()).toEqual([
        '#3  2026-11-21T11:52:00.000Z  d-NEW  AfterAllowTestTraffic  stage 2 (25%)  traffic 25% new  event  → shift  by engine',
        '    shifted to 25%',
        '#2  2026-11-21T11:51:00.000Z  d-NEW  AfterAllowTestTraffic  stage 1 (5%)  verdict hold  by engine',
        '    bake 3/5 min',
        '    errors pass: canary 5xx 0.2% (1/450) vs baseline 0.2% (18/8550)',
        '    figures {"canaryRequests":450}',
      ]);
      expect(result.stderr.text).toContain('warning: the trust root is not pinned');
      expect(result.stderr.text).toContain(
        '!!! first bad record: #0 (trust-root): /ecs-canary/web/deployment names no signing key: the trail cannot be verified',
      );
      expect(result.stderr.text).toContain('no signing key and anchor bucket to verify against');
    });

    it('honours --limit', async () => {
      seedAudit(records);
      const result = await run(['--json', 'history', 'web', '--limit', '1']);
      const events = result.stdout.lines().map((l) => JSON.parse(l));
      expect(events.map((e) => e.type)).toEqual(['record', 'chain', 'result']);
      expect(events[0].sk).toBe(3);
      expect(events[1]).toMatchObject({ ok: false, checked: 3, signaturesChecked: false });
    });

    it('says loudly when a record was altered, and exits 1', async () => {
      seedAudit(records.map((r) => (r.sk === 2 ? { ...r, verdict: 'promote' as const } : r)));
      const result = await run(['history', 'web']);
      expect(result.code).toBe(1);
      expect(result.stderr.text).toContain('!!! AUDIT CHAIN BROKEN');
      expect(result.stderr.text).toContain('!!! #2 (altered): record 2 was altered: its content no longer matches its hash');
      expect(result.stderr.text).toContain('!!! NOT VERIFIED among the records above: #2');
    });

    it('detects a removed record: its successor vouches that it had not expired', async () => {
      seedAudit(records.filter((r) => r.sk !== 2));
      const result = await run(['history', 'web']);
      expect(result.code).toBe(1);
      expect(result.stderr.text).toMatch(/#2 \(missing\): record 2 was deleted from the table: record 3 says it expires/);
    });
  });
});

describe('status without permission to read alarms', () => {
  it('shows everything else and names the missing action', async () => {
    seedService();
    seedListener(5);
    seedAudit([]);
    seedDeploymentList(['d-NEW']);
    seedDeployment([{ status: 'InProgress' }], target([['AfterAllowTestTraffic', 'InProgress', new Date(START)]], 0));
    aws.codedeploy
      .on(GetDeploymentGroupCommand)
      .rejects(
        Object.assign(new Error('User x is not authorized to perform: codedeploy:GetDeploymentGroup'), { name: 'AccessDeniedException' }),
      );
    const result = await run(['status', 'web']);
    expect(result.code).toBe(0);
    expect(result.stdout.lines().at(-1)).toMatch(
      /^ {2}alarms {2}unavailable: codedeploy:GetDeploymentGroup failed with AccessDeniedException: missing permission codedeploy:GetDeploymentGroup/,
    );
  });
});
