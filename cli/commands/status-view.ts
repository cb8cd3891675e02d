/**
 * What `canary status` says about a deployment, outcome first (pure: no AWS, no clock). After a
 * rollback: why (the deciding record's reason and figures), who or what stopped it, and where
 * production traffic is now as the listener reports it; while it runs: stage, weights, the bake
 * left in data-minutes (the judge's own count), the last verdict. docs/operations-status.md.
 */
import type { AuditRecord } from '../../lambdas/core/audit-chain';
import { type RecordCheck, unverifiedReasonText } from '../../lambdas/core/audit-record-check';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import type { ControlRecord } from '../deploy/audit';
import { type DeploymentSnapshot, type ListenerShare, listenerShares } from '../deploy/deployment-state';
import { type BakeView, bakeView } from '../progress/bake';
import { type StageView, stageView, type VerdictView, verdictView } from '../progress/model';

export type Outcome = 'running' | 'succeeded' | 'rolled-back' | 'failed' | 'stopped';

export interface TrafficView {
  /** As read from the production listener; undefined when it could not be read. */
  readonly shares?: readonly ListenerShare[];
  readonly unreadable?: string;
  /** What the engine's newest record says it set, to show a listener that disagrees. */
  readonly engineReplacement?: number;
}

export interface StatusView {
  readonly service: string;
  readonly deploymentId: string;
  readonly status: string;
  readonly outcome: Outcome;
  readonly terminal: boolean;
  readonly lifecycleEvent?: string;
  readonly completedAt?: string;
  readonly stage?: StageView;
  readonly traffic: TrafficView;
  /** Why it ended badly: the deciding reason and its figures. */
  readonly cause?: {
    readonly summary: string;
    readonly lines: readonly string[];
    /** The deciding record, verified; `pinned`: against CANARY_AUDIT_TRUST_ROOT, else against what the metadata parameter names. */
    readonly record?: { readonly seq: number; readonly at: string; readonly pinned: boolean };
  };
  readonly stoppedBy?: string;
  /** The guard's record of the FAILURE/STOP event (what the listener sent when it acted). */
  readonly guard?: string;
  readonly rollback?: { readonly deploymentId: string; readonly status: string };
  readonly codeDeployError?: string;
  readonly bake?: BakeView;
  readonly lastVerdict?: VerdictView;
  /** In place of the newest verdict when its record does not verify: what the verifier says, and where to look. */
  readonly verdictNotShown?: string;
}

export interface StatusInput {
  readonly metadata: Pick<DeploymentMetadata, 'service' | 'plan' | 'targetGroups'>;
  readonly subject: DeploymentSnapshot;
  readonly rollback?: DeploymentSnapshot;
  /** The subject's audit records, newest first. */
  readonly records: readonly AuditRecord[];
  readonly listener: ReadonlyMap<string, number> | Error;
  readonly control?: ControlRecord;
  /** Alarm states, to quote an activated alarm's reason. */
  readonly alarms?: ReadonlyArray<{ readonly name: string; readonly state: string; readonly reason?: string }>;
  /** The verification of each record `quotedRecords` names, by sort key: a record's words are quoted only when it verifies. */
  readonly checks: ReadonlyMap<unknown, RecordCheck>;
  /** Whether the trust root the records were verified against is pinned (CANARY_AUDIT_TRUST_ROOT). */
  readonly pinned: boolean;
}

/** Verdicts that end a rollout badly (the guard's `restore` only follows one). */
const FAILING: ReadonlySet<string> = new Set(['rollback', 'fail', 'abort']);

/** The subject's records whose words the screen quotes: the deciding decision, the guard's record, the newest verdict. */
function quoted(input: Pick<StatusInput, 'subject' | 'records'>) {
  const mine = input.records.filter((r) => r.deploymentId === input.subject.deploymentId);
  const failing = mine.find((r) => r.verdict !== undefined && FAILING.has(r.verdict) && r.actor !== 'guard');
  // The guard's first record of the deployment: what it found at the FAILURE or STOP event (re-checks follow it).
  const guard = mine.filter((r) => r.actor === 'guard').at(-1);
  const verdict = mine.find((r) => r.verdict !== undefined);
  return { mine, failing, guard, verdict };
}

/** The records to verify before the screen is drawn (at most three: each is checked on its own). */
export function quotedRecords(input: Pick<StatusInput, 'subject' | 'records'>): AuditRecord[] {
  const { failing, guard, verdict } = quoted(input);
  return [...new Set([failing, guard, verdict])].filter((r): r is AuditRecord => r !== undefined);
}

export function statusView(input: StatusInput): StatusView {
  const { subject, metadata } = input;
  const { mine, failing: newestFailing, guard, verdict } = quoted(input);
  const notShown = (what: string, record: AuditRecord) => {
    const check = input.checks.get(record.sk);
    return check?.ok ? undefined : unverifiedReasonText(what, record.sk, check ?? { ok: false }, metadata.service);
  };
  // A deciding record that does not verify decides nothing: the screen says so, and CodeDeploy's evidence names who stopped it.
  const failingNotShown = newestFailing && notShown(`the newest decision of ${subject.deploymentId}`, newestFailing);
  const failing = failingNotShown ? undefined : newestFailing;
  const newestWithStage = mine.find((r) => r.stage !== undefined);
  // While running, a stage is current only in the hook window that recorded it (not in AllowTraffic or the termination wait).
  const current =
    subject.terminal || (newestWithStage?.hook === subject.currentEvent && !subject.terminationWait) ? newestWithStage : undefined;
  const stageRecord = failing?.stage ? failing : current;
  const traffic: TrafficView = {
    ...(input.listener instanceof Error
      ? { unreadable: input.listener.message }
      : {
          shares: listenerShares(
            input.listener,
            { original: subject.originalTargetGroup, replacement: subject.replacementTargetGroup },
            metadata,
          ),
        }),
    // Only while the engine owns the weights (CodeDeploy's AllowTraffic moves them itself).
    ...(!subject.terminal && newestWithStage?.weights && newestWithStage.hook === subject.currentEvent
      ? { engineReplacement: newestWithStage.weights.replacement }
      : {}),
  };
  const stage = stageRecord && stageView(stageRecord, metadata.plan);
  const base = {
    service: metadata.service,
    deploymentId: subject.deploymentId,
    status: subject.status,
    terminal: subject.terminal,
    // After a stop CodeDeploy reports the running hook Skipped: the engine's record names where it ended.
    lifecycleEvent: subject.terminationWait
      ? 'termination wait (canary promote ends it)'
      : subject.terminal && stageRecord?.hook
        ? stageRecord.hook
        : subject.currentEvent,
    ...(subject.completedAt ? { completedAt: subject.completedAt.toISOString() } : {}),
    ...(stage ? { stage } : {}),
    traffic,
    ...(input.rollback ? { rollback: { deploymentId: input.rollback.deploymentId, status: input.rollback.status } } : {}),
    ...(subject.errorCode || subject.errorMessage
      ? { codeDeployError: [subject.errorCode, subject.errorMessage].filter(Boolean).join(': ') }
      : {}),
  };
  const verdictNotShown = verdict && notShown(`the newest verdict of ${subject.deploymentId}`, verdict);
  const lastVerdict = verdictNotShown ? undefined : verdictView(mine);
  const withVerdict = { ...base, ...(lastVerdict ? { lastVerdict } : {}), ...(verdictNotShown ? { verdictNotShown } : {}) };
  if (!subject.terminal) {
    // The bake in data-minutes, as the judge counted it at its newest verdict on this stage.
    const bake = bakeView(mine, current, metadata.plan);
    return { ...withVerdict, outcome: 'running', ...(bake ? { bake } : {}) };
  }
  if (subject.status === 'Succeeded') return { ...withVerdict, outcome: 'succeeded' };
  const guardNotShown = guard && notShown("the guard's record", guard);
  const trustedGuard = guardNotShown ? undefined : guard;
  const restored = input.rollback !== undefined || !!subject.rollbackMessage || trustedGuard !== undefined || failing !== undefined;
  const outcome: Outcome = restored ? 'rolled-back' : subject.status === 'Stopped' ? 'stopped' : 'failed';
  const ended = whyItEnded(input, failing);
  const cause: StatusView['cause'] = failingNotShown
    ? { summary: failingNotShown, lines: [input.checks.get(newestFailing!.sk)?.first?.problem ?? 'it was not verified'] }
    : ended.cause;
  const guardLine = trustedGuard ? `${trustedGuard.reason} (record #${trustedGuard.sk} at ${trustedGuard.at})` : guardNotShown;
  return { ...withVerdict, outcome, cause, stoppedBy: ended.stoppedBy, ...(guardLine ? { guard: guardLine } : {}) };
}

/** Why a failed or stopped deployment ended, and who or what stopped it, from the strongest evidence. */
function whyItEnded(input: StatusInput, failing: AuditRecord | undefined): { cause: StatusView['cause']; stoppedBy: string } {
  const { subject } = input;
  if (failing) {
    const record = { seq: failing.sk, at: failing.at, pinned: input.pinned };
    const lines = [...checkLines(failing, failing.reason), ...figureLines(failing.figures)];
    const cause = { summary: failing.reason, lines, record };
    if (failing.actor === 'start-check')
      return { cause, stoppedBy: "the start check, before any traffic moved (the AppSpec must name the service's hooks: canary appspec)" };
    if (failing.verdict === 'abort') return { cause, stoppedBy: `operator ${failing.actor} (canary rollback), acted on by the engine` };
    if (/^frozen by /.test(failing.reason)) return { cause, stoppedBy: `the freeze switch, set by ${failing.actor} (canary freeze)` };
    const stage = stageView(failing, input.metadata.plan);
    const where = stage ? ` at ${stageText(stage)}` : '';
    if (failing.verdict === 'rollback')
      return { cause, stoppedBy: `the engine: the judge's verdict${where} (${failing.hook ?? 'hook ?'})` };
    return { cause, stoppedBy: `the engine${where} (${failing.hook ?? 'hook ?'})` };
  }
  const code = subject.errorCode;
  if (code === 'ALARM_ACTIVE') {
    const names =
      /Activated alarms: <([^>]*)>/
        .exec(subject.errorMessage ?? '')?.[1]
        ?.split(/,\s*/)
        .filter(Boolean) ?? [];
    const lines = names.map((name) => {
      const alarm = input.alarms?.find((a) => a.name === name);
      return `alarm ${name}: ${alarm ? `${alarm.state} now${alarm.reason ? `; ${alarm.reason}` : ''}` : 'state not read'}`;
    });
    return {
      cause: {
        summary: `CloudWatch alarm${names.length === 1 ? '' : 's'} ${names.join(', ') || '?'} went into ALARM; CodeDeploy stopped the deployment (ALARM_ACTIVE)`,
        lines,
      },
      stoppedBy: `CloudWatch alarm${names.length === 1 ? '' : 's'} ${names.join(', ') || '?'} (CodeDeploy's alarm stop)`,
    };
  }
  if (code === 'MANUAL_STOP') {
    const control = input.control?.command === 'abort' ? input.control : undefined;
    if (control) {
      return {
        cause: {
          summary: `stopped with rollback by ${control.requestedBy}${control.reason ? `: ${control.reason}` : ''}`,
          lines: [`requested at ${control.at} (request ${control.requestId})`],
        },
        stoppedBy: `operator ${control.requestedBy} (canary rollback)`,
      };
    }
    return {
      cause: { summary: 'stopped by a StopDeployment call (MANUAL_STOP)', lines: [] },
      stoppedBy: 'a StopDeployment call outside canary rollback (console, AWS CLI or API; CloudTrail names the caller)',
    };
  }
  const said = [code, subject.errorMessage].filter(Boolean).join(': ');
  return {
    cause: { summary: said ? `CodeDeploy: ${said}` : 'no reason recorded', lines: [] },
    stoppedBy: code ? `CodeDeploy (${code})` : 'unknown: no engine decision and no CodeDeploy error',
  };
}

/** The deciding record's failing checks, each with its figure and bar (and its sentence unless the summary says it). */
function checkLines(record: AuditRecord, summary: string): string[] {
  return (record.reasons ?? [])
    .filter((r) => r.status === 'fail')
    .map((r) => `${r.check} FAIL: ${r.observed} (bar ${r.bar})${r.detail && !summary.includes(r.detail) ? `: ${r.detail}` : ''}`);
}

interface Summary {
  readonly minutes?: number;
  readonly requests?: number;
  readonly errors?: number;
  readonly errorRatePercent?: number;
  readonly maxP95Ms?: number;
}

/** The canary's and the original's totals the record carries (figures.canary / figures.baseline). */
function figureLines(figures: AuditRecord['figures']): string[] {
  const line = (label: string, s: unknown): string[] => {
    if (!s || typeof s !== 'object' || typeof (s as Summary).requests !== 'number') return [];
    const v = s as Summary;
    const rate = v.errorRatePercent !== undefined ? ` (${v.errorRatePercent}%)` : '';
    const p95 = v.maxP95Ms !== undefined ? `, worst p95 ${v.maxP95Ms} ms` : '';
    return [
      `${label} ${v.requests} requests, ${v.errors ?? 0} errors${rate}${p95}${v.minutes !== undefined ? ` over ${v.minutes} min` : ''}`,
    ];
  };
  return [...line('canary  ', figures?.canary), ...line('original', figures?.baseline)];
}

export function stageText(stage: StageView): string {
  return stage.postTraffic ? 'the post-traffic bake at 100%' : `stage ${stage.number}/${stage.of} (${stage.weight}%)`;
}

/** `100% original (web-blue), 0% replacement (web-green)`; target groups of neither role as read. */
export function trafficText(traffic: TrafficView): string {
  if (!traffic.shares) return `unreadable (${traffic.unreadable ?? '?'}); not guessed from the engine's records`;
  if (traffic.shares.length === 0) return 'the production listener forwards to no target group';
  const order = { original: 0, replacement: 1, other: 2, unknown: 3 } as const;
  const text = (s: ListenerShare) => {
    if (s.role === 'other') return `${s.percent}% ${s.targetGroup} (neither the original nor the replacement)`;
    return s.role === 'unknown' ? `${s.percent}% ${s.targetGroup}` : `${s.percent}% ${s.role} (${s.targetGroup})`;
  };
  return [...traffic.shares]
    .sort((a, b) => order[a.role] - order[b.role])
    .map(text)
    .join(', ');
}

/** Warnings about a listener that disagrees with the deployment's state (pure). */
export function trafficWarnings(view: StatusView): string[] {
  const shares = view.traffic.shares;
  if (!shares) return [];
  const warnings: string[] = [];
  const foreign = shares.filter((s) => s.role === 'other' && s.percent > 0);
  if (foreign.length > 0) {
    warnings.push(
      `the listener sends traffic to ${foreign.map((s) => s.targetGroup).join(', ')}, a target group of neither role: changed outside ecs-canary, or a stale read`,
    );
  }
  const replacement = shares.find((s) => s.role === 'replacement')?.percent ?? 0;
  if (view.terminal && view.outcome !== 'succeeded' && replacement > 0) {
    warnings.push(
      `the deployment has ended but the listener still sends ${replacement}% to the replacement${view.rollback && view.rollback.status !== 'Succeeded' ? ` (CodeDeploy's rollback ${view.rollback.deploymentId} is ${view.rollback.status})` : ''}`,
    );
  }
  const engine = view.traffic.engineReplacement;
  if (!view.terminal && engine !== undefined && engine !== replacement) {
    warnings.push(`the engine's newest record says ${engine}% to the replacement; the listener says ${replacement}%`);
  }
  return warnings;
}
