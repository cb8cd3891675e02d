import { guard } from '../../lambdas/handlers/guard';
import { logger } from '../../lambdas/handlers/runtime';
import { fakeRuntime } from './support/fake-runtime';

logger.setLogLevel('SILENT');
const event = (state: string) => ({ 'detail-type': 'CodeDeploy Deployment State-change Notification', detail: { deploymentId: 'd-1', state, application: 'orders-app', deploymentGroup: 'orders-dg' } });
let env: ReturnType<typeof fakeRuntime>;
afterEach(() => env.reset());

describe('guard', () => {
  describe('guard', () => {
    it.each(['FAILURE', 'STOP'])('on %s: records why, stops the executions, removes the header rule and restores the original', async (state) => {
      env = fakeRuntime({ weights: { blue: 75, green: 25 }, rules: [{ RuleArn: 'rule-1', Priority: '1', Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['always'] } }] }] });
      await expect(guard(env.rt, event(state))).resolves.toMatchObject({ restored: true });
      expect(env.world.log).toEqual([
        'audit:restore',
        'stop:d-1-AfterAllowTestTraffic', 'stop:d-1-BeforeAllowTraffic', 'stop:d-1-AfterAllowTraffic',
        'rule:delete', 'weights:100/0', 'sns',
      ]);
      expect(env.world.audit[0].reason).toMatch(/still sent 25% to the replacement/);
    });

    it('does not touch a listener that already sends everything to the original', async () => {
      env = fakeRuntime();
      await expect(guard(env.rt, event('FAILURE'))).resolves.toMatchObject({ restored: false });
      expect(env.world.log.filter((l) => l.startsWith('weights'))).toEqual([]);
      expect(env.world.audit[0].reason).toMatch(/already sends 100% to the original/);
    });
  });
});
