/**
 * What `canary status` says about a deployment, outcome first (pure: no AWS, no clock). After a
 * rollback: why (the deciding record's reason and figures), who or what stopped it, and where
 * production traffic is now as the listener reports it; while it runs: stage, weights, the bake
 * left in data-minutes (the judge's own count), the last verdict. docs/operations-status.md.
 */
import type { AuditRecord } from '../../../lambdas/core/audit-chain';
import type { DeploymentMetadata } from '../../../lambdas/core/metadata';
import type { ControlRecord } from '../../deploy/audit';
import { type BakeView } from '../progress/bake';
import { type StageView, type VerdictView } from '../progress/model';
import { type DeploymentSnapshot, type ListenerShare } from '../../deploy/observe';
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
        readonly record?: {
            readonly seq: number;
            readonly at: string;
        };
    };
    readonly stoppedBy?: string;
    /** The guard's record of the FAILURE/STOP event (what the listener sent when it acted). */
    readonly guard?: string;
    readonly rollback?: {
        readonly deploymentId: string;
        readonly status: string;
    };
    readonly codeDeployError?: string;
    readonly bake?: BakeView;
    readonly lastVerdict?: VerdictView;
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
    readonly alarms?: ReadonlyArray<{
        readonly name: string;
        readonly state: string;
        readonly reason?: string;
    }>;
}
/** Records that open a stage: their judge reasons are about the stage before. */
export declare function statusView(input: StatusInput): StatusView;
export declare function stageText(stage: StageView): string;
/** `100% original (web-blue), 0% replacement (web-green)`; target groups of neither role as read. */
export declare function trafficText(traffic: TrafficView): string;
/** Warnings about a listener that disagrees with the deployment's state (pure). */
export declare function trafficWarnings(view: StatusView): string[];
