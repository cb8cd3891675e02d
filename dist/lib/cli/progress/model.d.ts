/**
 * The progress of one deployment as the CLI shows it, built from CodeDeploy's view, the
 * production listener and the engine's audit records. Pure: no AWS, no clock.
 */
import type { AuditRecord } from '../../../lambdas/core/audit-chain';
import type { DeploymentMetadata } from '../../../lambdas/core/metadata';
import type { CompiledPlan } from '../../../lambdas/core/plan';
import type { DeploymentSnapshot, TrafficWeights } from '../../deploy/observe';
import { type BakeView } from './bake';
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
export type ProgressRecord = Pick<AuditRecord, 'deploymentId' | 'stage' | 'hook' | 'at' | 'verdict' | 'reason' | 'reasons' | 'sk' | 'weights'>;
/** Audit records of one deployment, newest first (as read). */
export declare function progressState(metadata: Pick<DeploymentMetadata, 'service' | 'plan'>, snapshot: DeploymentSnapshot, weights: TrafficWeights | undefined, records: readonly ProgressRecord[]): ProgressState;
/** The stage a record names, numbered among the plan's steps (the post-traffic bake after them). */
export declare function stageView(record: Pick<ProgressRecord, 'stage' | 'hook'>, plan: Pick<CompiledPlan, 'windows'>): StageView | undefined;
/** The newest verdict among `mine` (newest first), with one line per judge check. */
export declare function verdictView(mine: readonly ProgressRecord[]): VerdictView | undefined;
/**
 * Why a deployment ended, from its audit records (newest first): the newest failing decision's
 * reason (the judge's words), else the newest reason of any record, else undefined.
 */
export declare function newestReason(records: readonly AuditRecord[], deploymentId: string): string | undefined;
