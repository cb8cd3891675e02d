/**
 * The invariants a fault campaign checks beyond test/support/invariants.ts (1, 2, 3, 4, 6), each
 * from the fake's records and the invocations' events — never from the engine's own reasoning:
 *
 *  5. No bad release succeeds (the campaign knows which releases carry +20 pp of errors).
 *  6. Every engine write to the production listener is preceded by an audit record appended by
 *     the same invocation (the decision is recorded before it is acted on).
 *  8. A deployment created without ecs-canary's hooks (an AppSpec naming none, or a pipeline's
 *     own) never gets production weight — no write by anyone, CodeDeploy's AllowTraffic included,
 *     gives its replacement weight while it runs — and never succeeds.
 *  7. An engine write that gives weight (ModifyListener, CreateRule, ModifyRule) is made for the
 *     deployment group's newest deployment: the event or input of the invocation that wrote names it.
 *  9. No deployment ends in CodeDeploy's hook timeout.
 */
import type { FakeAws, InvariantViolation } from '../../support';
import type { FaultInjector } from './injector';

export interface FaultViolation {
  readonly invariant: InvariantViolation['invariant'] | 5 | 7 | 8 | 9;
  readonly at: string;
  readonly message: string;
}

export interface Release {
  readonly index: number;
  readonly deploymentId: string;
  readonly bad: boolean;
  readonly disruption?: string;
  /** Created without ecs-canary's hooks: 'no hooks' or 'foreign hooks'. */
  readonly ungated?: string;
}

export function faultChecks(world: FakeAws, injector: FaultInjector, releases: readonly Release[], finished: boolean): FaultViolation[] {
  const violations: FaultViolation[] = [];
  const add = (invariant: FaultViolation['invariant'], at: number, message: string) =>
    violations.push({ invariant, at: new Date(at).toISOString(), message });
  const writeAt = new Map(world.elbv2.writes.map((w) => [w.seq, w]));
  const user = [...world.codedeploy.deployments.values()].filter((d) => d.kind === 'user');

  for (const origin of injector.writes) {
    const write = writeAt.get(origin.seq);
    if (!write) continue;
    const { invocation } = origin;
    const recorded = injector.audits.some((a) => a.invocation === invocation && a.seq < origin.seq);
    if (!recorded)
      add(
        6,
        write.at,
        `${invocation.functionName}#${invocation.id} wrote ${write.operation} ${JSON.stringify(write.forward)} without recording a decision first`,
      );
    if (write.operation === 'DeleteRule') continue;
    const newest = [...user].reverse().find((d) => d.statusHistory[0].seq < write.seq);
    if (invocation.deploymentId && newest && newest.id !== invocation.deploymentId) {
      add(
        7,
        write.at,
        `${invocation.functionName}#${invocation.id} wrote ${write.operation} ${JSON.stringify(write.forward)} for ${invocation.deploymentId} while ${newest.id} was the group's newest deployment`,
      );
    }
  }
  const production = world.services.get('svc')?.metadata.productionListenerArn;
  for (const release of releases.filter((r) => r.ungated)) {
    const deployment = world.codedeploy.deployment(release.deploymentId);
    const began = deployment.statusHistory[0].seq;
    const ended =
      deployment.statusHistory.find((e) => ['Succeeded', 'Failed', 'Stopped'].includes(e.status))?.seq ?? Number.POSITIVE_INFINITY;
    const moved = world.elbv2.writes.find(
      (w) => w.listenerArn === production && w.seq > began && w.seq < ended && (w.forward[deployment.replacementTargetGroupArn] ?? 0) > 0,
    );
    if (moved)
      add(
        8,
        moved.at,
        `${release.deploymentId} (created with ${release.ungated}) got production weight: ${moved.actor} ${moved.operation} ${JSON.stringify(moved.forward)}`,
      );
    if (deployment.status === 'Succeeded')
      add(
        8,
        deployment.completeTime ?? 0,
        `${release.deploymentId} (created with ${release.ungated}) succeeded instead of being stopped at its start`,
      );
  }
  for (const deployment of user) {
    // The hook timeout, not the ready wait's (a stop before production moves, which the fake also reports as TIMEOUT).
    if (deployment.errorInformation?.code === 'TIMEOUT' && / hook /.test(deployment.errorInformation.message))
      add(9, deployment.completeTime ?? 0, `${deployment.id} ended in CodeDeploy's hook timeout: ${deployment.errorInformation.message}`);
  }
  if (finished) {
    for (const release of releases.filter((r) => r.bad)) {
      const deployment = world.codedeploy.deployment(release.deploymentId);
      if (deployment.status === 'Succeeded')
        add(5, deployment.completeTime ?? 0, `release ${release.index} (${release.deploymentId}, +20 pp errors) succeeded`);
    }
  }
  return violations;
}
