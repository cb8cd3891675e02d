/**
 * Issue 11's check against the committed benchmark: the detection probability `canary plan`'s
 * power computation predicts for +5 pp, given the scenario's noise, is within a few points of
 * what bench:judge measured, stage by stage, at ≥ 150 canary requests a minute.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { powerComparison } from '../../bench/judge/report';

const results = JSON.parse(readFileSync(join(__dirname, '../../bench/results/judge.json'), 'utf8'));
const rows = powerComparison(results.scenarios, 'ecs-canary', results.policy)
  .slice(2)
  .map((line) => {
    const [name, , withNoise, measured] = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const shares = (cell: string) => cell.split(' / ').map((v) => Number.parseFloat(v) / 100);
    return { name, rps: Number(/, (\d+) rps,/.exec(name)![1]), predicted: shares(withNoise), measured: shares(measured) };
  });

describe('power.ts against the committed benchmark', () => {
  it('is the table the committed run recorded', () => {
    expect(powerComparison(results.scenarios, 'ecs-canary', results.policy)).toEqual(results.power);
  });

  // Within 10 points, plus two standard errors of the measured share at the run's number of rollouts.
  const runsOf = (name: string) =>
    results.scenarios.find((x: { scenario: { name: string } }) => x.scenario.name === name).judges['ecs-canary'].runs as number;
  it.each(rows.filter((r) => r.rps >= 50).map((r) => [r.name, r]))(
    'predicts %s within 10 points (and the sampling error) at every stage',
    (_name, row) => {
      const r = row as (typeof rows)[number];
      const runs = runsOf(r.name);
      r.predicted.forEach((p, i) =>
        expect(Math.abs(p - r.measured[i])).toBeLessThanOrEqual(0.1 + 2 * Math.sqrt((p * (1 - p)) / runs) + 1e-9),
      );
    },
  );
});
