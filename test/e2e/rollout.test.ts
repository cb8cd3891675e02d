/**
 * End-to-end scenarios (issue 4 item 8): the engine's real handlers and state machine over the
 * stateful fake of AWS and lib/sim traffic, on a fake clock. After every tick (and guard run) the
 * safety invariants and the audit chain are checked; every scenario ends with them clean.
 */
import { EngineWorld } from './support/engine-world';

let env: EngineWorld;
afterEach(() => env?.restore());

describe('rollout engine end to end', () => {
  describe('clean release', () => {
    it('reaches 100% through 5/25/50 and succeeds, with the invariants clean after every tick', async () => {
      env = new EngineWorld({ totalRps: 50 });
      env.deploy();
      await env.runToCompletion();
      expect(env.deployment.status).toBe('Succeeded');
      const shifts = env.world.elbv2.writes.filter((w) => w.actor === 'client' && w.operation === 'ModifyListener').map((w) => w.forward[env.deployment.replacementTargetGroupArn]);
      expect(shifts).toEqual([5, 25, 50]);
      expect(env.violations).toEqual([]);
      expect(env.invariants()).toEqual([]);
    });
  });
});
