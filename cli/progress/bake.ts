/**
 * A stage's bake as the judge counts it, in data-minutes (complete CloudWatch minutes at the
 * stage's weight), read from its newest verdict on that stage: what `canary status` and the live
 * view of `deploy` and `simulate` show, so neither contradicts the verdict beside it. Pure.
 */
import type { AuditRecord } from '../../lambdas/core/audit-chain';
import type { CompiledPlan } from '../../lambdas/core/rollout-plan';

export interface BakeView {
  readonly leftDataMinutes: number;
  readonly ofDataMinutes: number;
  /** False until the judge has judged this stage once (its opening record carries no bake check). */
  readonly judged: boolean;
}

export type BakeRecord = Pick<AuditRecord, 'stage' | 'hook' | 'verdict' | 'reasons'>;

/** Records that open a stage: their checks are the previous stage's. */
const OPENING: ReadonlySet<string> = new Set(['start', 'promote']);

/** Bake of the stage `newestWithStage` names, from the newest verdict on it among `mine` (newest first). */
export function bakeView(
  mine: readonly BakeRecord[],
  newestWithStage: BakeRecord | undefined,
  plan: Pick<CompiledPlan, 'windows' | 'postTrafficBakeMinutes'>,
): BakeView | undefined {
  if (!newestWithStage?.stage) return undefined;
  const { index, weight } = newestWithStage.stage;
  const postTraffic = newestWithStage.hook === 'AfterAllowTraffic' || weight >= 100;
  const of = postTraffic
    ? plan.postTrafficBakeMinutes
    : (plan.windows.flatMap((w) => w.steps).find((s) => s.index === index)?.bakeMinutes ?? 0);
  const judged = mine.find(
    (r) =>
      r.stage?.index === index &&
      r.stage.weight === weight &&
      r.hook === newestWithStage.hook &&
      !OPENING.has(r.verdict ?? '') &&
      r.reasons?.some((c) => c.check === 'bake'),
  );
  const bakeReason = judged?.reasons?.find((c) => c.check === 'bake');
  const left = bakeReason ? (bakeReason.status === 'pass' ? 0 : (dataMinutesLeft(bakeReason.detail) ?? of)) : of;
  return { leftDataMinutes: left, ofDataMinutes: of, judged: bakeReason !== undefined };
}

/** The judge's bake sentence: "baking: N data-minute(s) left." */
export function dataMinutesLeft(detail: string): number | undefined {
  const match = /baking: (\d+) data-minute\(s\) left/.exec(detail);
  return match ? Number(match[1]) : undefined;
}

/** `3 of 5 data-minutes left`, `done (5 data-minutes)`, with a note before the first judgement (`short` for a live line). */
export function bakeText(bake: BakeView, short = false): string {
  const text =
    bake.leftDataMinutes === 0
      ? `done (${bake.ofDataMinutes} data-minutes)`
      : `${bake.leftDataMinutes} of ${bake.ofDataMinutes} data-minutes left`;
  if (bake.judged) return text;
  return `${text} (${short ? 'not judged yet' : "the judge has not counted this stage's data-minutes yet"})`;
}
