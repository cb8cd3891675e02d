/**
 * `canary history <service> [--deployment <id>] [--limit n] [--format text|json|csv] [--verify]
 * [--trust-root <keyArn>,<bucket>]`: the audit trail newest first, with reasons and figures, and
 * its verification (docs/audit.md) against the pinned trust root: the hash chain, every record's
 * signature with the key's public key (one kms:GetPublicKey), time, and the table against every
 * anchor version in the Object Lock bucket. A break is loud and exits 1.
 */
import { GetParameterHistoryCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';

import { listAnchors } from '../../lambdas/aws/audit-anchors';
import { auditPublicKey } from '../../lambdas/aws/audit-signing';
import type { AnchorObject } from '../../lambdas/core/audit-anchor';
import { canonicalJson, isSequenceNumber, type TrustRoot } from '../../lambdas/core/audit-chain';
import { type RecordVerdict, trailVerifier, type VerifiedRoot } from '../../lambdas/core/audit-trail';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import type { AwsClients, CliDeps } from '../context';
import { auditPartitionPages, newestAuditRecords } from '../deploy/audit';
import { readDeploymentMetadata } from '../deploy/service-config';
import { CommandFailedError, UsageError } from '../exit';
import { requireAuditTable } from './control';
import { type ControlVersion, jsonOf, renderCsv, renderRecord, renderVerification, verifiedScope } from './history-view';
import { awsOptions, type GlobalOptions, MAX_HISTORY_LIMIT, parseDeploymentId, parsePositiveInt, parseServiceName } from './shared';

export { renderCsv, renderRecord, renderVerification } from './history-view';

const FORMATS = ['text', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

interface HistoryOptions extends GlobalOptions {
  readonly deployment?: string;
  readonly limit: number;
  readonly format?: Format;
  readonly verify?: boolean;
  readonly trustRoot?: TrustRoot;
}

/** The environment variable that pins the trust root when `--trust-root` is not given. */
export const TRUST_ROOT_ENV = 'CANARY_AUDIT_TRUST_ROOT';

/** Parses `<keyArn>,<bucket>` (the service stack's AuditTrustRoot output). */
export function parseTrustRoot(value: string, where = '--trust-root'): TrustRoot {
  const [keyArn, bucket, ...rest] = value.split(',').map((part) => part.trim());
  // S3 bucket names: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.
  const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
  if (!keyArn || !bucket || rest.length > 0 || !/^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\/[^,]+$/.test(keyArn) || !bucketName.test(bucket)) {
    throw new InvalidArgumentError(
      `${where} is ${JSON.stringify(value)}; accepted: <KMS key ARN>,<bucket name>, as the service stack's output AuditTrustRoot prints it`,
    );
  }
  return { keyArn, bucket };
}

/** `CANARY_AUDIT_TRUST_ROOT`, refused as a usage error (exit 2) like the option it stands for. */
export function trustRootFromEnv(value: string): TrustRoot {
  try {
    return parseTrustRoot(value, TRUST_ROOT_ENV);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`--format is ${JSON.stringify(value)}; accepted: ${FORMATS.join(', ')}`);
  return value as Format;
}

export function registerHistory(program: Command, deps: CliDeps): void {
  program
    .command('history')
    .description('the audit trail, newest first; verifies its hash chain, signatures and anchors')
    .argument('<service>', 'service name, as in services/<name>.yaml', parseServiceName)
    .option('--deployment <id>', 'only this deployment', parseDeploymentId)
    .option('--limit <n>', 'at most this many records', parsePositiveInt('--limit', MAX_HISTORY_LIMIT), 20)
    .option('--format <format>', 'text, json (one document) or csv, with the verification of each record', parseFormat)
    .option('--verify', 'print only the verification; exit 1 naming the first bad record and why')
    .option(
      '--trust-root <keyArn,bucket>',
      `the signing key and anchor bucket to trust (the stack output AuditTrustRoot; default $${TRUST_ROOT_ENV})`,
      (v) => parseTrustRoot(v),
    )
    .action(async (service: string, options: HistoryOptions, command: Command) => {
      await history(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}

export interface ResolvedRoot {
  readonly root?: VerifiedRoot;
  readonly problems: string[];
  /** What the signatures were checked against, in words. */
  readonly label: string;
}

/**
 * The trust root: the pin (option or environment), checked against what the metadata parameter
 * says — which anyone with ssm:PutParameter can rewrite, so it is never trusted on its own. A
 * missing key or bucket, or one that cannot be read, is a problem, never a skipped check.
 */
/** Why an unpinned trust root proves nothing against whoever can rewrite the parameter, and the fix. */
function unpinnedWarning(parameter: string): string {
  return `the trust root is not pinned: ${parameter} can be rewritten by anyone with ssm:PutParameter; pass --trust-root <keyArn>,<bucket> or set ${TRUST_ROOT_ENV} (the service stack's output AuditTrustRoot)`;
}

/**
 * `strict` (`--verify`): an unpinned root is a problem (exit 1). Otherwise history verifies against
 * what the parameter names and says, as a warning, that this is not pinned.
 */
export async function resolveRoot(
  clients: AwsClients,
  metadata: DeploymentMetadata,
  pin: TrustRoot | undefined,
  parameter: string,
  strict: boolean,
): Promise<ResolvedRoot> {
  const problems: string[] = [];
  const said = { keyArn: metadata.auditKeyArn, bucket: metadata.auditAnchorBucket };
  if (pin) {
    if (said.keyArn !== pin.keyArn)
      problems.push(
        `${parameter} names signing key ${JSON.stringify(said.keyArn ?? null)}, not the pinned ${pin.keyArn}: the parameter was rewritten, or the pin is stale`,
      );
    if (said.bucket !== pin.bucket)
      problems.push(
        `${parameter} names anchor bucket ${JSON.stringify(said.bucket ?? null)}, not the pinned ${pin.bucket}: the parameter was rewritten, or the pin is stale`,
      );
    if (problems.length > 0) problems.push(await lastWriter(clients.ssm, parameter));
  } else {
    if (strict) problems.push(unpinnedWarning(parameter));
    if (!said.keyArn) problems.push(`${parameter} names no signing key: the trail cannot be verified`);
    if (!said.bucket) problems.push(`${parameter} names no anchor bucket: the trail cannot be verified`);
  }
  const keyArn = pin?.keyArn ?? said.keyArn;
  const bucket = pin?.bucket ?? said.bucket;
  const label = `key ${keyArn ?? 'none'}, bucket ${bucket ?? 'none'}${pin ? ', pinned' : ', NOT pinned'}`;
  if (!keyArn || !bucket) return { problems, label };
  try {
    return { root: { keyArn, bucket, publicKeyDer: await auditPublicKey(clients.kms, keyArn) }, problems, label };
  } catch (error) {
    problems.push(`the signing key ${keyArn} cannot be read (${(error as Error).message}): no signature can be checked`);
    return { problems, label };
  }
}

/** Who wrote the parameter's current version, by SSM's own record (GetParameterHistory). */
async function lastWriter(ssm: SSMClient, name: string): Promise<string> {
  try {
    let newest: { Version?: number; LastModifiedUser?: string; LastModifiedDate?: Date } | undefined;
    let token: string | undefined;
    do {
      const page = await ssm.send(new GetParameterHistoryCommand({ Name: name, ...(token ? { NextToken: token } : {}) }));
      for (const p of page.Parameters ?? []) if (!newest || (p.Version ?? 0) > (newest.Version ?? 0)) newest = p;
      token = page.NextToken;
    } while (token);
    const versions = newest?.Version ?? 0;
    return `SSM records version ${versions} of ${name} as written by ${newest?.LastModifiedUser ?? 'unknown'} at ${newest?.LastModifiedDate ? new Date(newest.LastModifiedDate).toISOString() : 'unknown'}${versions === 1 ? ' (version 1: the parameter was created anew, or its history deleted with it)' : ''}`;
  } catch (error) {
    return `who wrote ${name} cannot be read from SSM (${(error as Error).message})`;
  }
}

/** The control parameter's versions by request id, with SSM's record of who wrote each (empty when unreadable). */
async function controlHistory(ssm: SSMClient, name: string | undefined): Promise<Map<string, ControlVersion>> {
  const versions = new Map<string, ControlVersion>();
  if (!name) return versions;
  let token: string | undefined;
  try {
    do {
      const page = await ssm.send(new GetParameterHistoryCommand({ Name: name, ...(token ? { NextToken: token } : {}) }));
      for (const p of page.Parameters ?? []) {
        let requestId: unknown;
        try {
          requestId = (JSON.parse(p.Value ?? '') as { requestId?: unknown }).requestId;
        } catch {
          continue;
        }
        if (typeof requestId === 'string')
          versions.set(requestId, { requestId, ...(p.LastModifiedUser ? { lastModifiedUser: p.LastModifiedUser } : {}) });
      }
      token = page.NextToken;
    } while (token);
  } catch {
    // Without ssm:GetParameterHistory every operator command shows as "not verified".
  }
  return versions;
}

interface Listing {
  readonly anchors: AnchorObject[];
  readonly problem?: string;
}

/** An item's content, whatever its attribute order: two reads of an unchanged record give the same text. */
const fingerprint = (item: Record<string, unknown>) => canonicalJson(JSON.parse(jsonOf(item)));
const sequenceOf = (sk: unknown) => (isSequenceNumber(sk) ? sk : 0);
const shownSk = (sk: unknown) => (typeof sk === 'bigint' ? sk.toString() : jsonOf(sk));

/** Keeps the newest `limit` items (of one deployment if asked) of an ascending stream; `shown()` is newest first. */
function newestKeeper(deploymentId: string | undefined, limit: number) {
  const kept: Array<Record<string, unknown>> = [];
  return {
    offer(item: Record<string, unknown>): void {
      if (typeof item.sk !== 'number' || !(item.sk > 0) || (deploymentId && item.deploymentId !== deploymentId)) return;
      kept.push(item);
      if (kept.length >= 2 * limit) kept.splice(0, kept.length - limit);
    },
    shown: (): Array<Record<string, unknown>> => kept.slice(-limit).reverse(),
  };
}

async function history(service: string, options: HistoryOptions, deps: CliDeps): Promise<void> {
  // The pin is checked before any AWS call, like --trust-root.
  const envPin = deps.env[TRUST_ROOT_ENV];
  const pin = options.trustRoot ?? (envPin ? trustRootFromEnv(envPin) : undefined);
  const clients = deps.clients(awsOptions(options));
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const tableName = requireAuditTable(metadata);
  const format: Format = options.format ?? (options.json ? 'json' : 'text');
  const control = await controlHistory(clients.ssm, metadata.controlParameterName);
  const plain = format === 'text' && !options.verify;

  // Plain history shows the newest records at once (one Query), then verifies the whole trail.
  let newest: Array<Record<string, unknown>> = [];
  if (plain) {
    newest = (await newestAuditRecords(clients.ddb, {
      tableName,
      service,
      limit: options.limit,
      ...(options.deployment ? { deploymentId: options.deployment } : {}),
    })) as unknown as Array<Record<string, unknown>>;
    if (newest.length === 0) deps.stdout.write(`no audit records${options.deployment ? ` for ${options.deployment}` : ''}\n`);
    for (const record of newest) deps.stdout.write(`${renderRecord(record, control).join('\n')}\n`);
  }

  const parameter = `/ecs-canary/${service}/deployment`;
  const resolved = await resolveRoot(clients, metadata, pin, parameter, options.verify === true);
  if (!pin && !options.verify) deps.stderr.write(`warning: ${unpinnedWarning(parameter)}\n`);
  const listing = () =>
    resolved.root
      ? listAnchors(clients.s3, resolved.root.bucket, service).then(
          (anchors): Listing => ({ anchors }),
          (error: Error): Listing => ({
            anchors: [],
            problem: `the anchor bucket ${resolved.root!.bucket} cannot be listed (${error.message}): no anchor can be checked`,
          }),
        )
      : Promise.resolve<Listing>({ anchors: [] });
  /** The partition streamed through the verifier page by page; only the newest records shown are kept. */
  async function readTrail(anchors: Listing) {
    const stream = trailVerifier({
      service,
      now: deps.now().getTime(),
      anchors: anchors.anchors,
      ...(resolved.root && !anchors.problem ? { root: resolved.root } : {}),
      rootProblems: [...resolved.problems, ...(anchors.problem ? [anchors.problem] : [])],
    });
    const keeper = newestKeeper(options.deployment, options.limit);
    // What plain history printed must be what is verified: a record changed or removed between the two reads is named.
    const printed = new Map<unknown, string>(newest.map((r) => [r.sk, fingerprint(r)]));
    for await (const page of auditPartitionPages(clients.ddb, tableName, service)) {
      for (const item of page) {
        stream.add(item);
        keeper.offer(item);
        const before = printed.get(item.sk);
        if (before === undefined) continue;
        printed.delete(item.sk);
        if (before !== fingerprint(item))
          stream.report(
            sequenceOf(item.sk),
            'changed-while-read',
            `record ${shownSk(item.sk)} changed between the read that printed it and the read that verified it: what is printed above is not what was verified`,
          );
      }
    }
    for (const sk of printed.keys())
      stream.report(
        sequenceOf(sk),
        'changed-while-read',
        `record ${shownSk(sk)} was printed above but is gone from the table when verified: it was deleted while history read the trail`,
      );
    return { verification: stream.finish(), shown: keeper.shown() };
  }
  // The engine may append a record and its anchor between the listing and the Query: a record
  // without an anchor is read again against a new listing that has more anchors (at most twice).
  let listed = await listing();
  let read = await readTrail(listed);
  for (let again = 0; again < 2 && read.verification.problems.some((p) => p.code === 'no-anchor'); again += 1) {
    const relisted = await listing();
    const known = new Set(listed.anchors.map((a) => a.key));
    if (!relisted.anchors.some((a) => !known.has(a.key))) break;
    listed = relisted;
    read = await readTrail(listed);
  }
  const { verification, shown } = read;

  const verdicts = new Map<unknown, RecordVerdict>(verification.records.map((v) => [v.sk, v]));
  const summary = {
    ok: verification.ok,
    checked: verification.checked,
    anchors: verification.anchors,
    expired: verification.expired,
    pastExpiry: verification.pastExpiry,
    hidden: verification.hidden,
    signaturesChecked: verification.signaturesChecked,
    trustRoot: resolved.label,
    problems: verification.problems,
  };
  const report = renderVerification(verification, resolved.label);
  if (options.verify) {
    if (format === 'text') (verification.ok ? deps.stdout : deps.stderr).write(`${report.join('\n')}\n`);
    else deps.stdout.write(`${JSON.stringify({ type: 'chain', ...summary, firstBad: verification.problems[0] ?? null })}\n`);
  } else if (plain) {
    // A shown item without a verdict is not a record of the chain at all (a sort key such as 0.5).
    const shownBad = shown.filter((r) => verdicts.get(r.sk)?.ok !== true).map((r) => `#${String(r.sk)}`);
    if (shownBad.length > 0) deps.stderr.write(`!!! NOT VERIFIED among the records above: ${shownBad.join(', ')}\n`);
    (verification.ok ? deps.stdout : deps.stderr).write(`${report.join('\n')}\n`);
  } else {
    if (format === 'csv') {
      deps.stdout.write(renderCsv(shown, verdicts));
      if (!verification.ok) deps.stderr.write(`${report.join('\n')}\n`);
    } else if (options.format === 'json') {
      deps.stdout.write(
        `${jsonOf({ service, verification: { ...summary, scope: verifiedScope(verification, resolved.label) }, records: shown.map((r) => ({ ...r, verification: verdicts.get(r.sk) })) }, 2)}\n`,
      );
    } else {
      // `type` is the line's, whatever attributes the item carries: an item cannot pass for the chain's line.
      for (const record of shown)
        deps.stdout.write(
          `${jsonOf(Object.assign({ type: 'record' }, record, { type: 'record', verification: verdicts.get(record.sk) }))}\n`,
        );
      deps.stdout.write(`${JSON.stringify({ type: 'chain', ...summary })}\n`);
    }
  }
  if (!verification.ok) {
    const first = verification.problems[0];
    throw new CommandFailedError(
      `the audit trail of ${service} is broken (${verification.problems.length} problem(s)); first bad record #${first.sk} (${first.code}): ${first.problem}`,
    );
  }
}
