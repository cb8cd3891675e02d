/**
 * The progress of one deployment as the CLI shows it, built from CodeDeploy's view, the
 * production listener and the engine's audit records. Pure: no AWS, no clock.
 */
import type { AuditRecord } from '../../lambdas/core/audit-chain';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import type { CompiledPlan } from '../../lambdas/core/rollout-plan';
import type { DeploymentSnapshot, TrafficWeights } from '../deploy/deployment-state';
import { type BakeView, bakeView } from './bake';

export interface VerdictView {
  readonly verdict: string;
  readonly reason: string;
  readonly at: string;
  readonly seq: number;
  /** One line per judge check, with its figure and bar. */
  readonly checks: readonly string[];
}

export interface StageView {
  /** 1-based among the plan's steps; the post-traffic bake is steps + 1. */
  readonly number: number;
  readonly of: number;
  readonly weight: number;
  readonly postTraffic: boolean;
}

export interface ProgressState {
  readonly service: string;
  readonly deploymentId: string;
  readonly status: string;
  readonly terminal: boolean;
  readonly lifecycleEvent?: string;
  readonly stage?: StageView;
  /** Replacement / original share of production traffic. */
  readonly weights?: TrafficWeights;
  readonly bake?: BakeView;
  readonly lastVerdict?: VerdictView;
  readonly errorMessage?: string;
}

/** What the progress view reads of an audit record (a simulation's decisions carry the same). */
export type ProgressRecord = Pick<
  AuditRecord,
  'deploymentId' | 'stage' | 'hook' | 'at' | 'verdict' | 'reason' | 'reasons' | 'sk' | 'weights'
>;

/** Audit records of one deployment, newest first (as read). */
export function progressState(
  metadata: Pick<DeploymentMetadata, 'service' | 'plan'>,
  snapshot: DeploymentSnapshot,
  weights: TrafficWeights | undefined,
  records: readonly ProgressRecord[],
): ProgressState {
  const mine = records.filter((r) => r.deploymentId === snapshot.deploymentId);
  const newestWithStage = mine.find((r) => r.stage !== undefined);
  const stage = newestWithStage && stageView(newestWithStage, metadata.plan);
  // In data-minutes as the judge counts them, not wall time: CloudWatch is 1–3 minutes late.
  const bake = snapshot.terminal ? undefined : bakeView(mine, newestWithStage, metadata.plan);
  const lastVerdict = verdictView(mine);
  const fallbackWeights = newestWithStage?.weights ?? snapshot.codeDeployWeights;
  return {
    service: metadata.service,
    deploymentId: snapshot.deploymentId,
    status: snapshot.status,
    terminal: snapshot.terminal,
    lifecycleEvent: snapshot.terminationWait ? 'termination wait (canary promote ends it)' : snapshot.currentEvent,
    stage,
    weights: weights ?? fallbackWeights,
    bake,
    lastVerdict,
    errorMessage: snapshot.errorMessage,
  };
}

/** The stage a record names, numbered among the plan's steps (the post-traffic bake after them). */
export function stageView(record: Pick<ProgressRecord, 'stage' | 'hook'>, plan: Pick<CompiledPlan, 'windows'>): StageView | undefined {
  if (!record.stage) return undefined;
  const steps = plan.windows.flatMap((w) => w.steps);
  const { index, weight } = record.stage;
  const postTraffic = record.hook === 'AfterAllowTraffic' || weight >= 100;
  return { number: postTraffic ? steps.length + 1 : index + 1, of: steps.length, weight, postTraffic };
}

/** The newest verdict among `mine` (newest first), with one line per judge check. */
export function verdictView(mine: readonly ProgressRecord[]): VerdictView | undefined {
  const newest = mine.find((r) => r.verdict !== undefined);
  return (
    newest && {
      verdict: newest.verdict as string,
      reason: newest.reason,
      at: newest.at,
      seq: newest.sk,
      checks: (newest.reasons ?? []).map((r) => `${r.check} ${r.status}: ${r.detail || `${r.observed} (bar ${r.bar})`}`),
    }
  );
}

/** Verdicts that end a deployment badly: their reason explains a failure best. */
const FAILING_VERDICTS: ReadonlySet<string> = new Set(['rollback', 'fail', 'abort']);

/**
 * Why a deployment ended, from its audit records (newest first): the newest failing decision's
 * reason (the judge's words), else the newest reason of any record, else undefined.
 */
export function newestReason(records: readonly AuditRecord[], deploymentId: string): string | undefined {
  return newestReasonRecord(records, deploymentId)?.reason;
}

/** The record `newestReason` quotes, to verify before quoting it. */
export function newestReasonRecord(records: readonly AuditRecord[], deploymentId: string): AuditRecord | undefined {
  const mine = records.filter((r) => r.deploymentId === deploymentId && r.reason);
  return mine.find((r) => r.verdict !== undefined && FAILING_VERDICTS.has(r.verdict)) ?? mine[0];
}
