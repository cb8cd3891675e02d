import { MINUTE, useWorld } from './helpers';

describe('FakeHttp', () => {
  const fx = useWorld({ canaryHeader: { name: 'X-Canary', value: '1' } });
  const url = (port: number, path = '/health') => `http://${fx.web.metadata.loadBalancerDnsName}:${port}${path}`;

  describe('get', () => {
    it('answers through the test listener from the replacement once AllowTestTraffic has run', async () => {
      const { world } = fx;
      world.codedeploy.onHook(() => undefined);
      world.http.responder = ({ image, path }) => (image === 'web:next' && path === '/health' ? 500 : 200);
      expect(await world.http.get(url(8080))).toEqual({ status: 200 });
      world.deploy('web');
      await world.clock.advance(2 * MINUTE);
      expect(await world.http.get(url(8080))).toEqual({ status: 500 });
    });

    it.each([
      ['unhealthy', 502],
      ['initial', 502],
    ] as const)('answers a %s target with %d', async (health, status) => {
      const { world } = fx;
      world.codedeploy.onHook(() => undefined);
      const id = world.deploy('web');
      await world.clock.advance(2 * MINUTE);
      world.setReplacementHealth(id, health);
      expect((await world.http.get(url(8080))).status).toBe(status);
    });

    it('routes requests carrying the canary header by the header rule', async () => {
      const { world, web } = fx;
      world.codedeploy.onHook(() => undefined);
      world.http.responder = ({ image }) => (image === 'web:next' ? 299 : 200);
      world.deploy('web');
      await world.clock.advance(2 * MINUTE);
      world.elbv2.createRule({
        ListenerArn: web.metadata.productionListenerArn,
        Priority: 1,
        Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: web.green.arn }],
      });
      expect((await world.http.get(url(80), 1000, { 'x-canary': '1' })).status).toBe(299);
      expect((await world.http.get(url(80))).status).toBe(200);
    });

    it('refuses connections on a port without a listener', async () => {
      expect((await fx.world.http.get(url(9999))).error).toMatch(/ECONNREFUSED/);
    });
  });
});
