/** The benchmark's markdown table and its verdict on the targets of issue 3. */
import type { Scenario } from '../../lib/sim';
import type { JudgeSummary } from './metrics';

export interface ScenarioResult {
  scenario: Scenario;
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

export function markdownTable(results: readonly ScenarioResult[], judgeNames: readonly string[]): string {
  const lines: string[] = [];
  const aa = results.filter((r) => r.scenario.regression === null);
  if (aa.length) {
    lines.push('### A/A (identical versions): false rollbacks per rollout, minutes to promote', '');
    lines.push(`| scenario | ${judgeNames.map((j) => `${j} false rollbacks (of which insufficient evidence) | ${j} min to promote`).join(' | ')} |`);
    lines.push(`| --- | ${judgeNames.map(() => '--- | ---').join(' | ')} |`);
    for (const r of aa) {
      lines.push(`| ${r.scenario.name} (${r.scenario.runs} runs) | ${judgeNames.map((j) => {
        const s = r.judges[j];
        return `${pct(s.rollbackRate)} (${pct(s.insufficientEvidenceRate)}) | ${num(s.medianMinutesToPromote)}`;
      }).join(' | ')} |`);
    }
    lines.push('');
  }
  const bad = results.filter((r) => r.scenario.regression !== null);
  if (bad.length) {
    lines.push('### Regressions: detected within 2 / 5 / 10 data-minutes, before the next shift; median / p90 data-minutes to detect; median requests to detect (exact-test minimum); mean bad requests served; silent promotions', '');
    lines.push(`| scenario | exact min | ${judgeNames.join(' | ')} |`);
    lines.push(`| --- | --- | ${judgeNames.map(() => '---').join(' | ')} |`);
    for (const r of bad) {
      lines.push(`| ${r.scenario.name} (${r.scenario.runs} runs) | ${num(r.exactTestMinimum)} | ${judgeNames.map((j) => {
        const s = r.judges[j];
        return `${pct(s.detectedWithin2)} / ${pct(s.detectedWithin5)} / ${pct(s.detectedWithin10)} / ${pct(s.detectedBeforeNextShift)}; `
          + `${num(s.medianDataMinutesToDetect)} / ${num(s.p90DataMinutesToDetect)} min; ${num(s.medianRequestsToDetect)} req; `
          + `bad ${Math.round(s.meanBadRequests)}; silent ${s.silentPromotions}`;
      }).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Checks the targets of issue 3 for `judge` (ecs-canary) against the peers. */
export function evaluateTargets(results: readonly ScenarioResult[], judge: string, peers: readonly string[]): TargetResult[] {
  const targets: TargetResult[] = [];
  const aa = results.filter((r) => r.scenario.regression === null);
  if (aa.length) {
    const levels = [...new Set(aa.map((r) => r.scenario.totalRps))].sort((a, b) => a - b);
    const pooled = levels.map((rps) => {
      const cells = aa.filter((r) => r.scenario.totalRps === rps);
      const runs = cells.reduce((s, r) => s + r.scenario.runs, 0);
      const count = (key: 'rollbackRate' | 'insufficientEvidenceRate') => cells.reduce((s, r) => s + r.judges[judge][key] * r.scenario.runs, 0);
      const worst = cells.reduce((w, r) => (r.judges[judge].rollbackRate > w.judges[judge].rollbackRate ? r : w));
      return { rps, runs, rate: count('rollbackRate') / runs, insufficient: count('insufficientEvidenceRate') / runs, worst };
    });
    targets.push({
      target: '≤ 1% false rollbacks per rollout at every traffic level',
      met: pooled.every((p) => p.rate <= 0.01),
      detail: pooled.map((p) => `${p.rps} rps: ${pct(p.rate)} of ${p.runs} A/A rollouts (${pct(p.insufficient)} insufficient evidence, ${pct(p.rate - p.insufficient)} on evidence; worst ${p.worst.scenario.name} ${pct(p.worst.judges[judge].rollbackRate)})`).join('; '),
    });
  }
  const plus5 = results.filter((r) => r.scenario.regression?.kind === 'errors' && r.scenario.regression.deltaPp === 5 && !r.scenario.regression.minWeight && !r.scenario.regression.onsetMinute);
  const detection = (minRps: number, maxRps: number, within: 'detectedWithin2' | 'detectedWithin5', label: string) => {
    const cells = plus5.filter((r) => r.scenario.totalRps >= minRps && r.scenario.totalRps <= maxRps);
    if (!cells.length) return;
    const short = cells.filter((r) => (r.judges[judge][within] ?? 0) < 0.95);
    targets.push({
      target: label,
      met: short.length === 0,
      detail: cells.map((r) => `${r.scenario.name}: ${pct(r.judges[judge][within])}`).join('; '),
    });
  };
  detection(50, Infinity, 'detectedWithin2', '≥ 95% of +5 pp regressions detected within 2 data-minutes at ≥ 150 canary requests/min');
  detection(10, 10, 'detectedWithin5', '≥ 95% of +5 pp regressions detected within 5 data-minutes at 30 canary requests/min');
  const regressions = results.filter((r) => r.scenario.regression !== null);
  if (regressions.length) {
    const silent = regressions.filter((r) => r.judges[judge].silentPromotions > 0);
    targets.push({
      target: 'zero silent promotions of a bad release',
      met: silent.length === 0,
      detail: silent.length === 0 ? `0 over ${regressions.reduce((s, r) => s + r.scenario.runs, 0)} bad rollouts`
        : silent.map((r) => `${r.scenario.name}: ${r.judges[judge].silentPromotions}/${r.scenario.runs}${r.withinTolerance ? ' (within the tolerated +1 pp)' : ''}`).join('; '),
    });
    const losses: string[] = [];
    for (const rps of [...new Set(regressions.map((r) => r.scenario.totalRps))].sort((a, b) => a - b)) {
      const cells = regressions.filter((r) => r.scenario.totalRps === rps);
      const total = (name: string) => cells.reduce((s, r) => s + r.judges[name].meanBadRequests * r.scenario.runs, 0);
      const beyond = (name: string) => cells.filter((r) => !r.withinTolerance).reduce((s, r) => s + r.judges[name].meanBadRequests * r.scenario.runs, 0);
      for (const peer of peers) {
        if (total(judge) >= total(peer)) {
          losses.push(`${rps} rps: ${Math.round(total(judge))} vs ${peer} ${Math.round(total(peer))} (beyond-tolerance regressions only: ${Math.round(beyond(judge))} vs ${Math.round(beyond(peer))})`);
        }
      }
    }
    targets.push({
      target: 'fewer bad requests served than every peer at every traffic level',
      met: losses.length === 0,
      detail: losses.length === 0 ? 'ecs-canary served the fewest bad requests at every traffic level' : losses.join('; '),
    });
  }
  return targets;
}
