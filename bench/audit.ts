/**
 * `npm run bench:audit`: how long `canary history --verify` takes to verify a long trail, and how
 * much memory it needs. Builds a trail of `--records` (default 20,000) records signed with a local
 * ECDSA P-256 key (the same algorithm and payload as the KMS key) and their anchor objects, then
 * verifies it in a fresh process per case — intact, broken at record 2 (rewritten with every later
 * hash recomputed, so every later record is a problem), and the tail truncated by half — timing
 * `verifyTrail` and reading the process's peak resident memory (which includes holding the items,
 * as the CLI does). Prints a markdown table and writes bench/results/audit.json. Targets on a
 * 2-core machine: ≤ 3 s and ≤ 200 MB for 20,000 records.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { Command } from 'commander';

import { anchorKey, type AnchorObject } from '../lambdas/core/audit-anchor';
import { type AuditRecord, buildRecord, hashRecord, signedFields, signingPayload } from '../lambdas/core/audit-chain';
import { verifyTrail } from '../lambdas/core/audit-trail';

const ROOT = path.join(__dirname, '..');
const TARGET = { seconds: 3, megabytes: 200 };
const ROOT_NAMES = { keyArn: 'arn:aws:kms:us-east-1:111111111111:key/bench', bucket: 'bench-anchors' };
const T0 = Date.parse('2026-11-01T00:00:00Z');
const CASES = ['intact', 'broken at record 2', 'tail truncated by half'] as const;
type Case = (typeof CASES)[number];

interface Fixture {
  readonly publicKeyDer: string;
  readonly items: Array<Record<string, unknown>>;
  readonly anchors: AnchorObject[];
  readonly now: number;
}

function build(records: number, which: Case): Fixture {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sigOf = (r: AuditRecord) => sign('sha256', Buffer.from(signingPayload(signedFields(r), ROOT_NAMES)), privateKey).toString('base64');
  const items: AuditRecord[] = [];
  const anchors: AnchorObject[] = [];
  for (let i = 0; i < records; i += 1) {
    const at = T0 + i * 60_000;
    const draft = {
      kind: 'decision' as const,
      deploymentId: `d-${Math.floor(i / 40)}`,
      verdict: 'hold' as const,
      reason: `bake ${i % 40}/40 min`,
      actor: 'engine',
      figures: { canaryRequests: 450 + i, errors: i % 3 },
    };
    const record = buildRecord('bench', items.at(-1), draft, at, 90);
    const signed = { ...record, signature: sigOf(record) };
    items.push(signed);
    anchors.push({ key: anchorKey({ ...signedFields(signed), signature: signed.signature }), lastModified: at + 200, hidden: false });
  }
  let table: AuditRecord[] = items;
  if (which === 'broken at record 2') {
    table = [];
    for (const original of items) {
      const prev = table.at(-1);
      const changed = original.sk === 2 ? { ...original, verdict: 'succeed' as const } : original;
      const { hash: _h, ...rest } = { ...changed, ...(prev ? { prevHash: prev.hash } : {}) };
      table.push({ ...rest, hash: hashRecord(rest as AuditRecord) } as AuditRecord);
    }
  } else if (which === 'tail truncated by half') {
    table = items.slice(0, records / 2);
  }
  return {
    publicKeyDer: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    items: table as unknown as Array<Record<string, unknown>>,
    anchors,
    now: T0 + records * 60_000 + 3_600_000,
  };
}

/** Child: verify one fixture file, print the figures as JSON. */
function verifyFile(file: string): void {
  const fixture = JSON.parse(fs.readFileSync(file, 'utf8')) as Fixture;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = verifyTrail({
    service: 'bench',
    records: fixture.items,
    anchors: fixture.anchors,
    now: fixture.now,
    root: { ...ROOT_NAMES, publicKeyDer: Buffer.from(fixture.publicKeyDer, 'base64') },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ seconds, cpuSeconds, peakMb, ok: result.ok, checked: result.checked, problems: result.problems.length }),
  );
}

function main(): void {
  const program = new Command()
    .option('--records <n>', 'records in the trail', (v) => Number(v), 20_000)
    .option('--verify-file <file>', '(internal) verify one fixture in this process')
    .parse();
  const options = program.opts<{ records: number; verifyFile?: string }>();
  if (options.verifyFile) return verifyFile(options.verifyFile);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-canary-bench-audit-'));
  const rows: Array<Record<string, unknown>> = [];
  for (const which of CASES) {
    const file = path.join(dir, `${which.replace(/ /g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify(build(options.records, which)));
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--verify-file', file], { cwd: ROOT, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`verifying ${which} failed: ${child.stderr}`);
    const figures = JSON.parse(child.stdout) as {
      seconds: number;
      cpuSeconds: number;
      peakMb: number;
      ok: boolean;
      checked: number;
      problems: number;
    };
    rows.push({
      case: which,
      records: options.records,
      ...figures,
      met: figures.seconds <= TARGET.seconds && figures.peakMb <= TARGET.megabytes,
    });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const lines = [
    `| trail (${options.records} records) | verified in (wall) | CPU | peak memory (process) | problems | target ≤ ${TARGET.seconds} s, ≤ ${TARGET.megabytes} MB |`,
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.case} | ${(r.seconds as number).toFixed(2)} s | ${(r.cpuSeconds as number).toFixed(2)} s | ${(r.peakMb as number).toFixed(0)} MB | ${r.problems} | ${r.met ? 'met' : 'NOT met'} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  fs.writeFileSync(
    path.join(ROOT, 'bench/results/audit.json'),
    `${JSON.stringify({ machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`, loadAverage: os.loadavg()[0], node: process.version, rows }, null, 2)}\n`,
  );
  process.stdout.write(`load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores\n`);
}

main();
