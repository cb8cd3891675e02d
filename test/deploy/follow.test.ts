import {
  CodeDeployClient,
  type ECSTarget,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';

import { listenerWeights, toSnapshot, trafficWeights } from '../../cli/deploy/deployment-state';
import { deploymentOutcome, follow, followDeployment, retryTransient } from '../../cli/deploy/follow';
import { AwsCallError } from '../../lambdas/aws/deploy-errors';
import { BLUE, GREEN, metadata } from './fixtures';

const codedeployMock = mockClient(CodeDeployClient);
afterEach(() => codedeployMock.reset());

/** A clock that sleeping advances: no real waiting. */
function fakeTime() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), slept: () => now };
}

const ecsTarget = (events: Array<[string, string]>, greenWeight = 0): ECSTarget => ({
  lifecycleEvents: events.map(([lifecycleEventName, status]) => ({ lifecycleEventName, status: status as 'Pending' })),
  taskSetsInfo: [
    { taskSetLabel: 'Blue' as const, trafficWeight: 100 - greenWeight, targetGroup: { name: BLUE.name } },
    { taskSetLabel: 'Green' as const, trafficWeight: greenWeight, targetGroup: { name: GREEN.name } },
  ],
});

describe('follow', () => {
  describe('follow', () => {
    it('observes until terminal, reporting every observation', async () => {
      const time = fakeTime();
      const statuses = ['Created', 'InProgress', 'InProgress', 'Succeeded'];
      const seen: string[] = [];
      const result = await follow({
        observe: async () => ({ status: statuses.shift()!, terminal: statuses.length === 0 }),
        onUpdate: (o) => void seen.push(o.status),
        ...time,
        intervalMs: 5000,
      });
      expect(seen).toEqual(['Created', 'InProgress', 'InProgress', 'Succeeded']);
      expect(result).toEqual({ last: { status: 'Succeeded', terminal: true }, timedOut: false });
      expect(time.slept()).toBe(15000);
    });

    it('gives up at the timeout with the last observation', async () => {
      const time = fakeTime();
      const result = await follow({ observe: async () => ({ terminal: false }), ...time, intervalMs: 10_000, timeoutMs: 35_000 });
      expect(result.timedOut).toBe(true);
      expect(time.slept()).toBe(30_000);
    });
  });

  describe('followDeployment', () => {
    it('reads the deployment and its ECS target until CodeDeploy reports an end', async () => {
      codedeployMock
        .on(GetDeploymentCommand)
        .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
        .resolves({ deploymentInfo: { status: 'Failed', errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'hook failed' } } });
      codedeployMock.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['cluster:web'] });
      codedeployMock.on(GetDeploymentTargetCommand).resolves({
        deploymentTarget: {
          ecsTarget: ecsTarget([
            ['Install', 'Succeeded'],
            ['AfterAllowTestTraffic', 'Failed'],
          ]),
        },
      });
      const result = await followDeployment(new CodeDeployClient({}), 'd-1', fakeTime());
      expect(result.last).toMatchObject({
        status: 'Failed',
        terminal: true,
        errorCode: 'HEALTH_CONSTRAINTS',
        currentEvent: 'AfterAllowTestTraffic',
      });
      expect(codedeployMock.commandCalls(GetDeploymentTargetCommand)[0].args[0].input).toEqual({
        deploymentId: 'd-1',
        targetId: 'cluster:web',
      });
    });
  });

  describe('toSnapshot', () => {
    it.each<[string, Array<[string, string]>, string | undefined]>([
      [
        'the running event',
        [
          ['Install', 'Succeeded'],
          ['AfterAllowTestTraffic', 'InProgress'],
          ['AllowTraffic', 'Pending'],
        ],
        'AfterAllowTestTraffic',
      ],
      [
        'the last started event when none runs',
        [
          ['Install', 'Succeeded'],
          ['AllowTraffic', 'Succeeded'],
          ['AfterAllowTraffic', 'Pending'],
        ],
        'AllowTraffic',
      ],
      [
        'the failed event, not the ones skipped after it',
        [
          ['Install', 'Succeeded'],
          ['AfterAllowTestTraffic', 'Failed'],
          ['AllowTraffic', 'Skipped'],
          ['AfterAllowTraffic', 'Skipped'],
        ],
        'AfterAllowTestTraffic',
      ],
      ['nothing before any event', [['Install', 'Pending']], undefined],
    ])('names %s as current', (_name, events, current) => {
      expect(toSnapshot('d-1', { status: 'InProgress' }, ecsTarget(events)).currentEvent).toBe(current);
    });

    it.each<[string, object, Array<[string, string]>, boolean]>([
      ['after AfterAllowTraffic while InProgress', { status: 'InProgress' }, [['AfterAllowTraffic', 'Succeeded']], true],
      ['when CodeDeploy flags it', { status: 'InProgress', instanceTerminationWaitTimeStarted: true }, [], true],
      ['not during the post-traffic bake', { status: 'InProgress' }, [['AfterAllowTraffic', 'InProgress']], false],
      ['not once it ended', { status: 'Succeeded' }, [['AfterAllowTraffic', 'Succeeded']], false],
    ])('sees the termination wait %s', (_name, info, events, expected) => {
      expect(toSnapshot('d-1', info, ecsTarget(events)).terminationWait).toBe(expected);
    });

    it('labels Green as the replacement', () => {
      expect(toSnapshot('d-1', { status: 'InProgress' }, ecsTarget([], 5))).toMatchObject({
        replacementTargetGroup: GREEN.name,
        originalTargetGroup: BLUE.name,
        codeDeployWeights: { original: 95, replacement: 5 },
      });
    });
  });

  describe('listenerWeights and trafficWeights', () => {
    it.each<[string, Action[], Record<string, number>]>([
      [
        'a weighted forward',
        [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: BLUE.arn, Weight: 75 },
                { TargetGroupArn: GREEN.arn, Weight: 25 },
              ],
            },
          },
        ],
        { [BLUE.name]: 75, [GREEN.name]: 25 },
      ],
      [
        'weights that do not sum to 100',
        [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: BLUE.arn, Weight: 1 },
                { TargetGroupArn: GREEN.arn, Weight: 3 },
              ],
            },
          },
        ],
        { [BLUE.name]: 25, [GREEN.name]: 75 },
      ],
      ['a plain forward', [{ Type: 'forward', TargetGroupArn: GREEN.arn }], { [GREEN.name]: 100 }],
      ['no forward', [{ Type: 'fixed-response' }], {}],
    ])('reads %s', (_name, actions, expected) => {
      expect(Object.fromEntries(listenerWeights(actions, metadata()))).toEqual(expected);
    });

    it('maps listener weights onto original and replacement', () => {
      const snapshot = toSnapshot('d-1', { status: 'InProgress' }, ecsTarget([], 0));
      expect(
        trafficWeights(
          new Map([
            [BLUE.name, 95],
            [GREEN.name, 5],
          ]),
          snapshot,
        ),
      ).toEqual({ original: 95, replacement: 5 });
    });
  });

  describe('deploymentOutcome', () => {
    const snapshot = (info: object) => toSnapshot('d-1', info, undefined);
    it.each<[string, object, string | undefined, boolean, string]>([
      ['success', { status: 'Succeeded' }, undefined, true, 'deployment d-1 succeeded'],
      [
        'a rollback with the judge reason first',
        {
          status: 'Failed',
          errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'lifecycle hook failed' },
          rollbackInfo: { rollbackMessage: 'rolled back' },
        },
        'canary 5xx 4.8% (12/250) vs baseline 0.3%',
        false,
        'deployment d-1 failed and rolled back: canary 5xx 4.8% (12/250) vs baseline 0.3%; CodeDeploy: HOOK_EXECUTION_FAILURE: lifecycle hook failed',
      ],
      [
        "a judge sentence's full stop dropped before CodeDeploy's words",
        { status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'lifecycle hook failed' } },
        'rollback: canary 5xx 3.9% (111/2818) vs original 0.26% (64/24313): worse by +3.7 pp, evidence 648 ≥ 571.',
        false,
        'deployment d-1 failed: rollback: canary 5xx 3.9% (111/2818) vs original 0.26% (64/24313): worse by +3.7 pp, evidence 648 ≥ 571; CodeDeploy: HOOK_EXECUTION_FAILURE: lifecycle hook failed',
      ],
      ['a stop without reasons', { status: 'Stopped' }, undefined, false, 'deployment d-1 stopped: no reason reported'],
    ])('%s', (_name, info, auditReason, succeeded, reason) => {
      expect(deploymentOutcome(snapshot(info), auditReason)).toEqual({ succeeded, reason });
    });
  });
});

describe('follow retries', () => {
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

  it('retries transient failures and goes on', async () => {
    let calls = 0;
    const result = await follow({
      observe: async () => {
        calls += 1;
        if (calls <= 2) throw throttled();
        return { terminal: true };
      },
      sleep: async () => undefined,
      retryError: retryTransient(3),
    });
    expect(result.timedOut).toBe(false);
    expect(calls).toBe(3);
  });

  it.each<[string, unknown, number]>([
    ['too many failures in a row', throttled(), 2],
    ['a permission error', new AwsCallError('denied', 'AccessDeniedException', 'codedeploy:GetDeployment', 'codedeploy:GetDeployment'), 5],
  ])('gives up on %s', async (_name, error, limit) => {
    await expect(
      follow({ observe: async () => Promise.reject(error), sleep: async () => undefined, retryError: retryTransient(limit) }),
    ).rejects.toBe(error);
  });
});
