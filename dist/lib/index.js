"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.TargetGroupMetrics = exports.serviceStackName = exports.ServiceStack = exports.RollbackAlarms = exports.MAX_DEPLOYMENT_GROUP_ALARMS = exports.defaultRequestFloor = exports.RolloutEngineBinding = exports.RolloutEngine = exports.PlatformStack = exports.PLATFORM_STACK_NAME = exports.resolveEnvironment = exports.addEcsCanaryStacks = exports.renderDeploymentMetadata = exports.CanaryNotifications = exports.TLS_POLICY = exports.CanaryListeners = exports.CANARY_WEIGHT_METRIC = exports.CanaryDashboard = exports.CdkDeployTrigger = exports.CanaryServiceError = exports.CanaryService = void 0;
/**
 * ecs-canary as a construct library (the package's `main`): build `CanaryService` in your own CDK
 * app, with the rollout engine attached (docs/packaging.md).
 *
 *   import { CanaryService, loadServiceConfigFile, RolloutEngineBinding } from 'ecs-canary';
 *   new CanaryService(stack, 'Orders', { config: loadServiceConfigFile('services/orders.yaml'), vpc, cluster, engine: new RolloutEngineBinding() });
 */
__exportStar(require("./config"), exports);
var canary_service_1 = require("./canary-service");
Object.defineProperty(exports, "CanaryService", { enumerable: true, get: function () { return canary_service_1.CanaryService; } });
var canary_service_error_1 = require("./canary-service-error");
Object.defineProperty(exports, "CanaryServiceError", { enumerable: true, get: function () { return canary_service_error_1.CanaryServiceError; } });
var cdk_deploy_trigger_1 = require("./cdk-deploy-trigger");
Object.defineProperty(exports, "CdkDeployTrigger", { enumerable: true, get: function () { return cdk_deploy_trigger_1.CdkDeployTrigger; } });
var canary_dashboard_1 = require("./canary-dashboard");
Object.defineProperty(exports, "CanaryDashboard", { enumerable: true, get: function () { return canary_dashboard_1.CanaryDashboard; } });
Object.defineProperty(exports, "CANARY_WEIGHT_METRIC", { enumerable: true, get: function () { return canary_dashboard_1.CANARY_WEIGHT_METRIC; } });
var canary_listeners_1 = require("./canary-listeners");
Object.defineProperty(exports, "CanaryListeners", { enumerable: true, get: function () { return canary_listeners_1.CanaryListeners; } });
Object.defineProperty(exports, "TLS_POLICY", { enumerable: true, get: function () { return canary_listeners_1.TLS_POLICY; } });
var canary_notifications_1 = require("./canary-notifications");
Object.defineProperty(exports, "CanaryNotifications", { enumerable: true, get: function () { return canary_notifications_1.CanaryNotifications; } });
var deployment_metadata_1 = require("./deployment-metadata");
Object.defineProperty(exports, "renderDeploymentMetadata", { enumerable: true, get: function () { return deployment_metadata_1.renderDeploymentMetadata; } });
var ecs_canary_app_1 = require("./ecs-canary-app");
Object.defineProperty(exports, "addEcsCanaryStacks", { enumerable: true, get: function () { return ecs_canary_app_1.addEcsCanaryStacks; } });
Object.defineProperty(exports, "resolveEnvironment", { enumerable: true, get: function () { return ecs_canary_app_1.resolveEnvironment; } });
Object.defineProperty(exports, "PLATFORM_STACK_NAME", { enumerable: true, get: function () { return ecs_canary_app_1.PLATFORM_STACK_NAME; } });
var platform_stack_1 = require("./platform-stack");
Object.defineProperty(exports, "PlatformStack", { enumerable: true, get: function () { return platform_stack_1.PlatformStack; } });
var rollout_engine_1 = require("./rollout-engine");
Object.defineProperty(exports, "RolloutEngine", { enumerable: true, get: function () { return rollout_engine_1.RolloutEngine; } });
var rollout_engine_binding_1 = require("./rollout-engine-binding");
Object.defineProperty(exports, "RolloutEngineBinding", { enumerable: true, get: function () { return rollout_engine_binding_1.RolloutEngineBinding; } });
var rollback_alarms_1 = require("./rollback-alarms");
Object.defineProperty(exports, "defaultRequestFloor", { enumerable: true, get: function () { return rollback_alarms_1.defaultRequestFloor; } });
Object.defineProperty(exports, "MAX_DEPLOYMENT_GROUP_ALARMS", { enumerable: true, get: function () { return rollback_alarms_1.MAX_DEPLOYMENT_GROUP_ALARMS; } });
Object.defineProperty(exports, "RollbackAlarms", { enumerable: true, get: function () { return rollback_alarms_1.RollbackAlarms; } });
var service_stack_1 = require("./service-stack");
Object.defineProperty(exports, "ServiceStack", { enumerable: true, get: function () { return service_stack_1.ServiceStack; } });
Object.defineProperty(exports, "serviceStackName", { enumerable: true, get: function () { return service_stack_1.serviceStackName; } });
var target_group_metrics_1 = require("./target-group-metrics");
Object.defineProperty(exports, "TargetGroupMetrics", { enumerable: true, get: function () { return target_group_metrics_1.TargetGroupMetrics; } });
