/**
 * Guard Lambda: EventBridge sends this deployment group's FAILURE and STOP state changes. It
 * fences the deployment (no tick shifts it after this), restores 100% to the original if the
 * listener still sends traffic to the replacement, removes the header rule, stops the
 * deployment's rollout executions, and records and announces why (the alarms in ALARM, the operator's
 * rollback, the judge's newest figures). Once every tick that passed
 * its checks before the fence has ended, it re-checks and restores again if one of them wrote
 * (docs/guard-fence.md).
 */
import { guardDecision, guardRecheck, recheckPlan, type StopContext } from '../core/guard';
import { alarmsInAlarm } from '../aws/cloudwatch-alarms';
import { readControl } from '../aws/control-parameter';
import { newestAuditRecords } from '../aws/audit-records';
import { hasCanaryRouting } from '../core/metadata';
import { deploymentTargets } from '../aws/codedeploy';
import { writeFence } from '../aws/dynamodb';
import { readWeights } from '../aws/elbv2';
import { stopRollouts } from '../aws/sfn';
import { errorText } from '../aws/errors';
import type { TargetPair } from '../core/rollout-state';
import { perform } from './act';
import { logger, runtime, type Runtime } from './runtime';

export interface DeploymentStateChange {
  readonly 'detail-type'?: string;
  readonly detail: { readonly deploymentId: string; readonly state: string; readonly deploymentGroup?: string; readonly application?: string };
}

export interface GuardOptions {
  /** Waits `ms` before the re-check (tests pass the fake clock's). @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The invocation's remaining time, ms (the Lambda context's). @default unbounded */
  readonly remainingMs?: () => number;
}

export interface GuardResult {
  readonly restored: boolean;
  readonly stopped: string[];
  /** Whether the re-check found a write that was in flight and restored again. */
  readonly restoredAgain: boolean;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const handler = async (event: DeploymentStateChange, context?: { getRemainingTimeInMillis(): number }) =>
  guard(await runtime(), event, context ? { remainingMs: () => context.getRemainingTimeInMillis() } : {});

export async function guard(rt: Runtime, event: DeploymentStateChange, options: GuardOptions = {}): Promise<GuardResult> {
  const { deploymentId, state } = event.detail;
  logger.appendKeys({ deploymentId });
  const { clients, metadata } = rt;
  // The fence first: a tick that reads it from now on writes nothing but the restore. A fence
  // that cannot be written never holds up the restore; the re-check then counts from here.
  let fencedAt = rt.clock();
  await writeFence(rt.audit, { deploymentId, state, at: new Date(fencedAt).toISOString() }, fencedAt)
    .then(() => { fencedAt = rt.clock(); })
    .catch((error) => logger.error('fence not written; restoring anyway', { error: errorText(error) }));
  const [targets, context] = await Promise.all([
    deploymentTargets(clients.codedeploy, deploymentId, metadata.targetGroups),
    stopContext(rt, deploymentId),
  ]);
  const weights = await listenerWeights(rt, targets);
  const decision = guardDecision({ deploymentId, state, service: rt.env.service, weights, canaryHeader: hasCanaryRouting(metadata), context });
  await perform(rt, { deploymentId, targets }, [decision.record]);
  // Stop the ticks first, so no new one starts after the restore.
  const stopped = rt.env.stateMachineArn ? await stopRollouts(clients.sfn, rt.env.stateMachineArn, deploymentId, decision.reason) : [];
  await perform(rt, { deploymentId, targets }, decision.actions);
  logger.info('guard restored', { restored: decision.restore, stopped });

  const plan = recheckPlan(fencedAt, rt.clock(), options.remainingMs?.());
  if (!plan.complete) logger.warn('the guard times out before every tick that could still write has ended; re-checking early (raise the guard timeout)', { waitMs: plan.waitMs });
  await (options.sleep ?? timer)(plan.waitMs);
  const recheck = guardRecheck({
    deploymentId, state, service: rt.env.service, weights: await listenerWeights(rt, targets),
    canaryHeader: hasCanaryRouting(metadata), afterFenceMs: rt.clock() - fencedAt,
  });
  await perform(rt, { deploymentId, targets }, [...(recheck.record ? [recheck.record] : []), ...recheck.actions]);
  logger.info('guard re-checked', { restoredAgain: recheck.restore, reason: recheck.reason });
  return { restored: decision.restore, stopped, restoredAgain: recheck.restore };
}

/**
 * Why it stopped, for the record: the rollback alarms in ALARM, the operator's `canary rollback`
 * and the judge's newest decision. Each read is best effort: none may hold up the restore.
 */
async function stopContext(rt: Runtime, deploymentId: string): Promise<StopContext> {
  const quietly = <T>(what: string, read: () => Promise<T>) => read().catch((error) => {
    logger.warn(`cannot read ${what} for the record`, { error: errorText(error) });
    return undefined;
  });
  const alarmNames = rt.env.alarmNames ?? [];
  const [alarms, control, newest] = await Promise.all([
    alarmNames.length > 0 ? quietly('the rollback alarms', () => alarmsInAlarm(rt.clients.cloudwatch, alarmNames)) : Promise.resolve(undefined),
    rt.env.controlParameter ? quietly('the control parameter', () => readControl(rt.clients.ssm, rt.env.controlParameter!)) : Promise.resolve(undefined),
    quietly('the newest decision', () => newestAuditRecords(rt.audit.client, { tableName: rt.audit.tableName, service: rt.env.service, deploymentId, limit: 10 })),
  ]);
  const operator = control?.command === 'abort' && control.deploymentId === deploymentId ? control : undefined;
  const judge = newest?.find((r) => r.kind === 'decision' && r.actor !== 'guard');
  return {
    ...(alarms ? { alarms } : {}),
    ...(operator ? { operator: { requestedBy: operator.requestedBy, requestId: operator.requestId, at: operator.at, ...(operator.callerArn ? { callerArn: operator.callerArn } : {}), ...(operator.reason ? { reason: operator.reason } : {}) } } : {}),
    ...(judge ? { judge: { sk: judge.sk, at: judge.at, reason: judge.reason, ...(judge.verdict ? { verdict: judge.verdict } : {}), ...(judge.figures ? { figures: judge.figures } : {}) } } : {}),
  };
}

async function listenerWeights(rt: Runtime, targets: TargetPair) {
  return readWeights(rt.clients.elbv2, rt.metadata.productionListenerArn, targets).catch((error) => {
    logger.warn('cannot read listener weights; restoring anyway', { error: errorText(error) });
    return undefined;
  });
}
