import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';

import type { AslDefinition } from '../support';
import { MINUTE, useWorld } from './helpers';

const sfn = new SFNClient({ region: 'us-east-1' });

/** The rollout loop of contracts.md, as CDK renders it: LambdaInvoke (OutputPath $.Payload) → Choice → Wait SecondsPath. */
const LOOP: AslDefinition = {
  StartAt: 'Tick',
  States: {
    Tick: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:web-tick', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 }],
      Next: 'Done?',
    },
    'Done?': { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Finished' }], Default: 'Wait' },
    Wait: { Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Tick' },
    Finished: { Type: 'Succeed' },
  },
};

describe('FakeStepFunctions', () => {
  const fx = useWorld({ stateMachine: LOOP });
  const input = JSON.stringify({ deploymentId: 'd-1', hook: 'AfterAllowTestTraffic' });
  const start = (name = 'd-1-AfterAllowTestTraffic', body = input) =>
    sfn.send(new StartExecutionCommand({ stateMachineArn: fx.web.metadata.stateMachineArn, name, input: body }));

  describe('the tick loop', () => {
    it('invokes the tick, waits the seconds it asks for on the fake clock, and stops when it reports done', async () => {
      const { world } = fx;
      const ticks: number[] = [];
      world.lambda.register('web-tick', (state) => {
        ticks.push(world.clock.now());
        const count = ((state as { count?: number }).count ?? 0) + 1;
        return { ...(state as object), count, done: count === 3, waitSeconds: 60 };
      });
      const { executionArn } = await start();
      await world.clock.advance(10 * MINUTE);
      const t0 = ticks[0];
      expect(ticks.map((t) => (t - t0) / 1000)).toEqual([0, 60, 120]);
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(described.status).toBe('SUCCEEDED');
      expect(JSON.parse(described.output!)).toMatchObject({ count: 3, done: true });
      expect(world.sfn.execution(executionArn).transitions).toBe(9);
    });

    it("retries a Lambda.ServiceException with the state's backoff, then fails the execution with the error", async () => {
      const { world } = fx;
      const calls: number[] = [];
      world.lambda.register('web-tick', () => {
        calls.push(world.clock.now());
        throw Object.assign(new Error('throttled'), { name: 'Lambda.ServiceException' });
      });
      const { executionArn } = await start();
      await world.clock.advance(10 * MINUTE);
      expect(calls.slice(1).map((t, i) => (t - calls[i]) / 1000)).toEqual([2, 4, 8, 16, 32, 64]);
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
        status: 'FAILED',
        error: 'Lambda.ServiceException',
        cause: 'throttled',
      });
    });

    it('fails with States.Runtime when waitSeconds is missing', async () => {
      const { world } = fx;
      world.lambda.register('web-tick', (state) => ({ ...(state as object), done: false }));
      const { executionArn } = await start();
      await world.clock.settle();
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).error).toBe('States.Runtime');
    });

    it('stops a waiting execution with StopExecution (ABORTED, no further ticks)', async () => {
      const { world } = fx;
      let ticks = 0;
      world.lambda.register('web-tick', (state) => ({ ...(state as object), done: false, waitSeconds: 60, tick: ++ticks }));
      const { executionArn } = await start();
      await world.clock.advance(30_000);
      await sfn.send(new StopExecutionCommand({ executionArn, error: 'Guard', cause: 'deployment stopped' }));
      await world.clock.advance(5 * MINUTE);
      expect(ticks).toBe(1);
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'ABORTED', error: 'Guard' });
    });
  });

  describe('StartExecution', () => {
    beforeEach(() => fx.world.lambda.register('web-tick', (state) => ({ ...(state as object), done: false, waitSeconds: 60 })));

    it('returns the running execution for the same name and input', async () => {
      const first = await start();
      await fx.world.clock.advance(MINUTE);
      expect((await start()).executionArn).toBe(first.executionArn);
      expect(fx.world.sfn.executions.size).toBe(1);
    });

    it.each([
      ['a different input', 'd-1-AfterAllowTestTraffic', JSON.stringify({ other: true }), 'ExecutionAlreadyExists'],
      ['an invalid name', 'd 1', input, 'InvalidName'],
      ['input that is not JSON', 'd-2', '{', 'InvalidExecutionInput'],
    ])('rejects %s', async (_, name, body, error) => {
      await start();
      await expect(start(name, body)).rejects.toMatchObject({ name: error });
    });

    it('rejects the same name and input once the execution has closed', async () => {
      const { world } = fx;
      const { executionArn } = await start();
      await sfn.send(new StopExecutionCommand({ executionArn }));
      await world.clock.settle();
      await expect(start()).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    });
  });
});
