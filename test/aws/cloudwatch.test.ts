import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';

import { buildMetricQueries, putRoleMetrics, putWeightMetric, readMetrics, type RetryOptions } from '../../lambdas/aws/cloudwatch';
import { MetricsUnavailableError } from '../../lambdas/aws/engine-errors';

const cw = mockClient(CloudWatchClient);
const client = new CloudWatchClient({});
const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const targets = {
  replacement: { arn: 'arn:tg/green', fullName: 'targetgroup/green/2', name: 'green' },
  original: { arn: 'arn:tg/blue', fullName: 'targetgroup/blue/1', name: 'blue' },
};
const sleeps: number[] = [];
const retry: RetryOptions = {
  attempts: 4,
  baseDelayMs: 100,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
};
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

afterEach(() => {
  cw.reset();
  sleeps.length = 0;
});

describe('cloudwatch adapter', () => {
  describe('buildMetricQueries', () => {
    const queries = buildMetricQueries(targets, 'app/orders/abc', 800);

    it('asks for seven series of the replacement and the four the judge compares of the original, each with both dimensions and a 60 s period', () => {
      expect(queries.map((q) => q.Id)).toEqual([
        'r_requests',
        'r_errors5xx',
        'r_connectionErrors',
        'r_slowRequests',
        'r_p95',
        'r_healthyHosts',
        'r_unhealthyHosts',
        'o_requests',
        'o_errors5xx',
        'o_connectionErrors',
        'o_slowRequests',
      ]);
      for (const q of queries) {
        expect(q.MetricStat?.Period).toBe(60);
        expect(q.MetricStat?.Metric?.Dimensions?.map((d) => d.Name)).toEqual(['TargetGroup', 'LoadBalancer']);
      }
    });

    it("asks only for the replacement's seven series when only the replacement is read", () => {
      expect(buildMetricQueries(targets, 'app/orders/abc', 800, ['replacement']).map((q) => q.Id)).toEqual([
        'r_requests',
        'r_errors5xx',
        'r_connectionErrors',
        'r_slowRequests',
        'r_p95',
        'r_healthyHosts',
        'r_unhealthyHosts',
      ]);
    });

    it.each([
      ['r_requests', 'RequestCount', 'Sum', 'targetgroup/green/2'],
      ['o_errors5xx', 'HTTPCode_Target_5XX_Count', 'Sum', 'targetgroup/blue/1'],
      ['r_slowRequests', 'TargetResponseTime', 'TC(0.8:)', 'targetgroup/green/2'],
      ['r_p95', 'TargetResponseTime', 'p95', 'targetgroup/green/2'],
      ['o_slowRequests', 'TargetResponseTime', 'TC(0.8:)', 'targetgroup/blue/1'],
    ])('query %s reads %s %s of %s', (id, metric, stat, tg) => {
      const q = queries.find((x) => x.Id === id)!;
      expect([q.MetricStat?.Metric?.MetricName, q.MetricStat?.Stat, q.MetricStat?.Metric?.Dimensions?.[0].Value]).toEqual([
        metric,
        stat,
        tg,
      ]);
    });
  });

  describe('readMetrics', () => {
    const queries = buildMetricQueries(targets, 'app/orders/abc', 800);

    it('makes one call for both target groups, follows pages and rounds the range to whole minutes', async () => {
      cw.on(GetMetricDataCommand, { NextToken: undefined }).resolves({
        MetricDataResults: [{ Id: 'r_requests', Timestamps: [new Date(T0)], Values: [100] }],
        NextToken: 'n',
      });
      cw.on(GetMetricDataCommand, { NextToken: 'n' }).resolves({
        MetricDataResults: [{ Id: 'r_requests', Timestamps: [new Date(T0 + 60_000)], Values: [90] }],
      });
      const results = await readMetrics(client, queries, T0 + 10_000, T0 + 150_000, retry);
      expect(results).toEqual([{ id: 'r_requests', timestamps: [T0, T0 + 60_000], values: [100, 90] }]);
      const input = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
      expect([input.StartTime, input.EndTime, input.MetricDataQueries?.length]).toEqual([new Date(T0), new Date(T0 + 180_000), 11]);
    });

    it('retries throttling with exponential backoff', async () => {
      cw.on(GetMetricDataCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ MetricDataResults: [] });
      await expect(readMetrics(client, queries, T0, T0 + 60_000, retry)).resolves.toEqual([]);
      expect(sleeps).toEqual([100, 200]);
    });

    it('gives up after the last attempt with MetricsUnavailableError ("no evidence")', async () => {
      cw.on(GetMetricDataCommand).rejects(throttled());
      await expect(readMetrics(client, queries, T0, T0 + 60_000, retry)).rejects.toThrow(MetricsUnavailableError);
      expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(4);
    });

    it('does not retry an error that retrying cannot fix', async () => {
      cw.on(GetMetricDataCommand).rejects(
        Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }),
      );
      await expect(readMetrics(client, queries, T0, T0 + 60_000, retry)).rejects.toThrow(/GetMetricData failed: AccessDeniedException/);
      expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    });
  });

  describe('putWeightMetric', () => {
    it('puts CanaryWeight in EcsCanary with the Service dimension', async () => {
      cw.on(PutMetricDataCommand).resolves({});
      await putWeightMetric(client, 'orders', 25, new Date(T0));
      expect(cw.commandCalls(PutMetricDataCommand)[0].args[0].input).toEqual({
        Namespace: 'EcsCanary',
        MetricData: [
          {
            MetricName: 'CanaryWeight',
            Dimensions: [{ Name: 'Service', Value: 'orders' }],
            Value: 25,
            Unit: 'Percent',
            Timestamp: new Date(T0),
          },
        ],
      });
    });
  });

  describe('putRoleMetrics', () => {
    it('puts each sample in EcsCanary with the Service and Role dimensions, its unit and its own time', async () => {
      cw.on(PutMetricDataCommand).resolves({});
      await putRoleMetrics(client, 'orders', [
        { role: 'canary', metric: 'requests', value: 120, at: T0 },
        { role: 'stable', metric: 'p95', value: 87, at: T0 },
        { role: 'canary', metric: 'weight', value: 25, at: T0 + 90_000 },
      ]);
      const dims = (role: string) => [
        { Name: 'Service', Value: 'orders' },
        { Name: 'Role', Value: role },
      ];
      expect(cw.commandCalls(PutMetricDataCommand)[0].args[0].input).toEqual({
        Namespace: 'EcsCanary',
        MetricData: [
          { MetricName: 'Requests', Dimensions: dims('canary'), Value: 120, Unit: 'Count', Timestamp: new Date(T0) },
          { MetricName: 'LatencyP95', Dimensions: dims('stable'), Value: 87, Unit: 'Milliseconds', Timestamp: new Date(T0) },
          { MetricName: 'Weight', Dimensions: dims('canary'), Value: 25, Unit: 'Percent', Timestamp: new Date(T0 + 90_000) },
        ],
      });
    });

    it('calls nothing without samples', async () => {
      await putRoleMetrics(client, 'orders', []);
      expect(cw.calls()).toHaveLength(0);
    });
  });
});
