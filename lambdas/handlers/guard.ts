/**
 * Guard Lambda: EventBridge sends this deployment group's FAILURE and STOP state changes, at
 * least once and possibly hours late. It fences the deployment (no tick shifts it after this),
 * then establishes that the deployment is still its group's current one: an event of an older
 * deployment, or one whose currency cannot be read, is recorded as ignored and writes nothing.
 * For the current deployment it restores 100% to the original if the listener still sends
 * traffic to the replacement and the original has a healthy target, removes the header rule,
 * records and announces why (the alarms in ALARM, the operator's rollback, the judge's newest
 * figures), and then stops the deployment's rollout executions: a StopExecution or a test listener
 * read that fails never holds up production's restore, and fails the invocation (Lambda retries
 * the event) only after the re-check. Once every tick that passed its checks
 * before the fence has ended, it re-checks and restores again if one of them wrote
 * (docs/guard-fence.md). Every restore establishes the currency again right before its write (a
 * newer deployment may have been created meanwhile) and is not written when it cannot. A current
 * deployment that ended before Install moves production back to its original task set's target
 * group when the listener forwards elsewhere, or could not be read (read again before any write;
 * retried when that read fails too) (core/guard-primary.ts). Either restore puts the test
 * listener back on the original too when it still forwards elsewhere (a stop without CodeDeploy's
 * rollback leaves it there, and the group's next deployment would fail at its start).
 */
import { newestAuditRecords } from '../aws/audit-records';
import { alarmsInAlarm } from '../aws/cloudwatch-alarms';
import { deploymentTargets } from '../aws/codedeploy';
import { readControl } from '../aws/control-parameter';
import { writeFence } from '../aws/dynamodb';
import { readWeights, targetHealth } from '../aws/elbv2';
import { DeploymentTargetError, errorText } from '../aws/engine-errors';
import { RolloutStopError, stopRollouts } from '../aws/sfn';
import { foreignGroup, guardDecision, guardIgnore, guardNoTargets, guardRecheck, recheckPlan, type StopContext } from '../core/guard';
import { guardPrimaryRestore } from '../core/guard-primary';
import { type CheckedDeploymentEvent, GUARD_EVENT_STATES, parseDeploymentEvent } from '../core/lambda-events';
import { hasCanaryRouting, type TargetGroupRef } from '../core/metadata';
import type { TargetPair } from '../core/rollout-state';
import { perform } from './act';
import { ListenerUnreadableError } from './act-errors';
import { establishCurrency } from './currency';
import { checkedEvent, type InvocationContext, startInvocation } from './invocation';
import { loadRuntime, logger, type Runtime } from './runtime';

/** The deployment state change the guard reads (checked by `parseDeploymentEvent`). */
export type DeploymentStateChange = CheckedDeploymentEvent;

export interface GuardOptions {
  /** Waits `ms` before the re-check (tests pass the fake clock's). @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The invocation's remaining time, ms (the Lambda context's). @default unbounded */
  readonly remainingMs?: () => number;
}

export interface GuardResult {
  readonly restored: boolean;
  /** Set when the event was ignored: not this group's, or its deployment is not (or not known to be) the group's current one. */
  readonly ignored?: string;
  readonly stopped: string[];
  /** Whether the re-check found a write that was in flight and restored again. */
  readonly restoredAgain: boolean;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const handler = async (event: DeploymentStateChange, context?: InvocationContext) => {
  startInvocation(logger, context);
  const checked = checkedEvent(logger, () => parseDeploymentEvent(event, 'guard', GUARD_EVENT_STATES));
  return guard(await loadRuntime(), checked, context ? { remainingMs: () => context.getRemainingTimeInMillis() } : {});
};

export async function guard(runtime: Runtime, event: DeploymentStateChange, options: GuardOptions = {}): Promise<GuardResult> {
  const { deploymentId, state } = event.detail;
  logger.appendKeys({ deploymentId });
  const { clients, metadata } = runtime;
  const foreign = foreignGroup(event.detail, metadata);
  if (foreign) {
    logger.warn('guard ignored the event', { reason: foreign });
    return { restored: false, ignored: foreign, stopped: [], restoredAgain: false };
  }
  // The fence first: a tick that reads it from now on writes nothing but the restore. A fence
  // that cannot be written never holds up the restore; the re-check then counts from here.
  let fencedAt = runtime.clock();
  await writeFence(runtime.audit, { deploymentId, state, at: new Date(fencedAt).toISOString() }, fencedAt)
    .then(() => {
      fencedAt = runtime.clock();
    })
    .catch((error) => logger.error('fence not written; restoring anyway', { error: errorText(error) }));
  // Invariant 7: only the group's current deployment moves traffic; a late or duplicate event of
  // an older one (Lambda keeps asynchronous events up to six hours) writes nothing.
  const currency = await establishCurrency(runtime, deploymentId, options.sleep ?? timer);
  if (!currency.value?.current) {
    const ignored = guardIgnore({
      deploymentId,
      state,
      service: runtime.env.service,
      ...(currency.value ? { currency: currency.value } : {}),
      ...(currency.error ? { readError: currency.error } : {}),
    });
    await perform(runtime, { deploymentId }, [ignored.record, ...ignored.actions]);
    logger.warn('guard ignored the event', { reason: ignored.reason });
    return { restored: false, ignored: ignored.reason, stopped: [], restoredAgain: false };
  }
  const [targets, context] = await Promise.all([
    deploymentTargets(clients.codedeploy, deploymentId, metadata.targetGroups).catch((error) => {
      if (error instanceof DeploymentTargetError) return error;
      throw error;
    }),
    stopContext(runtime, deploymentId),
  ]);
  if (targets instanceof DeploymentTargetError && targets.noReplacementTaskSet && targets.original)
    return restorePrimary(runtime, event, targets, targets.original, options);
  if (targets instanceof DeploymentTargetError) {
    const ignored = guardNoTargets({
      deploymentId,
      state,
      service: runtime.env.service,
      why: targets.message,
      beforeInstall: targets.noReplacementTaskSet,
    });
    await perform(runtime, { deploymentId }, [ignored.record, ...ignored.actions]);
    logger.warn('guard ignored the event', { reason: ignored.reason });
    return { restored: false, ignored: ignored.reason, stopped: [], restoredAgain: false };
  }
  const [weights, originalHealth, testWeights] = await Promise.all([
    listenerWeights(runtime, targets),
    readOriginalHealth(runtime, targets.original.arn),
    listenerWeights(runtime, targets, metadata.testListenerArn),
  ]);
  const decision = guardDecision({
    deploymentId,
    state,
    service: runtime.env.service,
    weights,
    canaryHeader: hasCanaryRouting(metadata),
    context,
    ...(originalHealth ? { originalHealth } : {}),
    ...(testWeights ? { testWeights } : {}),
  });
  await perform(runtime, { deploymentId, targets }, [decision.record]);
  // The restore reads the currency again right before its write, with the guard's waits.
  const restoring: Runtime = options.sleep ? { ...runtime, sleep: options.sleep } : runtime;
  // Production first: a StopExecution that fails, or a test listener that cannot be read, never
  // holds it up.
  const restoreFailure = await perform(restoring, { deploymentId, targets, whenCurrencyUnknown: 'refuse' }, decision.actions).then(
    () => undefined,
    (error: unknown) => error,
  );
  const { stopped, stopFailure } = await stopExecutions(runtime, deploymentId, decision.reason);
  if (restoreFailure !== undefined && !(restoreFailure instanceof ListenerUnreadableError)) throw restoreFailure;
  logger.info('guard restored', { restored: decision.restore, stopped });

  const plan = recheckPlan(fencedAt, runtime.clock(), options.remainingMs?.());
  if (!plan.complete)
    logger.warn('the guard times out before every tick that could still write has ended; re-checking early (raise the guard timeout)', {
      waitMs: plan.waitMs,
    });
  await (options.sleep ?? timer)(plan.waitMs);
  const recheck = guardRecheck({
    deploymentId,
    state,
    service: runtime.env.service,
    weights: await listenerWeights(runtime, targets),
    canaryHeader: hasCanaryRouting(metadata),
    afterFenceMs: runtime.clock() - fencedAt,
  });
  await perform(restoring, { deploymentId, targets, whenCurrencyUnknown: 'refuse' }, [
    ...(recheck.record ? [recheck.record] : []),
    ...recheck.actions,
  ]);
  logger.info('guard re-checked', { restoredAgain: recheck.restore, reason: recheck.reason });
  // Retried once the re-check is done: the fence, the restores and the stops repeat as no-ops.
  if (restoreFailure !== undefined) throw restoreFailure;
  if (stopFailure) throw stopFailure;
  return { restored: decision.restore, stopped, restoredAgain: recheck.restore };
}

/**
 * Stops the deployment's rollout executions, after the restore. Until they stop, none of their
 * ticks moves traffic: each reads the fence and the deployment's status before every write
 * (invariant 7, docs/guard-fence.md), and its next tick ends the execution. A StopExecution that
 * fails is still retried, not only logged: the guard throws once its re-check is done, so Lambda
 * delivers the event again (a stopped execution leaves nothing to the tick's own restore).
 */
async function stopExecutions(
  runtime: Runtime,
  deploymentId: string,
  reason: string,
): Promise<{ stopped: string[]; stopFailure?: RolloutStopError | Error }> {
  if (!runtime.env.stateMachineArn) return { stopped: [] };
  return stopRollouts(runtime.clients.sfn, runtime.env.stateMachineArn, deploymentId, reason).then(
    (stopped) => ({ stopped }),
    (error: unknown) => {
      logger.error('rollout executions not all stopped; the event is retried after the re-check', { error: errorText(error) });
      return {
        stopped: error instanceof RolloutStopError ? [...error.stopped] : [],
        stopFailure: error instanceof Error ? error : new RolloutStopError(String(error), []),
      };
    },
  );
}

/**
 * The group's current deployment ended before Install: production belongs on its original task
 * set's target group (the `Blue` task set CodeDeploy lists for it). When the production listener
 * forwards to the service's other target group instead, 100% is restored to the original's, only
 * if it has a healthy target; the restore re-reads the currency right before its write. What
 * GetDeploymentTarget lists for a deployment that failed before Install is not documented: only a
 * live account can confirm that it names the Blue task set (docs/aws-behaviour.md); without one the
 * event is ignored as before.
 */
async function restorePrimary(
  runtime: Runtime,
  event: DeploymentStateChange,
  failure: DeploymentTargetError,
  original: TargetGroupRef,
  options: GuardOptions,
): Promise<GuardResult> {
  const { deploymentId, state } = event.detail;
  const other = runtime.metadata.targetGroups.find((tg) => tg.arn !== original.arn);
  const targets: TargetPair | undefined = other && { original, replacement: other };
  const [weights, primaryHealth, testWeights] = await Promise.all([
    targets ? listenerWeights(runtime, targets) : Promise.resolve(undefined),
    readOriginalHealth(runtime, original.arn),
    targets ? listenerWeights(runtime, targets, runtime.metadata.testListenerArn) : Promise.resolve(undefined),
  ]);
  // An unread listener may still forward to the other group: its restore reads it again.
  const testUnreadable = targets !== undefined && testWeights === undefined;
  const productionUnreadable = targets !== undefined && weights === undefined;
  const decision = guardPrimaryRestore({
    deploymentId,
    state,
    service: runtime.env.service,
    why: failure.message,
    primary: original.name,
    other: other?.name ?? 'another target group',
    canaryHeader: hasCanaryRouting(runtime.metadata),
    ...(weights ? { weights } : {}),
    ...(testWeights ? { testWeights } : {}),
    ...(testUnreadable ? { testUnreadable } : {}),
    ...(productionUnreadable ? { productionUnreadable } : {}),
    ...(primaryHealth ? { primaryHealth } : {}),
  });
  const restoring: Runtime = options.sleep ? { ...runtime, sleep: options.sleep } : runtime;
  await perform(restoring, { deploymentId, ...(targets ? { targets } : {}), whenCurrencyUnknown: 'refuse' }, [
    decision.record,
    ...decision.actions,
  ]);
  logger.info('guard handled a deployment that ended before Install', { restored: decision.restore, reason: decision.reason });
  return decision.restore
    ? { restored: true, stopped: [], restoredAgain: false }
    : { restored: false, ignored: decision.reason, stopped: [], restoredAgain: false };
}

/**
 * Why it stopped, for the record: the rollback alarms in ALARM, the operator's `canary rollback`
 * and the judge's newest decision. Each read is best effort: none may hold up the restore.
 */
async function stopContext(runtime: Runtime, deploymentId: string): Promise<StopContext> {
  const quietly = <T>(what: string, read: () => Promise<T>) =>
    read().catch((error) => {
      logger.warn(`cannot read ${what} for the record`, { error: errorText(error) });
      return undefined;
    });
  const alarmNames = runtime.env.alarmNames ?? [];
  const [alarms, control, newest] = await Promise.all([
    alarmNames.length > 0
      ? quietly('the rollback alarms', () => alarmsInAlarm(runtime.clients.cloudwatch, alarmNames))
      : Promise.resolve(undefined),
    runtime.env.controlParameter
      ? quietly('the control parameter', () => readControl(runtime.clients.ssm, runtime.env.controlParameter!))
      : Promise.resolve(undefined),
    quietly('the newest decision', () =>
      newestAuditRecords(runtime.audit.client, {
        tableName: runtime.audit.tableName,
        service: runtime.env.service,
        deploymentId,
        limit: 10,
      }),
    ),
  ]);
  const operator = control?.command === 'abort' && control.deploymentId === deploymentId ? control : undefined;
  const judge = newest?.find((r) => r.kind === 'decision' && r.actor !== 'guard');
  const startCheck = newest?.find((r) => r.actor === 'start-check' && r.verdict === 'abort');
  return {
    ...(alarms ? { alarms } : {}),
    ...(operator
      ? {
          operator: {
            requestedBy: operator.requestedBy,
            requestId: operator.requestId,
            at: operator.at,
            ...(operator.callerArn ? { callerArn: operator.callerArn } : {}),
            ...(operator.reason ? { reason: operator.reason } : {}),
          },
        }
      : {}),
    ...(startCheck ? { startCheck: { at: startCheck.at, reason: startCheck.reason } } : {}),
    ...(judge
      ? {
          judge: {
            sk: judge.sk,
            at: judge.at,
            reason: judge.reason,
            ...(judge.verdict ? { verdict: judge.verdict } : {}),
            ...(judge.figures ? { figures: judge.figures } : {}),
          },
        }
      : {}),
  };
}

/** The original's target health; undefined (logged) when it cannot be read. */
function readOriginalHealth(runtime: Runtime, arn: string) {
  return targetHealth(runtime.clients.elbv2, arn).catch((error) => {
    logger.warn("cannot read the original's target health", { error: errorText(error) });
    return undefined;
  });
}

/** A listener's weights by role (the production listener unless named); undefined (logged) when unreadable. */
async function listenerWeights(runtime: Runtime, targets: TargetPair, listenerArn = runtime.metadata.productionListenerArn) {
  return readWeights(runtime.clients.elbv2, listenerArn, targets).catch((error) => {
    logger.warn('cannot read listener weights; restoring anyway', { listenerArn, error: errorText(error) });
    return undefined;
  });
}
