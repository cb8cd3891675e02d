/**
 * ecs-canary as a construct library (the package's `main`): build `CanaryService` in your own CDK
 * app, with the rollout engine attached (docs/packaging.md).
 *
 *   import { CanaryService, loadServiceConfigFile, RolloutEngineBinding } from 'ecs-canary';
 *   new CanaryService(stack, 'Orders', { config: loadServiceConfigFile('services/orders.yaml'), vpc, cluster, engine: new RolloutEngineBinding() });
 */
export * from './config';
export { CanaryService, type CanaryServiceProps, type ICanaryEngine } from './canary-service';
export { CanaryServiceError } from './canary-service-error';
export { EcsCanaryError } from '../lambdas/core/ecs-canary-error';
export { CdkDeployTrigger, type CdkDeployTriggerProps } from './cdk-deploy-trigger';
export { CanaryDashboard, CANARY_WEIGHT_METRIC, type CanaryDashboardProps } from './canary-dashboard';
export { CanaryListeners, TLS_POLICY, type CanaryListenersProps } from './canary-listeners';
export { CanaryNotifications, type CanaryNotificationsProps } from './canary-notifications';
export { renderDeploymentMetadata, type DeploymentMetadataParts, type EngineAttachment } from './deployment-metadata';
export { addEcsCanaryStacks, resolveEnvironment, PLATFORM_STACK_NAME, type EcsCanaryStacks } from './ecs-canary-app';
export { PlatformStack, type PlatformStackProps } from './platform-stack';
export { RolloutEngine, type RolloutEngineProps } from './rollout-engine';
export { RolloutEngineBinding, type RolloutEngineBindingProps } from './rollout-engine-binding';
export { MetricAlarms, type MetricAlarmsProps } from './metric-alarms';
export { defaultRequestFloor, MAX_DEPLOYMENT_GROUP_ALARMS, RollbackAlarms, type RollbackAlarmsProps } from './rollback-alarms';
export { servicePropsFromFile } from './service-file-props';
export { ServiceScaling, type ServiceScalingProps } from './service-scaling';
export { ServiceStack, serviceStackName, type ServiceStackProps } from './service-stack';
export { StartCheck, type StartCheckProps } from './start-check';
export { TargetGroupMetrics } from './target-group-metrics';
