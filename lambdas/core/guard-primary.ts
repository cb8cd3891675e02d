/**
 * The guard's decision, pure, for the group's current deployment that ended before CodeDeploy
 * created its replacement task set: no traffic moved to a replacement of it, but production may
 * still forward to another target group — the replacement of an earlier release stopped without
 * rollback after AllowTraffic, whose own guard was beaten by this deployment (invariant 7). Every
 * later deployment then fails before Install ("Primary taskset target group must be behind
 * listener"), so the guard restores 100% to the target group of the service's original (primary)
 * task set, only onto a healthy target (invariant 1 outranks invariant 4). CodeDeploy checks the
 * test listener the same way, and a stop without rollback after AllowTestTraffic leaves it on the
 * replacement: it goes back to the primary's target group too.
 */
import { type GuardDecision, testListenerNote } from './guard';
import type { Action } from './rollout-state';

export interface PrimaryRestoreInput {
  readonly deploymentId: string;
  /** The CodeDeploy state of the event (`FAILURE`, `STOP`). */
  readonly state: string;
  readonly service: string;
  /** Why the deployment has no replacement task set (the DeploymentTargetError's message). */
  readonly why: string;
  /** The target group of the service's original task set, and the other of its two. */
  readonly primary: string;
  readonly other: string;
  /** Production listener weights: `original` on the primary's target group, `replacement` on the other; undefined when unreadable. */
  readonly weights?: { readonly original: number; readonly replacement: number };
  /** Test listener weights, by the same roles; undefined when unreadable or not read. */
  readonly testWeights?: { readonly original: number; readonly replacement: number };
  /** The test listener's read failed: the restore reads it again and writes only if it forwards to the other group. */
  readonly testUnreadable?: boolean;
  /** The production listener's read failed: likewise, its restore reads it again and writes only if it forwards to the other group. */
  readonly productionUnreadable?: boolean;
  /** The primary's target group's live health, or undefined when unreadable. */
  readonly primaryHealth?: { readonly healthy: number; readonly unhealthy: number };
  readonly canaryHeader: boolean;
}

/**
 * Restores 100% to the primary's target group when the production listener is known to send the
 * other one traffic and the primary has a healthy target (an unreadable health does not hold it up:
 * the restore re-reads it right before its write); the test listener likewise, since either one
 * forwarding elsewhere fails every deployment of the group at its start; a listener (production or
 * test) that could not be read counts as may (its restore reads it again before any write, and is
 * retried when that read fails too). Otherwise writes nothing and says why.
 */
export function guardPrimaryRestore(input: PrimaryRestoreInput): GuardDecision {
  const { deploymentId, state, weights, testWeights, primaryHealth } = input;
  const elsewhere = weights !== undefined && weights.replacement > 0;
  const testElsewhere = testWeights !== undefined && testWeights.replacement > 0;
  const testUnknown = testWeights === undefined && input.testUnreadable === true;
  const productionUnknown = weights === undefined && input.productionUnreadable === true;
  const empty = primaryHealth !== undefined && primaryHealth.healthy < 1;
  const restore = (elsewhere || productionUnknown || testElsewhere || testUnknown) && !empty;
  const testUnknownNote = testUnknown
    ? `; the test listener could not be read: it is read again and restored to ${input.primary} if it forwards to ${input.other}`
    : '';
  const ended = `${state} event of ${deploymentId}: the deployment ended before CodeDeploy created its replacement task set (${input.why})`;
  const production = !weights
    ? `the production listener could not be read${productionUnknown && !empty ? `: it is read again and restored to ${input.primary} if it forwards to ${input.other}` : ''}`
    : !elsewhere
      ? `the production listener sends 100% to ${input.primary}, the service's original task set's target group`
      : `the production listener sends ${weights.replacement}% to ${input.other}, not to ${input.primary} (the service's original task set's target group)`;
  const reason = empty
    ? elsewhere || testElsewhere
      ? `${ended}; ${production}${testElsewhere ? ` and the test listener ${testWeights.replacement}% to ${input.other}` : ''}, but ${input.primary} has no healthy target (${primaryHealth.healthy} healthy, ${primaryHealth.unhealthy} unhealthy): nothing written, production stays on ${input.other}; move it back by hand once ${input.primary} is healthy`
      : `${ended}; ${production}; nothing written`
    : `${ended}; ${production}${elsewhere ? `, so every deployment of the group fails before Install: restoring 100% to ${input.primary}` : ''}${testListenerNote(testWeights, input.primary)}${testUnknownNote}${restore ? '' : '; nothing written'}`;
  const record: Action = {
    kind: 'audit',
    draft: {
      kind: 'event',
      deploymentId,
      verdict: restore ? 'restore' : 'ignore',
      action: restore
        ? [
            ...(elsewhere ? [`restore 100% to ${input.primary}, the original task set's target group`] : []),
            ...(productionUnknown ? [`restore 100% to ${input.primary} if production forwards to ${input.other}`] : []),
            ...(testElsewhere ? [`restore the test listener to ${input.primary}`] : []),
            ...(testUnknown ? [`restore the test listener to ${input.primary} if it forwards to ${input.other}`] : []),
          ].join(', ')
        : 'no listener write',
      reason,
      actor: 'guard',
      ...(weights ? { weights } : {}),
      figures: {
        event: state,
        primaryTargetGroup: input.primary,
        ...(testWeights ? { testWeights } : {}),
        ...(primaryHealth ? { primaryTargets: primaryHealth } : {}),
      },
    },
  };
  const severity = elsewhere || productionUnknown ? 'critical' : 'warning';
  const subject = `[${severity}] ${input.service} ${deploymentId} ${state}${restore ? `: ${elsewhere || testElsewhere ? `${elsewhere ? 'production' : 'the test listener'} restored to the original task set` : `the unread ${productionUnknown ? 'production' : 'test'} listener read again`}` : ' ignored'}`;
  const actions: Action[] = [
    ...(restore && (elsewhere || productionUnknown) && input.canaryHeader ? [{ kind: 'removeHeaderRule' } as const] : []),
    ...(restore && elsewhere
      ? [
          { kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 } as const,
          { kind: 'putWeightMetric', weight: 0 } as const,
        ]
      : []),
    ...(restore && productionUnknown
      ? [{ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0, ifElsewhere: true } as const]
      : []),
    ...(restore && (testElsewhere || testUnknown) ? [{ kind: 'restoreTestListener' } as const] : []),
    { kind: 'notify', severity, subject, message: reason },
  ];
  return { restore, reason, record, actions };
}
