"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.anchorPrefix = void 0;
exports.anchorKey = anchorKey;
exports.parseAnchorKey = parseAnchorKey;
exports.verifyTrail = verifyTrail;
/**
 * The audit trail's full verification (docs/audit.md), pure (`node:crypto` only, no AWS, time as
 * an argument): the hash chain of `audit-chain.ts`, every record's KMS signature checked with the
 * service key's public key, and the table compared with the anchors the engine wrote to the S3
 * Object Lock bucket. Each problem names the record (sequence number) and why.
 *
 * An anchor is one S3 object per record whose key carries everything verification needs
 * (`<service>/<sk>/<deploymentId>/<hash>.<signature>.<expiresAt>`), so one ListObjectsV2 page
 * checks a thousand records with no GetObject.
 */
const node_crypto_1 = require("node:crypto");
const audit_chain_1 = require("./audit-chain");
const SK_DIGITS = 12;
const b64url = (b64) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (text) => {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    return b64 + '='.repeat((4 - (b64.length % 4)) % 4);
};
/** The anchor object key of a signed record. */
function anchorKey(record) {
    return `${record.pk}/${String(record.sk).padStart(SK_DIGITS, '0')}/${record.deploymentId}/${record.hash}.${b64url(record.signature)}.${record.expiresAt}`;
}
/** Parses an anchor key; undefined for a key that is not one (named by the caller). */
function parseAnchorKey(key) {
    const match = /^([^/]+)\/(\d{12})\/([^/]+)\/([0-9a-f]{64})\.([A-Za-z0-9_-]+)\.(\d+)$/.exec(key);
    if (!match)
        return undefined;
    return { service: match[1], sk: Number(match[2]), deploymentId: match[3], hash: match[4], signature: fromB64url(match[5]), expiresAt: Number(match[6]) };
}
/** The prefix under which a service's anchors are listed. */
const anchorPrefix = (service) => `${service}/`;
exports.anchorPrefix = anchorPrefix;
function signatureValid(key, payload, signature) {
    if (typeof signature !== 'string' || signature === '')
        return false;
    try {
        return (0, node_crypto_1.verify)('sha256', Buffer.from((0, audit_chain_1.signingPayload)(payload)), key, Buffer.from(signature, 'base64'));
    }
    catch {
        return false;
    }
}
function verifyTrail(input) {
    const records = input.records
        .filter((item) => typeof item.sk === 'number' && item.sk >= 1)
        .sort((a, b) => a.sk - b.sk);
    const key = input.publicKeyDer ? (0, node_crypto_1.createPublicKey)({ key: Buffer.from(input.publicKeyDer), format: 'der', type: 'spki' }) : undefined;
    const problems = [];
    const add = (sk, code, problem) => problems.push({ sk, code, problem });
    records.forEach((record, i) => {
        if ((0, audit_chain_1.hashRecord)(record) !== record.hash)
            add(record.sk, 'altered', `record ${record.sk} was altered: its content no longer matches its hash`);
        if (key) {
            if (typeof record.signature !== 'string') {
                add(record.sk, 'unsigned', `record ${record.sk} is not signed${record.signatureError ? ` (the engine could not sign: ${record.signatureError})` : ' by the engine'}`);
            }
            else if (!signatureValid(key, { pk: input.service, sk: record.sk, hash: record.hash }, record.signature)) {
                add(record.sk, 'bad-signature', `record ${record.sk}'s signature does not verify with the service's key: it was changed after signing, or signed by another key`);
            }
        }
        if (i === 0)
            return;
        const previous = records[i - 1];
        if (record.sk !== previous.sk + 1)
            add(record.sk, 'gap', `records ${previous.sk + 1}..${record.sk - 1} are missing`);
        if (record.prevHash !== previous.hash) {
            add(record.sk, 'broken-link', `record ${record.sk} does not follow record ${previous.sk}: prevHash ${short(record.prevHash)} ≠ ${short(previous.hash)}`);
        }
    });
    if (input.anchors)
        checkAnchors(input, records, key, add);
    problems.sort((a, b) => a.sk - b.sk);
    const verdicts = records.map((record) => {
        const own = problems.filter((p) => p.sk === record.sk).map((p) => p.problem);
        return { sk: record.sk, deploymentId: record.deploymentId, ok: own.length === 0, problems: own };
    });
    return {
        ok: problems.length === 0,
        checked: records.length,
        ...(input.anchors ? { anchors: input.anchors.length } : {}),
        signaturesChecked: key !== undefined,
        problems,
        records: verdicts,
    };
}
/** The table against the anchors: every anchored record present and the same, every record anchored once. */
function checkAnchors(input, records, key, add) {
    const bySk = new Map();
    for (const anchor of input.anchors) {
        if (anchor.service !== input.service)
            continue;
        if (key && !signatureValid(key, { pk: anchor.service, sk: anchor.sk, hash: anchor.hash }, anchor.signature)) {
            add(anchor.sk, 'forged-anchor', `the anchor of record ${anchor.sk} (${anchor.deploymentId}) is not signed by the service's key: it was not written by the engine`);
            continue;
        }
        bySk.set(anchor.sk, [...(bySk.get(anchor.sk) ?? []), anchor]);
    }
    const byHash = new Map();
    for (const [sk, anchors] of bySk) {
        for (const anchor of anchors)
            byHash.set(anchor.hash, anchor);
        if (new Set(anchors.map((a) => a.hash)).size > 1)
            add(sk, 'fork', `record ${sk} has ${anchors.length} different anchors (${anchors.map((a) => `${a.deploymentId} ${short(a.hash)}`).join(', ')}): the chain was forked`);
    }
    const table = new Map(records.map((r) => [r.sk, r]));
    const last = records.at(-1)?.sk ?? 0;
    const nowSeconds = input.now / 1000;
    for (const [sk, anchors] of [...bySk].sort((a, b) => a[0] - b[0])) {
        const anchor = anchors[0];
        if (table.has(sk) || anchor.expiresAt <= nowSeconds)
            continue;
        if (sk > last) {
            add(sk, 'truncated', `record ${sk} (${anchor.deploymentId}, anchored, expires ${new Date(anchor.expiresAt * 1000).toISOString()}) is missing from the end of the table: the trail was truncated after record ${last || 'none'}`);
        }
        else {
            add(sk, 'missing', `record ${sk} (${anchor.deploymentId}, anchored, expires ${new Date(anchor.expiresAt * 1000).toISOString()}) was deleted from the table`);
        }
    }
    for (const record of records) {
        const anchors = bySk.get(record.sk);
        const copyOf = byHash.get(record.hash);
        if (!anchors) {
            if (copyOf && copyOf.sk !== record.sk)
                describeMove(record, copyOf, add);
            else
                add(record.sk, 'no-anchor', `record ${record.sk} (${record.deploymentId}) has no anchor in the bucket: it was inserted, or its anchor was never written`);
            continue;
        }
        if (anchors.some((a) => a.hash === record.hash))
            continue;
        if (copyOf && copyOf.sk !== record.sk)
            describeMove(record, copyOf, add, anchors[0]);
        else
            add(record.sk, 'not-anchored-as', `record ${record.sk} is not the record anchored at ${record.sk} (${anchors[0].deploymentId}, hash ${short(anchors[0].hash)}; the table has ${record.deploymentId}, ${short(record.hash)})`);
    }
}
/** A record whose hash is anchored at another sequence number: moved within its deployment, or another deployment's replayed. */
function describeMove(record, copyOf, add, here) {
    if (here && here.deploymentId !== copyOf.deploymentId) {
        add(record.sk, 'replayed', `record ${record.sk} replays record ${copyOf.sk} of deployment ${copyOf.deploymentId}; the record anchored at ${record.sk} is deployment ${here.deploymentId}'s`);
    }
    else if (!here && copyOf.deploymentId !== record.deploymentId) {
        add(record.sk, 'replayed', `record ${record.sk} replays record ${copyOf.sk} of deployment ${copyOf.deploymentId}`);
    }
    else {
        add(record.sk, 'reordered', `record ${record.sk} is record ${copyOf.sk} of ${copyOf.deploymentId} moved: the records were reordered`);
    }
}
function short(hash) {
    return typeof hash === 'string' ? hash.slice(0, 12) : String(hash);
}
