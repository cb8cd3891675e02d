import { FakeClock, ScheduledHandlerError } from '../support';

describe('FakeClock', () => {
  describe('advance', () => {
    it('runs timers in time order, at their time, including timers they schedule', async () => {
      const clock = new FakeClock({ start: 0 });
      const log: string[] = [];
      clock.schedule(2_000, () => log.push(`b@${clock.now()}`));
      clock.schedule(1_000, () => {
        log.push(`a@${clock.now()}`);
        clock.schedule(500, () => log.push(`c@${clock.now()}`));
      });
      await clock.advance(5_000);
      expect(log).toEqual(['a@1000', 'c@1500', 'b@2000']);
      expect(clock.now()).toBe(5_000);
    });

    it('lets an async task finish before time moves on, and resumes tasks sleeping on the clock', async () => {
      const clock = new FakeClock({ start: 0 });
      const log: string[] = [];
      clock.spawn(async () => {
        await Promise.resolve();
        log.push(`started@${clock.now()}`);
        await clock.sleep(60_000);
        log.push(`woke@${clock.now()}`);
      });
      await clock.advance(30_000);
      expect(log).toEqual(['started@0']);
      await clock.advance(30_000);
      expect(log).toEqual(['started@0', 'woke@60000']);
    });

    it('waits for a task busy on a real timer instead of moving time under it', async () => {
      const clock = new FakeClock({ start: 0 });
      let doneAt: number | undefined;
      clock.spawn(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        doneAt = clock.now();
      });
      await clock.advance(60_000);
      expect(doneAt).toBe(0);
    });
  });

  describe('handler errors', () => {
    it.each([
      ['throw', true],
      ['record', false],
    ] as const)('in %s mode, a failing handler %s rejects advance', async (mode, rejects) => {
      const clock = new FakeClock({ start: 0, onHandlerError: mode });
      clock.spawn(() => {
        throw new Error('boom');
      }, 'hook');
      const result = clock.advance(1_000);
      if (rejects) await expect(result).rejects.toThrow(ScheduledHandlerError);
      else await expect(result).resolves.toBeUndefined();
      expect(clock.errors.map((e) => e.label)).toEqual(['hook']);
    });
  });
});

describe('FakeLambda', () => {
  describe('invokeAsync', () => {
    it('retries a failing asynchronous invocation twice, one and then two minutes later', async () => {
      const { FakeLambda } = await import('../support');
      const clock = new FakeClock({ start: 0, onHandlerError: 'record' });
      const lambda = new FakeLambda(clock);
      const attempts: number[] = [];
      lambda.register('hook', () => {
        attempts.push(clock.now());
        throw new Error('cold start failed');
      });
      lambda.invokeAsync('arn:aws:lambda:us-east-1:123456789012:function:hook', {});
      await clock.advance(10 * 60_000);
      expect(attempts).toEqual([0, 60_000, 180_000]);
      expect(clock.errors).toHaveLength(3);
    });
  });
});
