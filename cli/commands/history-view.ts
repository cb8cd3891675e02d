/**
 * How `canary history` shows records and their verification (pure). Every string that came from
 * the table is escaped (control characters, newlines, ANSI codes), so a record's reason can never
 * print a line of its own; and who acted is shown as what AWS says (verified) apart from what a
 * document claims.
 */
import { escapeControl } from '../../lambdas/core/audit-anchor';
import type { RecordVerdict, TrailVerification } from '../../lambdas/core/audit-trail';

/** One version of the control parameter as SSM recorded it (GetParameterHistory). */
export interface ControlVersion {
  readonly requestId?: string;
  /** SSM's own record of the IAM principal that wrote the version. */
  readonly lastModifiedUser?: string;
}

/** JSON of anything read from the table: a number beyond 2^53 (read as BigInt) as its digits, a set as its members. */
export const jsonOf = (value: unknown, space?: number): string =>
  JSON.stringify(
    value,
    (_key, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : Object.prototype.toString.call(v) === '[object Set]' ? [...(v as Set<unknown>)] : v,
    space,
  ) ?? '';

const text = (value: unknown): string =>
  escapeControl(
    typeof value === 'string' ? value : value === undefined ? '' : typeof value === 'bigint' ? value.toString() : jsonOf(value),
  );
/** A map's own members only: an attribute named `__proto__` becomes the prototype when read; its members are not the record's. */
const obj = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : undefined;

/**
 * Who acted: an operator command (its figures carry the control parameter's request id) is
 * claimed by its document and verified by SSM's record of the writer; anything else was written by
 * the engine's role, which the signature verifies.
 */
export function whoActed(record: Record<string, unknown>, control: ReadonlyMap<string, ControlVersion>): string {
  const figures = obj(record.figures);
  const requestId = typeof figures?.requestId === 'string' ? figures.requestId : undefined;
  if (!requestId) return `by ${text(record.actor)}`;
  const claimed = `claimed by ${text(record.actor)}${typeof figures?.callerArn === 'string' ? ` (${text(figures.callerArn)})` : ''}`;
  const version = control.get(requestId);
  const verified = version?.lastModifiedUser
    ? `verified: ${text(version.lastModifiedUser)} wrote the request (SSM parameter history)`
    : 'not verified: SSM has no version of the control parameter with this request id';
  return `${claimed}; ${verified}`;
}

/** Lines for one record (pure); tolerates any item, however malformed. */
export function renderRecord(
  item: Record<string, unknown>,
  control: ReadonlyMap<string, ControlVersion>,
  verdict?: RecordVerdict,
): string[] {
  const record = obj(item) ?? {};
  const stage = obj(record.stage);
  const weights = obj(record.weights);
  const head = [
    `#${text(record.sk)}`,
    text(record.at),
    text(record.deploymentId),
    text(record.hook),
    stage
      ? Number(stage.index) < 0
        ? `post-traffic bake (${text(stage.weight)}%)`
        : `stage ${Number(stage.index) + 1} (${text(stage.weight)}%)`
      : '',
    weights ? `traffic ${text(weights.replacement)}% new` : '',
    record.verdict ? `verdict ${text(record.verdict)}` : text(record.kind),
    record.action ? `→ ${text(record.action)}` : '',
    whoActed(record, control),
    verdict && !verdict.ok ? '!!! NOT VERIFIED' : '',
  ].filter(Boolean);
  const lines = [head.join('  '), `    ${text(record.reason)}`];
  for (const r of Array.isArray(record.reasons) ? record.reasons : []) {
    const reason = obj(r) ?? {};
    lines.push(
      `    ${text(reason.check)} ${text(reason.status)}: ${reason.detail ? text(reason.detail) : `${text(reason.observed)} (bar ${text(reason.bar)})`}`,
    );
  }
  const figures = obj(record.figures);
  if (figures && Object.keys(figures).length > 0) lines.push(`    figures ${text(jsonOf(figures))}`);
  return lines;
}

/** What was checked, in words. */
export function verifiedScope(verification: TrailVerification, root: string): string {
  return [
    'hash chain',
    verification.signaturesChecked ? `signatures (${root})` : '',
    `${verification.anchors} anchors (every version)`,
    verification.expired > 0 ? `${verification.expired} expired` : '',
    verification.pastExpiry > 0 ? `${verification.pastExpiry} past their expiry, vouched for by their signature only` : '',
    verification.hidden.length > 0
      ? `${verification.hidden.length} unexpired anchors behind delete markers, read anyway (#${verification.hidden.slice(0, 5).join(', #')}${verification.hidden.length > 5 ? ', …' : ''})`
      : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** The verdict on the trail, loud when broken (pure). */
export function renderVerification(verification: TrailVerification, root: string): string[] {
  const scope = verifiedScope(verification, root);
  if (verification.ok) return [`hash chain verified: ${verification.checked} records intact (${scope})`];
  const first = verification.problems[0];
  return [
    '!!! AUDIT CHAIN BROKEN: the trail has been altered or records are missing !!!',
    `!!! first bad record: #${first.sk} (${first.code}): ${first.problem}`,
    ...verification.problems.slice(1).map((p) => `!!! #${p.sk} (${p.code}): ${p.problem}`),
    `!!! ${verification.problems.length} problem(s) in ${verification.checked} records (checked: ${scope}); do not trust the records listed above`,
  ];
}

const CSV_COLUMNS = [
  'sk',
  'at',
  'deploymentId',
  'hook',
  'kind',
  'verdict',
  'action',
  'actor',
  'reason',
  'figures',
  'hash',
  'signed',
  'verified',
  'problems',
] as const;

/**
 * What a spreadsheet opening the CSV would run as a formula (OWASP, CSV Injection): a cell that
 * starts with `=`, `+`, `-` or `@`, also after leading whitespace, or with a tab or carriage return.
 */
const FORMULA_START = /^[\t\r]|^\s*[=+\-@]/;

/**
 * One cell, escaped as every string history prints (an ANSI code could hide the report after it),
 * quoted per RFC 4180; a cell a spreadsheet would run as a formula gets a leading `'` (shown as
 * text, never evaluated) and is always quoted.
 */
export function csvCell(value: unknown): string {
  const raw = value === undefined || value === null ? '' : typeof value === 'string' ? value : jsonOf(value);
  const cell = escapeControl(raw);
  if (FORMULA_START.test(raw) || FORMULA_START.test(cell)) return `"'${cell.replace(/"/g, '""')}"`;
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** The records as CSV (RFC 4180 quoting), one row per record with its verification (pure). */
export function renderCsv(records: ReadonlyArray<Record<string, unknown>>, verdicts: ReadonlyMap<unknown, RecordVerdict>): string {
  const rows = records.map((item) => {
    const r = Object.fromEntries(Object.entries(item));
    const v = verdicts.get(r.sk);
    const cells: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      sk: r.sk,
      at: r.at,
      deploymentId: r.deploymentId,
      hook: r.hook,
      kind: r.kind,
      verdict: r.verdict,
      action: r.action,
      actor: r.actor,
      reason: r.reason,
      figures: r.figures,
      hash: r.hash,
      signed: typeof r.signature === 'string',
      verified: v?.ok ?? false,
      problems: (v?.problems ?? []).join('; '),
    };
    return CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
