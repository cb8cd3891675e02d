"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerHistory = registerHistory;
exports.selectRecords = selectRecords;
exports.renderRecord = renderRecord;
exports.renderVerification = renderVerification;
const audit_chain_1 = require("../../../lambdas/core/audit-chain");
const audit_1 = require("../../deploy/audit");
const service_config_1 = require("../../deploy/service-config");
const exit_1 = require("../exit");
const control_1 = require("./control");
const shared_1 = require("./shared");
function registerHistory(program, deps) {
    program
        .command('history')
        .description('the audit trail, newest first; verifies its hash chain')
        .argument('<service>')
        .option('--deployment <id>', 'only this deployment')
        .option('--limit <n>', 'at most this many records', (0, shared_1.parsePositiveInt)('--limit'), 20)
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
function renderRecord(record) {
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
    for (const r of record.reasons ?? [])
        lines.push(`    ${r.check} ${r.status}: ${r.detail || `${r.observed} (bar ${r.bar})`}`);
    if (record.figures && Object.keys(record.figures).length > 0)
        lines.push(`    figures ${JSON.stringify(record.figures)}`);
    return lines;
}
/** The verdict on the chain, loud when broken (pure). */
function renderVerification(verification) {
    if (verification.ok)
        return [`hash chain verified: ${verification.checked} records intact`];
    return [
        '!!! AUDIT CHAIN BROKEN: the trail has been altered or records are missing !!!',
        ...verification.problems.map((p) => `!!! ${p.problem}`),
        `!!! ${verification.problems.length} problem(s) in ${verification.checked} records; do not trust the records listed above`,
    ];
}
async function history(service, options, deps) {
    const clients = deps.clients((0, shared_1.awsOptions)(options));
    const metadata = await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service);
    const chain = await (0, audit_1.wholeAuditChain)(clients.ddb, (0, control_1.requireAuditTable)(metadata), service);
    const verification = (0, audit_chain_1.verifyChain)(chain);
    const shown = selectRecords(chain, options.deployment, options.limit);
    if (options.json) {
        for (const record of shown)
            deps.stdout.write(`${JSON.stringify({ type: 'record', ...record })}\n`);
        deps.stdout.write(`${JSON.stringify({ type: 'chain', ...verification })}\n`);
    }
    else {
        if (shown.length === 0)
            deps.stdout.write(`no audit records${options.deployment ? ` for ${options.deployment}` : ''}\n`);
        for (const record of shown)
            deps.stdout.write(`${renderRecord(record).join('\n')}\n`);
        (verification.ok ? deps.stdout : deps.stderr).write(`${renderVerification(verification).join('\n')}\n`);
    }
    if (!verification.ok)
        throw new exit_1.CommandFailedError(`the audit chain of ${service} is broken (${verification.problems.length} problem(s))`);
}
