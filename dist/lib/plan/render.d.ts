import type { PlanDetection } from '../../lambdas/core/plan-detection';
import type { TrafficProfile } from '../../lambdas/core/plan-traffic';
/** True when the figures come from CloudWatch and it saw no request at all. */
export declare function noTraffic(traffic: TrafficProfile): boolean;
/** "10 req/s (600 a minute), 0.50% errors, p95 180 ms" */
export declare function trafficText(traffic: TrafficProfile): string;
/** The whole `canary plan` text. */
export declare function renderPlan(service: string, d: PlanDetection): string[];
/** One or two lines for `canary deploy`, before it creates the deployment. */
export declare function summaryLines(service: string, d: PlanDetection): string[];
