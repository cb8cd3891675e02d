import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';

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
    return cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(now - minutesBack * MINUTE),
        EndTime: new Date(now),
        ScanBy,
      }),
    );
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
      const [result] = (await get([query('m', 'RequestCount', 'Sum', [{ Name: 'TargetGroup', Value: web.green.fullName }])]))
        .MetricDataResults!;
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
      ['an Id starting with a capital', [{ ...({} as MetricDataQuery), Id: 'Requests' }], 'Id'],
      ['duplicate Ids', 'dup', 'twice'],
    ])('rejects %s with ValidationError', async (_, queries, message) => {
      const list =
        queries === 'dup' ? [query('a', 'RequestCount', 'Sum'), query('a', 'RequestCount', 'Sum')] : (queries as MetricDataQuery[]);
      await expect(get(list)).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining(message) });
    });
  });

  describe('PutMetricData', () => {
    it('stores data that GetMetricData then returns', async () => {
      const { world } = fx;
      const dims = [{ Name: 'Service', Value: 'web' }];
      await cloudwatch.send(
        new PutMetricDataCommand({ Namespace: 'EcsCanary', MetricData: [{ MetricName: 'CanaryWeight', Dimensions: dims, Value: 25 }] }),
      );
      await world.clock.advance(MINUTE);
      const now = world.clock.now();
      const { MetricDataResults } = await cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: [
            {
              Id: 'w',
              MetricStat: { Metric: { Namespace: 'EcsCanary', MetricName: 'CanaryWeight', Dimensions: dims }, Period: 60, Stat: 'Maximum' },
            },
          ],
          StartTime: new Date(now - 5 * MINUTE),
          EndTime: new Date(now),
        }),
      );
      expect(MetricDataResults![0].Values).toEqual([25]);
    });

    it('rejects an AWS/ namespace', async () => {
      await expect(
        cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: [{ MetricName: 'x', Value: 1 }] })),
      ).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
      });
    });
  });
  describe('custom metrics from the provider', () => {
    const custom = (id: string, stat: string, revision: string): MetricDataQuery => ({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: 'Shop',
          MetricName: 'Orders',
          Dimensions: [
            { Name: 'Service', Value: 'shop' },
            { Name: 'TaskDefinitionRevision', Value: revision },
          ],
        },
        Period: 60,
        Stat: stat,
      },
    });

    it("serves each version's values by its exact dimensions, with every statistic (trimmed counts in (lower, upper]), once the minute is delivered", async () => {
      const from = start();
      fx.world.cloudwatch.delayMinutes = 0;
      fx.world.cloudwatch.customProvider = (namespace, name, dims) =>
        namespace === 'Shop' && name === 'Orders' && dims.Service === 'shop' && Object.keys(dims).length === 2
          ? ({ 2: [1, 2, 3, 4], 1: [10] } as Record<string, number[]>)[dims.TaskDefinitionRevision]
          : undefined;
      await fx.world.clock.advance(2 * MINUTE);
      const result = await get(
        [
          custom('s', 'Sum', '2'),
          custom('a', 'Average', '2'),
          custom('p', 'p75', '2'),
          custom('n', 'SampleCount', '2'),
          custom('above', 'TC(2:)', '2'),
          custom('below', 'TC(:2)', '2'),
          custom('o', 'Sum', '1'),
          custom('x', 'Sum', '9'),
        ],
        2,
        'TimestampAscending',
      );
      const values = Object.fromEntries(result.MetricDataResults!.map((r) => [r.Id, r.Values]));
      // The second minute ends only now: not yet visible. Another revision has no data.
      expect(values).toEqual({ s: [10], a: [2.5], p: [3], n: [4], above: [2], below: [2], o: [10], x: [] });
      expect(result.MetricDataResults!.find((r) => r.Id === 's')!.Timestamps!.map((t) => t.getTime())).toEqual([from]);
    });

    it("delivers a minute late and partially, as the load balancer's metrics", async () => {
      fx.world.cloudwatch.delayMinutes = 2;
      fx.world.cloudwatch.customProvider = () => [1, 1, 1, 1];
      await fx.world.clock.advance(MINUTE + 60_000);
      const result = await get([custom('s', 'Sum', '2')], 2, 'TimestampAscending');
      // The first minute ended a minute ago with a 2-minute delay: half of its values so far.
      expect(result.MetricDataResults![0].Values).toEqual([2]);
    });
  });
});
