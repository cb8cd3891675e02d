"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.alarmsInAlarm = alarmsInAlarm;
/**
 * The deployment group's rollback alarms as the guard records them: which are in ALARM, with
 * CloudWatch's state reason (DescribeAlarms by name, at most 100 names per call; CloudWatch API
 * Reference). CodeDeploy accepts at most ten alarms per deployment group, so one call suffices.
 */
const client_cloudwatch_1 = require("@aws-sdk/client-cloudwatch");
async function alarmsInAlarm(client, alarmNames) {
    const { MetricAlarms = [], CompositeAlarms = [] } = await client.send(new client_cloudwatch_1.DescribeAlarmsCommand({ AlarmNames: [...alarmNames], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    return [...MetricAlarms, ...CompositeAlarms]
        .filter((alarm) => alarm.StateValue === 'ALARM')
        .map((alarm) => ({ name: alarm.AlarmName ?? '?', state: alarm.StateValue ?? '?', reason: (alarm.StateReason ?? '').slice(0, 500) }));
}
