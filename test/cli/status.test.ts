/**
 * `canary status` after a deployment ended, against mocked AWS: the outcome first, the deciding
 * reason with its figures, who or what stopped it, and traffic as the production listener reports
 * it — never as the engine's last record says — including a listener that disagrees.
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  type DeploymentInfo,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';

import type { AuditRecord } from '../../lambdas/core/audit-chain';
import { BLUE, GREEN } from '../deploy/fixtures';
import { aws, chain, decision, resetAws, run, seedAnchors, seedService, SIGNED_AUDIT, START, target } from './harness';

afterEach(resetAws);

const ENDED = new Date(START - 2 * 60_000);
const HOOK_FAILED = {
  code: 'HOOK_EXECUTION_FAILURE',
  message: 'The deployment failed because a specified lifecycle event hook failed.',
} as const;

/** d-NEW ended as `info` says; d-RB is CodeDeploy's rollback of it and the newest deployment. */
function seedEnded(info: DeploymentInfo, options: { rollback?: boolean } = {}) {
  const rollback = options.rollback ?? true;
  aws.codedeploy.on(ListDeploymentsCommand).callsFake(async (input: { includeOnlyStatuses?: string[] }) => ({
    deployments: input.includeOnlyStatuses ? [] : rollback ? ['d-RB', 'd-NEW'] : ['d-NEW'],
  }));
  aws.codedeploy.on(GetDeploymentCommand, { deploymentId: 'd-NEW' }).resolves({
    deploymentInfo: {
      deploymentId: 'd-NEW',
      completeTime: ENDED,
      ...info,
      ...(rollback
        ? { rollbackInfo: { rollbackDeploymentId: 'd-RB', rollbackMessage: 'Deployment d-NEW was rolled back by deployment d-RB.' } }
        : {}),
    },
  });
  aws.codedeploy.on(GetDeploymentCommand, { deploymentId: 'd-RB' }).resolves({
    deploymentInfo: {
      deploymentId: 'd-RB',
      status: 'Succeeded',
      completeTime: new Date(START - 60_000),
      rollbackInfo: { rollbackTriggeringDeploymentId: 'd-NEW' },
    },
  });
  aws.codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['cluster:web'] });
  // After the rollback CodeDeploy labels only the original task set (the replacement is gone).
  const ended = target(
    [
      ['AfterAllowTestTraffic', 'Failed', new Date(START - 20 * 60_000)],
      ['AllowTraffic', 'Skipped'],
    ],
    0,
  );
  aws.codedeploy.on(GetDeploymentTargetCommand, { deploymentId: 'd-NEW' }).resolves({
    deploymentTarget: { ecsTarget: { ...ended, taskSetsInfo: ended.taskSetsInfo!.filter((t) => t.taskSetLabel === 'Blue') } },
  });
  aws.codedeploy.on(GetDeploymentTargetCommand, { deploymentId: 'd-RB' }).resolves({ deploymentTarget: { ecsTarget: target([]) } });
  aws.codedeploy
    .on(GetDeploymentGroupCommand)
    .resolves({ deploymentGroupInfo: { alarmConfiguration: { enabled: true, alarms: [{ name: 'web-5xx' }] } } });
  aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'OK' }] });
}

/** The production listener as read: weights per target group ARN. */
function seedListenerArns(weights: Array<[string, number]>) {
  aws.elbv2.on(DescribeListenersCommand).resolves({
    Listeners: [
      {
        DefaultActions: [
          { Type: 'forward', ForwardConfig: { TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } },
        ],
      },
    ],
  });
}

/** The trail (newest first, by deployment) and the control record (sk = 0). */
function seedTable(records: AuditRecord[], control?: Record<string, unknown>) {
  seedAnchors(records);
  // The operator control record is the SSM parameter canary rollback writes (lambdas/aws/control-parameter.ts).
  if (control)
    aws.ssm
      .on(GetParameterCommand, { Name: '/ecs-canary/web/control' })
      .resolves({ Parameter: { Name: '/ecs-canary/web/control', Value: JSON.stringify(control) } });
  else
    aws.ssm
      .on(GetParameterCommand, { Name: '/ecs-canary/web/control' })
      .rejects(new ParameterNotFound({ message: 'Parameter /ecs-canary/web/control not found.', $metadata: {} }));
  aws.ddb
    .on(QueryCommand)
    .callsFake(
      async (input: {
        KeyConditionExpression?: string;
        ExpressionAttributeValues?: Record<string, unknown>;
        ScanIndexForward?: boolean;
      }) => {
        if (input.KeyConditionExpression === 'pk = :pk AND sk = :zero') return { Items: control ? [control] : [] };
        const deploymentId = input.ExpressionAttributeValues?.[':d'];
        const mine = records.filter((r) => !deploymentId || r.deploymentId === deploymentId);
        return { Items: input.ScanIndexForward === false ? [...mine].reverse() : mine };
      },
    );
}

/** The engine's records of a rollout that reached 25%: the newest staged record says 25% to the replacement. */
const reached25 = [
  decision({
    verdict: 'start',
    stage: { index: 0, weight: 5 },
    weights: { original: 95, replacement: 5 },
    reason: 'rollout started: 5% of production to the replacement for at least 5 data-minutes',
  }),
  decision({
    verdict: 'promote',
    stage: { index: 1, weight: 25 },
    weights: { original: 75, replacement: 25 },
    reason: 'promoted from 5% to 25%: promote: 5 data-minutes at 5%',
  }),
];
const judgeRollback = decision({
  verdict: 'rollback',
  stage: { index: 1, weight: 25 },
  weights: { original: 100, replacement: 0 },
  action: 'restore 100% to the original and report Failed',
  reason: 'rollback: canary 5xx 4.8% (12/250) vs baseline 0.3% (14/4750): evidence 412 ≥ 303.',
  reasons: [
    {
      check: 'errors',
      status: 'fail',
      observed: 'canary 4.8% (12/250) vs baseline 0.30% (14/4750)',
      bar: 'evidence ≥ 303',
      detail: 'canary 5xx 4.8% (12/250) vs baseline 0.3% (14/4750): evidence 412 ≥ 303.',
    },
    { check: 'p95-bar', status: 'pass', observed: '180 ms', bar: '≤ 800 ms', detail: '' },
  ],
  figures: {
    canary: { minutes: 5, requests: 250, errors: 12, errorRatePercent: 4.8, maxP95Ms: 180 },
    baseline: { minutes: 5, requests: 4750, errors: 14, errorRatePercent: 0.295, maxP95Ms: 170 },
  },
});
const guardFailure = decision({
  kind: 'event',
  hook: undefined,
  verdict: 'restore',
  actor: 'guard',
  weights: { original: 100, replacement: 0 },
  reason: 'deployment failed (FAILURE); the listener already sends 100% to the original',
  figures: { event: 'FAILURE' },
});

describe('canary status after a rollback', () => {
  beforeEach(() => seedService(SIGNED_AUDIT));

  it("puts the outcome, the judge's reason with its figures and who stopped it first, and traffic from the listener", async () => {
    seedEnded({ status: 'Failed', errorInformation: HOOK_FAILED });
    seedTable(chain([...reached25, judgeRollback, guardFailure]));
    seedListenerArns([
      [BLUE.arn, 100],
      [GREEN.arn, 0],
    ]);
    const result = await run(['status', 'web']);
    expect(result.code).toBe(0);
    expect(result.stdout.lines()).toEqual([
      `web  d-NEW  ROLLED BACK (Failed at ${ENDED.toISOString()}) · AfterAllowTestTraffic, stage 2/3 (25%)`,
      "  (d-RB is CodeDeploy's automatic rollback of d-NEW; this is d-NEW's story)",
      '  why     rollback: canary 5xx 4.8% (12/250) vs baseline 0.3% (14/4750): evidence 412 ≥ 303.',
      '          errors FAIL: canary 4.8% (12/250) vs baseline 0.30% (14/4750) (bar evidence ≥ 303)',
      '          canary   250 requests, 12 errors (4.8%), worst p95 180 ms over 5 min',
      '          original 4750 requests, 14 errors (0.295%), worst p95 170 ms over 5 min',
      '          (record #3 at 2026-11-21T11:52:00.000Z, verified against an unpinned trust root; canary history web --deployment d-NEW)',
      "  by      the engine: the judge's verdict at stage 2/3 (25%) (AfterAllowTestTraffic)",
      '  traffic now: 100% original (web-blue), 0% replacement (web-green) — read from the production listener',
      '  guard   deployment failed (FAILURE); the listener already sends 100% to the original (record #4 at 2026-11-21T11:53:00.000Z)',
      "  rollback CodeDeploy's automatic rollback d-RB: Succeeded",
      `  error   CodeDeploy ${HOOK_FAILED.code}: ${HOOK_FAILED.message}`,
      '  urls    test http://web-123.eu-west-1.elb.amazonaws.com:9000/',
      '  freeze  not frozen',
      '  alarm   OK                web-5xx',
    ]);
  });

  it.each([
    [
      'HTTP on 80',
      { productionListenerPort: 80, productionListenerProtocol: 'HTTP' as const },
      'http://web-123.eu-west-1.elb.amazonaws.com/',
    ],
    [
      'HTTPS on 8443',
      { productionListenerPort: 8443, productionListenerProtocol: 'HTTPS' as const },
      'https://web-123.eu-west-1.elb.amazonaws.com:8443/',
    ],
  ])('shows where production (%s) and the test listener answer, from the deployment metadata', async (_name, listener, production) => {
    const test = 'http://web-123.eu-west-1.elb.amazonaws.com:9000/';
    seedService({ ...SIGNED_AUDIT, ...listener });
    seedEnded({ status: 'Succeeded' }, { rollback: false });
    seedTable(chain(reached25));
    seedListenerArns([
      [BLUE.arn, 0],
      [GREEN.arn, 100],
    ]);
    const result = await run(['status', 'web']);
    expect(result.stdout.lines()).toContain(`  urls    production ${production} · test ${test}`);
    const json = await run(['status', 'web', '--json']);
    expect(JSON.parse(json.stdout.lines()[0]).urls).toEqual({ production, test });
  });

  it('an alarm stop after the last plan record said 25%: the alarm with its figures, the guard\'s restore, and "traffic now: 100% original"', async () => {
    seedEnded({
      status: 'Stopped',
      errorInformation: {
        code: 'ALARM_ACTIVE' as const,
        message:
          'One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <web-5xx>',
      },
    });
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'web-5xx',
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed: 1 datapoint [7.0] was greater than the threshold (5.0).',
        },
      ],
    });
    const guardStop = decision({
      kind: 'event',
      hook: undefined,
      verdict: 'restore',
      actor: 'guard',
      weights: { original: 75, replacement: 25 },
      reason: 'deployment stopped (STOP); the listener still sent 25% to the replacement, restoring 100% to the original',
      figures: { event: 'STOP' },
    });
    seedTable(chain([...reached25, guardStop]));
    seedListenerArns([
      [BLUE.arn, 100],
      [GREEN.arn, 0],
    ]);
    const lines = (await run(['status', 'web'])).stdout.lines();
    expect(lines.slice(0, 6)).toEqual([
      `web  d-NEW  ROLLED BACK (Stopped at ${ENDED.toISOString()}) · AfterAllowTestTraffic, stage 2/3 (25%)`,
      "  (d-RB is CodeDeploy's automatic rollback of d-NEW; this is d-NEW's story)",
      '  why     CloudWatch alarm web-5xx went into ALARM; CodeDeploy stopped the deployment (ALARM_ACTIVE)',
      '          alarm web-5xx: ALARM now; Threshold Crossed: 1 datapoint [7.0] was greater than the threshold (5.0).',
      "  by      CloudWatch alarm web-5xx (CodeDeploy's alarm stop)",
      '  traffic now: 100% original (web-blue), 0% replacement (web-green) — read from the production listener',
    ]);
    expect(lines[6]).toBe(
      '  guard   deployment stopped (STOP); the listener still sent 25% to the replacement, restoring 100% to the original (record #3 at 2026-11-21T11:52:00.000Z)',
    );
    expect(lines.join('\n')).not.toMatch(/25% (new|replacement \()/);
  });

  it('names the operator of canary rollback from the control record when the engine never saw the abort', async () => {
    seedEnded({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' as const, message: 'The deployment was stopped by a user.' } });
    seedTable(chain([...reached25]), {
      pk: 'web',
      sk: 0,
      kind: 'control',
      deploymentId: 'd-NEW',
      command: 'abort',
      requestedBy: 'ana',
      reason: 'p99 up',
      at: '2026-11-21T11:57:00.000Z',
      requestId: 'r-1',
    });
    seedListenerArns([
      [BLUE.arn, 100],
      [GREEN.arn, 0],
    ]);
    const lines = (await run(['status', 'web'])).stdout.lines();
    expect(lines.slice(2, 6)).toEqual([
      '  why     stopped with rollback by ana: p99 up',
      '          requested at 2026-11-21T11:57:00.000Z (request r-1)',
      '  by      operator ana (canary rollback)',
      '  traffic now: 100% original (web-blue), 0% replacement (web-green) — read from the production listener',
    ]);
  });

  it('a StopDeployment from elsewhere (a control record of another deployment) is not pinned on anyone', async () => {
    seedEnded({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' as const, message: 'The deployment was stopped by a user.' } });
    seedTable(chain([...reached25]), {
      pk: 'web',
      sk: 0,
      kind: 'control',
      deploymentId: 'd-OLDER',
      command: 'abort',
      requestedBy: 'ana',
      at: '2026-11-20T10:00:00.000Z',
      requestId: 'r-0',
    });
    seedListenerArns([
      [BLUE.arn, 100],
      [GREEN.arn, 0],
    ]);
    const lines = (await run(['status', 'web'])).stdout.lines();
    expect(lines[2]).toBe('  why     stopped by a StopDeployment call (MANUAL_STOP)');
    expect(lines[3]).toBe('  by      a StopDeployment call outside canary rollback (console, AWS CLI or API; CloudTrail names the caller)');
  });

  it('the freeze switch stopping a rollout: its reason and who set it', async () => {
    seedEnded({ status: 'Failed', errorInformation: HOOK_FAILED });
    const frozen = decision({
      verdict: 'rollback',
      actor: 'ana',
      stage: { index: 1, weight: 25 },
      weights: { original: 100, replacement: 0 },
      reason: 'frozen by ana: incident 42; production returned to the original',
    });
    seedTable(chain([...reached25, frozen]));
    seedListenerArns([
      [BLUE.arn, 100],
      [GREEN.arn, 0],
    ]);
    const lines = (await run(['status', 'web'])).stdout.lines();
    expect(lines[2]).toBe('  why     frozen by ana: incident 42; production returned to the original');
    expect(lines[4]).toBe('  by      the freeze switch, set by ana (canary freeze)');
  });

  it('the engine acting on canary rollback (abort): the operator by name', async () => {
    seedEnded({ status: 'Failed', errorInformation: HOOK_FAILED });
    seedTable(
      chain([
        ...reached25,
        decision({ verdict: 'abort', actor: 'ana', stage: { index: 1, weight: 25 }, reason: 'aborted by ana: p99 up' }),
      ]),
    );
    seedListenerArns([
      [BLUE.arn, 100],
      [GREEN.arn, 0],
    ]);
    const lines = (await run(['status', 'web', '--deployment', 'd-NEW'])).stdout.lines();
    expect(lines[0]).toMatch(/^web {2}d-NEW {2}ROLLED BACK \(Failed/);
    expect(lines[1]).toBe('  why     aborted by ana: p99 up');
    expect(lines[3]).toBe('  by      operator ana (canary rollback), acted on by the engine');
  });

  describe('a listener that disagrees is shown as it is', () => {
    beforeEach(() => {
      seedEnded({ status: 'Failed', errorInformation: HOOK_FAILED });
      seedTable(chain([...reached25, judgeRollback]));
    });

    it('the replacement still weighted after the end: the read weights and a warning', async () => {
      seedListenerArns([
        [BLUE.arn, 70],
        [GREEN.arn, 30],
      ]);
      const lines = (await run(['status', 'web'])).stdout.lines();
      expect(lines).toContain('  traffic now: 70% original (web-blue), 30% replacement (web-green) — read from the production listener');
      expect(lines).toContain('  !       the deployment has ended but the listener still sends 30% to the replacement');
    });

    it('a target group of neither role: named, with its weight', async () => {
      const other = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-hotfix/0123456789abcdef';
      seedListenerArns([[other, 100]]);
      const lines = (await run(['status', 'web'])).stdout.lines();
      expect(lines).toContain(
        `  traffic now: 100% ${other} (neither the original nor the replacement) — read from the production listener`,
      );
      expect(lines).toContain(
        `  !       the listener sends traffic to ${other}, a target group of neither role: changed outside ecs-canary, or a stale read`,
      );
    });

    it('an unreadable listener: says so and guesses nothing from the records', async () => {
      aws.elbv2.on(DescribeListenersCommand).rejects(
        Object.assign(new Error('User x is not authorized to perform: elasticloadbalancing:DescribeListeners'), {
          name: 'AccessDeniedException',
        }),
      );
      const result = await run(['status', 'web']);
      expect(result.code).toBe(0);
      expect(result.stdout.lines().find((l) => l.startsWith('  traffic now:'))).toMatch(
        /^ {2}traffic now: unreadable \(elasticloadbalancing:DescribeListeners failed with AccessDeniedException.*\); not guessed from the engine's records/,
      );
    });

    it('--json carries the outcome, the cause, who stopped it and the listener shares', async () => {
      seedListenerArns([
        [BLUE.arn, 100],
        [GREEN.arn, 0],
      ]);
      const event = JSON.parse((await run(['--json', 'status', 'web'])).stdout.text);
      expect(event).toMatchObject({
        type: 'status',
        deploymentId: 'd-NEW',
        askedFor: 'd-RB',
        outcome: 'rolled-back',
        status: 'Failed',
        cause: { summary: judgeRollback.reason, record: { seq: 3 } },
        stoppedBy: "the engine: the judge's verdict at stage 2/3 (25%) (AfterAllowTestTraffic)",
        traffic: {
          shares: [
            { targetGroup: 'web-blue', role: 'original', percent: 100 },
            { targetGroup: 'web-green', role: 'replacement', percent: 0 },
          ],
        },
        weights: { original: 100, replacement: 0 },
        rollback: { deploymentId: 'd-RB', status: 'Succeeded' },
      });
    });
  });

  it("a failed deployment CodeDeploy did not roll back: FAILED, with CodeDeploy's reason", async () => {
    seedEnded(
      { status: 'Failed', errorInformation: { code: 'ECS_UPDATE_ERROR' as const, message: 'The ECS service failed to stabilise.' } },
      { rollback: false },
    );
    seedTable([]);
    seedListenerArns([[BLUE.arn, 100]]);
    const lines = (await run(['status', 'web'])).stdout.lines();
    expect(lines.slice(0, 3)).toEqual([
      `web  d-NEW  FAILED (Failed at ${ENDED.toISOString()}) · AfterAllowTestTraffic`,
      '  why     CodeDeploy: ECS_UPDATE_ERROR: The ECS service failed to stabilise.',
      '  by      CodeDeploy (ECS_UPDATE_ERROR)',
    ]);
  });
});
