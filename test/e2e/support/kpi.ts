/**
 * A KPI for the end-to-end tests: orders per request, published per version with the task
 * definition revision as the version dimension, served by the fake CloudWatch's custom provider.
 */
import { type CustomMetricSpec, revisionOf } from '../../../lambdas/core/custom-metrics';
import type { EngineWorld } from './engine-world';

/** A KPI that must not fall: orders per request of each version, 5% tolerated. */
export const ORDERS: CustomMetricSpec = {
  name: 'orders',
  namespace: 'Shop',
  metricName: 'Orders',
  dimensions: { Service: 'svc' },
  statistic: 'Sum',
  compare: { tolerancePercent: 5, worse: 'lower' },
  versionDimension: 'TaskDefinitionRevision',
  action: 'rollback',
};

/** Orders per request: 10% on the original, `canaryRate` on the replacement (one count a minute per version). */
export function publishOrders(world: EngineWorld, canaryRate: number): void {
  world.world.cloudwatch.customProvider = (namespace, name, dims, minute) => {
    if (namespace !== 'Shop' || name !== 'Orders' || dims.Service !== 'svc' || Object.keys(dims).length !== 2) return undefined;
    const simMinute = world.traffic?.minutes.find((m) => m.start === minute);
    if (!simMinute) return undefined;
    const replacement = world.world.ecs.services
      .get(world.service.ecsService.serviceName)
      ?.taskSets.find((t) => t.deletedAt === undefined && t.targetGroupArn === world.deployment.replacementTargetGroupArn);
    const canary = replacement !== undefined && dims.TaskDefinitionRevision === revisionOf(replacement.taskDefinitionArn);
    const group = canary ? simMinute.canary : simMinute.baseline;
    const orders = Math.round(group.requests * (canary ? canaryRate : 0.1));
    return orders > 0 ? [orders] : undefined;
  };
}
