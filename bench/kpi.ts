/**
 * KPI benchmark: whole simulated rollouts (the real controller and judge, `canary simulate`'s
 * engine) of a service whose application publishes orders per request (10% of requests) per
 * version, at the judge benchmark's traffic levels (6, 30, 150 and 1,500 canary requests a minute
 * at the 5% step). Rows: a 20% fall of the KPI (rollback before 100%), an A/A KPI (false
 * rollbacks) and a `warn` metric that falls 20% (never rolls back). Shipped defaults otherwise.
 *
 *   npm run bench:kpi            (KPI_RUNS=n to change the runs per cell; default 100)
 * Writes bench/results/kpi.json and prints the markdown table docs/metrics.md carries.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { simulateRollout } from '../cli/simulate/engine';
import { compilePlan } from '../lambdas/core/rollout-plan';
import { validateServiceConfig } from '../lib/config';
import type { Scenario } from '../sim';

const LEVELS = [6, 30, 150, 1500];
const RUNS = Number(process.env.KPI_RUNS ?? 100);
const START = Date.UTC(2026, 0, 1, 12);
const ORDERS_PER_REQUEST = 0.1;

function service(action: 'rollback' | 'warn') {
  return validateServiceConfig(
    {
      name: 'shop',
      image: 'public.ecr.aws/nginx/nginx:1.27',
      metrics: [
        {
          name: 'orders',
          namespace: 'Shop',
          metricName: 'Orders',
          statistic: 'Sum',
          dimensions: { service: 'shop' },
          compare: { tolerancePercent: 5, worse: 'lower' },
          versionDimension: 'TaskDefinitionRevision',
          action,
        },
      ],
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

function runCell(row: string, level: number, canaryFactor: number, action: 'rollback' | 'warn'): Cell {
  const config = service(action);
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
      kpi: { metric: 'orders', ratePerRequest: ORDERS_PER_REQUEST, canaryFactor },
    };
    const result = simulateRollout({ service: 'shop', plan, policy, scenario, startTime: START });
    if (result.outcome !== 'Failed') continue;
    failed++;
    if (/orders/.test(result.reason)) namingKpi++;
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

const cells: Cell[] = [];
for (const level of LEVELS) {
  cells.push(runCell('KPI −20%', level, 0.8, 'rollback'));
  cells.push(runCell('A/A KPI', level, 1, 'rollback'));
  cells.push(runCell('warn, KPI −20%', level, 0.8, 'warn'));
  process.stderr.write(`level ${level}/min done\n`);
}
mkdirSync(join(__dirname, 'results'), { recursive: true });
writeFileSync(
  join(__dirname, 'results', 'kpi.json'),
  `${JSON.stringify({ runsPerCell: RUNS, ordersPerRequest: ORDERS_PER_REQUEST, cells }, null, 2)}\n`,
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
