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
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.TargetGroupMetrics = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const cloudwatch = __importStar(require("aws-cdk-lib/aws-cloudwatch"));
/**
 * The per-minute ALB metrics of one target group, as the judge and the alarms read them
 * (namespace AWS/ApplicationELB, dimensions TargetGroup + LoadBalancer).
 *
 * Built by hand because the target groups are attached to listeners that CloudFormation does not
 * manage, so `targetGroup.metrics` (which needs an attached load balancer) is not available.
 */
class TargetGroupMetrics {
    targetGroup;
    loadBalancer;
    label;
    constructor(targetGroup, loadBalancer, 
    /** Shown in labels: "blue" or "green". */
    label) {
        this.targetGroup = targetGroup;
        this.loadBalancer = loadBalancer;
        this.label = label;
    }
    /** Requests routed to the target group per minute (Sum). */
    requests() {
        return this.metric('RequestCount', 'Sum', 'requests');
    }
    /** 5xx responses from the targets per minute (Sum; absent means 0). */
    targetErrors() {
        return this.metric('HTTPCode_Target_5XX_Count', 'Sum', '5xx');
    }
    /** Connections to targets that failed per minute (Sum; absent means 0). */
    connectionErrors() {
        return this.metric('TargetConnectionErrorCount', 'Sum', 'connection errors');
    }
    /** p95 of the targets' response time, in seconds. */
    p95ResponseTime() {
        return this.metric('TargetResponseTime', 'p95', 'p95 (s)');
    }
    healthyHosts() {
        return this.metric('HealthyHostCount', 'Minimum', 'healthy');
    }
    unhealthyHosts() {
        return this.metric('UnHealthyHostCount', 'Maximum', 'unhealthy');
    }
    /**
     * Server error rate in percent ((5xx + connection errors) / requests), 0 in any minute with
     * fewer than `requestFloor` requests so that a quiet minute never alarms.
     */
    errorRatePercent(requestFloor) {
        return new cloudwatch.MathExpression({
            expression: `IF(requests >= ${requestFloor}, 100 * (FILL(errors, 0) + FILL(connectionErrors, 0)) / requests, 0)`,
            usingMetrics: { requests: this.requests(), errors: this.targetErrors(), connectionErrors: this.connectionErrors() },
            period: aws_cdk_lib_1.Duration.minutes(1),
            label: `${this.label} server error rate (%)`,
        });
    }
    /** p95 response time in milliseconds, 0 in any minute with fewer than `requestFloor` requests. */
    p95Milliseconds(requestFloor) {
        return new cloudwatch.MathExpression({
            expression: `IF(requests >= ${requestFloor}, 1000 * p95, 0)`,
            usingMetrics: { requests: this.requests(), p95: this.p95ResponseTime() },
            period: aws_cdk_lib_1.Duration.minutes(1),
            label: `${this.label} p95 (ms)`,
        });
    }
    metric(metricName, statistic, what) {
        return new cloudwatch.Metric({
            namespace: 'AWS/ApplicationELB',
            metricName,
            statistic,
            period: aws_cdk_lib_1.Duration.minutes(1),
            label: `${this.label} ${what}`,
            dimensionsMap: {
                TargetGroup: this.targetGroup.targetGroupFullName,
                LoadBalancer: this.loadBalancer.loadBalancerFullName,
            },
        });
    }
}
exports.TargetGroupMetrics = TargetGroupMetrics;
