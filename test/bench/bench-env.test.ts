/**
 * The benchmarks' and the fault campaign's environment variables: a bad value stops the script
 * before its first run with one line naming the variable, the value and what is accepted (exit 2),
 * rather than running no cell, NaN runs or every run on the same unseeded world.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { kpiEnv } from '../../bench/kpi-env';
import { soakEnv } from '../../scripts/soak-env';

const ROOT = path.join(__dirname, '../..');

function runScript(script: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('bench and soak environment variables', () => {
  it.each<[string, (env: NodeJS.ProcessEnv) => object, Record<string, string>, string]>([
    ['bench:kpi', kpiEnv, { KPI_RUNS: 'abc' }, 'KPI_RUNS is "abc"; accepted: a whole number ≥ 1'],
    ['bench:kpi', kpiEnv, { KPI_RUNS: '0' }, 'KPI_RUNS is "0"; accepted: a whole number ≥ 1'],
    ['bench:kpi', kpiEnv, { KPI_RUNS: '2.5' }, 'KPI_RUNS is "2.5"; accepted: a whole number ≥ 1'],
    ['bench:kpi', kpiEnv, { KPI_ROWS: 'kpis' }, 'KPI_ROWS is "kpis"; accepted: all, kpi or value'],
    ['soak', soakEnv, { SOAK_FIRST_SEED: 'abc' }, 'SOAK_FIRST_SEED is "abc"; accepted: a whole number ≥ 0'],
    [
      'soak',
      soakEnv,
      { SOAK_RATES: '0.01,,0.05' },
      'SOAK_RATES is "0.01,,0.05"; accepted: comma-separated shares of calls, e.g. 0.01,0.05',
    ],
    ['soak', soakEnv, { SOAK_RATES: '5%' }, 'SOAK_RATES is "5%"; accepted: comma-separated shares of calls, e.g. 0.01,0.05'],
    ['soak', soakEnv, { SOAK_RUNS: '-1' }, 'SOAK_RUNS is "-1"; accepted: a whole number ≥ 1'],
  ])('%s refuses %j in one line', (_script, parse, env, line) => {
    expect(parse(env)).toEqual({ problem: line });
  });

  it('take the defaults when unset', () => {
    expect(kpiEnv({})).toEqual({ runs: 100, rows: 'all' });
    expect(soakEnv({})).toEqual({ runs: 1000, rates: [0.01, 0.05], firstSeed: 10000 });
  });

  it.each([
    ['bench/kpi.ts', { KPI_RUNS: 'abc' }, 'KPI_RUNS is "abc"; accepted: a whole number ≥ 1'],
    ['scripts/soak.ts', { SOAK_RUNS: '-1' }, 'SOAK_RUNS is "-1"; accepted: a whole number ≥ 1'],
  ])('%s stops before running: exit 2, the one line on stderr, nothing on stdout', (script, env, line) => {
    const run = runScript(script, env);
    expect([run.status, run.stderr.trim().split('\n'), run.stdout]).toEqual([2, [line], '']);
  });
});
