/**
 * Connects a sim TrafficWorld to a service in the fake: production listener writes move the
 * simulated canary weight, simulated minutes become the CloudWatch provider's data (the
 * replacement target group of the newest deployment is the canary, its original the baseline),
 * and the simulation's live canary health drives the replacement task set's target health.
 * Delivery delay and partial minutes stay with FakeCloudWatch (`delayMinutes`).
 */
import { slowRequestsAbove } from '../../sim/slow-requests';
import type { TrafficWorld } from '../../sim/traffic';
import type { MinuteFigures } from './cloudwatch';
import type { Deployment } from './codedeploy-lifecycle';
import type { FakeAws } from './world';

const MINUTE = 60_000;

export interface TrafficBridgeOptions {
  /**
   * @deprecated Ignored: `TC(T:)` is answered for any T by sim `slowRequestsAbove`. Still
   * accepted so that callers written for the fixed-threshold bridge compile.
   */
  readonly slowThresholdMs?: number;
}

export interface TrafficBridge {
  /** The canary weight (percent) last passed to the simulation. */
  readonly canaryWeight: () => number;
  readonly detach: () => void;
}

export function connectTraffic(
  world: FakeAws,
  serviceName: string,
  traffic: TrafficWorld,
  _options: TrafficBridgeOptions = {},
): TrafficBridge {
  const service = world.service(serviceName);
  const production = service.metadata.productionListenerArn;
  let weight = 0;
  let attached = true;

  const deployments = () => [...world.codedeploy.deployments.values()].filter((d) => d.group === service.group && d.kind === 'user');
  const newestBefore = (time: number): Deployment | undefined =>
    deployments()
      .filter((d) => d.createTime < time)
      .pop();

  const syncWeight = () => {
    const deployment = newestBefore(world.clock.now() + 1);
    const percent = deployment ? (world.elbv2.percents(production)[deployment.replacementTargetGroupArn] ?? 0) : 0;
    if (percent !== weight) {
      weight = percent;
      traffic.setCanaryWeight(world.clock.now(), percent);
    }
  };
  const syncHealth = () => {
    const deployment = newestBefore(world.clock.now() + 1);
    const taskSet = deployment?.replacementTaskSet;
    if (!taskSet || taskSet.deletedAt !== undefined || taskSet.health === 'initial') return;
    const { canary } = traffic.targetHealth();
    const hosts = canary.healthy + canary.unhealthy;
    const sick = hosts === 0 ? 0 : Math.round((canary.unhealthy / hosts) * taskSet.desiredCount);
    const unhealthy = Math.min(
      Math.max(sick, canary.unhealthy > 0 ? 1 : 0),
      canary.healthy > 0 ? taskSet.desiredCount - 1 : taskSet.desiredCount,
    );
    world.ecs.setTaskSetHealth(
      taskSet,
      unhealthy === taskSet.desiredCount ? 'unhealthy' : 'healthy',
      unhealthy === taskSet.desiredCount ? 0 : unhealthy,
    );
  };

  const stopWrites = world.elbv2.onWrite((write) => {
    if (attached && write.listenerArn === production) syncWeight();
  });
  world.clock.onTimeChange((now) => {
    if (!attached) return;
    syncWeight();
    traffic.advanceTo(now);
    syncHealth();
  });

  world.cloudwatch.provider = (targetGroupFullName, minuteStart): MinuteFigures | undefined => {
    const minutes = traffic.minutes;
    if (minutes.length === 0) return undefined;
    const minute = minutes[(minuteStart - minutes[0].start) / MINUTE];
    if (!minute || minute.start !== minuteStart) return undefined;
    const deployment = newestBefore(minuteStart + MINUTE);
    const arn = (fullName: string) => [service.blue, service.green].find((g) => g.fullName === fullName)?.arn;
    const target = arn(targetGroupFullName);
    if (!target) return undefined;
    const canaryArn = deployment?.replacementTargetGroupArn;
    const group =
      target === canaryArn ? minute.canary : canaryArn || target === service.group.activeTargetGroupArn ? minute.baseline : undefined;
    if (!group) return undefined;
    return {
      requests: group.requests,
      errors5xx: group.errors5xx,
      connectionErrors: group.connectionErrors,
      p95Ms: group.p95Ms ?? 0,
      slowRequests: (thresholdMs) => slowRequestsAbove(group, thresholdMs),
      healthyHosts: group.healthyHosts,
      unhealthyHosts: group.unhealthyHosts,
    };
  };

  return {
    canaryWeight: () => weight,
    detach: () => {
      attached = false;
      stopWrites();
      world.cloudwatch.provider = undefined;
    },
  };
}
