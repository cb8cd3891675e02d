/**
 * ALB actions: how forward actions carry weights, how ELB validates and reports them.
 */
import {
  type Action,
  ElasticLoadBalancingV2ServiceException,
  type RuleCondition,
  type TargetGroupStickinessConfig,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import type { Listener, ListenerRule, TargetGroup } from './elbv2';
import { serviceError } from './errors';

export const validation = (message: string) => serviceError(ElasticLoadBalancingV2ServiceException, 'ValidationError', message);

/**
 * The weights of a forward action by target group ARN. ELB API Reference, Action: a forward
 * action names either `TargetGroupArn` (one target group) or `ForwardConfig.TargetGroups`;
 * TargetGroupTuple.Weight defaults to 1 ("If there's only one target group … 100% of traffic").
 */
export function forwardWeights(actions: readonly Action[] | undefined): Record<string, number> {
  const forward = (actions ?? []).find((a) => a.Type === 'forward');
  if (!forward) return {};
  const tuples = forward.ForwardConfig?.TargetGroups;
  if (tuples && tuples.length > 0) {
    return Object.fromEntries(tuples.map((t) => [t.TargetGroupArn ?? '', t.Weight ?? 1]));
  }
  return forward.TargetGroupArn ? { [forward.TargetGroupArn]: 1 } : {};
}

/** Forward weights as percentages of the total (the share of requests each target group gets). */
export function weightPercents(weights: Readonly<Record<string, number>>): Record<string, number> {
  const total = Object.values(weights).reduce((sum, w) => sum + w, 0);
  return Object.fromEntries(Object.entries(weights).map(([arn, w]) => [arn, total === 0 ? 0 : (100 * w) / total]));
}

/**
 * Action validation — ELB API Reference, ForwardActionConfig: "You can specify up to 5 target
 * groups"; TargetGroupTuple: "The weight. The range is 0 to 999."; Action: "If you specify both
 * ForwardConfig and TargetGroupArn, you can specify only one target group using ForwardConfig
 * and it must be the same target group specified in TargetGroupArn."
 */
export function validateActions(
  actions: Action[] | undefined,
  listener: Listener,
  field: string,
  targetGroup: (arn: string) => TargetGroup,
): void {
  if (!actions || actions.length === 0) throw validation(`${field} is required: at least one action`);
  actions.forEach((action, i) => {
    const where = `${field}[${i}]`;
    if (action.Type !== 'forward') {
      if (action.Type === 'fixed-response' || action.Type === 'redirect') return;
      throw validation(`${where}.Type '${String(action.Type)}' is not one of forward, fixed-response, redirect (the fake models these)`);
    }
    const tuples = action.ForwardConfig?.TargetGroups;
    if (!action.TargetGroupArn && (!tuples || tuples.length === 0)) {
      throw validation(`${where}: a forward action needs TargetGroupArn or ForwardConfig.TargetGroups`);
    }
    if (tuples && tuples.length > 5) {
      throw validation(`${where}.ForwardConfig.TargetGroups has ${tuples.length} target groups: at most 5 are allowed`);
    }
    if (
      action.TargetGroupArn &&
      tuples &&
      tuples.length > 0 &&
      (tuples.length !== 1 || tuples[0].TargetGroupArn !== action.TargetGroupArn)
    ) {
      throw validation(`${where}: with both TargetGroupArn and ForwardConfig, ForwardConfig must name exactly that one target group`);
    }
    validateStickiness(action.ForwardConfig?.TargetGroupStickinessConfig, `${where}.ForwardConfig.TargetGroupStickinessConfig`);
    const seen = new Set<string>();
    for (const [j, tuple] of (tuples ?? []).entries()) {
      const weight = tuple.Weight;
      if (weight !== undefined && (!Number.isInteger(weight) || weight < 0 || weight > 999)) {
        throw validation(`${where}.ForwardConfig.TargetGroups[${j}].Weight ${weight} is invalid: an integer from 0 to 999 is required`);
      }
      if (!tuple.TargetGroupArn) throw validation(`${where}.ForwardConfig.TargetGroups[${j}].TargetGroupArn is required`);
      if (seen.has(tuple.TargetGroupArn)) throw validation(`${where}: target group ${tuple.TargetGroupArn} is listed twice`);
      seen.add(tuple.TargetGroupArn);
    }
    for (const arn of Object.keys(forwardWeights([action]))) {
      const group = targetGroup(arn);
      if (group.loadBalancerArn !== listener.loadBalancerArn) {
        throw validation(`${where}: target group ${group.name} belongs to another load balancer`);
      }
    }
  });
}

/**
 * TargetGroupStickinessConfig — ELB API Reference: DurationSeconds "The time period, in seconds,
 * during which requests from a client should be routed to the same target group. The range is
 * 1-604800 seconds (7 days). You must specify this value when enabling target group stickiness."
 */
function validateStickiness(config: TargetGroupStickinessConfig | undefined, where: string): void {
  if (!config) return;
  const duration = config.DurationSeconds;
  if (duration !== undefined && (!Number.isInteger(duration) || duration < 1 || duration > 604_800)) {
    throw validation(`${where}.DurationSeconds ${duration} is invalid: an integer from 1 to 604800 is required`);
  }
  if (config.Enabled && duration === undefined) throw validation(`${where}: DurationSeconds is required when Enabled is true`);
}

export function validateConditions(conditions: RuleCondition[] | undefined): void {
  if (!conditions || conditions.length === 0) throw validation('Conditions is required: a rule needs at least one condition');
  conditions.forEach((condition, i) => {
    if (condition.Field === 'http-header') {
      const config = condition.HttpHeaderConfig;
      if (!config?.HttpHeaderName || !config.Values || config.Values.length === 0) {
        throw validation(`Conditions[${i}]: an http-header condition needs HttpHeaderConfig.HttpHeaderName and at least one value`);
      }
    } else if (!condition.Field) {
      throw validation(`Conditions[${i}].Field is required (e.g. http-header, path-pattern)`);
    }
  });
}

/**
 * How ELB reports a forward action: a single target group comes back with both TargetGroupArn and
 * a one-tuple ForwardConfig (weight 1); several come back as ForwardConfig only. The stickiness
 * config comes back as it was written, `{ Enabled: false }` when none was.
 */
export function describeActions(actions: readonly Action[]): Action[] {
  return actions.map((action) => {
    if (action.Type !== 'forward') return structuredClone(action);
    const weights = forwardWeights([action]);
    const arns = Object.keys(weights);
    const tuples = arns.map((arn) => ({ TargetGroupArn: arn, Weight: weights[arn] }));
    const written = action.ForwardConfig?.TargetGroupStickinessConfig;
    const stickiness = written ? structuredClone(written) : { Enabled: false };
    return arns.length === 1
      ? { Type: 'forward', TargetGroupArn: arns[0], ForwardConfig: { TargetGroups: tuples, TargetGroupStickinessConfig: stickiness } }
      : { Type: 'forward', ForwardConfig: { TargetGroups: tuples, TargetGroupStickinessConfig: stickiness } };
  });
}

export function ruleView(rule: ListenerRule) {
  return {
    RuleArn: rule.ruleArn,
    Priority: String(rule.priority),
    Conditions: structuredClone(rule.conditions),
    Actions: describeActions(rule.actions),
    IsDefault: false,
  };
}
