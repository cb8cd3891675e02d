/**
 * The deployment group's rollback alarms as the guard records them: which are in ALARM, with
 * CloudWatch's state reason (DescribeAlarms by name, at most 100 names per call; CloudWatch API
 * Reference). CodeDeploy accepts at most ten alarms per deployment group, so one call suffices.
 */
import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';

export interface AlarmState {
  readonly name: string;
  readonly state: string;
  readonly reason: string;
}

export async function alarmsInAlarm(client: CloudWatchClient, alarmNames: readonly string[]): Promise<AlarmState[]> {
  const { MetricAlarms = [], CompositeAlarms = [] } = await client.send(
    new DescribeAlarmsCommand({ AlarmNames: [...alarmNames], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
  );
  return [...MetricAlarms, ...CompositeAlarms]
    .filter((alarm) => alarm.StateValue === 'ALARM')
    .map((alarm) => ({ name: alarm.AlarmName ?? '?', state: alarm.StateValue ?? '?', reason: (alarm.StateReason ?? '').slice(0, 500) }));
}
