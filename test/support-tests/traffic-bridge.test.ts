import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';

import { TrafficWorld } from '../../sim/traffic';
import { connectTraffic } from '../support';
import { MINUTE, useWorld } from './helpers';

const elbv2 = new ElasticLoadBalancingV2Client({});
const cloudwatch = new CloudWatchClient({});

describe('connectTraffic', () => {
  const fx = useWorld({ desiredCount: 4 });
  const simulate = (regression: ConstructorParameters<typeof TrafficWorld>[0]['regression'] = null) =>
    new TrafficWorld({ seed: 7, totalRps: 50, baselineErrorRate: 0.005, startTime: fx.world.clock.now(), regression, hosts: 4 });
  const shift = (green: number) =>
    elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: fx.web.metadata.productionListenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: fx.web.blue.arn, Weight: 100 - green },
                { TargetGroupArn: fx.web.green.arn, Weight: green },
              ],
            },
          },
        ],
      }),
    );
  const requests = async (fullName: string) => {
    const now = fx.world.clock.now();
    const { MetricDataResults } = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          {
            Id: 'n',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ApplicationELB',
                MetricName: 'RequestCount',
                Dimensions: [
                  { Name: 'TargetGroup', Value: fullName },
                  { Name: 'LoadBalancer', Value: fx.web.metadata.loadBalancerFullName },
                ],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
        StartTime: new Date(now - 10 * MINUTE),
        EndTime: new Date(now),
      }),
    );
    return MetricDataResults![0].Values!;
  };

  describe('metrics', () => {
    it('splits the simulated requests by the production weights the code under test wrote', async () => {
      const { world, web } = fx;
      connectTraffic(world, 'web', simulate());
      world.cloudwatch.delayMinutes = 1;
      world.codedeploy.onHook(() => undefined);
      world.deploy('web');
      await world.clock.advance(2 * MINUTE);
      await shift(10);
      await world.clock.advance(4 * MINUTE);
      const [canary] = await requests(web.green.fullName);
      const [baseline] = await requests(web.blue.fullName);
      expect(canary / (canary + baseline)).toBeGreaterThan(0.05);
      expect(canary / (canary + baseline)).toBeLessThan(0.15);
    });
  });

  describe('target health', () => {
    it('turns some replacement targets unhealthy when the simulation crash-loops the canary', async () => {
      const { world, web } = fx;
      connectTraffic(world, 'web', simulate({ kind: 'crash', onsetMinute: 0 }));
      world.codedeploy.onHook(() => undefined);
      world.deploy('web');
      await world.clock.advance(2 * MINUTE);
      expect(world.elbv2.healthyTargetCount(web.green.arn)).toBe(4);
      await shift(5);
      await world.clock.advance(MINUTE);
      const healthy = world.elbv2.healthyTargetCount(web.green.arn);
      expect(healthy).toBeGreaterThanOrEqual(1);
      expect(healthy).toBeLessThan(4);
    });
  });
});
