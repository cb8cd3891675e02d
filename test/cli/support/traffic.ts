/**
 * The CLI tests' CloudWatch: the fake of test/support (dimensions must match the target group and
 * its load balancer exactly, zero counts absent, the newest minutes partial or missing) answering
 * GetMetricData for the harness's mocked client, with steady traffic on one target group.
 */
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';

import { BLUE, metadata } from '../../deploy/fixtures';
import { FakeClock } from '../../support/clock';
import { FakeCloudWatch } from '../../support/cloudwatch';
import { aws, START } from '../harness';

export interface SteadyTraffic {
  /** Requests a second on the serving target group (`BLUE`); 0 for none at all. */
  readonly rps: number;
  /** Share of requests failing with 5xx. */
  readonly errorRate: number;
  readonly p95Ms: number;
  /** Share of requests slower than a threshold above the p95 (5% at or below it). @default 0.01 */
  readonly slowShareAbove?: number;
}

/** Seeds GetMetricData with `traffic` on BLUE (GREEN idle); returns the fake, for its calls. */
export function seedTraffic(traffic: SteadyTraffic): FakeCloudWatch {
  const clock = new FakeClock({ start: START });
  const loadBalancer = metadata().loadBalancerFullName;
  const fake = new FakeCloudWatch(clock, () => loadBalancer);
  const requests = Math.round(traffic.rps * 60);
  fake.provider = (targetGroup) =>
    targetGroup !== BLUE.fullName || requests === 0
      ? undefined
      : {
          requests,
          errors5xx: Math.round(requests * traffic.errorRate),
          connectionErrors: 0,
          p95Ms: traffic.p95Ms,
          slowRequests: (threshold) => Math.round(requests * (threshold > traffic.p95Ms ? (traffic.slowShareAbove ?? 0.01) : 0.05)),
          healthyHosts: 2,
          unhealthyHosts: 0,
        };
  aws.cloudwatch.on(GetMetricDataCommand).callsFake(async (input) => fake.getMetricData(input));
  return fake;
}
