/**
 * Simulation shared by the judge benchmark, the engine's end-to-end tests and `canary simulate`:
 * a seeded two-target-group service (`TrafficWorld`) and a CloudWatch-like view of it.
 */
export { normalCdf, normalQuantile } from '../lambdas/core/normal';
export * from './cloudwatch';
export * from './latency';
export * from './random';
export * from './scenario';
export * from './slow-requests';
export * from './traffic';
