/**
 * bench:kpi's environment, checked before any run: NaN or 0 runs would write NaN shares, and a
 * misspelt row kind would run nothing. Returns the settings or the one line to print (exit 2).
 */
export type KpiRows = 'all' | 'kpi' | 'value';

export function kpiEnv(env: NodeJS.ProcessEnv): { runs: number; rows: KpiRows } | { problem: string } {
  const runs = env.KPI_RUNS ?? '100';
  if (!/^\d+$/.test(runs) || Number(runs) < 1)
    return { problem: `KPI_RUNS is ${JSON.stringify(env.KPI_RUNS)}; accepted: a whole number ≥ 1` };
  const rows = env.KPI_ROWS ?? 'all';
  if (rows !== 'all' && rows !== 'kpi' && rows !== 'value')
    return { problem: `KPI_ROWS is ${JSON.stringify(rows)}; accepted: all, kpi or value` };
  return { runs: Number(runs), rows };
}
