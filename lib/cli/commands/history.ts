/**
 * `canary history <service> [--deployment <id>] [--limit n] [--format text|json|csv] [--verify]`:
 * the audit trail newest first, with reasons and figures, and its verification (docs/audit.md):
 * the hash chain, every record's signature with the service key's public key (one
 * kms:GetPublicKey) and the table against the S3 Object Lock anchors. A break is loud and exits 1.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { AuditRecord } from '../../../lambdas/core/audit-chain';
import { verifyTrail, type RecordVerdict, type TrailVerification } from '../../../lambdas/core/audit-trail';
import { auditPublicKey } from '../../../lambdas/aws/audit-signing';
import { listAnchors } from '../../../lambdas/aws/audit-anchors';
import { wholeAuditChain } from '../../deploy/audit';
import { readDeploymentMetadata } from '../../deploy/service-config';
import type { CliDeps } from '../context';
import { CommandFailedError } from '../exit';
import { requireAuditTable } from './control';
import { awsOptions, parsePositiveInt, type GlobalOptions } from './shared';

const FORMATS = ['text', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

interface HistoryOptions extends GlobalOptions {
  readonly deployment?: string;
  readonly limit: number;
  readonly format?: Format;
  readonly verify?: boolean;
}

function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`--format is ${JSON.stringify(value)}; accepted: ${FORMATS.join(', ')}`);
  return value as Format;
}

export function registerHistory(program: Command, deps: CliDeps): void {
  program
    .command('history')
    .description('the audit trail, newest first; verifies its hash chain, signatures and anchors')
    .argument('<service>')
    .option('--deployment <id>', 'only this deployment')
    .option('--limit <n>', 'at most this many records', parsePositiveInt('--limit'), 20)
    .option('--format <format>', 'text, json (one document) or csv, with the verification of each record', parseFormat)
    .option('--verify', 'print only the verification; exit 1 naming the first bad record and why')
    .action(async (service: string, options: HistoryOptions, command: Command) => {
      await history(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}

/** The records to show: of one deployment if asked, newest first, at most `limit` (pure). */
export function selectRecords(chain: readonly AuditRecord[], deploymentId: string | undefined, limit: number): AuditRecord[] {
  return chain
    .filter((r) => !deploymentId || r.deploymentId === deploymentId)
    .sort((a, b) => b.sk - a.sk)
    .slice(0, limit);
}

/** Lines for one record (pure). */
export function renderRecord(record: AuditRecord, verdict?: RecordVerdict): string[] {
  const head = [
    `#${record.sk}`,
    record.at,
    record.deploymentId,
    record.hook ?? '',
    record.stage ? (record.stage.index < 0 ? `post-traffic bake (${record.stage.weight}%)` : `stage ${record.stage.index + 1} (${record.stage.weight}%)`) : '',
    record.weights ? `traffic ${record.weights.replacement}% new` : '',
    record.verdict ? `verdict ${record.verdict}` : record.kind,
    record.action ? `→ ${record.action}` : '',
    `by ${record.actor}`,
    verdict && !verdict.ok ? '!!! NOT VERIFIED' : '',
  ].filter(Boolean);
  const lines = [head.join('  '), `    ${record.reason}`];
  for (const r of record.reasons ?? []) lines.push(`    ${r.check} ${r.status}: ${r.detail || `${r.observed} (bar ${r.bar})`}`);
  if (record.figures && Object.keys(record.figures).length > 0) lines.push(`    figures ${JSON.stringify(record.figures)}`);
  return lines;
}

/** The verdict on the trail, loud when broken (pure). */
export function renderVerification(verification: TrailVerification): string[] {
  const scope = [
    'hash chain',
    verification.signaturesChecked ? 'signatures' : '',
    verification.anchors !== undefined ? `${verification.anchors} anchors` : '',
  ].filter(Boolean).join(', ');
  if (verification.ok) return [`hash chain verified: ${verification.checked} records intact${scope === 'hash chain' ? '' : ` (${scope})`}`];
  const first = verification.problems[0];
  return [
    '!!! AUDIT CHAIN BROKEN: the trail has been altered or records are missing !!!',
    `!!! first bad record: #${first.sk} (${first.code}): ${first.problem}`,
    ...verification.problems.slice(1).map((p) => `!!! ${p.problem}`),
    `!!! ${verification.problems.length} problem(s) in ${verification.checked} records (checked: ${scope}); do not trust the records listed above`,
  ];
}

const CSV_COLUMNS = ['sk', 'at', 'deploymentId', 'hook', 'kind', 'verdict', 'action', 'actor', 'reason', 'figures', 'hash', 'signed', 'verified', 'problems'] as const;

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The records as CSV (RFC 4180 quoting), one row per record with its verification (pure). */
export function renderCsv(records: readonly AuditRecord[], verdicts: ReadonlyMap<number, RecordVerdict>): string {
  const rows = records.map((r) => {
    const v = verdicts.get(r.sk);
    const cells: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      sk: r.sk, at: r.at, deploymentId: r.deploymentId, hook: r.hook, kind: r.kind, verdict: r.verdict, action: r.action, actor: r.actor,
      reason: r.reason, figures: r.figures, hash: r.hash, signed: typeof r.signature === 'string', verified: v?.ok ?? false, problems: (v?.problems ?? []).join('; '),
    };
    return CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

async function history(service: string, options: HistoryOptions, deps: CliDeps): Promise<void> {
  const clients = deps.clients(awsOptions(options));
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const [chain, publicKeyDer, listing] = await Promise.all([
    wholeAuditChain(clients.ddb, requireAuditTable(metadata), service),
    metadata.auditKeyArn ? auditPublicKey(clients.kms, metadata.auditKeyArn) : Promise.resolve(undefined),
    metadata.auditAnchorBucket ? listAnchors(clients.s3, metadata.auditAnchorBucket, service) : Promise.resolve(undefined),
  ]);
  const verification = verifyTrail({
    service, records: chain as unknown as Array<Record<string, unknown>>, now: deps.now().getTime(),
    ...(publicKeyDer ? { publicKeyDer } : {}), ...(listing ? { anchors: listing.anchors } : {}),
  });
  const verdicts = new Map(verification.records.map((v) => [v.sk, v]));
  const shown = selectRecords(chain, options.deployment, options.limit);
  const format: Format = options.format ?? (options.json ? 'json' : 'text');
  const summary = { ok: verification.ok, checked: verification.checked, anchors: verification.anchors ?? null, signaturesChecked: verification.signaturesChecked, problems: verification.problems };
  if (options.verify) {
    if (format === 'text') (verification.ok ? deps.stdout : deps.stderr).write(`${renderVerification(verification).join('\n')}\n`);
    else deps.stdout.write(`${JSON.stringify({ type: 'chain', ...summary, firstBad: verification.problems[0] ?? null })}\n`);
  } else if (format === 'csv') {
    deps.stdout.write(renderCsv(shown, verdicts));
    if (!verification.ok) deps.stderr.write(`${renderVerification(verification).join('\n')}\n`);
  } else if (format === 'json' && options.format === 'json') {
    deps.stdout.write(`${JSON.stringify({ service, verification: summary, records: shown.map((r) => ({ ...r, verification: verdicts.get(r.sk) })) }, null, 2)}\n`);
  } else if (format === 'json') {
    for (const record of shown) deps.stdout.write(`${JSON.stringify({ type: 'record', ...record, verification: verdicts.get(record.sk) })}\n`);
    deps.stdout.write(`${JSON.stringify({ type: 'chain', ...summary })}\n`);
  } else {
    if (shown.length === 0) deps.stdout.write(`no audit records${options.deployment ? ` for ${options.deployment}` : ''}\n`);
    for (const record of shown) deps.stdout.write(`${renderRecord(record, verdicts.get(record.sk)).join('\n')}\n`);
    (verification.ok ? deps.stdout : deps.stderr).write(`${renderVerification(verification).join('\n')}\n`);
  }
  if (!verification.ok) {
    const first = verification.problems[0];
    throw new CommandFailedError(`the audit trail of ${service} is broken (${verification.problems.length} problem(s)); first bad record #${first.sk}: ${first.problem}`);
  }
}
