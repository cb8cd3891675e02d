/**
 * `npm run bench:synth`: how long `cdk synth` takes for 1 and for 20 services.
 *
 * For each service count, generates that many service files (copies of services/demo.yaml with
 * their own names) in a temporary directory and runs the real user command, `cdk synth --quiet`,
 * with `-c servicesDir=<dir>`, `--runs` times (default 3). Prints the median wall time (and the
 * median CPU time of the synth's processes, which shows the cost when the machine is shared) as a
 * markdown table and writes bench/results/synth.json. Targets on a 2-core machine: ≤ 10 s for 1 service,
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
  /** Median CPU seconds (user + system) of the synth and its child processes. */
  readonly medianCpuSeconds?: number;
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

/**
 * CPU seconds (user + system) used so far by this process's finished children, from
 * /proc/self/stat (cutime, cstime). Unlike wall time it hardly moves when other work shares the
 * machine. Undefined off Linux.
 */
function childCpuSeconds(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: field 3 is fields[0]; cutime and cstime are fields 16 and 17.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

interface Run {
  readonly wallSeconds: number;
  readonly cpuSeconds?: number;
}

/** One `cdk synth`; checks that it wrote the platform stack and one per service. */
function synth(dir: string, expectedStacks: number): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-canary-bench-out-'));
  const cpuBefore = childCpuSeconds();
  const started = process.hrtime.bigint();
  const run = spawnSync(path.join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--quiet', '--output', outdir, '-c', `servicesDir=${dir}`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = childCpuSeconds();
  try {
    if (run.status !== 0) throw new Error(`cdk synth failed (exit ${run.status}):\n${run.stderr}`);
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).length;
    if (templates !== expectedStacks) throw new Error(`cdk synth wrote ${templates} templates, expected ${expectedStacks}`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  return { wallSeconds, cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(count: number, runs: number): Measurement {
  const dir = servicesDir(count);
  try {
    const results = Array.from({ length: runs }, () => synth(dir, count + 1));
    const runsSeconds = results.map((r) => r.wallSeconds);
    const cpu = results.map((r) => r.cpuSeconds).filter((c): c is number => c !== undefined);
    return {
      services: count,
      runsSeconds,
      medianSeconds: median(runsSeconds),
      medianCpuSeconds: cpu.length === results.length ? median(cpu) : undefined,
      targetSeconds: TARGET_SECONDS[count],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function table(measurements: readonly Measurement[]): string {
  const rows = measurements.map((m) => {
    const verdict =
      m.targetSeconds === undefined ? '' : m.medianSeconds <= m.targetSeconds ? `≤ ${m.targetSeconds} s ✓` : `≤ ${m.targetSeconds} s ✗`;
    const cpu = m.medianCpuSeconds === undefined ? 'n/a' : m.medianCpuSeconds.toFixed(1);
    return `| ${m.services} | ${m.runsSeconds.map((s) => s.toFixed(1)).join(', ')} | ${m.medianSeconds.toFixed(1)} | ${cpu} | ${verdict} |`;
  });
  return ['| services | runs (s) | median (s) | median CPU (s) | target (median) |', '| ---: | --- | ---: | ---: | --- |', ...rows].join(
    '\n',
  );
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
    throw new Error(
      `--counts must list whole numbers ≥ 1 and --runs must be a whole number ≥ 1; got --counts ${options.counts} --runs ${options.runs}`,
    );
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
