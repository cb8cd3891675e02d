/**
 * Checks of the `CanaryService` props the service file does not carry, at synth: a value that
 * CloudFormation or CloudWatch would refuse at deploy time, or accept and never act on (an alarm
 * floor of Infinity or NaN silences the rollback alarms), is refused with one line naming it.
 */
import { Token } from 'aws-cdk-lib/core';

import { CanaryServiceError } from '../canary-service-error';
import type { CanaryServiceProps } from '../canary-service-props';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** @throws CanaryServiceError naming the construct path, the prop, the value and what is accepted. */
export function checkCanaryServiceProps(path: string, props: CanaryServiceProps): void {
  const floor = props.alarmRequestFloorPerMinute;
  if (floor !== undefined && !Token.isUnresolved(floor) && !(typeof floor === 'number' && Number.isFinite(floor) && floor >= 1)) {
    throw new CanaryServiceError(
      `${path}: alarmRequestFloorPerMinute is ${String(floor)}; accepted: a number of requests of at least 1 (minutes under it are ignored by the rollback alarms)`,
    );
  }
  const ips = props.vpcEgressIps;
  if (ips !== undefined && !Token.isUnresolved(ips)) {
    if (!Array.isArray(ips))
      throw new CanaryServiceError(`${path}: vpcEgressIps is ${JSON.stringify(ips)}; accepted: a list of IPv4 addresses`);
    const bad = ips.find((ip) => !Token.isUnresolved(ip) && !(typeof ip === 'string' && IPV4.test(ip)));
    if (bad !== undefined)
      throw new CanaryServiceError(
        `${path}: vpcEgressIps has ${JSON.stringify(bad)}; accepted: IPv4 addresses such as 203.0.113.10 (each is admitted as <address>/32)`,
      );
  }
  const grace = props.healthCheckGracePeriod as unknown;
  if (grace !== undefined && typeof (grace as { toSeconds?: unknown } | null)?.toSeconds !== 'function') {
    throw new CanaryServiceError(
      `${path}: healthCheckGracePeriod is ${JSON.stringify(grace)}; accepted: a Duration, such as Duration.seconds(60)`,
    );
  }
}
