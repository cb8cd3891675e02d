/**
 * The safety invariants of architecture.md, checked from the fake's state and history.
 *
 *  1. Production never forwards traffic to a target group that has no healthy target
 *     (every production write — default action or rule, by anyone — and the current state).
 *  2. Listener weights always sum to 100 and only name the service's two target groups
 *     (every write to the production and test listeners, and the current state).
 *  3. A write by the code under test while the deployment is no longer InProgress is only the
 *     restore of the original (100% to it) or a rule deletion.
 *  4. A hook reported Failed only while production sent 100% to the original and no rule sent
 *     traffic to the replacement (unless the hook tried and never could read its target groups, or
 *     its deployment metadata: invariant 9's case, left to CodeDeploy's rollback); a failed/stopped
 *     deployment has production restored to its original within `restoreGraceMs`; and once CodeDeploy's rollback has rerouted production,
 *     no write and no rule forwards to that deployment's replacement again (until the next one).
 *  5. Too little evidence never promotes — a judge property, not observable here.
 *  6. The audit chain verifies — supply `verifyAuditChain` (e.g. `verifyChain` of
 *     lambdas/core/audit-chain.ts); it receives the chain items (sk ≥ 1) of each service.
 *  7. Only the group's current deployment moves production traffic: no write by the code under
 *     test gives weight to a target group that had no healthy target at that moment, and no write
 *     other than a rule deletion is made by an invocation for a deployment that is no longer the
 *     group's newest user deployment (the fake knows which deployment each invocation's event
 *     named: ListenerWrite.onBehalfOf).
 */
import { parseDeploymentMetadata } from '../../lambdas/aws/service-parameters';
import { parameterNames } from '../../lambdas/core/metadata';
import { type Deployment, statusBefore } from './codedeploy-lifecycle';
import type { Item } from './dynamodb';
import { forwardWeights, type ListenerWrite } from './elbv2';
import type { FakeAws, FakeService } from './world';

export interface InvariantViolation {
  readonly invariant: 1 | 2 | 3 | 4 | 6 | 7;
  readonly service: string;
  readonly at: string;
  readonly message: string;
}

export interface InvariantOptions {
  /** Services to check. @default every service added to the world */
  readonly services?: readonly string[];
  /** Also check the current listener state for 1 and 2 (not only the write history). @default true */
  readonly current?: boolean;
  /** Time after a deployment failed or stopped by which production must be restored (4). @default 120_000 */
  readonly restoreGraceMs?: number;
  /** Invariant 6: return a list of problems (or false) when the chain does not verify. @default - not checked */
  readonly verifyAuditChain?: (items: Item[], service: FakeService) => readonly string[] | boolean;
}

export class InvariantError extends Error {
  constructor(public readonly violations: readonly InvariantViolation[]) {
    super(
      `${violations.length} safety invariant violation(s):\n${violations.map((v) => `  [${v.invariant}] ${v.service} at ${v.at}: ${v.message}`).join('\n')}`,
    );
    this.name = 'InvariantError';
  }
}

export function checkInvariants(world: FakeAws, options: InvariantOptions = {}): InvariantViolation[] {
  const names = options.services ?? [...world.services.keys()];
  return names.flatMap((name) => checkService(world, world.service(name), options));
}

/** Throws InvariantError listing every violation; use after each tick of a scenario. */
export function assertInvariants(world: FakeAws, options: InvariantOptions = {}): void {
  const violations = checkInvariants(world, options);
  if (violations.length > 0) throw new InvariantError(violations);
}

function checkService(world: FakeAws, service: FakeService, options: InvariantOptions): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  const name = service.metadata.service;
  const production = service.metadata.productionListenerArn;
  const listeners = [production, service.metadata.testListenerArn];
  const own = new Set([service.blue.arn, service.green.arn]);
  const tgName = (arn: string) => world.elbv2.targetGroups.get(arn)?.name ?? arn;
  const add = (invariant: InvariantViolation['invariant'], at: number, message: string) =>
    violations.push({ invariant, service: name, at: new Date(at).toISOString(), message });
  const deployments = [...world.codedeploy.deployments.values()].filter((d) => d.group === service.group && d.kind === 'user');

  for (const write of world.elbv2.writes.filter((w) => listeners.includes(w.listenerArn))) {
    const where = `${write.actor} ${write.operation}${write.listenerArn === production ? ' (production)' : ' (test)'}`;
    if (write.operation !== 'DeleteRule') {
      for (const problem of weightProblems(write.forward, own, tgName)) add(2, write.at, `${where}: ${problem}`);
      if (write.listenerArn === production) {
        for (const [arn, weight] of Object.entries(write.forward)) {
          if (weight > 0 && (write.healthyTargets[arn] ?? 0) === 0)
            add(1, write.at, `${where} forwards weight ${weight} to ${tgName(arn)}, which had no healthy target`);
        }
      }
    }
    if (write.actor === 'client') checkWriteAgainstDeployment(write, deployments, tgName, (m) => add(3, write.at, `${where}: ${m}`));
    if (write.actor === 'client' && write.listenerArn === production) {
      for (const problem of currencyProblems(write, deployments, tgName)) add(7, write.at, `${where}: ${problem}`);
    }
  }

  if (options.current ?? true) {
    const listener = world.elbv2.listener(production);
    const forwards = [forwardWeights(listener.defaultActions), ...listener.rules.map((r) => forwardWeights(r.actions))];
    for (const forward of forwards) {
      for (const [arn, weight] of Object.entries(forward)) {
        if (weight > 0 && world.elbv2.healthyTargetCount(arn) === 0)
          add(1, world.clock.now(), `production forwards weight ${weight} to ${tgName(arn)}, which has no healthy target now`);
      }
    }
    for (const arn of listeners) {
      for (const problem of weightProblems(forwardWeights(world.elbv2.listener(arn).defaultActions), own, tgName)) {
        add(2, world.clock.now(), `${arn === production ? 'production' : 'test'} listener now: ${problem}`);
      }
    }
  }

  for (const deployment of deployments) {
    for (const report of deployment.hookReports.filter((r) => r.status === 'Failed')) {
      const original = report.productionPercents[deployment.originalTargetGroupArn] ?? 0;
      // Invariant 9's case: a hook that tried to read its target groups and never could cannot
      // restore; it answers Failed and CodeDeploy's rollback reroutes production (the restore-in-time check below).
      const reads = targetReads(world, deployment, report.hook);
      const blind = (reads.length > 0 && reads.every((c) => c.error !== undefined)) || metadataUnusable(world, name, report.at);
      if (original !== 100 && !blind)
        add(4, report.at, `${deployment.id} ${report.hook} reported Failed while the original had ${original}% of production`);
      if (report.replacementRulePresent)
        add(4, report.at, `${deployment.id} ${report.hook} reported Failed while a rule still forwarded to the replacement`);
    }
  }
  for (const problem of afterRollbackProblems(world, deployments, production, options.current ?? true, tgName))
    add(4, problem.at, problem.message);
  const latest = deployments[deployments.length - 1];
  const grace = options.restoreGraceMs ?? 120_000;
  if (latest && (latest.status === 'Failed' || latest.status === 'Stopped') && world.clock.now() - (latest.completeTime ?? 0) >= grace) {
    const listener = world.elbv2.listener(production);
    const percents = world.elbv2.percents(production);
    const toReplacement = listener.rules.some((r) => (forwardWeights(r.actions)[latest.replacementTargetGroupArn] ?? 0) > 0);
    if ((percents[latest.originalTargetGroupArn] ?? 0) !== 100 || toReplacement) {
      add(
        4,
        world.clock.now(),
        `${latest.id} is ${latest.status} but production is not restored to ${tgName(latest.originalTargetGroupArn)} (${JSON.stringify(percents)}${toReplacement ? ', header rule still forwards to the replacement' : ''})`,
      );
    }
  }

  if (options.verifyAuditChain && service.metadata.auditTableName) {
    const items = world.dynamodb.items(service.metadata.auditTableName, (i) => i.pk === name && typeof i.sk === 'number' && i.sk >= 1);
    const result = options.verifyAuditChain(items, service);
    const problems = result === true ? [] : result === false ? ['the audit chain does not verify'] : result;
    for (const problem of problems) add(6, world.clock.now(), problem);
  }
  return violations;
}

/**
 * CodeDeploy's rollback moves every production rule forwarding to the deployment's target groups
 * back to the original (codedeploy-traffic.ts); from then on, until the next deployment is
 * created, nothing may forward to the rolled-back replacement: no later write, no current rule.
 */
function afterRollbackProblems(
  world: FakeAws,
  deployments: Deployment[],
  production: string,
  current: boolean,
  tgName: (arn: string) => string,
): Array<{ at: number; message: string }> {
  const problems: Array<{ at: number; message: string }> = [];
  deployments.forEach((deployment, i) => {
    const rollbackId = deployment.rollbackInfo?.rollbackDeploymentId;
    const rerouted = rollbackId
      ? world.codedeploy.deployments.get(rollbackId)?.statusHistory.find((e) => e.status === 'Succeeded')
      : undefined;
    if (!rerouted) return;
    const next = deployments[i + 1]?.statusHistory[0].seq ?? Infinity;
    const replacement = deployment.replacementTargetGroupArn;
    for (const write of world.elbv2.writes) {
      if (write.listenerArn !== production || write.operation === 'DeleteRule' || write.seq <= rerouted.seq || write.seq >= next) continue;
      if ((write.forward[replacement] ?? 0) > 0) {
        problems.push({
          at: write.at,
          message: `${write.actor} ${write.operation} forwards weight ${write.forward[replacement]} to ${tgName(replacement)} after ${deployment.id} was rolled back`,
        });
      }
    }
    if (!current || next !== Infinity) return;
    const listener = world.elbv2.listener(production);
    const forwards = [
      { what: 'the default action', actions: listener.defaultActions },
      ...listener.rules.map((r) => ({ what: `rule ${r.priority}`, actions: r.actions })),
    ];
    for (const { what, actions } of forwards) {
      const weight = forwardWeights(actions)[replacement] ?? 0;
      if (weight > 0)
        problems.push({
          at: world.clock.now(),
          message: `${what} of production still forwards weight ${weight} to ${tgName(replacement)}, ${deployment.id} was rolled back`,
        });
    }
  });
  return problems;
}

/** The GetDeploymentTarget calls of whoever answered the hook: its function, or the function's on-failure destination. */
function targetReads(world: FakeAws, deployment: Deployment, hook: string) {
  const fn = deployment.events.find((e) => e.name === hook)?.functionName;
  const caller = fn?.replace(/^arn:aws[a-z-]*:lambda:[^:]+:\d+:function:/, '').split(':')[0];
  // The hook's on-failure destination answers for it when Lambda gave up on the hook's invocation:
  // then its reads are the ones that count.
  const answeredByDestination = world.lambda.failureRecords.some(
    (r) => r.functionName === caller && (r.record.requestPayload as { DeploymentId?: string } | undefined)?.DeploymentId === deployment.id,
  );
  const reader = answeredByDestination ? world.lambda.failureRecords.find((r) => r.functionName === caller)!.destination : caller;
  return world.calls.filter(
    (c) =>
      c.command === 'GetDeploymentTargetCommand' &&
      c.caller === reader &&
      (c.input as { deploymentId?: string }).deploymentId === deployment.id,
  );
}

/**
 * Whether the answer came from an invocation without its deployment metadata: the newest read of
 * the metadata parameter in the two minutes before `at` failed, or found no parameter or one that
 * is not deployment metadata. (Warm functions hold the metadata and make no such read.)
 */
function metadataUnusable(world: FakeAws, service: string, at: number): boolean {
  const parameter = parameterNames(service).deployment;
  let read: (typeof world.calls)[number] | undefined;
  for (let i = world.calls.length - 1; i >= 0 && !read; i -= 1) {
    const c = world.calls[i];
    if (c.at < at - 120_000) break;
    if (c.command === 'GetParameterCommand' && c.at <= at && (c.input as { Name?: string }).Name === parameter) read = c;
  }
  if (!read) return false;
  if (read.error !== undefined) return true;
  const value = world.ssm.valueAt(parameter, read.at);
  if (value === undefined) return true;
  try {
    parseDeploymentMetadata(value, parameter);
    return false;
  } catch {
    return true;
  }
}

function weightProblems(forward: Readonly<Record<string, number>>, own: Set<string>, tgName: (arn: string) => string): string[] {
  const problems: string[] = [];
  const arns = Object.keys(forward);
  for (const arn of arns) if (!own.has(arn)) problems.push(`forwards to ${tgName(arn)}, not one of the service's target groups`);
  const total = Object.values(forward).reduce((s, w) => s + w, 0);
  if (arns.length > 1 && total !== 100)
    problems.push(`weights ${JSON.stringify(Object.fromEntries(arns.map((a) => [tgName(a), forward[a]])))} sum to ${total}, not 100`);
  return problems;
}

function checkWriteAgainstDeployment(
  write: ListenerWrite,
  deployments: Deployment[],
  tgName: (arn: string) => string,
  report: (message: string) => void,
): void {
  const deployment = [...deployments].reverse().find((d) => d.statusHistory[0].seq < write.seq);
  if (!deployment) return report('written while no deployment of the service existed');
  const status = statusBefore(deployment, write.seq);
  if (status === 'InProgress') return;
  if (write.operation === 'DeleteRule') return;
  const isRestore =
    write.operation === 'ModifyListener' &&
    Object.entries(write.forward).every(([arn, w]) => (arn === deployment.originalTargetGroupArn ? w > 0 : w === 0));
  if (!isRestore) {
    report(
      `${deployment.id} was ${status}: only the restore of ${tgName(deployment.originalTargetGroupArn)} may be written, got ${JSON.stringify(write.forward)}`,
    );
  }
}

/**
 * Invariant 7 for one write of the code under test to the production listener, from the fake's
 * own records: the healthy targets at the moment of the write, and the deployment the writing
 * invocation was for against the group's newest user deployment created before the write.
 */
function currencyProblems(write: ListenerWrite, deployments: Deployment[], tgName: (arn: string) => string): string[] {
  if (write.operation === 'DeleteRule') return [];
  const problems: string[] = [];
  for (const [arn, weight] of Object.entries(write.forward)) {
    if (weight > 0 && (write.healthyTargets[arn] ?? 0) === 0)
      problems.push(`gives weight ${weight} to ${tgName(arn)}, which had no healthy target at that moment`);
  }
  const newest = [...deployments].reverse().find((d) => d.statusHistory[0].seq < write.seq);
  if (write.onBehalfOf && newest && write.onBehalfOf !== newest.id) {
    problems.push(
      `written for ${write.onBehalfOf}, which is no longer the group's current deployment (${newest.id} is): ${JSON.stringify(Object.fromEntries(Object.entries(write.forward).map(([a, w]) => [tgName(a), w])))}`,
    );
  }
  return problems;
}
