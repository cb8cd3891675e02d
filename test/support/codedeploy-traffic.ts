/**
 * What CodeDeploy (ECS blue/green) writes to the load balancer and what it requires of it. The
 * sources, and what is undocumented, are in docs/aws-behaviour.md.
 *
 * - Every rule it rewrites keeps both target groups, the unused one at weight 0. AWS Support,
 *   quoting the CodeDeploy team (traveloka/terraform-aws-alb-single-listener#47, 2022-11): "the
 *   unused target group would maintain a ForwardRule with a 0% weight … the listener rules will
 *   change from (TG1: 1) to (TG2: 100, TG1: 0)".
 * - It rewrites not only the listener's default action but every rule of the listener that
 *   forwards to one of its target groups: hashicorp/terraform-provider-aws#28129 (an
 *   `aws_lb_listener_rule` read back as forward {TG-t: 0, TG: 100} after a deployment, "AWS
 *   Support … confirmed CodeDeploy has changed"); AWSCodeDeployRoleForECS grants
 *   elasticloadbalancing:DescribeRules and ModifyRule for it. At AllowTraffic the rules go to the
 *   replacement; a rollback "reroutes traffic from the replacement task set to the original task
 *   set" (CodeDeploy User Guide, deployment-steps-ecs#deployment-rollback-ecs), rules included.
 * - It fails with "The ELB could not be updated due to the following error: Primary taskset target
 *   group must be behind listener" when a listener does not point to the target group "that's
 *   currently serving your workloads" (User Guide, troubleshooting-ecs#troubleshooting-ecs-elb).
 */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';

import { type FakeElbv2, forwardWeights, type Listener } from './elbv2';

export const BEHIND_LISTENER_MESSAGE =
  'The ELB could not be updated due to the following error: Primary taskset target group must be behind listener';

/** The forward CodeDeploy writes: `to` 100, `from` 0 (no stickiness config: whether CodeDeploy keeps one is undocumented). */
function codeDeployForward(to: string, from: string, order: number | undefined): Action {
  return {
    Type: 'forward',
    ...(order === undefined ? {} : { Order: order }),
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: to, Weight: 100 },
        { TargetGroupArn: from, Weight: 0 },
      ],
    },
  };
}

/** The actions with each forward naming `to` or `from` replaced by CodeDeploy's; other actions kept. */
function rewritten(actions: readonly Action[], to: string, from: string): Action[] | undefined {
  const names = (a: Action) => a.Type === 'forward' && Object.keys(forwardWeights([a])).some((arn) => arn === to || arn === from);
  if (!actions.some(names)) return undefined;
  return actions.map((a) => (names(a) ? codeDeployForward(to, from, a.Order) : structuredClone(a)));
}

export class CodeDeployTraffic {
  constructor(private readonly elbv2: FakeElbv2) {}

  /**
   * Routes a listener as CodeDeploy does: the default action and every rule forwarding to either
   * target group now forward 100 to `to` and 0 to `from`. Rules forwarding elsewhere are left alone.
   */
  shift(listenerArn: string, to: string, from: string): void {
    const listener = this.elbv2.listener(listenerArn);
    this.elbv2.modifyListener(
      {
        ListenerArn: listenerArn,
        DefaultActions: rewritten(listener.defaultActions, to, from) ?? [codeDeployForward(to, from, undefined)],
      },
      'codedeploy',
    );
    for (const rule of [...listener.rules].sort((a, b) => a.priority - b.priority)) {
      const actions = rewritten(rule.actions, to, from);
      if (actions) this.elbv2.modifyRule({ RuleArn: rule.ruleArn, Actions: actions }, 'codedeploy');
    }
  }

  /**
   * The "Primary taskset target group must be behind listener" check, as the fake reads it: the
   * listener's default action, and every rule of it that forwards to one of the deployment
   * group's target groups, must forward a weight above 0 to the primary (original) target group.
   * The guide states it for the listeners; extending it to rules is the fake's (stricter) reading
   * of reports that a rule left on the other target group fails the next deployment.
   */
  behindListenerProblem(listenerArn: string, primary: string, other: string): string | undefined {
    const listener: Listener = this.elbv2.listener(listenerArn);
    const serves = (actions: readonly Action[]) => (forwardWeights(actions)[primary] ?? 0) > 0;
    const ours = (actions: readonly Action[]) => Object.keys(forwardWeights(actions)).some((arn) => arn === primary || arn === other);
    const offending = [
      ...(serves(listener.defaultActions) ? [] : [listener.defaultRuleArn]),
      ...listener.rules.filter((r) => ours(r.actions) && !serves(r.actions)).map((r) => r.ruleArn),
    ];
    return offending.length === 0
      ? undefined
      : `${BEHIND_LISTENER_MESSAGE} ${listenerArn} (rules not forwarding to the primary: ${offending.join(', ')})`;
  }
}
