/**
 * KPI benchmark: whole simulated rollouts (the real controller and judge, `canary simulate`'s
 * engine) of a service whose application publishes orders per request (10% of requests) per
 * version, at the judge benchmark's traffic levels (6, 30, 150 and 1,500 canary requests a minute
 * at the 5% step). Rows: a 20% fall of the KPI (rollback before 100%), an A/A KPI (false
 * rollbacks) and a `warn` metric that falls 20% (never rolls back); and the same three for a value,
 * memory compared with the original (its Average may rise 20%; samples log-normal around 300 MB,
 * ±10%, one per 10 requests): +50%, A/A and `warn`. Shipped defaults otherwise. Targets, fixed
 * before the run: A/A rows ≤ 1% false rollbacks, `warn` rows none.
 *
 *   npm run bench:kpi            (KPI_RUNS=n to change the runs per cell; default 100; KPI_ROWS=kpi or
 *                                 value runs only those rows and keeps the others' cells from the last results)
 * Writes bench/results/kpi.json and prints the markdown table docs/metrics.md carries.
 */
import '../scripts/sdk-quiet';

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { simulateRollout } from '../cli/simulate/engine';
import { compilePlan } from '../lambdas/core/rollout-plan';
import { validateServiceConfig } from '../lib/config';
import type { Scenario } from '../sim';
import { kpiEnv } from './kpi-env';

const LEVELS = [6, 30, 150, 1500];
const settings = kpiEnv(process.env);
if ('problem' in settings) fail(settings.problem);
const { runs: RUNS, rows: ROWS } = settings;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
const START = Date.UTC(2026, 0, 1, 12);
const ORDERS_PER_REQUEST = 0.1;

type Kind = 'kpi' | 'value';

function service(kind: Kind, action: 'rollback' | 'warn') {
  const metric =
    kind === 'kpi'
      ? { name: 'orders', metricName: 'Orders', statistic: 'Sum', compare: { tolerancePercent: 5, worse: 'lower' } }
      : { name: 'memory', metricName: 'MemoryMB', statistic: 'Average', max: 512, compare: { tolerancePercent: 20, worse: 'higher' } };
  return validateServiceConfig(
    {
      name: 'shop',
      image: 'public.ecr.aws/nginx/nginx:1.27',
      metrics: [{ ...metric, namespace: 'Shop', dimensions: { service: 'shop' }, versionDimension: 'TaskDefinitionRevision', action }],
    },
    'bench/kpi.ts',
  );
}

interface Cell {
  readonly row: string;
  readonly canaryPerMinute: number;
  readonly runs: number;
  readonly failed: number;
  /** Failed runs whose reason names the KPI. */
  readonly namingKpi: number;
  /** Rolled back while the replacement had less than 100% (the final shift not reached). */
  readonly beforeFull: number;
  /** Median minutes from the first shift to the decision, failed runs. */
  readonly medianMinutes: number | null;
}

function runCell(row: string, level: number, canaryFactor: number, action: 'rollback' | 'warn', kind: Kind = 'kpi'): Cell {
  const config = service(kind, action);
  const name = kind === 'kpi' ? 'orders' : 'memory';
  const plan = compilePlan(config.rollout);
  const policy = { ...config.thresholds, metrics: config.metrics ?? [] };
  const totalRps = level / 60 / (config.rollout.steps[0].weight / 100);
  let failed = 0;
  let namingKpi = 0;
  let beforeFull = 0;
  const minutes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const scenario: Scenario = {
      name: `${row}-${level}`,
      seed: 1_000 * level + run,
      runs: 1,
      totalRps,
      baselineErrorRate: 0.002,
      noise: { gammaShape: 4, shockRate: 0, burstRate: 0, shared: true },
      regression: null,
      ...(kind === 'kpi'
        ? { kpi: { metric: 'orders', ratePerRequest: ORDERS_PER_REQUEST, canaryFactor } }
        : { valueKpi: { metric: 'memory', statistic: 'Average', median: 300, spread: 0.1, samplesPerRequest: 0.1, canaryFactor } }),
    };
    const result = simulateRollout({ service: 'shop', plan, policy, scenario, startTime: START });
    if (result.outcome !== 'Failed') continue;
    failed++;
    if (result.reason.includes(name)) namingKpi++;
    const shifted = result.timeline.filter((t) => t.weight > 0);
    const last = result.timeline[result.timeline.length - 1];
    if (last && last.weight < 100 && !result.timeline.some((t) => t.hook === 'AllowTraffic')) beforeFull++;
    if (shifted.length) minutes.push((last.at - shifted[0].at) / 60_000);
  }
  minutes.sort((a, b) => a - b);
  return {
    row,
    canaryPerMinute: level,
    runs: RUNS,
    failed,
    namingKpi,
    beforeFull,
    medianMinutes: minutes.length ? minutes[Math.floor(minutes.length / 2)] : null,
  };
}

const RESULTS = join(__dirname, 'results', 'kpi.json');
const kept: Cell[] = ROWS !== 'all' && existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { cells: Cell[] }).cells : [];
const cells: Cell[] = [];
for (const level of LEVELS) {
  const keep = (row: string) => kept.find((c) => c.row === row && c.canaryPerMinute === level);
  for (const [row, factor, action, kind] of [
    ['KPI −20%', 0.8, 'rollback', 'kpi'],
    ['A/A KPI', 1, 'rollback', 'kpi'],
    ['warn, KPI −20%', 0.8, 'warn', 'kpi'],
    ['memory +50%', 1.5, 'rollback', 'value'],
    ['A/A memory', 1, 'rollback', 'value'],
    ['warn, memory +50%', 1.5, 'warn', 'value'],
  ] as const) {
    const previous = ROWS === 'all' || ROWS === kind ? undefined : keep(row);
    if (previous) cells.push(previous);
    else if (ROWS === 'all' || ROWS === kind) cells.push(runCell(row, level, factor, action, kind));
  }
  process.stderr.write(`level ${level}/min done\n`);
}
mkdirSync(join(__dirname, 'results'), { recursive: true });
writeFileSync(
  join(__dirname, 'results', 'kpi.json'),
  `${JSON.stringify({ runsPerCell: Math.max(...cells.map((c) => c.runs)), ordersPerRequest: ORDERS_PER_REQUEST, memory: { medianMb: 300, spread: 0.1, samplesPerRequest: 0.1 }, cells }, null, 2)}\n`,
);
const lines = [
  '| row | canary req/min at 5% | runs | rolled back | of which before 100% | naming the KPI | median minutes to the decision |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const c of cells)
  lines.push(
    `| ${c.row} | ${c.canaryPerMinute} | ${c.runs} | ${c.failed} | ${c.beforeFull} | ${c.namingKpi} | ${c.medianMinutes === null ? '–' : c.medianMinutes.toFixed(1)} |`,
  );
process.stdout.write(`${lines.join('\n')}\n`);
