/**
 * Performs the controller's actions in order. The audit record always comes first (the
 * controller puts it there); a shift or a new header rule is written only after re-reading the
 * deployment and then the guard's fence — if it is no longer InProgress or fenced, the remaining
 * actions are dropped and the caller asks the controller for the restore. The fence is read
 * again after the write: a guard that fenced while it was in flight gets it undone at once
 * (docs/guard-fence.md). Notifications and the weight metric never block a rollback: their
 * failures are logged.
 */
import type { Action } from '../core/rollout-state';
import type { TargetPair } from '../core/rollout-state';
import { anchorRecord, appendAudit, readFence } from '../aws/dynamodb';
import { fencedStatus } from '../core/guard';
import { assertInProgress, reportHookStatus } from '../aws/codedeploy';
import { canaryMatches, ensureRule, readWeights, removeRules, writeWeights } from '../aws/elbv2';
import { publishEvent } from '../aws/sns';
import { putWeightMetric } from '../aws/cloudwatch';
import { writeRolloutRecord } from '../aws/rollout-record';
import { DeploymentNotInProgressError, errorText } from '../aws/errors';
import type { Runtime } from './runtime';

export interface ActTarget {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId?: string;
  readonly targets?: TargetPair;
}

export interface ActResult {
  /** Set when a shift was refused because the deployment is no longer InProgress. */
  readonly notInProgress?: string;
  readonly performed: ReadonlyArray<Action['kind']>;
}

export async function perform(rt: Runtime, target: ActTarget, actions: readonly Action[]): Promise<ActResult> {
  const { clients, metadata } = rt;
  const performed: Array<Action['kind']> = [];
  const targets = () => {
    if (!target.targets) throw new Error(`cannot ${actions.map((a) => a.kind).join(', ')}: the deployment's target groups are unknown`);
    return target.targets;
  };
  for (const action of actions) {
    let written = false;
    try {
      switch (action.kind) {
        case 'audit': {
          const record = await appendAudit(rt.audit, action.draft, rt.clock());
          if (record.signatureError) rt.logger.error('audit record written unsigned', { sk: record.sk, error: record.signatureError });
          // The anchor never holds up the action either; a record without one is named by canary history.
          await anchorRecord(rt.audit, record).catch((error) => rt.logger.error('audit anchor not written', { sk: record.sk, error: errorText(error) }));
          break;
        }
        case 'setWeights':
          if (action.purpose === 'shift') {
            await assertWritable(rt, target.deploymentId);
          } else {
            const current = await readWeights(clients.elbv2, metadata.productionListenerArn, targets()).catch(() => undefined);
            if (current?.original === 100) break;
          }
          await writeWeights(clients.elbv2, metadata.productionListenerArn, targets(), { original: action.original, replacement: action.replacement });
          written = true;
          if (action.purpose === 'shift') await assertNotFenced(rt, target.deploymentId);
          break;
        case 'createHeaderRule': {
          // The header rule and the cookie rule, whichever are configured.
          const matches = canaryMatches(metadata);
          if (matches.length === 0) break;
          await assertWritable(rt, target.deploymentId);
          for (const match of matches) {
            await ensureRule(clients.elbv2, metadata.productionListenerArn, match, targets().replacement.arn);
            written = true;
          }
          await assertNotFenced(rt, target.deploymentId);
          break;
        }
        case 'removeHeaderRule':
          await removeRules(clients.elbv2, metadata.productionListenerArn, canaryMatches(metadata));
          break;
        case 'reportHook':
          if (!target.lifecycleEventHookExecutionId) throw new Error('no lifecycle event hook execution to report to');
          if (!(await reportHookStatus(clients.codedeploy, target.deploymentId, target.lifecycleEventHookExecutionId, action.status))) {
            rt.logger.warn('hook was already answered; nothing to report', { status: action.status });
          }
          break;
        case 'recordRollout':
          await writeRolloutRecord(rt.audit, target.deploymentId, action.rollout, rt.clock());
          break;
        case 'notify':
          await publishEvent(clients.sns, rt.env.topicArn, { ...action, deploymentId: target.deploymentId, service: rt.env.service })
            .catch((error) => rt.logger.error('notification failed', { error: errorText(error), subject: action.subject }));
          break;
        case 'putWeightMetric':
          await putWeightMetric(clients.cloudwatch, rt.env.service, action.weight, new Date(rt.clock()))
            .catch((error) => rt.logger.warn('CanaryWeight metric not written', { error: errorText(error) }));
          break;
      }
    } catch (error) {
      if (error instanceof DeploymentNotInProgressError) {
        if (written) performed.push(action.kind);
        rt.logger.warn(written ? 'fenced while the write was in flight; handing the listener back to the restore' : 'deployment no longer InProgress; write refused', { status: error.status, action: action.kind });
        return { notInProgress: error.status, performed };
      }
      throw error;
    }
    performed.push(action.kind);
    rt.logger.info('performed', { action: action.kind, ...(action.kind === 'setWeights' ? { original: action.original, replacement: action.replacement } : {}) });
  }
  return { performed };
}

/** Right before a shift or a new header rule: the deployment is InProgress, then (last) not fenced. */
async function assertWritable(rt: Runtime, deploymentId: string): Promise<void> {
  await assertInProgress(rt.clients.codedeploy, deploymentId);
  await assertNotFenced(rt, deploymentId);
}

/** Throws `DeploymentNotInProgressError` when the guard has fenced the deployment. */
async function assertNotFenced(rt: Runtime, deploymentId: string): Promise<void> {
  const fence = await readFence(rt.audit, deploymentId);
  if (fence) throw new DeploymentNotInProgressError(deploymentId, fencedStatus(fence));
}
