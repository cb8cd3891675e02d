/**
 * `canary history <service> [--deployment <id>] [--limit n]`: the audit trail newest first, with
 * reasons and figures; verifies the service's whole hash chain and says loudly when it is broken.
 */
import type { Command } from 'commander';
import { verifyChain, type AuditRecord, type ChainVerification } from '../../../lambdas/core/audit-chain';
import { wholeAuditChain } from '../../deploy/audit';
import { readDeploymentMetadata } from '../../deploy/service-config';
import type { CliDeps } from '../context';
import { CommandFailedError } from '../exit';
import { requireAuditTable } from './control';
import { awsOptions, parsePositiveInt, type GlobalOptions } from './shared';

interface HistoryOptions extends GlobalOptions {
  readonly deployment?: string;
  readonly limit: number;
}

export function registerHistory(program: Command, deps: CliDeps): void {
  program
    .command('history')
    .description('the audit trail, newest first; verifies its hash chain')
    .argument('<service>')
    .option('--deployment <id>', 'only this deployment')
    .option('--limit <n>', 'at most this many records', parsePositiveInt('--limit'), 20)
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
export function renderRecord(record: AuditRecord): string[] {
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
  ].filter(Boolean);
  const lines = [head.join('  '), `    ${record.reason}`];
  for (const r of record.reasons ?? []) lines.push(`    ${r.check} ${r.status}: ${r.detail || `${r.observed} (bar ${r.bar})`}`);
  if (record.figures && Object.keys(record.figures).length > 0) lines.push(`    figures ${JSON.stringify(record.figures)}`);
  return lines;
}

/** The verdict on the chain, loud when broken (pure). */
export function renderVerification(verification: ChainVerification): string[] {
  if (verification.ok) return [`hash chain verified: ${verification.checked} records intact`];
  return [
    '!!! AUDIT CHAIN BROKEN: the trail has been altered or records are missing !!!',
    ...verification.problems.map((p) => `!!! ${p.problem}`),
    `!!! ${verification.problems.length} problem(s) in ${verification.checked} records; do not trust the records listed above`,
  ];
}

async function history(service: string, options: HistoryOptions, deps: CliDeps): Promise<void> {
  const clients = deps.clients(awsOptions(options));
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const chain = await wholeAuditChain(clients.ddb, requireAuditTable(metadata), service);
  const verification = verifyChain(chain as unknown as Array<Record<string, unknown>>);
  const shown = selectRecords(chain, options.deployment, options.limit);
  if (options.json) {
    for (const record of shown) deps.stdout.write(`${JSON.stringify({ type: 'record', ...record })}\n`);
    deps.stdout.write(`${JSON.stringify({ type: 'chain', ...verification })}\n`);
  } else {
    if (shown.length === 0) deps.stdout.write(`no audit records${options.deployment ? ` for ${options.deployment}` : ''}\n`);
    for (const record of shown) deps.stdout.write(`${renderRecord(record).join('\n')}\n`);
    (verification.ok ? deps.stdout : deps.stderr).write(`${renderVerification(verification).join('\n')}\n`);
  }
  if (!verification.ok) throw new CommandFailedError(`the audit chain of ${service} is broken (${verification.problems.length} problem(s))`);
}
