/**
 * A stage's bake as the judge counts it, in data-minutes (complete CloudWatch minutes at the
 * stage's weight), read from its newest verdict on that stage: what `canary status` and the live
 * view of `deploy` and `simulate` show, so neither contradicts the verdict beside it. Pure.
 */
import type { AuditRecord } from '../../../lambdas/core/audit-chain';
import type { CompiledPlan } from '../../../lambdas/core/plan';
export interface BakeView {
    readonly leftDataMinutes: number;
    readonly ofDataMinutes: number;
    /** False until the judge has judged this stage once (its opening record carries no bake check). */
    readonly judged: boolean;
}
export type BakeRecord = Pick<AuditRecord, 'stage' | 'hook' | 'verdict' | 'reasons'>;
/** Bake of the stage `newestWithStage` names, from the newest verdict on it among `mine` (newest first). */
export declare function bakeView(mine: readonly BakeRecord[], newestWithStage: BakeRecord | undefined, plan: Pick<CompiledPlan, 'windows' | 'postTrafficBakeMinutes'>): BakeView | undefined;
/** The judge's bake sentence: "baking: N data-minute(s) left." */
export declare function dataMinutesLeft(detail: string): number | undefined;
/** `3 of 5 data-minutes left`, `done (5 data-minutes)`, with a note before the first judgement (`short` for a live line). */
export declare function bakeText(bake: BakeView, short?: boolean): string;
