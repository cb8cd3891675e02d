/**
 * The tick's writes against the guard's fence (docs/guard-fence.md): a fenced deployment gets no
 * shift and no header rule, whatever GetDeployment says, and a fence that appears while a write
 * is in flight has that write undone by the same tick. The restore is never fenced.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';

import { logger } from '../../lambdas/handlers/runtime';
import { tick } from '../../lambdas/handlers/tick';
import { fakeRuntime, T0 } from './support/fake-runtime';
import { withFences } from './support/fence';

logger.setLogLevel('SILENT');
const input = {
  deploymentId: 'd-1',
  lifecycleEventHookExecutionId: 'h-1',
  hook: 'AfterAllowTestTraffic' as const,
  startedAt: new Date(T0).toISOString(),
};
const fence = { pk: 'fence#d-1', sk: 0, kind: 'fence', deploymentId: 'd-1', state: 'STOP', at: '2026-11-21T10:00:00.000Z' };
let env: ReturnType<typeof fakeRuntime>;
afterEach(() => env.reset());
/** The listener writes, hook reports, notifications and audit decisions, in order (other table items left out). */
const writes = () => env.world.log.filter((l) => /^(audit:(start|abandon|fail)|rule:|weights:|hook:|sns$)/.test(l));

/** The guard's fence appears once `logged` is in the write log (the guard ran while that write was in flight). */
function fenceOnceLogged(logged: string) {
  env.mocks.ddb
    .on(GetCommand, { Key: { pk: 'fence#d-1' } })
    .callsFake(() => ({ Item: env.world.log.includes(logged) ? fence : undefined }));
}

describe('act', () => {
  describe('the fence', () => {
    it('refuses the header rule and the shift of a fenced deployment that GetDeployment still reports InProgress', async () => {
      env = fakeRuntime();
      withFences(env).set('fence#d-1', fence);
      const out = await tick(env.runtime, input);
      expect(writes()).toEqual(['audit:start', 'audit:abandon', 'sns']);
      expect(out).toMatchObject({
        done: true,
        state: {
          outcome: {
            status: 'Abandoned',
            reason: 'deployment is Stopped (fenced by the guard at 2026-11-21T10:00:00.000Z), no longer InProgress',
          },
        },
      });
    });

    it('undoes a shift that was in flight when the guard fenced', async () => {
      env = fakeRuntime();
      fenceOnceLogged('weights:95/5');
      const out = await tick(env.runtime, input);
      expect(writes()).toEqual(['audit:start', 'rule:create', 'weights:95/5', 'audit:abandon', 'rule:delete', 'weights:100/0', 'sns']);
      expect(env.world.weights).toEqual({ blue: 100, green: 0 });
      expect(out.state.outcome?.status).toBe('Abandoned');
    });

    it('undoes a header rule that was in flight when the guard fenced, and shifts nothing', async () => {
      env = fakeRuntime();
      fenceOnceLogged('rule:create');
      await tick(env.runtime, input);
      expect(writes()).toEqual(['audit:start', 'rule:create', 'audit:abandon', 'rule:delete', 'sns']);
      expect(env.world.rules).toEqual([]);
    });

    it('never holds up the restore', async () => {
      env = fakeRuntime();
      const first = await tick(env.runtime, input);
      withFences(env).set('fence#d-1', fence);
      env.world.log.length = 0;
      const failing = { ...first, state: { ...first.state, tickFailures: { since: T0 - 5 * 60_000, count: 3 } } };
      await tick(env.runtime, { ...failing, error: { Error: 'Lambda.Unknown', Cause: 'Task timed out' } });
      expect(writes()).toEqual(['audit:fail', 'rule:delete', 'weights:100/0', 'hook:Failed', 'sns']);
    });
  });
});
