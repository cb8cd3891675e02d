/**
 * `npm run bench:synth`: how long `cdk synth` takes for 1 and for 20 services.
 *
 * For each service count, generates that many service files (copies of services/demo.yaml with
 * their own names) in a temporary directory and runs the real user command, `cdk synth --quiet`,
 * with `-c servicesDir=<dir>`, `--runs` times (default 3). Prints the median as a markdown table
 * and writes bench/results/synth.json. Targets on a 2-core machine: ≤ 10 s for 1 service,
 * ≤ 30 s for 20.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';

const ROOT = path.join(__dirname, '..');
const TARGET_SECONDS: Record<number, number> = { 1: 10, 20: 30 };

interface Measurement {
  readonly services: number;
  readonly runsSeconds: number[];
  readonly medianSeconds: number;
  readonly targetSeconds?: number;
}

function servicesDir(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ecs-canary-bench-${count}-`));
  const demo = fs.readFileSync(path.join(ROOT, 'services/demo.yaml'), 'utf8');
  for (let i = 1; i <= count; i += 1) {
    const name = `svc-${String(i).padStart(2, '0')}`;
    fs.writeFileSync(path.join(dir, `${name}.yaml`), demo.replace(/^name: .*$/m, `name: ${name}`));
  }
  return dir;
}

/** Seconds of one `cdk synth`; checks that it wrote the platform stack and one per service. */
function synthSeconds(dir: string, expectedStacks: number): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-canary-bench-out-'));
  const started = process.hrtime.bigint();
  const run = spawnSync(path.join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--quiet', '--output', outdir, '-c', `servicesDir=${dir}`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  try {
    if (run.status !== 0) throw new Error(`cdk synth failed (exit ${run.status}):\n${run.stderr}`);
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).length;
    if (templates !== expectedStacks) throw new Error(`cdk synth wrote ${templates} templates, expected ${expectedStacks}`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  return seconds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(count: number, runs: number): Measurement {
  const dir = servicesDir(count);
  try {
    const runsSeconds = Array.from({ length: runs }, () => synthSeconds(dir, count + 1));
    return { services: count, runsSeconds, medianSeconds: median(runsSeconds), targetSeconds: TARGET_SECONDS[count] };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function table(measurements: readonly Measurement[]): string {
  const rows = measurements.map((m) => {
    const verdict = m.targetSeconds === undefined ? '' : m.medianSeconds <= m.targetSeconds ? `≤ ${m.targetSeconds} s ✓` : `≤ ${m.targetSeconds} s ✗`;
    return `| ${m.services} | ${m.runsSeconds.map((s) => s.toFixed(1)).join(', ')} | ${m.medianSeconds.toFixed(1)} | ${verdict} |`;
  });
  return ['| services | runs (s) | median (s) | target |', '| ---: | --- | ---: | --- |', ...rows].join('\n');
}

function main(): void {
  const options = new Command()
    .name('bench:synth')
    .description('Median cdk synth time for generated services')
    .option('--counts <list>', 'service counts, comma-separated', '1,20')
    .option('--runs <n>', 'runs per count', '3')
    .parse()
    .opts<{ counts: string; runs: string }>();
  const counts = options.counts.split(',').map(Number);
  const runs = Number(options.runs);
  if (counts.some((c) => !Number.isInteger(c) || c < 1) || !Number.isInteger(runs) || runs < 1) {
    throw new Error(`--counts must list whole numbers ≥ 1 and --runs must be a whole number ≥ 1; got --counts ${options.counts} --runs ${options.runs}`);
  }
  const loadBefore = os.loadavg()[0];
  const measurements = counts.map((count) => measure(count, runs));
  // The machine may be shared: the load average says how much the numbers are worth.
  process.stdout.write(
    `cdk synth (CLI, --quiet), ${runs} runs each, ${os.cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(1)} before / ${os.loadavg()[0].toFixed(1)} after\n\n${table(measurements)}\n`,
  );
  const resultsDir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(
    path.join(resultsDir, 'synth.json'),
    `${JSON.stringify({ command: 'cdk synth --quiet', cpus: os.cpus().length, loadAverage: os.loadavg()[0], node: process.version, measurements }, null, 2)}\n`,
  );
}

main();
