/**
 * How the engine's end-to-end tests are meant to drive the fake: hook Lambdas registered by name,
 * a Step Functions tick loop, SDK calls through real clients, and the invariants checked after
 * every simulated minute. The "engine" here is a toy that shifts 5 → 25 → 50 one step per tick.
 */
import { CodeDeployClient, GetDeploymentCommand, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

import { type AslDefinition, assertInvariants, type FakeService, type HookEvent } from '../support';
import { MINUTE, useWorld } from './helpers';

const codedeploy = new CodeDeployClient({});
const elbv2 = new ElasticLoadBalancingV2Client({});
const sfn = new SFNClient({});

const LOOP: AslDefinition = {
  StartAt: 'Tick',
  States: {
    Tick: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'web-tick', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Next: 'Done?',
    },
    'Done?': { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'End' }], Default: 'Wait' },
    Wait: { Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Tick' },
    End: { Type: 'Succeed' },
  },
};

interface TickState extends HookEvent {
  step: number;
  done?: boolean;
  waitSeconds?: number;
}

function installToyEngine(world: ReturnType<typeof useWorld>['world'], web: FakeService) {
  const [blue, green] = [web.blue.arn, web.green.arn];
  const setWeight = (replacement: number, original: string, replacementArn: string) =>
    elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: web.metadata.productionListenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: original, Weight: 100 - replacement },
                { TargetGroupArn: replacementArn, Weight: replacement },
              ],
            },
          },
        ],
      }),
    );
  const report = (event: HookEvent, status: 'Succeeded' | 'Failed') =>
    codedeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status,
      }),
    );

  world.lambda.register('web-after-allow-test-traffic', async (event) => {
    const hook = event as HookEvent;
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: web.metadata.stateMachineArn,
        name: `${hook.DeploymentId}-AfterAllowTestTraffic`,
        input: JSON.stringify({ ...hook, step: 0 }),
      }),
    );
  });
  world.lambda.register('web-before-allow-traffic', (event) => report(event as HookEvent, 'Succeeded'));
  world.lambda.register('web-after-allow-traffic', (event) => report(event as HookEvent, 'Succeeded'));
  world.lambda.register('web-tick', async (input) => {
    const state = input as TickState;
    const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId: state.DeploymentId }));
    if (deploymentInfo?.status !== 'InProgress') return { ...state, done: true };
    const deployment = world.codedeploy.deployment(state.DeploymentId); // a real engine reads GetDeploymentTarget
    const [original, replacement] = deployment.originalTargetGroupArn === blue ? [blue, green] : [green, blue];
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: replacement }));
    if (state.step > 0 && !health.TargetHealthDescriptions!.some((d) => d.TargetHealth?.State === 'healthy')) {
      await setWeight(0, original, replacement); // restore before reporting Failed (invariant 4)
      await report(state, 'Failed');
      return { ...state, done: true };
    }
    const weights = [5, 25, 50];
    if (state.step < weights.length) {
      await setWeight(weights[state.step], original, replacement);
      return { ...state, step: state.step + 1, done: false, waitSeconds: 60 };
    }
    await report(state, 'Succeeded');
    return { ...state, done: true };
  });
}

describe('example: a toy engine against the fake', () => {
  const fx = useWorld({ stateMachine: LOOP });

  /** Advances minute by minute, checking the invariants after each, until the deployment ends. */
  async function runToEnd(id: string, onMinute: (minute: number) => void = () => undefined) {
    for (let minute = 0; minute < 30 && ['Created', 'InProgress'].includes(fx.world.codedeploy.deployment(id).status); minute++) {
      onMinute(minute);
      await fx.world.clock.advance(MINUTE);
      assertInvariants(fx.world);
    }
    return fx.world.codedeploy.deployment(id);
  }

  it('rolls a clean release through 5/25/50 to 100% and succeeds', async () => {
    const { world, web } = fx;
    installToyEngine(world, web);
    const id = world.deploy('web');
    const deployment = await runToEnd(id);
    expect(deployment.status).toBe('Succeeded');
    const production = world.elbv2.writes.filter((w) => w.listenerArn === web.metadata.productionListenerArn);
    expect(production.map((w) => `${w.actor}:${w.forward[web.green.arn]}`)).toEqual([
      'client:5',
      'client:25',
      'client:50',
      'codedeploy:100',
    ]);
  });

  it('restores the original and fails when the replacement starts crash-looping at 5%', async () => {
    const { world, web } = fx;
    installToyEngine(world, web);
    const id = world.deploy('web');
    const deployment = await runToEnd(id, (minute) => minute === 2 && world.setReplacementHealth(id, 'unhealthy'));
    expect([deployment.status, deployment.errorInformation?.code]).toEqual(['Failed', 'HOOK_EXECUTION_FAILURE']);
    await world.clock.advance(MINUTE);
    expect(world.elbv2.percents(web.metadata.productionListenerArn)).toEqual({ [web.blue.arn]: 100, [web.green.arn]: 0 });
    assertInvariants(world);
  });
});
