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
exports.CanaryDashboard = exports.CANARY_WEIGHT_METRIC = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const cloudwatch = __importStar(require("aws-cdk-lib/aws-cloudwatch"));
const constructs_1 = require("constructs");
/** Namespace and name of the metric the rollout engine publishes with the replacement's weight. */
exports.CANARY_WEIGHT_METRIC = { namespace: 'EcsCanary', metricName: 'CanaryWeight' };
/**
 * One row per signal, the two target groups side by side: requests, server error rate, p95 and
 * healthy/unhealthy targets; the canary weight the engine reports; the rollback alarms.
 */
class CanaryDashboard extends constructs_1.Construct {
    dashboard;
    constructor(scope, id, props) {
        super(scope, id);
        const floor = props.requestFloorPerMinute;
        const row = (title, metricsOf) => props.targetGroups.map((tg) => new cloudwatch.GraphWidget({ title: `${title}: ${tg.label}`, left: metricsOf(tg), width: 12, height: 6, period: aws_cdk_lib_1.Duration.minutes(1) }));
        this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
            dashboardName: props.dashboardName,
            defaultInterval: aws_cdk_lib_1.Duration.hours(3),
        });
        this.dashboard.addWidgets(new cloudwatch.TextWidget({
            markdown: `# ecs-canary: ${props.serviceName}\nBlue and green swap roles on every deployment; the replacement is the one gaining weight.`,
            width: 24,
            height: 2,
        }));
        this.dashboard.addWidgets(...row('Requests / min', (tg) => [tg.requests()]));
        this.dashboard.addWidgets(...row('Server error rate %', (tg) => [tg.errorRatePercent(floor)]));
        this.dashboard.addWidgets(...row('p95 response time (ms)', (tg) => [tg.p95Milliseconds(floor)]));
        this.dashboard.addWidgets(...row('Targets', (tg) => [tg.healthyHosts(), tg.unhealthyHosts()]));
        this.dashboard.addWidgets(new cloudwatch.GraphWidget({
            title: 'Replacement weight % (rollout engine)',
            left: [
                new cloudwatch.Metric({
                    ...exports.CANARY_WEIGHT_METRIC,
                    dimensionsMap: { Service: props.serviceName },
                    statistic: 'Maximum',
                    period: aws_cdk_lib_1.Duration.minutes(1),
                    label: 'replacement weight %',
                }),
            ],
            width: 12,
            height: 6,
        }), new cloudwatch.AlarmStatusWidget({ title: 'Rollback alarms', alarms: [...props.alarms], width: 12, height: 6 }));
    }
}
exports.CanaryDashboard = CanaryDashboard;
