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
exports.CanaryDashboard = exports.DECISIONS_QUERY = exports.CANARY_WEIGHT_METRIC = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const cloudwatch = __importStar(require("aws-cdk-lib/aws-cloudwatch"));
const constructs_1 = require("constructs");
const role_metrics_1 = require("../lambdas/core/role-metrics");
/** Namespace and name of the metric the rollout engine publishes with the replacement's weight. */
exports.CANARY_WEIGHT_METRIC = { namespace: role_metrics_1.ENGINE_NAMESPACE, metricName: 'CanaryWeight' };
/** The canary in orange, stable in blue, on every graph. */
const ROLE_COLOURS = { canary: '#ff7f0e', stable: '#1f77b4' };
/** The tick's `decision` log lines (Powertools JSON; `lambdas/handlers/tick.ts`), newest first. */
exports.DECISIONS_QUERY = [
    'fields @timestamp, stage, verdict, reason, deploymentId, hook',
    'filter message = "decision"',
    'sort @timestamp desc',
    'limit 100',
];
/**
 * The on-call dashboard by role, not colour: canary and stable overlaid on the same graphs
 * (requests, error rate, p95, weight) from the engine's per-role metrics, the rollback alarms,
 * target health, and — once an engine is attached — the engine's decisions with their reasons.
 */
class CanaryDashboard extends constructs_1.Construct {
    dashboard;
    serviceName;
    decisionsAdded = false;
    constructor(scope, id, props) {
        super(scope, id);
        this.serviceName = props.serviceName;
        const limit = (label, value) => value === undefined ? [] : [{ label, value, color: '#d62728' }];
        const graph = (title, metric, statistic, unit, annotations = []) => new cloudwatch.GraphWidget({
            title,
            left: ['canary', 'stable'].map((role) => this.roleMetric(role, metric, statistic)),
            leftYAxis: { min: 0, label: unit, showUnits: false },
            leftAnnotations: annotations,
            width: 12,
            height: 6,
            period: aws_cdk_lib_1.Duration.minutes(1),
        });
        this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, defaultInterval: aws_cdk_lib_1.Duration.hours(3) });
        this.dashboard.addWidgets(new cloudwatch.TextWidget({
            markdown: [
                `# ecs-canary: ${props.serviceName}`,
                '**canary** (orange) is the version being rolled out, **stable** (blue) the version it replaces, whichever target group each runs on. Gaps: no rollout running, or a minute without requests.',
            ].join('\n'),
            width: 24,
            height: 2,
        }));
        // Requests: Maximum, since a minute may be published by two ticks.
        this.dashboard.addWidgets(graph('Requests / min: canary vs stable', 'requests', 'Maximum', 'requests'), graph('Error rate %: canary vs stable (5XX and connection errors)', 'errorRate', 'Maximum', '%', limit('maxErrorRatePercent', props.thresholds?.maxErrorRatePercent)));
        this.dashboard.addWidgets(graph('p95 response time (ms): canary vs stable', 'p95', 'Maximum', 'ms', limit('maxP95Ms', props.thresholds?.maxP95Ms)), graph('Production weight %: canary vs stable', 'weight', 'Maximum', '%'));
        this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Rollback alarms (any in ALARM stops the deployment)', alarms: [...props.alarms], width: 12, height: 6 }), new cloudwatch.GraphWidget({
            title: 'Targets by target group (blue / green)',
            left: props.targetGroups.flatMap((tg) => [tg.healthyHosts(), tg.unhealthyHosts()]),
            width: 12,
            height: 6,
            period: aws_cdk_lib_1.Duration.minutes(1),
        }));
    }
    /** Adds the table of this service's decisions from the tick's log group (at most once). */
    addDecisions(tickLogGroupName) {
        if (this.decisionsAdded)
            return;
        this.decisionsAdded = true;
        this.dashboard.addWidgets(new cloudwatch.LogQueryWidget({
            title: `Decisions of the rollout engine for ${this.serviceName} (newest first)`,
            logGroupNames: [tickLogGroupName],
            queryLines: [...exports.DECISIONS_QUERY],
            view: cloudwatch.LogQueryVisualizationType.TABLE,
            width: 24,
            height: 8,
        }));
    }
    roleMetric(role, metric, statistic) {
        return new cloudwatch.Metric({
            namespace: role_metrics_1.ENGINE_NAMESPACE,
            metricName: role_metrics_1.ROLE_METRICS[metric].metricName,
            dimensionsMap: { Service: this.serviceName, Role: role },
            statistic,
            period: aws_cdk_lib_1.Duration.minutes(1),
            label: role,
            color: ROLE_COLOURS[role],
        });
    }
}
exports.CanaryDashboard = CanaryDashboard;
