/**
 * The text of `canary plan` and the one- or two-line summary `canary deploy` prints before it
 * creates a deployment. Pure: every figure comes from `planDetection`.
 */
import type { PlanDetection, StageDetection } from '../../lambdas/core/forecast/detection';
import type { TrafficProfile } from '../../lambdas/core/forecast/traffic';
import { percent, points } from '../../lambdas/core/judge/format';

/** Large counts in a table cell: 300k, 12.3M. */
const compact = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e5 ? `${Math.round(n / 1e3)}k` : count(n));
const count = (n: number) => (n >= 10 ? Math.round(n).toLocaleString('en-US') : (Math.round(n * 10) / 10).toString());
/** Requests a second: two significant digits below 1 (0.05, not a rounded 0.1). */
const rps = (perMinute: number) =>
  perMinute > 0 && perMinute < 60 ? Number((perMinute / 60).toPrecision(2)).toString() : count(perMinute / 60);

/** True when the figures come from CloudWatch and it saw no request at all. */
export function noTraffic(traffic: TrafficProfile): boolean {
  return traffic.requestsPerMinute <= 0;
}

/** "10 req/s (600 a minute), 0.50% errors, p95 180 ms" */
export function trafficText(traffic: TrafficProfile): string {
  const p95 = traffic.p95Ms !== undefined ? `, p95 ${count(traffic.p95Ms)} ms` : '';
  return `${rps(traffic.requestsPerMinute)} req/s (${count(traffic.requestsPerMinute)} a minute), ${percent(traffic.errorRate)} errors${p95}`;
}

function sourceText(traffic: TrafficProfile): string {
  if (traffic.source === 'offline') return 'offline figures; per-minute counts taken as Poisson, no extra noise';
  const noise = traffic.errorExtraVariance ? `measured noise σ² ${traffic.errorExtraVariance.toFixed(2)}` : 'no extra noise measured';
  return `the last ${traffic.minutes} complete minutes in CloudWatch, both target groups: ${count(traffic.requests ?? 0)} requests, ${count(traffic.errors ?? 0)} errors; ${noise}`;
}

function errorsCaught(stage: StageDetection, d: PlanDetection): string {
  if (stage.errorIncrease === undefined) return 'not even 100% errors';
  return stage.errorIncrease < d.tolerance.errorIncrease
    ? `${points(d.tolerance.errorIncrease)} (the tolerance)`
    : points(stage.errorIncrease);
}

/** The errors cell of the plan table: the increase caught, `*` marking the tolerance (explained under the table). */
function tableErrors(stage: StageDetection, d: PlanDetection): string {
  if (stage.errorIncrease === undefined) return 'none';
  return stage.errorIncrease < d.tolerance.errorIncrease ? `${points(d.tolerance.errorIncrease)}*` : points(stage.errorIncrease);
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

function whenCaught(d: PlanDetection): string {
  const target = points(d.target.increase);
  if (d.target.minutesToDetect === undefined || d.target.stageIndex === undefined)
    return `${target}: not caught before 100% (below 50% probability by the final shift)`;
  return `${target}: ≥ 50% caught by data-minute ${d.target.minutesToDetect} (at ${d.stages[d.target.stageIndex].weight}%), plus CloudWatch's 1–3 min delay`;
}

function minRequestsText(d: PlanDetection): string {
  const m = d.minRequests;
  const at = (minute: number) => `data-minute ${minute}`;
  if (m.reached === 'bakes') return `minRequests ${m.required}: served by ${at(m.reachedAtMinute as number)}, before the final shift`;
  if (m.reached === 'hold')
    return `minRequests ${m.required}: only ${count(m.byFinalShift)} served in the bakes; reached by holding at the final weight until ${at(m.reachedAtMinute as number)}`;
  return `minRequests ${m.required}: NOT reached (${count(m.byFinalShift)} canary requests by the final shift, even holding to the hold limit): the rollout fails "insufficient evidence"`;
}

/** The whole `canary plan` text. */
export function renderPlan(service: string, d: PlanDetection): string[] {
  const lines = [`canary plan ${service} at ${trafficText(d.traffic)}`, `  (${sourceText(d.traffic)})`];
  if (noTraffic(d.traffic)) {
    lines.push(
      d.traffic.source === 'cloudwatch'
        ? `no traffic reached ${service}'s target groups in the last hour: nothing can be detected and every rollout would fail "insufficient evidence" (minRequests ${d.minRequests.required}); plan offline with --rps, --error-rate`
        : 'no traffic: nothing can be detected',
    );
    return lines;
  }
  if (d.latency) {
    lines.push(
      `latency: E = ${d.tolerance.latencyRatio} × p95 = ${count(d.latency.slowThresholdMs)} ms; ${percent(d.latency.baselineSlowShare)} of the original above E` +
        (d.latency.fitted ? ` (measured, σ ${d.latency.spread.toFixed(2)} fitted)` : ` (σ ${d.latency.spread} assumed)`),
    );
  }
  // Fits 80 columns: the slow shares behind the p95 ratios go on the line below the table.
  const tolerated = d.stages.some((s) => s.errorIncrease !== undefined && s.errorIncrease < d.tolerance.errorIncrease);
  const header = ['stage', 'bake', 'canary/min', 'requests (rollout)', 'errors', 'p95', `P(${points(d.target.increase)})`];
  const rows = d.stages.map((s) => [
    `${s.index + 1} at ${s.weight}%`,
    `${s.bakeMinutes} min`,
    count(s.canaryRequestsPerMinute),
    `${compact(s.canaryRequests)} (${compact(s.rolloutCanaryRequests)})`,
    tableErrors(s, d),
    s.p95Ratio !== undefined ? `×${s.p95Ratio.toFixed(2)}` : d.latency ? 'none' : 'no p95',
    `${Math.round(s.targetProbability * 100)}%`,
  ]);
  lines.push('caught with 90% probability by the end of each bake; requests: stage (rollout)');
  lines.push(...table([header, ...rows]).map((l) => `  ${l}`));
  if (tolerated) lines.push('  * the tolerance (maxErrorIncreasePp): the judge rolls back nothing smaller');
  const slow = d.stages.filter((s) => s.slowShare !== undefined);
  if (d.latency && slow.length > 0)
    lines.push(
      `  p95 ×R: R × the original's p95; share above ${count(d.latency.slowThresholdMs)} ms: ${slow.map((s) => percent(s.slowShare as number)).join(', ')}`,
    );
  lines.push(whenCaught(d), minRequestsText(d));
  if (d.quietStages.length > 0)
    lines.push(
      `under one canary request a minute at ${d.quietStages.map((i) => `${d.stages[i].weight}%`).join(', ')}: those stages may hold for traffic`,
    );
  if (d.advice) lines.push(`advice: ${d.advice}`);
  for (const warning of d.barWarnings) lines.push(`warning: ${warning}`);
  return lines;
}

/** One or two lines for `canary deploy`, before it creates the deployment. */
export function summaryLines(service: string, d: PlanDetection): string[] {
  if (noTraffic(d.traffic)) {
    return [
      `plan: no traffic reached ${service}'s target groups in the last hour: the rollout cannot detect anything and fails "insufficient evidence" unless traffic arrives (minRequests ${d.minRequests.required})`,
    ];
  }
  const first = d.stages[0];
  const final = d.stages.at(-1) as StageDetection;
  const next = d.stages.length > 1 ? `${d.stages[1].weight}%` : '100%';
  const latency = final.p95Ratio !== undefined ? ` and p95 ×${final.p95Ratio.toFixed(2)}` : '';
  const early = d.stages.length > 1 ? `${errorsCaught(first, d)} errors before ${next}, ` : '';
  const target =
    d.target.minutesToDetect !== undefined
      ? `${points(d.target.increase)} by data-minute ${d.target.minutesToDetect}`
      : `${points(d.target.increase)} not before 100%`;
  const min =
    d.minRequests.reached === 'no'
      ? `minRequests ${d.minRequests.required} NOT reached`
      : `minRequests ${d.minRequests.required} by data-minute ${d.minRequests.reachedAtMinute}`;
  const line = `plan at the last hour's ${trafficText(d.traffic)}: catches (90%) ${early}${errorsCaught(final, d)} errors${latency} before 100%; ${target}; ${min}`;
  return [line, ...(d.advice ? [`plan advice: ${d.advice}`] : []), ...d.barWarnings.map((w) => `plan warning: ${w}`)];
}
