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
exports.RollbackAlarms = exports.MAX_DEPLOYMENT_GROUP_ALARMS = void 0;
exports.defaultRequestFloor = defaultRequestFloor;
const cloudwatch = __importStar(require("aws-cdk-lib/aws-cloudwatch"));
const constructs_1 = require("constructs");
const canary_service_error_1 = require("./canary-service-error");
/** CodeDeploy accepts at most this many alarms per deployment group. */
exports.MAX_DEPLOYMENT_GROUP_ALARMS = 10;
/**
 * Alarms that stop and roll back a running deployment (including the termination wait after
 * 100%): per target group, the server error rate, p95 response time and unhealthy targets.
 * Missing data is healthy: a target group without tasks has no datapoints.
 */
class RollbackAlarms extends constructs_1.Construct {
    alarms;
    constructor(scope, id, props) {
        super(scope, id);
        const alarms = [];
        for (const metrics of props.targetGroups) {
            const group = new constructs_1.Construct(this, metrics.label);
            alarms.push(new cloudwatch.Alarm(group, 'ErrorRate', {
                alarmName: `${props.namePrefix}-${metrics.label}-error-rate`,
                alarmDescription: `Server error rate of the ${metrics.label} target group above ${props.maxErrorRatePercent}% in 2 of 3 minutes (minutes under ${props.requestFloorPerMinute} requests ignored); rolls back the deployment`,
                metric: metrics.errorRatePercent(props.requestFloorPerMinute),
                threshold: props.maxErrorRatePercent,
                comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                evaluationPeriods: 3,
                datapointsToAlarm: 2,
                treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
            }), new cloudwatch.Alarm(group, 'P95', {
                alarmName: `${props.namePrefix}-${metrics.label}-p95`,
                alarmDescription: `p95 response time of the ${metrics.label} target group above ${props.maxP95Ms} ms for 3 minutes (minutes under ${props.requestFloorPerMinute} requests ignored); rolls back the deployment`,
                metric: metrics.p95Milliseconds(props.requestFloorPerMinute),
                threshold: props.maxP95Ms,
                comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
            }), new cloudwatch.Alarm(group, 'UnhealthyHosts', {
                alarmName: `${props.namePrefix}-${metrics.label}-unhealthy-hosts`,
                alarmDescription: `At least one unhealthy target in the ${metrics.label} target group for 2 minutes; rolls back the deployment`,
                metric: metrics.unhealthyHosts(),
                threshold: 1,
                comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                evaluationPeriods: 2,
                datapointsToAlarm: 2,
                treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
            }));
        }
        if (alarms.length > exports.MAX_DEPLOYMENT_GROUP_ALARMS) {
            throw new canary_service_error_1.CanaryServiceError(`${this.node.path}: ${alarms.length} rollback alarms for ${props.targetGroups.length} target groups; CodeDeploy accepts at most ${exports.MAX_DEPLOYMENT_GROUP_ALARMS} per deployment group`);
        }
        this.alarms = alarms;
    }
}
exports.RollbackAlarms = RollbackAlarms;
/**
 * The default request floor: the smallest per-minute count at which three errors exceed
 * `maxErrorRatePercent`, and at least 50, so one or two stray errors never roll back.
 */
function defaultRequestFloor(maxErrorRatePercent) {
    return Math.max(50, Math.ceil((3 * 100) / maxErrorRatePercent));
}
