/**
 * ecs-canary as a construct library (the package's `main`): build `CanaryService` in your own CDK
 * app, with the rollout engine attached (docs/packaging.md).
 *
 *   import { CanaryService, loadServiceConfigFile, RolloutEngineBinding } from 'ecs-canary';
 *   new CanaryService(stack, 'Orders', {
 *     config: loadServiceConfigFile('services/orders.yaml'),
 *     vpc,
 *     cluster,
 *     engine: new RolloutEngineBinding(),
 *   });
 */
export { EcsCanaryError } from '../lambdas/core/ecs-canary-error';
export { CANARY_WEIGHT_METRIC, CanaryDashboard, type CanaryDashboardProps } from './canary-dashboard';
export { CanaryListeners, type CanaryListenersProps, TLS_POLICY } from './canary-listeners';
export { CanaryNotifications, type CanaryNotificationsProps } from './canary-notifications';
export { CanaryService, type CanaryServiceProps, type ICanaryEngine } from './canary-service';
export { CanaryServiceError } from './canary-service-error';
export { CdkDeployTrigger, type CdkDeployTriggerProps } from './cdk-deploy-trigger';
export * from './config';
export { type DeploymentMetadataParts, type EngineAttachment, renderDeploymentMetadata } from './deployment-metadata';
export { addEcsCanaryStacks, type EcsCanaryStacks, PLATFORM_STACK_NAME, resolveEnvironment } from './ecs-canary-app';
export { MetricAlarms, type MetricAlarmsProps } from './metric-alarms';
export { PlatformStack, type PlatformStackProps } from './platform-stack';
export { defaultRequestFloor, MAX_DEPLOYMENT_GROUP_ALARMS, RollbackAlarms, type RollbackAlarmsProps } from './rollback-alarms';
export { RolloutEngine, type RolloutEngineProps } from './rollout-engine';
export { RolloutEngineBinding, type RolloutEngineBindingProps } from './rollout-engine-binding';
export { servicePropsFromFile } from './service-file-props';
export { ServiceScaling, type ServiceScalingProps } from './service-scaling';
export { ServiceStack, serviceStackName, type ServiceStackProps } from './service-stack';
export { StartCheck, type StartCheckProps } from './start-check';
export { TargetGroupMetrics } from './target-group-metrics';
