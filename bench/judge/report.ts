/** The benchmark's markdown tables, its verdict on judge.md's targets, and the power check of the error test. */
import { type JudgePolicy, thresholdsOf } from '../../lambdas/core/judge';
import { detectionProbability, type Exposure } from '../../lambdas/core/judge/power';
import { NOISE_UPPER_Z, testDispersion } from '../../lambdas/core/judge/stats';
import type { Regression } from '../../sim';
import type { JudgeSummary } from './metrics';
import { POST_TRAFFIC_BAKE_MINUTES, STAGES } from './rollout';
import { type BenchScenario, SHAPE_ROWS, TRAFFIC_LEVELS } from './scenarios';

export interface ScenarioResult {
  scenario: BenchScenario;
  /** Canary requests a one-shot exact test needs (α 0.01, power 90%), for error regressions. */
  exactTestMinimum?: number;
  /** The regression raises the error rate by no more than the policy's tolerated increase. */
  withinTolerance?: boolean;
  judges: Record<string, JudgeSummary>;
}

export interface TargetResult {
  target: string;
  met: boolean;
  detail: string;
}

const pct = (value: number | undefined) => (value === undefined ? '–' : `${(value * 100).toFixed(value < 0.1 && value > 0 ? 1 : 0)}%`);
const num = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value * 10) / 10}`);
/** Canary requests a minute at the first stage's weight. */
const canaryPerMinute = (rps: number) => Math.round((rps * 60 * STAGES[0].weight) / 100);
const levels = (results: readonly ScenarioResult[]) => [...new Set(results.map((r) => r.scenario.totalRps))].sort((a, b) => a - b);

export function markdownTable(results: readonly ScenarioResult[], judgeNames: readonly string[]): string {
  const lines: string[] = [];
  const aa = results.filter((r) => r.scenario.regression === null);
  if (aa.length) {
    lines.push(
      '### A/A (identical versions): false rollbacks per rollout (of which insufficient evidence; in the post-traffic bake), median minutes to 100% / through the post-traffic bake',
      '',
    );
    lines.push(`| scenario | ${judgeNames.join(' | ')} |`, `| --- | ${judgeNames.map(() => '---').join(' | ')} |`);
    for (const r of aa) {
      lines.push(
        `| ${r.scenario.name} (${r.judges[judgeNames[0]].runs} / ${r.judges[judgeNames[judgeNames.length - 1]].runs} runs) | ${judgeNames
          .map((j) => {
            const s = r.judges[j];
            return `${pct(s.rollbackRate)} (${pct(s.insufficientEvidenceRate)}; ${pct(s.postBakeRollbackRate)}); ${num(s.medianMinutesTo100)} / ${num(s.medianMinutesToPromote)} min`;
          })
          .join(' | ')} |`,
      );
    }
    lines.push('');
  }
  const bad = results.filter((r) => r.scenario.regression !== null);
  if (bad.length) {
    lines.push(
      '### Regressions: reached 100% (of them passed the post-traffic bake); detected within 2 / 3 / 5 data-minutes; detected by the end of 5% / 25% / 50% / post-bake; median / p90 data-minutes; median requests to detect ÷ exact minimum; mean bad requests served',
      '',
    );
    lines.push(`| scenario | exact min | ${judgeNames.join(' | ')} |`, `| --- | --- | ${judgeNames.map(() => '---').join(' | ')} |`);
    for (const r of bad) {
      lines.push(
        `| ${r.scenario.name} (${r.judges[judgeNames[0]].runs} runs) | ${num(r.exactTestMinimum)} | ${judgeNames
          .map((j) => {
            const s = r.judges[j];
            const ratio =
              s.medianRequestsToDetect !== undefined && r.exactTestMinimum ? `${num(s.medianRequestsToDetect / r.exactTestMinimum)}×` : '–';
            return (
              `100%: ${s.reached100} (${s.silentPromotions}); ${pct(s.detectedWithin2)} / ${pct(s.detectedWithin3)} / ${pct(s.detectedWithin5)}; ` +
              `${(s.detectedByStage ?? []).map(pct).join(' / ')}; ${num(s.medianDataMinutesToDetect)} / ${num(s.p90DataMinutesToDetect)} min; ` +
              `${num(s.medianRequestsToDetect)} req (${ratio}); bad ${Math.round(s.meanBadRequests)}`
            );
          })
          .join(' | ')} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The regressions judge.md lists as beyond the tolerance (plus the failing endpoint, +4.95 pp). */
export function beyondTolerance(r: Regression | null): boolean {
  if (!r) return false;
  if (r.kind === 'errors') return (r.deltaPp ?? 0) >= 2 || (r.ratio ?? 1) >= 3;
  if (r.kind === 'latency') return r.ratio !== undefined && r.ratio >= 2;
  return r.kind === 'crash' || r.kind === 'endpoint';
}

const steadyPlus5 = (r: Regression | null) => r?.kind === 'errors' && r.deltaPp === 5 && !r.minWeight && !r.onsetMinute && !r.intermittent;

/** judge.md's "Targets" for `judge` (ecs-canary) against the peers. */
export function evaluateTargets(results: readonly ScenarioResult[], judge: string, peers: readonly string[]): TargetResult[] {
  const targets: TargetResult[] = [];
  const aa = results.filter((r) => r.scenario.regression === null);
  const aaRate = (name: string, rps: number) => {
    const cells = aa.filter((r) => r.scenario.totalRps === rps);
    const runs = cells.reduce((s, r) => s + r.judges[name].runs, 0);
    return runs ? cells.reduce((s, r) => s + r.judges[name].rollbackRate * r.judges[name].runs, 0) / runs : undefined;
  };
  if (aa.length) {
    const parts: string[] = [];
    let met = true;
    for (const rps of levels(aa)) {
      const cells = aa.filter((r) => r.scenario.totalRps === rps);
      const bar = canaryPerMinute(rps) < 30 ? 0.02 : 0.01;
      const over = cells.filter((r) => r.judges[judge].rollbackRate > bar);
      if (over.length) met = false;
      const worst = cells.reduce((w, r) => (r.judges[judge].rollbackRate > w.judges[judge].rollbackRate ? r : w));
      const runs = cells[0].judges[judge].runs;
      parts.push(
        `${canaryPerMinute(rps)}/min (bar ${pct(bar)}, ${runs} runs a cell, resolution ${pct(1 / runs)}): pooled ${pct(aaRate(judge, rps))}, worst ${worst.scenario.name} ${pct(worst.judges[judge].rollbackRate)}` +
          (over.length
            ? `; over the bar: ${over.map((r) => `${r.scenario.name} ${pct(r.judges[judge].rollbackRate)} (${pct(r.judges[judge].insufficientEvidenceRate)} insufficient evidence, ${pct(r.judges[judge].postBakeRollbackRate)} in the post-traffic bake)`).join(', ')}`
            : ''),
      );
    }
    targets.push({
      target: 'A/A: ≤ 1% of clean rollouts fail at 30, 150, 1500 canary req/min, every baseline and noise; ≤ 2% at 6/min',
      met,
      detail: parts.join('; '),
    });
  }
  const regressions = results.filter((r) => r.scenario.regression !== null);
  if (regressions.length) {
    const high = regressions.filter((r) => canaryPerMinute(r.scenario.totalRps) >= 30 && beyondTolerance(r.scenario.regression));
    const reached = high.filter((r) => r.judges[judge].reached100 > 0);
    const low = regressions.filter((r) => canaryPerMinute(r.scenario.totalRps) < 30 && steadyPlus5(r.scenario.regression));
    const lowRuns = low.reduce((s, r) => s + r.judges[judge].runs, 0);
    const lowReached = low.reduce((s, r) => s + r.judges[judge].reached100, 0);
    targets.push({
      target: 'No release beyond the tolerance reaches 100% at ≥ 30/min; at 6/min ≤ 1% of +5 pp',
      met: reached.length === 0 && (lowRuns === 0 || lowReached / lowRuns <= 0.01),
      detail:
        `${reached.length === 0 ? `0 of ${high.reduce((s, r) => s + r.judges[judge].runs, 0)} bad rollouts at ≥ 30/min reached 100%` : `reached 100%: ${reached.map((r) => `${r.scenario.name} ${r.judges[judge].reached100}/${r.judges[judge].runs} (${r.judges[judge].silentPromotions} also passed the post-traffic bake)`).join('; ')}`}` +
        `; at 6/min +5 pp: ${lowReached}/${lowRuns} (${pct(lowRuns ? lowReached / lowRuns : undefined)})`,
    });
    const fast = regressions.filter((r) => steadyPlus5(r.scenario.regression) && canaryPerMinute(r.scenario.totalRps) >= 150);
    const slow = fast.filter(
      (r) => (r.judges[judge].medianDataMinutesToDetect ?? Infinity) > 2 || (r.judges[judge].detectedWithin3 ?? 0) < 0.95,
    );
    targets.push({
      target: '+5 pp at 5%: median ≤ 2 data-minutes and ≥ 95% within 3 at ≥ 150/min',
      met: fast.length > 0 && slow.length === 0,
      detail: fast
        .map(
          (r) =>
            `${r.scenario.name}: median ${num(r.judges[judge].medianDataMinutesToDetect)}, within 3 ${pct(r.judges[judge].detectedWithin3)}`,
        )
        .join('; '),
    });
    const top = regressions.filter((r) => steadyPlus5(r.scenario.regression) && canaryPerMinute(r.scenario.totalRps) >= 1500);
    targets.push({
      target: '+5 pp at 5%: median ≤ 2 data-minutes at ≥ 1500/min',
      met: top.length > 0 && top.every((r) => (r.judges[judge].medianDataMinutesToDetect ?? Infinity) <= 2),
      detail: top
        .map(
          (r) =>
            `${r.scenario.name}: median ${num(r.judges[judge].medianDataMinutesToDetect)}, within 2 ${pct(r.judges[judge].detectedWithin2)}`,
        )
        .join('; '),
    });
    const at30 = regressions.filter((r) => steadyPlus5(r.scenario.regression) && canaryPerMinute(r.scenario.totalRps) === 30);
    const ratio = (r: ScenarioResult) => (r.judges[judge].medianRequestsToDetect ?? Infinity) / (r.exactTestMinimum ?? NaN);
    targets.push({
      target: '+5 pp: median requests to detect ≤ 1.5× the exact minimum at 30/min',
      met: at30.length > 0 && at30.every((r) => ratio(r) <= 1.5),
      detail: at30
        .map((r) => `${r.scenario.name}: ${num(r.judges[judge].medianRequestsToDetect)} vs ${r.exactTestMinimum} = ${num(ratio(r))}×`)
        .join('; '),
    });
    const parts: string[] = [];
    let met = true;
    for (const rps of levels(regressions)) {
      const cells = regressions.filter((r) => r.scenario.totalRps === rps);
      const total = (name: string) => cells.reduce((s, r) => s + r.judges[name].meanBadRequests, 0);
      const eligible = peers.filter((p) => (aaRate(p, rps) ?? 1) <= 0.1);
      const losses = eligible.filter((p) => total(judge) >= total(p));
      if (losses.length) met = false;
      parts.push(
        `${canaryPerMinute(rps)}/min: ecs-canary ${Math.round(total(judge))}; ${peers.map((p) => `${p} ${Math.round(total(p))}${eligible.includes(p) ? '' : ` (not compared: ${pct(aaRate(p, rps))} false rollbacks)`}`).join(', ')}` +
          (losses.length ? ` — NOT fewer than ${losses.join(', ')}` : ''),
      );
    }
    targets.push({
      target:
        'Fewer bad requests served (mean per rollout, summed over the regressions) than every peer whose A/A false rollbacks are ≤ 10% at that level',
      met,
      detail: parts.join('; '),
    });
  }
  if (aa.length) {
    const bakes = STAGES.reduce((s, st) => s + st.bakeMinutes, 0);
    const limit100 = bakes + 3 * STAGES.length;
    const limitAll = bakes + POST_TRAFFIC_BAKE_MINUTES + 3 * (STAGES.length + 1);
    const parts: string[] = [];
    let met = true;
    for (const rps of levels(aa)) {
      const cells = aa.filter((r) => r.scenario.totalRps === rps);
      const median = (key: 'medianMinutesTo100' | 'medianMinutesToPromote') =>
        Math.max(...cells.map((r) => r.judges[judge][key] ?? Infinity));
      const p90 = Math.max(...cells.map((r) => r.judges[judge].p90MinutesToPromote ?? Infinity));
      if (median('medianMinutesTo100') > limit100 || median('medianMinutesToPromote') > limitAll) met = false;
      parts.push(
        `${canaryPerMinute(rps)}/min: to 100% ${num(median('medianMinutesTo100'))} min (≤ ${limit100}), through the post-traffic bake ${num(median('medianMinutesToPromote'))} min (≤ ${limitAll}; worst cell's p90 ${num(p90)})`,
      );
    }
    targets.push({ target: `A clean rollout takes ≤ its bakes + 3 minutes per step (worst cell's median)`, met, detail: parts.join('; ') });
  }
  return targets;
}

/**
 * Issue 11's check: the detection probability `detectionProbability` predicts for +5 pp by the
 * end of each partial stage (the plan's bakes at that traffic, the errors test's α) next to the
 * share ecs-canary detected by then: once as `canary plan` predicts offline (dispersion 1), once
 * with the noise the judge would measure on the scenario's Gamma(k) noise (σ² = 1/k, its upper
 * 95% bound over an hour, turned into the test's dispersion by `testDispersion`), as `canary
 * plan` does from CloudWatch.
 */
export function powerComparison(results: readonly ScenarioResult[], judge: string, policy: JudgePolicy): string[] {
  const alpha = thresholdsOf(policy).alphas.errors;
  const lines = [
    "| scenario | predicted, no noise (5% / 25% / 50%) | predicted, the scenario's noise | measured |",
    '| --- | --- | --- | --- |',
  ];
  // The version-2 rows: the traffic-shape rows' noise is not the Gamma(k) per group this models.
  for (const r of results.filter((x) => x.scenario.row === undefined && steadyPlus5(x.scenario.regression))) {
    const { totalRps: rps, baselineErrorRate: base } = r.scenario;
    const exposures: Exposure[] = STAGES.map((s) => ({
      minutes: s.bakeMinutes,
      canaryRequests: (rps * 60 * s.weight) / 100,
      baselineRequests: rps * 60 * (1 - s.weight / 100),
    }));
    const shape = r.scenario.noise.gammaShape;
    const extra = shape ? (1 / shape) * (1 + NOISE_UPPER_Z * Math.sqrt(2 / (HISTORY_MINUTES - 1))) : undefined;
    const predict = (upTo: number, dispersion: number) =>
      detectionProbability(exposures.slice(0, upTo), base + 0.05, { baselineRate: base, dispersion, alpha });
    const noisy = (upTo: number) => {
      const minutes = exposures.slice(0, upTo).map((e) => ({
        canaryTrials: e.canaryRequests,
        canaryEvents: 0,
        baselineTrials: e.baselineRequests,
        baselineEvents: e.baselineRequests * base,
      }));
      return predict(upTo, testDispersion(minutes, extra));
    };
    const plain = STAGES.map((_, i) => predict(i + 1, 1));
    const withNoise = STAGES.map((_, i) => noisy(i + 1));
    lines.push(
      `| ${r.scenario.name} | ${plain.map(pct).join(' / ')} | ${withNoise.map(pct).join(' / ')} | ${(r.judges[judge].detectedByStage ?? []).slice(0, STAGES.length).map(pct).join(' / ')} |`,
    );
  }
  return lines;
}

/** The original's history the engine reads before the first shift, in minutes. */
const HISTORY_MINUTES = 60;

/** A shape row's cell: false rollbacks (clean) or bad releases reaching 100% (caught), and whether it meets its bar. */
function shapeCell(r: ScenarioResult, judge: string): { text: string; met: boolean; value: number } {
  const s = r.judges[judge];
  if (r.scenario.target === 'caught') {
    const share = s.reached100 / s.runs;
    const text = `${s.reached100}/${s.runs} at 100%${s.medianDataMinutesToDetect !== undefined ? `, ${num(s.medianDataMinutesToDetect)} min` : ''}`;
    return r.scenario.targeted === false
      ? { text: `(${text}, no target)`, met: true, value: 0 }
      : { text, met: share <= 0.01, value: share };
  }
  const bar = canaryPerMinute(r.scenario.totalRps) < 30 ? 0.02 : 0.01;
  const causes = [
    s.insufficientEvidenceRate ? `${pct(s.insufficientEvidenceRate)} insuff.` : '',
    s.postBakeRollbackRate ? `${pct(s.postBakeRollbackRate)} at 100%` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return { text: `${pct(s.rollbackRate)}${causes ? ` (${causes})` : ''}`, met: s.rollbackRate <= bar, value: s.rollbackRate };
}

/** The version-3 table: each shape row at every traffic level under shared and independent noise. */
export function shapeTable(results: readonly ScenarioResult[], judge: string): string {
  const rows = results.filter((r) => r.scenario.row !== undefined && r.judges[judge]);
  if (rows.length === 0) return '';
  const columns = TRAFFIC_LEVELS.flatMap((rps) => (['shared', 'independent'] as const).map((noise) => ({ rps, noise })));
  const lines = [
    "### Real services' traffic shapes (ecs-canary, defaults): clean rows, false rollbacks (of which insufficient evidence, at 100%); caught rows, bad releases reaching 100% and median data-minutes to detect",
    '',
    `| shape | target | ${columns.map((c) => `${canaryPerMinute(c.rps)}/min ${c.noise}`).join(' | ')} |`,
    `| --- | --- | ${columns.map(() => '---').join(' | ')} |`,
  ];
  for (const shape of SHAPE_ROWS) {
    const cells = columns.map((c) =>
      rows.find((r) => r.scenario.row === shape.row && r.scenario.totalRps === c.rps && r.scenario.noiseModel === c.noise),
    );
    if (cells.every((c) => c === undefined)) continue;
    const bar = shape.target === 'clean' ? '≤ 1% false rollbacks (≤ 2% at 6/min)' : '≤ 1% reach 100%';
    lines.push(
      `| ${shape.row} | ${bar} | ${cells
        .map((c) => {
          if (!c) return '–';
          const cell = shapeCell(c, judge);
          return cell.met ? cell.text : `**${cell.text}**`;
        })
        .join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One target per shape row: every cell within its bar. */
export function shapeTargets(results: readonly ScenarioResult[], judge: string): TargetResult[] {
  const targets: TargetResult[] = [];
  for (const shape of SHAPE_ROWS) {
    const cells = results.filter((r) => r.scenario.row === shape.row && r.judges[judge]);
    if (cells.length === 0) continue;
    const judged = cells.map((r) => ({ r, cell: shapeCell(r, judge) }));
    const over = judged.filter((c) => !c.cell.met);
    const runs = cells[0].judges[judge].runs;
    targets.push({
      target: `${shape.row}: ${shape.target === 'clean' ? '≤ 1% false rollbacks (≤ 2% at 6/min)' : '≤ 1% of releases reach 100%'}, every level, ${shape.targetNoise ? `${shape.targetNoise} noise` : 'every noise model'}`,
      met: over.length === 0,
      detail: `${cells.length} cells of ${runs} runs; ${over.length === 0 ? `worst ${pct(Math.max(...judged.map((c) => c.cell.value)))}` : `over the bar: ${over.map((c) => `${canaryPerMinute(c.r.scenario.totalRps)}/min ${c.r.scenario.noiseModel} ${c.cell.text}`).join('; ')}`}`,
    });
  }
  return targets;
}
