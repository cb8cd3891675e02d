/**
 * Fake Elastic Load Balancing v2 (Application Load Balancer): listeners with weighted forward
 * default actions, listener rules, target groups and target health driven by the ECS task sets
 * registered with each target group. Every write is recorded with the clock time and the
 * target health at that moment, so tests can check invariants over the whole history.
 */
import {
  type Action,
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ListenerNotFoundException,
  ModifyListenerCommand,
  ModifyRuleCommand,
  OperationNotPermittedException,
  PriorityInUseException,
  type RuleCondition,
  RuleNotFoundException,
  TargetGroupNotFoundException,
  type TargetHealthDescription,
  TooManyRulesException,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import type { FakeClock } from './clock';
import {
  describeActions,
  forwardWeights,
  ruleView,
  validateActions,
  validateConditions,
  validation,
  weightPercents,
} from './elbv2-actions';

export { forwardWeights, weightPercents } from './elbv2-actions';
import type { FakeEcs } from './ecs';
import { ACCOUNT, awsError, nextId, REGION } from './errors';
import { actingFor, type Handlers } from './mocks';

export interface TargetGroup {
  readonly arn: string;
  readonly name: string;
  /** `targetgroup/<name>/<id>`, the CloudWatch `TargetGroup` dimension. */
  readonly fullName: string;
  readonly port: number;
  readonly loadBalancerArn: string;
}

export interface ListenerRule {
  readonly ruleArn: string;
  priority: number;
  conditions: RuleCondition[];
  actions: Action[];
}

export interface Listener {
  readonly arn: string;
  readonly loadBalancerArn: string;
  readonly port: number;
  defaultActions: Action[];
  readonly defaultRuleArn: string;
  readonly rules: ListenerRule[];
}

/** Who performed a listener write: code under test through the SDK, or CodeDeploy itself. */
export type WriteActor = 'client' | 'codedeploy';

export interface ListenerWrite {
  readonly at: number;
  /** Orders this write among other records made at the same time (see FakeClock.sequence). */
  readonly seq: number;
  readonly actor: WriteActor;
  readonly operation: 'ModifyListener' | 'CreateRule' | 'ModifyRule' | 'DeleteRule';
  readonly listenerArn: string;
  readonly ruleArn?: string;
  /** Raw forward weights by target group ARN after the write (for DeleteRule: the deleted rule's). */
  readonly forward: Readonly<Record<string, number>>;
  /** Healthy targets per target group at the moment of the write. */
  readonly healthyTargets: Readonly<Record<string, number>>;
  /** The deployment whose invocation (hook, tick, guard event) made the write, when the fake ran one. */
  readonly onBehalfOf?: string;
}

export class FakeElbv2 {
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly listeners = new Map<string, Listener>();
  readonly loadBalancers = new Map<string, { arn: string; fullName: string; dnsName: string }>();
  /** Every listener and rule write, in order. */
  readonly writes: ListenerWrite[] = [];
  private readonly writeListeners: Array<(write: ListenerWrite) => void> = [];

  constructor(
    private readonly clock: FakeClock,
    private readonly ecs: FakeEcs,
  ) {}

  /** Test setup: a load balancer `app/<name>/<id>`. Returns its ARN and full name. */
  addLoadBalancer(name: string): { arn: string; fullName: string; dnsName: string } {
    const id = nextId(16);
    const lb = {
      arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${name}/${id}`,
      fullName: `app/${name}/${id}`,
      dnsName: `${name}-${id.slice(-8)}.${REGION}.elb.amazonaws.com`,
    };
    this.loadBalancers.set(lb.arn, lb);
    return lb;
  }

  addTargetGroup(name: string, loadBalancerArn: string, port = 80): TargetGroup {
    const id = nextId(16);
    const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/${id}`;
    const group: TargetGroup = { arn, name, fullName: `targetgroup/${name}/${id}`, port, loadBalancerArn };
    this.targetGroups.set(arn, group);
    return group;
  }

  addListener(loadBalancerArn: string, port: number, targetGroupArn: string): Listener {
    const lbPath = loadBalancerArn.split(':loadbalancer/')[1];
    const id = nextId(16);
    const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/${lbPath}/${id}`;
    const listener: Listener = {
      arn,
      loadBalancerArn,
      port,
      defaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
      defaultRuleArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/${lbPath}/${id}/${nextId(16)}`,
      rules: [],
    };
    this.listeners.set(arn, listener);
    return listener;
  }

  /** DescribeListeners — ELB API Reference: by `ListenerArns` or `LoadBalancerArn`; unknown ARN → ListenerNotFound. */
  describeListeners(input: { ListenerArns?: string[]; LoadBalancerArn?: string }) {
    const listeners = input.ListenerArns
      ? input.ListenerArns.map((arn) => this.listener(arn))
      : [...this.listeners.values()].filter((l) => l.loadBalancerArn === input.LoadBalancerArn);
    return {
      Listeners: listeners.map((l) => ({
        ListenerArn: l.arn,
        LoadBalancerArn: l.loadBalancerArn,
        Port: l.port,
        Protocol: 'HTTP' as const,
        DefaultActions: describeActions(l.defaultActions),
      })),
    };
  }

  /**
   * ModifyListener — ELB API Reference: "Any properties that you do not specify retain their
   * current values"; DefaultActions replace the listener's default actions after validation.
   */
  modifyListener(input: { ListenerArn?: string; DefaultActions?: Action[] }, actor: WriteActor = 'client') {
    const listener = this.listener(input.ListenerArn);
    if (input.DefaultActions) {
      validateActions(input.DefaultActions, listener, 'DefaultActions', (arn) => this.targetGroup(arn));
      listener.defaultActions = structuredClone(input.DefaultActions);
      this.record(actor, 'ModifyListener', listener.arn, undefined, listener.defaultActions);
    }
    return this.describeListeners({ ListenerArns: [listener.arn] });
  }

  /** DescribeRules — ELB API Reference: by `ListenerArn` or `RuleArns`; includes the default rule (`IsDefault`, priority "default"). */
  describeRules(input: { ListenerArn?: string; RuleArns?: string[] }) {
    if (input.RuleArns) {
      return { Rules: input.RuleArns.map((arn) => this.describeRule(arn)) };
    }
    const listener = this.listener(input.ListenerArn);
    const sorted = [...listener.rules].sort((a, b) => a.priority - b.priority);
    return {
      Rules: [
        ...sorted.map((r) => ruleView(r)),
        {
          RuleArn: listener.defaultRuleArn,
          Priority: 'default',
          Conditions: [],
          Actions: describeActions(listener.defaultActions),
          IsDefault: true,
        },
      ],
    };
  }

  /**
   * CreateRule — ELB API Reference: Priority 1–50000, unique per listener (PriorityInUse);
   * at least one condition; at most 100 rules per listener (TooManyRules, the default quota).
   */
  createRule(input: { ListenerArn?: string; Priority?: number; Conditions?: RuleCondition[]; Actions?: Action[] }) {
    const listener = this.listener(input.ListenerArn);
    const priority = input.Priority;
    if (priority === undefined || !Number.isInteger(priority) || priority < 1 || priority > 50_000) {
      throw validation(`Priority ${String(priority)} is invalid: an integer from 1 to 50000 is required`);
    }
    if (listener.rules.some((r) => r.priority === priority)) {
      throw awsError(PriorityInUseException, `Priority '${priority}' is currently in use`);
    }
    if (listener.rules.length >= 100) throw awsError(TooManyRulesException, 'The listener already has 100 rules');
    validateConditions(input.Conditions);
    validateActions(input.Actions, listener, 'Actions', (arn) => this.targetGroup(arn));
    const rule: ListenerRule = {
      ruleArn: listener.defaultRuleArn.replace(/\/[^/]+$/, `/${nextId(16)}`),
      priority,
      conditions: structuredClone(input.Conditions ?? []),
      actions: structuredClone(input.Actions ?? []),
    };
    listener.rules.push(rule);
    this.record('client', 'CreateRule', listener.arn, rule.ruleArn, rule.actions);
    return { Rules: [ruleView(rule)] };
  }

  /** ModifyRule — ELB API Reference: replaces the rule's actions and/or conditions; the default rule's conditions cannot change. */
  modifyRule(input: { RuleArn?: string; Conditions?: RuleCondition[]; Actions?: Action[] }, actor: WriteActor = 'client') {
    const { listener, rule } = this.findRule(input.RuleArn);
    if (!rule) throw awsError(OperationNotPermittedException, 'Use ModifyListener to change the default rule');
    if (input.Conditions) {
      validateConditions(input.Conditions);
      rule.conditions = structuredClone(input.Conditions);
    }
    if (input.Actions) {
      validateActions(input.Actions, listener, 'Actions', (arn) => this.targetGroup(arn));
      rule.actions = structuredClone(input.Actions);
    }
    this.record(actor, 'ModifyRule', listener.arn, rule.ruleArn, rule.actions);
    return { Rules: [ruleView(rule)] };
  }

  /** DeleteRule — ELB API Reference: unknown rule → RuleNotFound; "You can't delete the default rule" (OperationNotPermitted). */
  deleteRule(input: { RuleArn?: string }) {
    const { listener, rule } = this.findRule(input.RuleArn);
    if (!rule) throw awsError(OperationNotPermittedException, 'The default rule cannot be deleted');
    listener.rules.splice(listener.rules.indexOf(rule), 1);
    this.record('client', 'DeleteRule', listener.arn, rule.ruleArn, rule.actions);
    return {};
  }

  describeTargetGroups(input: { TargetGroupArns?: string[]; Names?: string[] }) {
    const all = [...this.targetGroups.values()];
    const groups = input.TargetGroupArns
      ? input.TargetGroupArns.map((arn) => this.targetGroup(arn))
      : input.Names
        ? input.Names.map((name) => {
            const found = all.find((g) => g.name === name);
            if (!found) throw awsError(TargetGroupNotFoundException, `One or more target groups not found: ${name}`);
            return found;
          })
        : all;
    return {
      TargetGroups: groups.map((g) => ({
        TargetGroupArn: g.arn,
        TargetGroupName: g.name,
        Port: g.port,
        Protocol: 'HTTP' as const,
        TargetType: 'ip' as const,
        LoadBalancerArns: [g.loadBalancerArn],
      })),
    };
  }

  /**
   * DescribeTargetHealth — ELB API Reference, TargetHealth: State initial (Elb.RegistrationInProgress),
   * healthy, unhealthy (Target.FailedHealthChecks), unused (Target.NotInUse: "The target group is
   * not used by any load balancer"), draining. Not delayed, unlike CloudWatch metrics.
   */
  describeTargetHealth(input: { TargetGroupArn?: string; Targets?: Array<{ Id?: string }> }) {
    const group = this.targetGroup(input.TargetGroupArn);
    const inUse = this.isInUse(group.arn);
    const wanted = input.Targets?.map((t) => t.Id);
    const descriptions: TargetHealthDescription[] = [];
    for (const taskSet of this.ecs.liveTaskSets(group.arn)) {
      for (const [index, ip] of taskSet.taskIps.entries()) {
        if (wanted && !wanted.includes(ip)) continue;
        const health = this.ecs.taskHealth(taskSet, index);
        descriptions.push({
          Target: { Id: ip, Port: group.port },
          HealthCheckPort: String(group.port),
          TargetHealth: !inUse
            ? {
                State: 'unused',
                Reason: 'Target.NotInUse',
                Description: 'Target group is not configured to receive traffic from the load balancer',
              }
            : health === 'healthy'
              ? { State: 'healthy' }
              : health === 'initial'
                ? { State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' }
                : { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' },
        });
      }
    }
    return { TargetHealthDescriptions: descriptions };
  }

  /** Called after every listener or rule write (e.g. to move simulated traffic). */
  onWrite(listener: (write: ListenerWrite) => void): () => void {
    this.writeListeners.push(listener);
    return () => this.writeListeners.splice(this.writeListeners.indexOf(listener), 1);
  }

  /** Healthy targets of a target group, ignoring whether a listener uses it (for invariants). */
  healthyTargetCount(targetGroupArn: string): number {
    return this.ecs.liveTaskSets(targetGroupArn).reduce((sum, t) => sum + this.ecs.healthyTasks(t), 0);
  }

  /** Current default-action weights of a listener as percentages, by target group ARN. */
  percents(listenerArn: string): Record<string, number> {
    return weightPercents(forwardWeights(this.listener(listenerArn).defaultActions));
  }

  listener(arn: string | undefined): Listener {
    const listener = arn ? this.listeners.get(arn) : undefined;
    if (!listener) throw awsError(ListenerNotFoundException, `One or more listeners not found: ${String(arn)}`);
    return listener;
  }

  targetGroup(arn: string | undefined): TargetGroup {
    const group = arn ? this.targetGroups.get(arn) : undefined;
    if (!group) throw awsError(TargetGroupNotFoundException, `One or more target groups not found: ${String(arn)}`);
    return group;
  }

  private isInUse(targetGroupArn: string): boolean {
    return [...this.listeners.values()].some(
      (l) => targetGroupArn in forwardWeights(l.defaultActions) || l.rules.some((r) => targetGroupArn in forwardWeights(r.actions)),
    );
  }

  private describeRule(ruleArn: string) {
    const { listener, rule } = this.findRule(ruleArn);
    return rule
      ? ruleView(rule)
      : {
          RuleArn: listener.defaultRuleArn,
          Priority: 'default',
          Conditions: [],
          Actions: describeActions(listener.defaultActions),
          IsDefault: true,
        };
  }

  private findRule(ruleArn: string | undefined): { listener: Listener; rule?: ListenerRule } {
    for (const listener of this.listeners.values()) {
      if (listener.defaultRuleArn === ruleArn) return { listener };
      const rule = listener.rules.find((r) => r.ruleArn === ruleArn);
      if (rule) return { listener, rule };
    }
    throw awsError(RuleNotFoundException, `One or more rules not found: ${String(ruleArn)}`);
  }

  private record(
    actor: WriteActor,
    operation: ListenerWrite['operation'],
    listenerArn: string,
    ruleArn: string | undefined,
    actions: Action[],
  ): void {
    const forward = forwardWeights(actions);
    const healthyTargets = Object.fromEntries(Object.keys(forward).map((arn) => [arn, this.healthyTargetCount(arn)]));
    const deploymentId = actor === 'client' ? actingFor() : undefined;
    const write: ListenerWrite = {
      at: this.clock.now(),
      seq: this.clock.sequence(),
      actor,
      operation,
      listenerArn,
      ruleArn,
      forward,
      healthyTargets,
      ...(deploymentId ? { onBehalfOf: deploymentId } : {}),
    };
    this.writes.push(write);
    for (const listener of this.writeListeners) listener(write);
  }

  handlers(): Handlers {
    return {
      client: ElasticLoadBalancingV2Client,
      commands: [
        [DescribeListenersCommand, (i) => this.describeListeners(i as never)],
        [ModifyListenerCommand, (i) => this.modifyListener(i as never)],
        [DescribeRulesCommand, (i) => this.describeRules(i as never)],
        [CreateRuleCommand, (i) => this.createRule(i as never)],
        [ModifyRuleCommand, (i) => this.modifyRule(i as never)],
        [DeleteRuleCommand, (i) => this.deleteRule(i as never)],
        [DescribeTargetGroupsCommand, (i) => this.describeTargetGroups(i as never)],
        [DescribeTargetHealthCommand, (i) => this.describeTargetHealth(i as never)],
      ],
    };
  }
}
