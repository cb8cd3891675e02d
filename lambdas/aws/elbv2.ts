/** ALB adapter: production listener weights, the canary header and cookie rules and live target health. */
import {
  type Action,
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  type Rule,
  type TargetGroupStickinessConfig,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import type { TargetPair } from '../core/rollout-state';
import { WeightsInvariantError } from './engine-errors';

export interface Weights {
  readonly original: number;
  readonly replacement: number;
}

async function defaultForward(client: ElasticLoadBalancingV2Client, listenerArn: string): Promise<Action | undefined> {
  const { Listeners = [] } = await client.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
  return Listeners[0]?.DefaultActions?.find((a) => a.Type === 'forward');
}

/** A forward action's weights by target group ARN (a plain TargetGroupArn weighs 1). */
function forwardGroups(forward: Action | undefined): Array<{ arn: string | undefined; weight: number }> {
  return forward?.ForwardConfig?.TargetGroups?.length
    ? forward.ForwardConfig.TargetGroups.map((g) => ({ arn: g.TargetGroupArn, weight: g.Weight ?? 1 }))
    : forward?.TargetGroupArn
      ? [{ arn: forward.TargetGroupArn, weight: 1 }]
      : [];
}

/** The listener's default forward, by role. Fails when it names any other target group. */
export async function readWeights(client: ElasticLoadBalancingV2Client, listenerArn: string, targets: TargetPair): Promise<Weights> {
  const groups = forwardGroups(await defaultForward(client, listenerArn));
  const total = groups.reduce((sum, g) => sum + g.weight, 0);
  const foreign = groups.filter((g) => g.arn !== targets.original.arn && g.arn !== targets.replacement.arn);
  if (total === 0 || foreign.length > 0) {
    throw new WeightsInvariantError(
      `listener ${listenerArn} forwards to ${JSON.stringify(groups)}; expected only ${targets.original.arn} and ${targets.replacement.arn}`,
    );
  }
  // ALB weights are relative; report percentages.
  const percent = (arn: string) => Math.round((100 * groups.filter((g) => g.arn === arn).reduce((sum, g) => sum + g.weight, 0)) / total);
  return { original: percent(targets.original.arn), replacement: percent(targets.replacement.arn) };
}

/**
 * Writes the weighted forward, keeping the listener's target-group stickiness (ModifyListener
 * replaces the whole action, so an omitted TargetGroupStickinessConfig would switch it off).
 * Refuses weights that are not whole, non-negative and summing to 100. The restore (100% to the
 * original) is never held up by the read: if the listener cannot be read, it is written without.
 */
export async function writeWeights(
  client: ElasticLoadBalancingV2Client,
  listenerArn: string,
  targets: TargetPair,
  weights: Weights,
): Promise<void> {
  const ok =
    [weights.original, weights.replacement].every((w) => Number.isInteger(w) && w >= 0 && w <= 100) &&
    weights.original + weights.replacement === 100;
  if (!ok) throw new WeightsInvariantError(`weights ${JSON.stringify(weights)} rejected: each a whole percentage, together 100`);
  const read = defaultForward(client, listenerArn);
  const current = await (weights.original === 100 ? read.catch(() => undefined) : read);
  const stickiness = keptStickiness(current?.ForwardConfig?.TargetGroupStickinessConfig);
  await client.send(
    new ModifyListenerCommand({
      ListenerArn: listenerArn,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: targets.original.arn, Weight: weights.original },
              { TargetGroupArn: targets.replacement.arn, Weight: weights.replacement },
            ],
            ...(stickiness ? { TargetGroupStickinessConfig: stickiness } : {}),
          },
        },
      ],
    }),
  );
}

/** Only an enabled stickiness needs writing back (ELB describes an unset one as `{ Enabled: false }`). */
function keptStickiness(config: TargetGroupStickinessConfig | undefined): TargetGroupStickinessConfig | undefined {
  if (!config?.Enabled) return undefined;
  return { Enabled: true, ...(config.DurationSeconds === undefined ? {} : { DurationSeconds: config.DurationSeconds }) };
}

export async function targetHealth(
  client: ElasticLoadBalancingV2Client,
  targetGroupArn: string,
): Promise<{ healthy: number; unhealthy: number }> {
  const { TargetHealthDescriptions = [] } = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  const count = (state: string) => TargetHealthDescriptions.filter((t) => t.TargetHealth?.State === state).length;
  return { healthy: count('healthy'), unhealthy: count('unhealthy') };
}

/** The healthy targets of a target group as `host:port` (awsvpc tasks register by IP). */
export async function healthyEndpoints(
  client: ElasticLoadBalancingV2Client,
  targetGroupArn: string,
): Promise<Array<{ host: string; port: number }>> {
  const { TargetHealthDescriptions = [] } = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return TargetHealthDescriptions.filter((t) => t.TargetHealth?.State === 'healthy' && t.Target?.Id && t.Target.Port).map((t) => ({
    host: t.Target!.Id!,
    port: t.Target!.Port!,
  }));
}

export interface CanaryHeader {
  readonly name: string;
  readonly value: string;
}
export interface CanaryCookie {
  readonly name: string;
  readonly value: string;
}

/** What a canary rule matches: one `http-header` condition (ALB compares values case-insensitively, `*` and `?` as wildcards). */
export interface RuleMatch {
  readonly headerName: string;
  readonly values: readonly string[];
}

export const headerMatch = (header: CanaryHeader): RuleMatch => ({ headerName: header.name, values: [header.value] });

/**
 * A cookie rule: an `http-header` condition on `Cookie` with `*name=value*` (ALB has no cookie
 * condition; the header holds every cookie as `a=1; name=value; b=2`). Being a substring match,
 * it also matches `xname=value2`: pick a name and value no other cookie contains.
 */
export const cookieMatch = (cookie: CanaryCookie): RuleMatch => ({ headerName: 'Cookie', values: [`*${cookie.name}=${cookie.value}*`] });

/** The rules the service routes testers by: the header rule and/or the cookie rule. */
export function canaryMatches(routing: { readonly canaryHeader?: CanaryHeader; readonly canaryCookie?: CanaryCookie }): RuleMatch[] {
  return [
    ...(routing.canaryHeader ? [headerMatch(routing.canaryHeader)] : []),
    ...(routing.canaryCookie ? [cookieMatch(routing.canaryCookie)] : []),
  ];
}

const isRuleFor = (rule: Rule, match: RuleMatch) =>
  rule.Conditions?.some(
    (c) =>
      c.Field === 'http-header' &&
      c.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() === match.headerName.toLowerCase() &&
      match.values.every((v) => (c.HttpHeaderConfig?.Values ?? []).includes(v)),
  ) ?? false;

async function listRules(client: ElasticLoadBalancingV2Client, listenerArn: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }));
    rules.push(...(page.Rules ?? []));
    marker = page.NextMarker;
  } while (marker);
  return rules;
}

/** The rule sends its traffic to the replacement alone (CodeDeploy may have rewritten it to {replacement 100, original 0}). */
const forwardsOnlyTo = (rule: Rule, arn: string) => {
  const groups = forwardGroups(rule.Actions?.find((a) => a.Type === 'forward')).filter((g) => g.weight > 0);
  return groups.length > 0 && groups.every((g) => g.arn === arn);
};

/**
 * Ensures one rule on the production listener forwards requests matching `match` to the
 * replacement, at the highest precedence free. Idempotent: a rule already forwarding to the
 * replacement is kept. A matching rule forwarding anywhere else — left by an earlier deployment and
 * moved by CodeDeploy, which rewrites every rule forwarding to its target groups at AllowTraffic
 * and on rollback — is deleted first (DeleteRule/CreateRule: no ModifyRule grant needed).
 */
export async function ensureRule(
  client: ElasticLoadBalancingV2Client,
  listenerArn: string,
  match: RuleMatch,
  replacementArn: string,
): Promise<'created' | 'present' | 'replaced'> {
  const rules = await listRules(client, listenerArn);
  const existing = rules.filter((r) => isRuleFor(r, match));
  const stale = existing.filter((r) => !forwardsOnlyTo(r, replacementArn));
  for (const rule of stale) await client.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
  if (existing.length > stale.length) return 'present';
  const used = new Set(
    rules
      .filter((r) => !stale.includes(r))
      .map((r) => Number(r.Priority))
      .filter((p) => Number.isInteger(p)),
  );
  let priority = 1;
  while (used.has(priority)) priority += 1;
  await client.send(
    new CreateRuleCommand({
      ListenerArn: listenerArn,
      Priority: priority,
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: match.headerName, Values: [...match.values] } }],
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: replacementArn, Weight: 1 }] } }],
    }),
  );
  return stale.length > 0 ? 'replaced' : 'created';
}

/** Deletes every rule of the listener matching any of `matches`; returns how many it removed. */
export async function removeRules(
  client: ElasticLoadBalancingV2Client,
  listenerArn: string,
  matches: readonly RuleMatch[],
): Promise<number> {
  if (matches.length === 0) return 0;
  const rules = (await listRules(client, listenerArn)).filter((r) => matches.some((m) => isRuleFor(r, m)));
  for (const rule of rules) await client.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
  return rules.length;
}

/** The canary-header rule (see `ensureRule`). */
export const ensureHeaderRule = (client: ElasticLoadBalancingV2Client, listenerArn: string, header: CanaryHeader, replacementArn: string) =>
  ensureRule(client, listenerArn, headerMatch(header), replacementArn);

/** Deletes every canary-header rule of the listener; returns how many it removed. */
export const removeHeaderRules = (client: ElasticLoadBalancingV2Client, listenerArn: string, header: CanaryHeader) =>
  removeRules(client, listenerArn, [headerMatch(header)]);
