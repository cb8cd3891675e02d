/**
 * Performs the controller's actions in order. The audit record always comes first (the
 * controller puts it there). Right before a shift or a new canary rule it re-reads the deployment
 * (InProgress), the health of every target group the write gives traffic to, and then the
 * guard's fence: if the deployment is no longer InProgress or fenced, the remaining actions are
 * dropped and the caller asks the controller for the restore; if a target group has no healthy
 * target, nothing is written and the caller re-decides with that health. The fence is read again
 * after the write: a guard that fenced while it was in flight gets it undone at once
 * (docs/guard-fence.md). A restore is written only for the group's current deployment and only
 * onto an original with a healthy target; otherwise nothing is written, the refusal is recorded
 * and announced, and production is left to CodeDeploy's rollback. A restore that must read its
 * listener first and cannot (the test listener; a production listener the guard could not read)
 * writes nothing blind: once the other actions are done, `ListenerUnreadableError` is thrown so
 * the event is retried. Notifications and the weight metric never block a rollback: their failures
 * are logged.
 */
import { putWeightMetric } from '../aws/cloudwatch';
import { assertInProgress, reportHookStatus } from '../aws/codedeploy';
import { anchorRecord, appendAudit, readFence } from '../aws/dynamodb';
import { canaryMatches, ensureRule, readWeights, removeRules, targetHealth, writeWeights } from '../aws/elbv2';
import { DeploymentNotInProgressError, errorText, NoHealthyTargetError } from '../aws/engine-errors';
import { writeRolloutRecord } from '../aws/rollout-record';
import { publishEvent } from '../aws/sns';
import { fencedStatus } from '../core/guard';
import type { TargetGroupRef } from '../core/metadata';
import type { Action } from '../core/rollout-state';
import type { TargetPair } from '../core/rollout-state';
import { ListenerUnreadableError, NoHookExecutionError, TargetGroupsUnknownError } from './act-errors';
import { establishCurrency } from './currency';
import type { Runtime } from './runtime';

export interface ActTarget {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId?: string;
  readonly targets?: TargetPair;
  /**
   * A restore whose deployment's currency cannot be read (every attempt failed): written (a hook or
   * tick restoring its own deployment before it reports Failed), or refused like the guard refuses
   * an event it cannot place. @default 'restore'
   */
  readonly whenCurrencyUnknown?: 'restore' | 'refuse';
}

export interface ActResult {
  /** Set when a shift was refused because the deployment is no longer InProgress. */
  readonly notInProgress?: string;
  /** Set when a shift or a canary rule was refused because a target group it would send traffic to has no healthy target. */
  readonly unhealthy?: { readonly targetGroup: string; readonly health?: { readonly healthy: number; readonly unhealthy: number } };
  readonly performed: ReadonlyArray<Action['kind']>;
}

export async function perform(runtime: Runtime, target: ActTarget, actions: readonly Action[]): Promise<ActResult> {
  const { clients, metadata } = runtime;
  const performed: Array<Action['kind']> = [];
  // A listener a restore must read and cannot: the remaining actions run first, then it is thrown.
  let unreadable: ListenerUnreadableError | undefined;
  const targets = () => {
    if (!target.targets)
      throw new TargetGroupsUnknownError(`cannot ${actions.map((a) => a.kind).join(', ')}: the deployment's target groups are unknown`);
    return target.targets;
  };
  for (const action of actions) {
    let written = false;
    try {
      switch (action.kind) {
        case 'audit': {
          const record = await appendAudit(runtime.audit, action.draft, runtime.clock());
          if (record.signatureError) runtime.logger.error('audit record written unsigned', { sk: record.sk, error: record.signatureError });
          // The anchor never holds up the action either; a record without one is named by canary history.
          await anchorRecord(runtime.audit, record).catch((error) =>
            runtime.logger.error('audit anchor not written', { sk: record.sk, error: errorText(error) }),
          );
          break;
        }
        case 'setWeights':
          if (action.purpose === 'shift') {
            const pair = targets();
            await assertWritable(runtime, target.deploymentId, [
              ...(action.original > 0 ? [pair.original] : []),
              ...(action.replacement > 0 ? [pair.replacement] : []),
            ]);
          } else {
            const current = await readWeights(clients.elbv2, metadata.productionListenerArn, targets()).catch((error) => {
              if (action.ifElsewhere)
                unreadable ??= new ListenerUnreadableError(
                  'production',
                  `cannot read the production listener to restore it: ${errorText(error)}`,
                  {
                    cause: error,
                  },
                );
              return undefined;
            });
            if (current?.original === 100) break;
            // Not read before and not readable now: nothing is written blind, the action is retried.
            if (action.ifElsewhere && (!current || current.replacement === 0)) break;
            const refusal = await restoreRefusal(runtime, target.deploymentId, targets(), target.whenCurrencyUnknown ?? 'restore');
            if (refusal) {
              await refuseRestore(runtime, target.deploymentId, refusal);
              break;
            }
          }
          await writeWeights(clients.elbv2, metadata.productionListenerArn, targets(), {
            original: action.original,
            replacement: action.replacement,
          });
          written = true;
          if (action.purpose === 'shift') await assertNotFenced(runtime, target.deploymentId);
          break;
        case 'restoreTestListener': {
          // Only a test listener read as forwarding to the replacement is written. One that cannot be
          // read fails the action once the rest (the production restore among them) is done, so the
          // event is retried: left on the replacement, it fails the group's next deployment at its start.
          const current = await readWeights(clients.elbv2, metadata.testListenerArn, targets()).catch((error) => {
            runtime.logger.warn('cannot read the test listener; restoring the rest, then failing for a retry', { error: errorText(error) });
            unreadable ??= new ListenerUnreadableError('test', `cannot read the test listener to restore it: ${errorText(error)}`, {
              cause: error,
            });
            return undefined;
          });
          if (!current || current.replacement === 0) break;
          const refusal = await restoreRefusal(runtime, target.deploymentId, targets(), target.whenCurrencyUnknown ?? 'restore');
          if (refusal) {
            await refuseRestore(runtime, target.deploymentId, { ...refusal, reason: `test listener: ${refusal.reason}` });
            break;
          }
          await writeWeights(clients.elbv2, metadata.testListenerArn, targets(), { original: 100, replacement: 0 });
          written = true;
          break;
        }
        case 'createHeaderRule': {
          // The header rule and the cookie rule, whichever are configured.
          const matches = canaryMatches(metadata);
          if (matches.length === 0) break;
          await assertWritable(runtime, target.deploymentId, [targets().replacement]);
          for (const match of matches) {
            await ensureRule(clients.elbv2, metadata.productionListenerArn, match, targets().replacement.arn);
            written = true;
          }
          await assertNotFenced(runtime, target.deploymentId);
          break;
        }
        case 'removeHeaderRule':
          await removeRules(clients.elbv2, metadata.productionListenerArn, canaryMatches(metadata));
          break;
        case 'reportHook':
          if (!target.lifecycleEventHookExecutionId) throw new NoHookExecutionError();
          // Succeeded lets CodeDeploy move on (AllowTraffic to the replacement, or deleting the
          // original): re-checked like a shift, never while the replacement has no healthy target.
          if (action.status === 'Succeeded' && target.targets)
            await assertWritable(runtime, target.deploymentId, [target.targets.replacement]);
          if (!(await reportHookStatus(clients.codedeploy, target.deploymentId, target.lifecycleEventHookExecutionId, action.status))) {
            runtime.logger.warn('hook was already answered; nothing to report', { status: action.status });
          }
          break;
        case 'recordRollout':
          await writeRolloutRecord(runtime.audit, target.deploymentId, action.rollout, runtime.clock());
          break;
        case 'notify':
          await publishEvent(clients.sns, runtime.env.topicArn, {
            ...action,
            deploymentId: target.deploymentId,
            service: runtime.env.service,
          }).catch((error) => runtime.logger.error('notification failed', { error: errorText(error), subject: action.subject }));
          break;
        case 'putWeightMetric':
          await putWeightMetric(clients.cloudwatch, runtime.env.service, action.weight, new Date(runtime.clock())).catch((error) =>
            runtime.logger.warn('CanaryWeight metric not written', { error: errorText(error) }),
          );
          break;
      }
    } catch (error) {
      if (error instanceof DeploymentNotInProgressError) {
        if (written) performed.push(action.kind);
        runtime.logger.warn(
          written
            ? 'fenced while the write was in flight; handing the listener back to the restore'
            : 'deployment no longer InProgress; write refused',
          { status: error.status, action: action.kind },
        );
        return { notInProgress: error.status, performed };
      }
      if (error instanceof NoHealthyTargetError) {
        runtime.logger.warn('write refused: a target group it would send traffic to has no healthy target', {
          targetGroup: error.targetGroup,
          health: error.health,
          action: action.kind,
        });
        return { unhealthy: { targetGroup: error.targetGroup, ...(error.health ? { health: error.health } : {}) }, performed };
      }
      throw error;
    }
    performed.push(action.kind);
    runtime.logger.info('performed', {
      action: action.kind,
      ...(action.kind === 'setWeights' ? { original: action.original, replacement: action.replacement } : {}),
    });
  }
  if (unreadable) throw unreadable;
  return { performed };
}

/**
 * Right before a shift or a new canary rule: the deployment is InProgress, every target group the
 * write sends traffic to has a healthy target (DescribeTargetHealth is not delayed), then (last)
 * not fenced.
 */
async function assertWritable(runtime: Runtime, deploymentId: string, receiving: readonly TargetGroupRef[]): Promise<void> {
  await assertInProgress(runtime.clients.codedeploy, deploymentId);
  for (const group of receiving) {
    const health = await targetHealth(runtime.clients.elbv2, group.arn).catch((error) => {
      throw new NoHealthyTargetError(group.name, undefined, { cause: error });
    });
    if (health.healthy < 1) throw new NoHealthyTargetError(group.name, health);
  }
  await assertNotFenced(runtime, deploymentId);
}

interface Refusal {
  readonly severity: 'warning' | 'critical';
  readonly reason: string;
}

/**
 * Why a restore must not be written, or undefined. A deployment that is no longer its group's
 * current one writes no weights (its "original" may be a newer deployment's canary, or a target
 * group whose task set is gone): its currency is read right before the write, with a short
 * backoff, however long ago the caller last read it. When every read of it fails, `whenUnknown`
 * decides. An original without a healthy target gets no traffic; a health read that fails does
 * not hold the restore up.
 */
async function restoreRefusal(
  runtime: Runtime,
  deploymentId: string,
  targets: TargetPair,
  whenUnknown: 'restore' | 'refuse',
): Promise<Refusal | undefined> {
  const currency = await establishCurrency(runtime, deploymentId);
  if (currency.value && !currency.value.current)
    return { severity: 'warning', reason: `${currency.value.reason}; its restore is not written` };
  if (!currency.value) {
    if (whenUnknown === 'refuse')
      return {
        severity: 'critical',
        reason: `cannot establish that ${deploymentId} is still the deployment group's current deployment (${currency.error}); its restore is not written, production is left to CodeDeploy's rollback`,
      };
    runtime.logger.warn("cannot read the deployment group's deployments before the restore; restoring", { error: currency.error });
  }
  const health = await targetHealth(runtime.clients.elbv2, targets.original.arn).catch((error) => {
    runtime.logger.warn("cannot read the original's target health before the restore; restoring", { error: errorText(error) });
    return undefined;
  });
  if (health && health.healthy < 1) {
    return {
      severity: 'critical',
      reason: `the original target group ${targets.original.name} has no healthy target (${health.healthy} healthy, ${health.unhealthy} unhealthy); no weight is written to it, production is left to CodeDeploy's rollback`,
    };
  }
  return undefined;
}

/** Records and announces a restore that is not written; neither holds anything up. */
async function refuseRestore(runtime: Runtime, deploymentId: string, refusal: Refusal): Promise<void> {
  runtime.logger.error('restore not written', { reason: refusal.reason });
  await appendAudit(
    runtime.audit,
    { kind: 'event', deploymentId, verdict: 'ignore', action: 'no listener write', reason: refusal.reason, actor: 'engine' },
    runtime.clock(),
  ).catch((error) => runtime.logger.error('refusal not recorded', { error: errorText(error) }));
  await publishEvent(runtime.clients.sns, runtime.env.topicArn, {
    severity: refusal.severity,
    subject: `[${refusal.severity}] ${runtime.env.service} ${deploymentId} restore not written`,
    message: refusal.reason,
    deploymentId,
    service: runtime.env.service,
  }).catch((error) => runtime.logger.error('notification failed', { error: errorText(error) }));
}

/** Throws `DeploymentNotInProgressError` when the guard has fenced the deployment. */
async function assertNotFenced(runtime: Runtime, deploymentId: string): Promise<void> {
  const fence = await readFence(runtime.audit, deploymentId);
  if (fence) throw new DeploymentNotInProgressError(deploymentId, fencedStatus(fence));
}
