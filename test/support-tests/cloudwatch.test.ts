import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { MinuteFigures } from '../support';
import { MINUTE, useWorld } from './helpers';

const cloudwatch = new CloudWatchClient({ region: 'us-east-1' });

const figures = (overrides: Partial<MinuteFigures> = {}): MinuteFigures => ({
  requests: 600,
  errors5xx: 6,
  connectionErrors: 0,
  p95Ms: 240,
  slowRequests: (thresholdMs) => (thresholdMs <= 1000 ? 12 : 0),
  healthyHosts: 2,
  unhealthyHosts: 0,
  ...overrides,
});

describe('FakeCloudWatch', () => {
  const fx = useWorld();
  const query = (id: string, metricName: string, stat: string, dims?: Array<{ Name: string; Value: string }>): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: metricName,
        Dimensions: dims ?? [
          { Name: 'TargetGroup', Value: fx.web.green.fullName },
          { Name: 'LoadBalancer', Value: fx.web.metadata.loadBalancerFullName },
        ],
      },
      Period: 60,
      Stat: stat,
    },
  });
  const get = (queries: MetricDataQuery[], minutesBack = 10, ScanBy?: 'TimestampAscending') => {
    const now = fx.world.clock.now();
    return cloudwatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(now - minutesBack * MINUTE), EndTime: new Date(now), ScanBy }));
  };
  const start = () => fx.world.clock.now();

  describe('GetMetricData', () => {
    it('returns complete minutes newest first once their delivery delay has passed, and the newest one partial', async () => {
      const { world } = fx;
      const t0 = start();
      world.cloudwatch.provider = (_tg, minute) => (minute >= t0 ? figures() : undefined);
      world.cloudwatch.delayMinutes = 2;
      await world.clock.advance(5 * MINUTE + 30_000);
      const [requests] = (await get([query('requests', 'RequestCount', 'Sum')])).MetricDataResults!;
      // minutes 0,1,2 complete (end + 2 min <= 5.5 min); minute 3 ended at 4 min: 3/4 delivered; minute 4 ended at 5 min: 1/4
      expect(requests.Timestamps!.map((t) => (t.getTime() - t0) / MINUTE)).toEqual([4, 3, 2, 1, 0]);
      expect(requests.Values).toEqual([150, 450, 600, 600, 600]);
    });

    it('omits 5xx minutes whose count is zero, like CloudWatch', async () => {
      const { world } = fx;
      const t0 = start();
      world.cloudwatch.provider = (_tg, minute) => figures({ errors5xx: (minute - t0) / MINUTE === 1 ? 0 : 3 });
      world.cloudwatch.delayMinutes = 1;
      await world.clock.advance(5 * MINUTE);
      const [errors] = (await get([query('errors', 'HTTPCode_Target_5XX_Count', 'Sum')], 5, 'TimestampAscending')).MetricDataResults!;
      expect(errors.Timestamps!.map((t) => (t.getTime() - t0) / MINUTE)).toEqual([0, 2, 3]);
    });

    it.each([
      ['p95 in seconds', 'TargetResponseTime', 'p95', 0.24],
      ['slow requests above 1 s', 'TargetResponseTime', 'TC(1:)', 12],
      ['slow requests above 2 s', 'TargetResponseTime', 'TC(2:)', 0],
      ['healthy hosts', 'HealthyHostCount', 'Minimum', 2],
    ])('reports %s', async (_, metric, stat, value) => {
      const { world } = fx;
      world.cloudwatch.provider = () => figures();
      world.cloudwatch.delayMinutes = 1; // the newest visible minute is then complete
      await world.clock.advance(5 * MINUTE);
      const [result] = (await get([query('m', metric, stat)], 2)).MetricDataResults!;
      expect(result.Values![0]).toBe(value);
    });

    it('returns no data for a query without the LoadBalancer dimension', async () => {
      const { world, web } = fx;
      world.cloudwatch.provider = () => figures();
      await world.clock.advance(5 * MINUTE);
      const [result] = (await get([query('m', 'RequestCount', 'Sum', [{ Name: 'TargetGroup', Value: web.green.fullName }])])).MetricDataResults!;
      expect(result.Values).toEqual([]);
    });

    it('fails the next N calls with ThrottlingException', async () => {
      const { world } = fx;
      world.cloudwatch.throttleNext(2);
      await expect(get([query('m', 'RequestCount', 'Sum')])).rejects.toMatchObject({ name: 'ThrottlingException' });
      await expect(get([query('m', 'RequestCount', 'Sum')])).rejects.toMatchObject({ name: 'ThrottlingException' });
      await expect(get([query('m', 'RequestCount', 'Sum')])).resolves.toBeDefined();
    });

    it.each([
      ['an Id starting with a capital', [{ ...{} as MetricDataQuery, Id: 'Requests' }], 'Id'],
      ['duplicate Ids', 'dup', 'twice'],
    ])('rejects %s with ValidationError', async (_, queries, message) => {
      const list = queries === 'dup' ? [query('a', 'RequestCount', 'Sum'), query('a', 'RequestCount', 'Sum')] : (queries as MetricDataQuery[]);
      await expect(get(list)).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining(message) });
    });
  });

  describe('PutMetricData', () => {
    it('stores data that GetMetricData then returns', async () => {
      const { world } = fx;
      const dims = [{ Name: 'Service', Value: 'web' }];
      await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'EcsCanary', MetricData: [{ MetricName: 'CanaryWeight', Dimensions: dims, Value: 25 }] }));
      await world.clock.advance(MINUTE);
      const now = world.clock.now();
      const { MetricDataResults } = await cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: [{ Id: 'w', MetricStat: { Metric: { Namespace: 'EcsCanary', MetricName: 'CanaryWeight', Dimensions: dims }, Period: 60, Stat: 'Maximum' } }],
          StartTime: new Date(now - 5 * MINUTE),
          EndTime: new Date(now),
        }),
      );
      expect(MetricDataResults![0].Values).toEqual([25]);
    });

    it('rejects an AWS/ namespace', async () => {
      await expect(cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: [{ MetricName: 'x', Value: 1 }] }))).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
      });
    });
  });
});
