"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerHistory = registerHistory;
exports.selectRecords = selectRecords;
exports.renderRecord = renderRecord;
exports.renderVerification = renderVerification;
exports.renderCsv = renderCsv;
const commander_1 = require("commander");
const audit_trail_1 = require("../../../lambdas/core/audit-trail");
const audit_signing_1 = require("../../../lambdas/aws/audit-signing");
const audit_anchors_1 = require("../../../lambdas/aws/audit-anchors");
const audit_1 = require("../../deploy/audit");
const service_config_1 = require("../../deploy/service-config");
const exit_1 = require("../exit");
const control_1 = require("./control");
const shared_1 = require("./shared");
const FORMATS = ['text', 'json', 'csv'];
function parseFormat(value) {
    if (!FORMATS.includes(value))
        throw new commander_1.InvalidArgumentError(`--format is ${JSON.stringify(value)}; accepted: ${FORMATS.join(', ')}`);
    return value;
}
function registerHistory(program, deps) {
    program
        .command('history')
        .description('the audit trail, newest first; verifies its hash chain, signatures and anchors')
        .argument('<service>')
        .option('--deployment <id>', 'only this deployment')
        .option('--limit <n>', 'at most this many records', (0, shared_1.parsePositiveInt)('--limit'), 20)
        .option('--format <format>', 'text, json (one document) or csv, with the verification of each record', parseFormat)
        .option('--verify', 'print only the verification; exit 1 naming the first bad record and why')
        .action(async (service, options, command) => {
        await history(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}
/** The records to show: of one deployment if asked, newest first, at most `limit` (pure). */
function selectRecords(chain, deploymentId, limit) {
    return chain
        .filter((r) => !deploymentId || r.deploymentId === deploymentId)
        .sort((a, b) => b.sk - a.sk)
        .slice(0, limit);
}
/** Lines for one record (pure). */
function renderRecord(record, verdict) {
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
    for (const r of record.reasons ?? [])
        lines.push(`    ${r.check} ${r.status}: ${r.detail || `${r.observed} (bar ${r.bar})`}`);
    if (record.figures && Object.keys(record.figures).length > 0)
        lines.push(`    figures ${JSON.stringify(record.figures)}`);
    return lines;
}
/** The verdict on the trail, loud when broken (pure). */
function renderVerification(verification) {
    const scope = [
        'hash chain',
        verification.signaturesChecked ? 'signatures' : '',
        verification.anchors !== undefined ? `${verification.anchors} anchors` : '',
    ].filter(Boolean).join(', ');
    if (verification.ok)
        return [`hash chain verified: ${verification.checked} records intact${scope === 'hash chain' ? '' : ` (${scope})`}`];
    const first = verification.problems[0];
    return [
        '!!! AUDIT CHAIN BROKEN: the trail has been altered or records are missing !!!',
        `!!! first bad record: #${first.sk} (${first.code}): ${first.problem}`,
        ...verification.problems.slice(1).map((p) => `!!! ${p.problem}`),
        `!!! ${verification.problems.length} problem(s) in ${verification.checked} records (checked: ${scope}); do not trust the records listed above`,
    ];
}
const CSV_COLUMNS = ['sk', 'at', 'deploymentId', 'hook', 'kind', 'verdict', 'action', 'actor', 'reason', 'figures', 'hash', 'signed', 'verified', 'problems'];
function csvCell(value) {
    const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
/** The records as CSV (RFC 4180 quoting), one row per record with its verification (pure). */
function renderCsv(records, verdicts) {
    const rows = records.map((r) => {
        const v = verdicts.get(r.sk);
        const cells = {
            sk: r.sk, at: r.at, deploymentId: r.deploymentId, hook: r.hook, kind: r.kind, verdict: r.verdict, action: r.action, actor: r.actor,
            reason: r.reason, figures: r.figures, hash: r.hash, signed: typeof r.signature === 'string', verified: v?.ok ?? false, problems: (v?.problems ?? []).join('; '),
        };
        return CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',');
    });
    return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
async function history(service, options, deps) {
    const clients = deps.clients((0, shared_1.awsOptions)(options));
    const metadata = await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service);
    const [chain, publicKeyDer, listing] = await Promise.all([
        (0, audit_1.wholeAuditChain)(clients.ddb, (0, control_1.requireAuditTable)(metadata), service),
        metadata.auditKeyArn ? (0, audit_signing_1.auditPublicKey)(clients.kms, metadata.auditKeyArn) : Promise.resolve(undefined),
        metadata.auditAnchorBucket ? (0, audit_anchors_1.listAnchors)(clients.s3, metadata.auditAnchorBucket, service) : Promise.resolve(undefined),
    ]);
    const verification = (0, audit_trail_1.verifyTrail)({
        service, records: chain, now: deps.now().getTime(),
        ...(publicKeyDer ? { publicKeyDer } : {}), ...(listing ? { anchors: listing.anchors } : {}),
    });
    const verdicts = new Map(verification.records.map((v) => [v.sk, v]));
    const shown = selectRecords(chain, options.deployment, options.limit);
    const format = options.format ?? (options.json ? 'json' : 'text');
    const summary = { ok: verification.ok, checked: verification.checked, anchors: verification.anchors ?? null, signaturesChecked: verification.signaturesChecked, problems: verification.problems };
    if (options.verify) {
        if (format === 'text')
            (verification.ok ? deps.stdout : deps.stderr).write(`${renderVerification(verification).join('\n')}\n`);
        else
            deps.stdout.write(`${JSON.stringify({ type: 'chain', ...summary, firstBad: verification.problems[0] ?? null })}\n`);
    }
    else if (format === 'csv') {
        deps.stdout.write(renderCsv(shown, verdicts));
        if (!verification.ok)
            deps.stderr.write(`${renderVerification(verification).join('\n')}\n`);
    }
    else if (format === 'json' && options.format === 'json') {
        deps.stdout.write(`${JSON.stringify({ service, verification: summary, records: shown.map((r) => ({ ...r, verification: verdicts.get(r.sk) })) }, null, 2)}\n`);
    }
    else if (format === 'json') {
        for (const record of shown)
            deps.stdout.write(`${JSON.stringify({ type: 'record', ...record, verification: verdicts.get(record.sk) })}\n`);
        deps.stdout.write(`${JSON.stringify({ type: 'chain', ...summary })}\n`);
    }
    else {
        if (shown.length === 0)
            deps.stdout.write(`no audit records${options.deployment ? ` for ${options.deployment}` : ''}\n`);
        for (const record of shown)
            deps.stdout.write(`${renderRecord(record, verdicts.get(record.sk)).join('\n')}\n`);
        (verification.ok ? deps.stdout : deps.stderr).write(`${renderVerification(verification).join('\n')}\n`);
    }
    if (!verification.ok) {
        const first = verification.problems[0];
        throw new exit_1.CommandFailedError(`the audit trail of ${service} is broken (${verification.problems.length} problem(s)); first bad record #${first.sk}: ${first.problem}`);
    }
}
