"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.GENESIS_HASH = void 0;
exports.signingPayload = signingPayload;
exports.canonicalJson = canonicalJson;
exports.hashRecord = hashRecord;
exports.buildRecord = buildRecord;
exports.verifyChain = verifyChain;
/**
 * The audit trail's hash chain (contracts.md, "Audit table"): canonical JSON, record hashing,
 * record building and chain verification. Pure: `node:crypto` only, no AWS imports, no clock.
 *
 * `hash = sha256(prevHash + canonicalJson(item without hash))`, where canonical JSON sorts object
 * keys recursively and leaves out `undefined` members; verification walks ascending `sk` and checks
 * every `hash` and every `prevHash === previous.hash`, so altering, removing or inserting a record
 * in the middle of the chain is detected.
 */
const node_crypto_1 = require("node:crypto");
/** The prevHash of the very first record of a service's chain. */
exports.GENESIS_HASH = '0'.repeat(64);
/** Members of a record that the hash does not cover: the hash itself and what signs it. */
const UNHASHED = ['hash', 'signature', 'signatureError'];
/**
 * What the engine's KMS key signs: the service, the sequence number and the record's hash, which
 * covers the record's canonical form and its prevHash, so the signature covers both.
 */
function signingPayload(record) {
    return `ecs-canary audit v1\n${record.pk}\n${record.sk}\n${record.hash}`;
}
/** JSON with object keys sorted recursively; `undefined` members are left out, as JSON.stringify does. */
function canonicalJson(value) {
    if (value === null || typeof value !== 'object') {
        const text = JSON.stringify(value);
        return text === undefined ? 'null' : text;
    }
    if (Array.isArray(value))
        return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
    const entries = Object.keys(value)
        .filter((key) => value[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
}
/** The hash of a record: sha256 hex of its prevHash followed by the canonical JSON of everything but `hash` and the signature. */
function hashRecord(record) {
    const rest = { ...record };
    for (const key of UNHASHED)
        delete rest[key];
    return (0, node_crypto_1.createHash)('sha256').update(String(rest.prevHash) + canonicalJson(rest)).digest('hex');
}
/**
 * The next record of a service's chain. `retentionDays` sets `expiresAt` (the table's TTL
 * attribute); `now` is epoch ms.
 */
function buildRecord(service, tip, draft, now, retentionDays) {
    const unsigned = {
        ...stripUndefined(draft),
        pk: service,
        sk: tip === undefined ? 1 : tip.sk + 1,
        at: new Date(now).toISOString(),
        prevHash: tip?.hash ?? exports.GENESIS_HASH,
        expiresAt: Math.floor(now / 1000) + Math.round(retentionDays * 86_400),
    };
    return { ...unsigned, hash: hashRecord(unsigned) };
}
/**
 * Verifies a chain given in any order (control records, `sk = 0`, are skipped). The oldest
 * surviving record is trusted for its prevHash (older ones may have expired through TTL).
 */
function verifyChain(items) {
    const records = items
        .filter((item) => typeof item.sk === 'number' && item.sk >= 1)
        .sort((a, b) => a.sk - b.sk);
    const problems = [];
    records.forEach((record, i) => {
        if (hashRecord(record) !== record.hash) {
            problems.push({ sk: record.sk, problem: `record ${record.sk} was altered: its content no longer matches its hash` });
        }
        if (i === 0)
            return;
        const previous = records[i - 1];
        if (record.sk !== previous.sk + 1) {
            problems.push({ sk: record.sk, problem: `records ${previous.sk + 1}..${record.sk - 1} are missing` });
        }
        if (record.prevHash !== previous.hash) {
            problems.push({ sk: record.sk, problem: `record ${record.sk} does not follow record ${previous.sk}: prevHash ${short(record.prevHash)} ≠ ${short(previous.hash)}` });
        }
    });
    return { ok: problems.length === 0, checked: records.length, problems };
}
function short(hash) {
    return typeof hash === 'string' ? hash.slice(0, 12) : String(hash);
}
function stripUndefined(value) {
    return JSON.parse(JSON.stringify(value));
}
