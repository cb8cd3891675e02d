/**
 * Fake Amazon CloudWatch: GetMetricData over the ALB target-group metrics produced by a pluggable
 * per-minute provider (e.g. `sim`), with CloudWatch's delivery delay, a partial newest minute
 * and absent zero counts; an application's own metrics by namespace, name and exact dimensions,
 * from PutMetricData or a per-minute provider (`customProvider`, delivered like the ALB's, with
 * Sum, Average, Minimum, Maximum, SampleCount and pNN); alarms (DescribeAlarms,
 * SetAlarmState) whose ALARM state CodeDeploy reacts to; injectable throttling.
 */
import {
  CloudWatchClient,
  CloudWatchServiceException,
  DescribeAlarmsCommand,
  type Dimension,
  GetMetricDataCommand,
  InvalidParameterValueException,
  type MetricDataQuery,
  type MetricDatum,
  PutMetricDataCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';

import type { FakeClock } from './clock';
import { cloneData } from './clone';
import { ACCOUNT, awsError, NotModelledError, REGION, serviceError } from './errors';
import type { Handlers } from './mocks';

/** What one target group saw in one minute; the provider returns undefined for "no data". */
export interface MinuteFigures {
  readonly requests: number;
  readonly errors5xx: number;
  readonly connectionErrors: number;
  readonly p95Ms: number;
  /** Requests slower than `thresholdMs`. */
  readonly slowRequests: (thresholdMs: number) => number;
  readonly healthyHosts: number;
  readonly unhealthyHosts: number;
}

export type MetricProvider = (targetGroupFullName: string, minuteStartMs: number) => MinuteFigures | undefined;

/**
 * Source of an application's own metrics: the values it published in one minute for one metric
 * and exact set of dimensions (as embedded metric format or PutMetricData would), or undefined
 * for none. Delivered with the same delay and partial newest minute as the ALB metrics.
 */
export type CustomMetricProvider = (
  namespace: string,
  metricName: string,
  dimensions: Readonly<Record<string, string>>,
  minuteStartMs: number,
) => readonly number[] | undefined;

export interface Alarm {
  readonly name: string;
  state: StateValue;
  reason: string;
  updatedAt: number;
}

const MINUTE = 60_000;
/** A minute read in this call that had no figures. */
const NO_FIGURES = Symbol('no figures');
const ALB = 'AWS/ApplicationELB';
const validation = (message: string) => serviceError(CloudWatchServiceException, 'ValidationError', message);

export class FakeCloudWatch {
  /** Source of the ALB metrics; no provider means no data at all. */
  provider: MetricProvider | undefined;
  /** Source of custom metrics besides PutMetricData; no provider means only what was put. */
  customProvider: CustomMetricProvider | undefined;
  /**
   * Minutes after a minute ends until its data are complete (per target group and minute).
   * ELB User Guide, CloudWatch metrics for your ALB: metrics are reported in 60-second intervals,
   * and in practice arrive one to a few minutes late.
   */
  delayMinutes: number | ((targetGroupFullName: string, minuteStartMs: number) => number) = 2;
  /** When true, a minute being delivered is visible with the arrived share of its counts. */
  partialNewestMinute = true;
  readonly alarms = new Map<string, Alarm>();
  /** Every PutMetricData datum with the time it was put. */
  readonly put: Array<{ at: number; namespace: string; datum: MetricDatum }> = [];
  private readonly throttles = new Map<string, number>();
  /** Within one GetMetricData call (the clock stands still): each target group's minute as visible, read once for every query. */
  private visibleInCall: Map<string, Map<number, MinuteFigures | typeof NO_FIGURES>> | undefined;
  private readonly alarmListeners: Array<(alarm: Alarm) => void> = [];

  constructor(
    private readonly clock: FakeClock,
    /** Resolves a target group's full name to its load balancer's full name (the other dimension). */
    private readonly loadBalancerOf: (targetGroupFullName: string) => string | undefined,
  ) {}

  /**
   * The next `calls` calls of `command` fail with ThrottlingException — CloudWatch API Reference,
   * Common Errors: "ThrottlingException: The request was denied due to request throttling" (400).
   */
  throttleNext(calls: number, command: 'GetMetricData' | 'PutMetricData' = 'GetMetricData'): void {
    this.throttles.set(command, calls);
  }

  /**
   * GetMetricData — CloudWatch API Reference: StartTime is inclusive (rounded down to the minute),
   * EndTime exclusive; ScanBy defaults to TimestampDescending ("returns the newest data first");
   * at most 500 queries; each Id starts with a lowercase letter. Periods with no data are absent
   * from Timestamps/Values. ALB metrics carry the dimensions TargetGroup and LoadBalancer; a query
   * whose dimensions do not match exactly returns no data, as in CloudWatch.
   */
  getMetricData(input: { MetricDataQueries?: MetricDataQuery[]; StartTime?: Date; EndTime?: Date; ScanBy?: string }) {
    this.visibleInCall = new Map();
    try {
      return this.answerMetricData(input);
    } finally {
      this.visibleInCall = undefined;
    }
  }

  private answerMetricData(input: { MetricDataQueries?: MetricDataQuery[]; StartTime?: Date; EndTime?: Date; ScanBy?: string }) {
    this.maybeThrottle('GetMetricData');
    const queries = input.MetricDataQueries ?? [];
    if (queries.length === 0 || queries.length > 500) {
      throw validation(`MetricDataQueries has ${queries.length} entries: 1 to 500 are allowed`);
    }
    if (!input.StartTime || !input.EndTime) throw validation('StartTime and EndTime are required');
    const start = Math.floor(new Date(input.StartTime).getTime() / MINUTE) * MINUTE;
    const end = new Date(input.EndTime).getTime();
    if (!(start < end)) throw validation('The parameter StartTime must be less than the parameter EndTime.');
    const ids = new Set<string>();
    const results = [];
    for (const query of queries) {
      if (!query.Id || !/^[a-z][a-zA-Z0-9_]*$/.test(query.Id)) {
        throw validation(
          `MetricDataQueries Id '${String(query.Id)}' is invalid: it must start with a lowercase letter, then letters, digits or _`,
        );
      }
      if (ids.has(query.Id)) throw validation(`MetricDataQueries Id '${query.Id}' is used twice: Ids must be unique`);
      ids.add(query.Id);
      if (query.Expression) throw new NotModelledError('GetMetricData metric math Expression');
      if (!query.MetricStat) throw validation(`MetricDataQueries '${query.Id}' needs MetricStat or Expression`);
      const points = this.series(query, start, end);
      if (input.ScanBy !== 'TimestampAscending') points.reverse();
      if (query.ReturnData === false) continue;
      results.push({
        Id: query.Id,
        Label: query.Label ?? query.MetricStat.Metric?.MetricName,
        Timestamps: points.map((p) => new Date(p.at)),
        Values: points.map((p) => p.value),
        StatusCode: 'Complete' as const,
      });
    }
    return { MetricDataResults: results, Messages: [] };
  }

  /**
   * PutMetricData — CloudWatch API Reference: the namespace must not start with "AWS/"
   * (InvalidParameterValue); at most 1000 data in one call. Stored data are returned by GetMetricData.
   */
  putMetricData(input: { Namespace?: string; MetricData?: MetricDatum[] }) {
    this.maybeThrottle('PutMetricData');
    if (!input.Namespace) throw validation('Namespace is required');
    if (input.Namespace.startsWith('AWS/')) {
      throw awsError(InvalidParameterValueException, `The value ${input.Namespace} for parameter Namespace is invalid.`);
    }
    const data = input.MetricData ?? [];
    if (data.length === 0 || data.length > 1000) throw validation(`MetricData has ${data.length} entries: 1 to 1000 are allowed`);
    for (const datum of data) {
      if (!datum.MetricName) throw validation('MetricData[].MetricName is required');
      if (datum.Value === undefined && !datum.Values) throw validation(`MetricData ${datum.MetricName}: Value or Values is required`);
      this.put.push({ at: this.clock.now(), namespace: input.Namespace, datum: cloneData(datum) });
    }
    return {};
  }

  /** Test setup: an alarm (state OK unless given), as a deployment group's rollback alarm. */
  addAlarm(name: string, state: StateValue = 'OK'): Alarm {
    const alarm: Alarm = { name, state, reason: 'created by the test', updatedAt: this.clock.now() };
    this.alarms.set(name, alarm);
    return alarm;
  }

  /** Called on every alarm state change (CodeDeploy's alarm monitoring subscribes). */
  onAlarmChange(listener: (alarm: Alarm) => void): void {
    this.alarmListeners.push(listener);
  }

  /** DescribeAlarms — CloudWatch API Reference: filter by AlarmNames and/or StateValue. */
  describeAlarms(input: { AlarmNames?: string[]; StateValue?: StateValue }) {
    const alarms = [...this.alarms.values()].filter(
      (a) => (!input.AlarmNames || input.AlarmNames.includes(a.name)) && (!input.StateValue || a.state === input.StateValue),
    );
    return {
      MetricAlarms: alarms.map((a) => ({
        AlarmName: a.name,
        AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${a.name}`,
        StateValue: a.state,
        StateReason: a.reason,
        StateUpdatedTimestamp: new Date(a.updatedAt),
      })),
      CompositeAlarms: [],
    };
  }

  /**
   * SetAlarmState — CloudWatch API Reference: "Temporarily sets the state of an alarm"; an unknown
   * alarm fails with ResourceNotFound. Tests use it (or `setAlarm`) to fire a rollback alarm.
   */
  setAlarmState(input: { AlarmName?: string; StateValue?: StateValue; StateReason?: string }) {
    const alarm = input.AlarmName ? this.alarms.get(input.AlarmName) : undefined;
    if (!alarm) throw awsError(ResourceNotFound, `Alarm ${String(input.AlarmName)} not found`);
    if (!input.StateValue || !['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(input.StateValue)) {
      throw validation(`StateValue '${String(input.StateValue)}' is invalid: OK, ALARM or INSUFFICIENT_DATA`);
    }
    const changed = alarm.state !== input.StateValue;
    alarm.state = input.StateValue;
    alarm.reason = input.StateReason ?? '';
    alarm.updatedAt = this.clock.now();
    if (changed) for (const listener of this.alarmListeners) listener(alarm);
    return {};
  }

  setAlarm(name: string, state: StateValue, reason = 'set by the test'): void {
    this.setAlarmState({ AlarmName: name, StateValue: state, StateReason: reason });
  }

  private maybeThrottle(command: string): void {
    const left = this.throttles.get(command) ?? 0;
    if (left > 0) {
      this.throttles.set(command, left - 1);
      throw serviceError(CloudWatchServiceException, 'ThrottlingException', 'Rate exceeded');
    }
  }

  private series(query: MetricDataQuery, start: number, end: number): Array<{ at: number; value: number }> {
    const stat = query.MetricStat!;
    const period = stat.Period ?? 0;
    if (!(period >= 60 && period % 60 === 0)) {
      throw validation(`MetricStat.Period ${period} is invalid for these metrics: a multiple of 60 is required`);
    }
    const metric = stat.Metric ?? {};
    const periodMs = period * 1000;
    // The query's dimensions and statistic are resolved once, not once per period.
    const alb = metric.Namespace === ALB ? this.albReader(metric.MetricName ?? '', metric.Dimensions ?? [], stat.Stat ?? '') : undefined;
    const points: Array<{ at: number; value: number }> = [];
    for (let bucket = Math.floor(start / periodMs) * periodMs; bucket < end; bucket += periodMs) {
      if (bucket < start) continue;
      const value =
        metric.Namespace === ALB
          ? alb?.(bucket, period / 60)
          : this.customValue(metric.Namespace ?? '', metric.MetricName ?? '', metric.Dimensions ?? [], stat.Stat ?? '', bucket, periodMs);
      if (value !== undefined) points.push({ at: bucket, value });
    }
    return points;
  }

  /**
   * The figures of one minute as visible now: nothing until the minute has ended; then, while it
   * is being delivered (`delayMinutes` after its end), the share of its counts that has arrived
   * (linear over the delay, as sim's observation model); complete afterwards.
   */
  private visible(targetGroup: string, minute: number): MinuteFigures | undefined {
    if (!this.visibleInCall) return this.visibleNow(targetGroup, minute);
    let seen = this.visibleInCall.get(targetGroup);
    if (!seen) this.visibleInCall.set(targetGroup, (seen = new Map()));
    // Keyed by the minute's number (a small integer, not an epoch-ms double); NO_FIGURES stands for undefined.
    const index = minute / MINUTE;
    const known = seen.get(index);
    if (known !== undefined) return known === NO_FIGURES ? undefined : known;
    const figures = this.visibleNow(targetGroup, minute);
    seen.set(index, figures === undefined ? NO_FIGURES : figures);
    return figures;
  }

  private visibleNow(targetGroup: string, minute: number): MinuteFigures | undefined {
    const delay = typeof this.delayMinutes === 'function' ? this.delayMinutes(targetGroup, minute) : this.delayMinutes;
    const end = minute + MINUTE;
    const completeAt = end + delay * MINUTE;
    const now = this.clock.now();
    if (now <= end) return undefined;
    const fraction = now >= completeAt ? 1 : this.partialNewestMinute ? (now - end) / (completeAt - end) : 0;
    if (fraction <= 0 || !this.provider) return undefined;
    const figures = this.provider(targetGroup, minute);
    if (!figures || fraction >= 1) return figures;
    const part = (n: number) => Math.floor(n * fraction);
    return {
      ...figures,
      requests: part(figures.requests),
      errors5xx: part(figures.errors5xx),
      connectionErrors: part(figures.connectionErrors),
      slowRequests: (threshold) => part(figures.slowRequests(threshold)),
    };
  }

  /**
   * ALB metrics — ELB User Guide, "CloudWatch metrics for your Application Load Balancer":
   * RequestCount, HTTPCode_Target_5XX_Count and TargetConnectionErrorCount are reported only
   * when non-zero ("reports metrics only when requests are flowing"), so zero counts are absent;
   * TargetResponseTime is in seconds (percentiles pNN, trimmed count TC(lower:) in seconds);
   * HealthyHostCount/UnHealthyHostCount are reported every minute.
   */
  private albReader(
    name: string,
    dimensions: Dimension[],
    stat: string,
  ): ((bucket: number, minutes: number) => number | undefined) | undefined {
    const dims = Object.fromEntries(dimensions.map((d) => [d.Name, d.Value]));
    const targetGroup = dims.TargetGroup;
    if (dimensions.length !== 2 || !targetGroup || !dims.LoadBalancer || this.loadBalancerOf(targetGroup) !== dims.LoadBalancer) {
      return undefined;
    }
    const aggregate = albAggregate(name, stat, (figures) => this.responseTime(stat, figures));
    return (bucket, minutes) => {
      const figures: MinuteFigures[] = [];
      for (let i = 0; i < minutes; i++) {
        const f = this.visible(targetGroup, bucket + i * MINUTE);
        if (f !== undefined) figures.push(f);
      }
      return figures.length === 0 ? undefined : aggregate(figures);
    };
  }

  private responseTime(stat: string, figures: MinuteFigures[]): number | undefined {
    const served = figures.filter((f) => f.requests > 0);
    if (served.length === 0) return undefined;
    if (stat === 'SampleCount') return served.reduce((s, f) => s + f.requests, 0);
    if (stat === 'p95') {
      if (figures.length > 1) throw new NotModelledError('p95 over a Period longer than 60 s');
      return served[0].p95Ms / 1000;
    }
    const trimmed = /^TC\((\d+(?:\.\d+)?):\)$/.exec(stat);
    if (trimmed) {
      const thresholdMs = Number(trimmed[1]) * 1000;
      return served.reduce((s, f) => s + f.slowRequests(thresholdMs), 0);
    }
    throw new NotModelledError(`TargetResponseTime statistic '${stat}' (modelled: p95, TC(<seconds>:), SampleCount)`);
  }

  /**
   * The provider's values of the minutes of a bucket as visible now: none until the minute has
   * ended, then (while being delivered) the arrived share of them, as the ALB's counts.
   */
  private providedValues(namespace: string, name: string, dimensions: Dimension[], bucket: number, periodMs: number): number[] {
    if (!this.customProvider) return [];
    const dims = Object.fromEntries(dimensions.map((d) => [d.Name ?? '', d.Value ?? '']));
    const values: number[] = [];
    for (let minute = bucket; minute < bucket + periodMs; minute += MINUTE) {
      const delay = typeof this.delayMinutes === 'function' ? this.delayMinutes(`${namespace}/${name}`, minute) : this.delayMinutes;
      const end = minute + MINUTE;
      const now = this.clock.now();
      if (now <= end) continue;
      const completeAt = end + delay * MINUTE;
      const fraction = now >= completeAt ? 1 : this.partialNewestMinute ? (now - end) / (completeAt - end) : 0;
      const provided = this.customProvider(namespace, name, dims, minute) ?? [];
      values.push(...provided.slice(0, Math.floor(provided.length * fraction)));
    }
    return values;
  }

  private customValue(namespace: string, name: string, dimensions: Dimension[], stat: string, bucket: number, periodMs: number) {
    const key = dimensionKey(dimensions);
    const values = [
      ...this.providedValues(namespace, name, dimensions, bucket, periodMs),
      ...this.put
        .filter((p) => p.namespace === namespace && p.datum.MetricName === name && dimensionKey(p.datum.Dimensions ?? []) === key)
        .filter((p) => {
          const at = p.datum.Timestamp ? new Date(p.datum.Timestamp).getTime() : p.at;
          return at >= bucket && at < bucket + periodMs;
        })
        .flatMap((p) => (p.datum.Values ?? [p.datum.Value ?? 0]) as number[]),
    ];
    if (values.length === 0) return undefined;
    const percentile = /^p(\d+(?:\.\d+)?)$/.exec(stat);
    if (percentile) {
      // Nearest rank over the minute's values (CloudWatch estimates from its own value buckets).
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((Number(percentile[1]) / 100) * sorted.length) - 1))];
    }
    const trimmed = /^TC\((-?[\d.]*):(-?[\d.]*)\)$/.exec(stat);
    if (trimmed && !stat.includes('%')) {
      // Trimmed count with absolute bounds: values in (lower, upper] (CloudWatch User Guide, "Statistics definitions").
      const lower = trimmed[1] === '' ? -Infinity : Number(trimmed[1]);
      const upper = trimmed[2] === '' ? Infinity : Number(trimmed[2]);
      return values.filter((v) => v > lower && v <= upper).length;
    }
    switch (stat) {
      case 'Sum':
        return values.reduce((s, v) => s + v, 0);
      case 'Average':
        return values.reduce((s, v) => s + v, 0) / values.length;
      case 'Minimum':
        return Math.min(...values);
      case 'Maximum':
        return Math.max(...values);
      case 'SampleCount':
        return values.length;
      default:
        throw new NotModelledError(`statistic '${stat}' on custom metric ${namespace}/${name}`);
    }
  }

  handlers(): Handlers {
    return {
      client: CloudWatchClient,
      commands: [
        [GetMetricDataCommand, (i) => this.getMetricData(i as never)],
        [PutMetricDataCommand, (i) => this.putMetricData(i as never)],
        [DescribeAlarmsCommand, (i) => this.describeAlarms(i as never)],
        [SetAlarmStateCommand, (i) => this.setAlarmState(i as never)],
      ],
    };
  }
}

/**
 * One ALB metric's value over the visible minutes of a period; an unmodelled metric or statistic
 * throws when a period has data, as before any value is read.
 */
function albAggregate(name: string, stat: string, responseTime: (figures: MinuteFigures[]) => number | undefined) {
  const sumOf = (pick: (f: MinuteFigures) => number) => (figures: MinuteFigures[]) => {
    let total = 0;
    for (const f of figures) total += pick(f);
    return total === 0 ? undefined : total;
  };
  const requireStat =
    (allowed: string[], read: (figures: MinuteFigures[]) => number | undefined) =>
    (figures: MinuteFigures[]): number | undefined => {
      if (!allowed.includes(stat)) throw new NotModelledError(`statistic '${stat}' for ${name} (modelled: ${allowed.join(', ')})`);
      return read(figures);
    };
  switch (name) {
    case 'RequestCount':
      return requireStat(
        ['Sum'],
        sumOf((f) => f.requests),
      );
    case 'HTTPCode_Target_5XX_Count':
      return requireStat(
        ['Sum'],
        sumOf((f) => f.errors5xx),
      );
    case 'TargetConnectionErrorCount':
      return requireStat(
        ['Sum'],
        sumOf((f) => f.connectionErrors),
      );
    case 'HealthyHostCount':
    case 'UnHealthyHostCount':
      return requireStat(['Minimum', 'Maximum', 'Average'], (figures) => {
        const values = figures.map((f) => (name === 'HealthyHostCount' ? f.healthyHosts : f.unhealthyHosts));
        if (stat === 'Minimum') return Math.min(...values);
        if (stat === 'Maximum') return Math.max(...values);
        return values.reduce((s, v) => s + v, 0) / values.length;
      });
    case 'TargetResponseTime':
      return responseTime;
    default:
      return (): never => {
        throw new NotModelledError(`ALB metric ${name}`);
      };
  }
}

function dimensionKey(dimensions: Dimension[]): string {
  return [...dimensions]
    .map((d) => `${d.Name}=${d.Value}`)
    .sort()
    .join(',');
}
