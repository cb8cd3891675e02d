/**
 * The long fault campaign (`npm run soak`): SOAK_RUNS seeded runs (default 1,000) at each fault
 * rate of SOAK_RATES (default 0.01,0.05), each run one to three releases in a row
 * (test/fault/support/campaign.ts), in child processes of RUNS_PER_PROCESS runs each. Progress goes
 * to bench/results/soak-<rate>.json after every run, so a campaign resumes where it stopped, can be
 * split across processes (one rate each) and reported afterwards with SOAK_REPORT_ONLY=1; the
 * figures go to docs/reliability.md between its soak markers.
 */
import './sdk-quiet';

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RunResult } from '../test/fault/support/campaign';
import { RECOVERY_RELEASES } from '../test/fault/support/recovery';
import { soakEnv } from './soak-env';

const ROOT = join(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const DOC = join(ROOT, 'docs', 'reliability.md');
const BEGIN = '<!-- soak:begin -->';
const END = '<!-- soak:end -->';

interface RunSummary {
  readonly seed: number;
  readonly realMs: number;
  readonly simulatedMinutes: number;
  readonly figures: RunResult['figures'];
  readonly releases: Array<{ bad: boolean; undisturbed: boolean; disruption?: string; ungated?: string; status: string; reason?: string }>;
  readonly violations: Array<{ invariant: number; message: string }>;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const settings = soakEnv(process.env);
if ('problem' in settings) fail(settings.problem);
const { runs, rates, firstSeed } = settings;

const file = (rate: number) => join(RESULTS, `soak-${rate}.json`);
const load = (rate: number): RunSummary[] => (existsSync(file(rate)) ? (JSON.parse(readFileSync(file(rate), 'utf8')) as RunSummary[]) : []);

/** Runs per child process: a batch saved as it goes, so a campaign resumes where a process stopped. */
const RUNS_PER_PROCESS = 40;

/** In a child process: at most RUNS_PER_PROCESS more runs at `rate`, saved after each. */
async function soak(rate: number): Promise<void> {
  // Loaded here, after the settings are checked: a bad variable is refused without loading the engine.
  const { runRollouts } = await import('../test/fault/support/campaign');
  const done = load(rate);
  const seen = new Set(done.map((r) => r.seed));
  const stopAt = Math.min(runs, done.length + RUNS_PER_PROCESS);
  for (let seed = firstSeed; done.length < stopAt; seed += 1) {
    if (seen.has(seed)) continue;
    const started = performance.now();
    const result = await runRollouts({ seed, faultRate: rate });
    done.push({
      seed,
      realMs: Math.round(performance.now() - started),
      simulatedMinutes: result.simulatedMinutes,
      figures: result.figures,
      releases: result.releases.map((r) => ({
        bad: r.bad,
        undisturbed: r.undisturbed,
        status: r.status,
        ...(r.disruption ? { disruption: r.disruption } : {}),
        ...(r.ungated ? { ungated: r.ungated } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
      })),
      violations: result.violations.map((v) => ({ invariant: v.invariant, message: v.message })),
    });
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(file(rate), JSON.stringify(done));
    if (done.length % 10 === 0) process.stdout.write(`${rate * 100}% faults: ${done.length}/${runs} runs\n`);
  }
}

const sum = (runs: RunSummary[], pick: (r: RunSummary) => number) => runs.reduce((s, r) => s + pick(r), 0);
const pct = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);

/** Why clean, undisturbed releases did not succeed: the engine's recorded reason, with ids and figures blanked. */
function reasons(runs: RunSummary[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of runs) {
    for (const release of r.releases.filter((x) => x.undisturbed && x.status !== 'Succeeded')) {
      const reason = (release.reason ?? `ended ${release.status} with no failing decision recorded`)
        .replace(/d-[0-9A-Z]+/g, 'd-…')
        .replace(/\d+(\.\d+)?/g, 'N')
        .slice(0, 140);
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
}

function violationKinds(runs: RunSummary[]): Array<[string, number, number[]]> {
  const kinds = new Map<string, { count: number; seeds: number[] }>();
  for (const r of runs) {
    for (const v of r.violations) {
      const key = `[${v.invariant}] ${v.message
        .replace(/d-[0-9A-Z]+/g, 'd-…')
        .replace(/\{[^}]*\}/g, '{…}')
        .replace(/engine-tick#\d+|svc-guard#\d+|#\d+/g, '#…')
        .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T')
        .replace(/\d+/g, 'N')
        .slice(0, 150)}`;
      const entry = kinds.get(key) ?? { count: 0, seeds: [] };
      entry.count += 1;
      if (!entry.seeds.includes(r.seed)) entry.seeds.push(r.seed);
      kinds.set(key, entry);
    }
  }
  return [...kinds.entries()]
    .map(([k, v]) => [k, v.count, v.seeds] as [string, number, number[]])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12);
}

function report(): string {
  const lines: string[] = [BEGIN, '', `Generated by \`npm run soak\` (${new Date().toISOString().slice(0, 10)}).`, ''];
  lines.push(
    '| figure | target | ' + rates.map((r) => `${r * 100}% faults`).join(' | ') + ' |',
    '| --- | --- | ' + rates.map(() => '---').join(' | ') + ' |',
  );
  const data = rates.map(load);
  const row = (name: string, target: string, value: (runs: RunSummary[]) => string) =>
    lines.push(`| ${name} | ${target} | ${data.map(value).join(' | ')} |`);
  row('runs (releases)', '≥ 1,000 runs', (d) => `${d.length} (${sum(d, (r) => r.releases.length)})`);
  row('writes for a stale deployment', '0', (d) => String(sum(d, (r) => r.figures.staleWrites)));
  row('minutes of production on a group without a healthy target, caused by a write', '0', (d) =>
    String(sum(d, (r) => r.figures.emptyGroupMinutesByWrite)),
  );
  row(
    "hooks left to CodeDeploy's timeout (with production on the replacement)",
    '0',
    (d) => `${sum(d, (r) => r.figures.hookTimeouts)} (${sum(d, (r) => r.figures.hookTimeoutsWithReplacementTraffic)})`,
  );
  row(
    'bad releases (+20 pp errors) that succeeded',
    '0',
    (d) => `${sum(d, (r) => r.figures.badReleasesSucceeded)} of ${sum(d, (r) => r.releases.filter((x) => x.bad).length)}`,
  );
  row('decisions acted on before being recorded', '0', (d) => String(sum(d, (r) => r.figures.writesBeforeRecord)));
  row(
    "deployments without ecs-canary's hooks that production reached or that succeeded",
    '0',
    (d) => `${sum(d, (r) => r.figures.ungatedNotStopped ?? 0)} of ${sum(d, (r) => r.releases.filter((x) => x.ungated).length)}`,
  );
  row(`stops without CodeDeploy's rollback after which none of the next ${RECOVERY_RELEASES} clean releases succeeded`, '0', (d) =>
    String(sum(d, (r) => r.figures.stuckAfterStop ?? 0)),
  );
  row('clean, undisturbed releases that succeeded', '≥ 95% at 1%', (d) => {
    const clean = d.flatMap((r) => r.releases.filter((x) => x.undisturbed));
    return `${pct(clean.filter((x) => x.status === 'Succeeded').length, clean.length)} of ${clean.length}`;
  });
  row('runs with any invariant violation', '0', (d) => String(d.filter((r) => r.violations.length > 0).length));
  row(
    'SDK calls, faults injected, invocations killed',
    '',
    (d) => `${sum(d, (r) => r.figures.sdkCalls)}, ${sum(d, (r) => r.figures.faults)}, ${sum(d, (r) => r.figures.deaths)}`,
  );
  row('real time per run (mean, this machine)', '', (d) => (d.length ? `${Math.round(sum(d, (r) => r.realMs) / d.length)} ms` : 'n/a'));
  for (const [i, rate] of rates.entries()) {
    lines.push('', `**${rate * 100}% faults: violations by kind** (count, first seeds):`, '');
    const kinds = violationKinds(data[i]);
    if (kinds.length === 0) lines.push('- none');
    for (const [kind, count, seeds] of kinds) lines.push(`- ${count} × ${kind} — seeds ${seeds.slice(0, 6).join(', ')}`);
    lines.push('', `**${rate * 100}% faults: why clean, undisturbed releases did not succeed:**`, '');
    const why = reasons(data[i]);
    if (why.length === 0) lines.push('- all succeeded');
    for (const [reason, count] of why) lines.push(`- ${count} × ${reason}`);
  }
  lines.push('', END);
  return lines.join('\n');
}

/** Runs child processes of this script, one batch each, until `runs` runs at `rate` are saved. */
function soakInChildren(rate: number): void {
  while (load(rate).length < runs) {
    const before = load(rate).length;
    const child = spawnSync(process.execPath, [...process.execArgv, __filename], {
      stdio: 'inherit',
      env: { ...process.env, SOAK_CHILD_RATE: String(rate) },
    });
    if (load(rate).length === before)
      fail(`soak: a child process at ${rate * 100}% faults made no run (exit ${child.status ?? child.signal})`);
  }
}

async function main(): Promise<void> {
  const childRate = process.env.SOAK_CHILD_RATE;
  if (childRate !== undefined) return soak(Number(childRate));
  if (!process.env.SOAK_REPORT_ONLY) for (const rate of rates) soakInChildren(rate);
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < 0) fail(`${DOC} has no ${BEGIN} … ${END} section to write the figures into`);
  writeFileSync(DOC, `${doc.slice(0, start)}${report()}${doc.slice(end + END.length)}`);
  process.stdout.write(`figures written to docs/reliability.md\n`);
}

void main();
