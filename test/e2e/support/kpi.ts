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

/** Seed 004's memory compared with the stable version: the Average of each version's samples may rise at most 20%. */
export const MEMORY: CustomMetricSpec = {
  name: 'memory',
  namespace: 'Shop',
  metricName: 'MemoryMB',
  dimensions: { Service: 'svc' },
  statistic: 'Average',
  max: 2048,
  compare: { tolerancePercent: 20, worse: 'higher' },
  versionDimension: 'TaskDefinitionRevision',
  action: 'rollback',
};

/** Whether a version dimension names the replacement's task definition revision. */
function isCanary(world: EngineWorld, revision: string | undefined): boolean {
  const replacement = world.world.ecs.services
    .get(world.service.ecsService.serviceName)
    ?.taskSets.find((t) => t.deletedAt === undefined && t.targetGroupArn === world.deployment.replacementTargetGroupArn);
  return replacement !== undefined && revision === revisionOf(replacement.taskDefinitionArn);
}

/** A fixed pseudo-random number in [0, 1) for a minute, version and sample. */
function unit(minute: number, index: number, salt: number): number {
  const x = Math.sin(minute / 60_000 + index * 12.9898 + salt * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

/**
 * Memory samples in MB, one per 10 requests of each version: log-normal around 300 MB (10% spread,
 * fixed per minute, version and sample) on the original, × `canaryFactor` on the replacement.
 */
export function publishMemory(world: EngineWorld, canaryFactor: number): void {
  // The fake asks again for every query that covers a minute; the samples are a function of the key.
  const published = new Map<string, number[]>();
  world.world.cloudwatch.customProvider = (namespace, name, dims, minute) => {
    if (namespace !== 'Shop' || name !== 'MemoryMB' || dims.Service !== 'svc' || Object.keys(dims).length !== 2) return undefined;
    const simMinute = world.traffic?.minutes.find((m) => m.start === minute);
    if (!simMinute) return undefined;
    const canary = isCanary(world, dims.TaskDefinitionRevision);
    const samples = Math.round((canary ? simMinute.canary : simMinute.baseline).requests / 10);
    const key = `${minute}/${canary}/${samples}`;
    let values = published.get(key);
    if (!values) {
      values = Array.from({ length: samples }, (_, i) => {
        const normal =
          Math.sqrt(-2 * Math.log(Math.max(1e-12, unit(minute, i, canary ? 1 : 2)))) *
          Math.cos(2 * Math.PI * unit(minute, i, canary ? 3 : 4));
        return 300 * Math.exp(0.1 * normal) * (canary ? canaryFactor : 1);
      });
      published.set(key, values);
    }
    return values;
  };
}

/** Orders per request: 10% on the original, `canaryRate` on the replacement (one count a minute per version). */
export function publishOrders(world: EngineWorld, canaryRate: number): void {
  world.world.cloudwatch.customProvider = (namespace, name, dims, minute) => {
    if (namespace !== 'Shop' || name !== 'Orders' || dims.Service !== 'svc' || Object.keys(dims).length !== 2) return undefined;
    const simMinute = world.traffic?.minutes.find((m) => m.start === minute);
    if (!simMinute) return undefined;
    const canary = isCanary(world, dims.TaskDefinitionRevision);
    const group = canary ? simMinute.canary : simMinute.baseline;
    const orders = Math.round(group.requests * (canary ? canaryRate : 0.1));
    return orders > 0 ? [orders] : undefined;
  };
}
