"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.appendAudit = appendAudit;
exports.anchorRecord = anchorRecord;
exports.writeFence = writeFence;
exports.readFence = readFence;
/**
 * Audit table adapter (contracts.md, docs/audit.md): append to the service's hash chain with a
 * conditional put (two writers can never fork it), each record signed with the service's KMS key
 * and then anchored in the Object Lock bucket, and write/read the guard's fence of a deployment
 * (`pk = fence#<deploymentId>`, `sk = 0`: outside the chain). Operator commands are not here: they
 * are an SSM parameter (control-parameter.ts), so no operator needs to write this table.
 */
const client_dynamodb_1 = require("@aws-sdk/client-dynamodb");
const lib_dynamodb_1 = require("@aws-sdk/lib-dynamodb");
const audit_chain_1 = require("../core/audit-chain");
const audit_anchors_1 = require("./audit-anchors");
const audit_signing_1 = require("./audit-signing");
const errors_1 = require("./errors");
const MAX_APPEND_ATTEMPTS = 5;
async function chainTip(table) {
    const { Items = [] } = await table.client.send(new lib_dynamodb_1.QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND sk > :zero',
        ExpressionAttributeValues: { ':pk': table.service, ':zero': 0 },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
    }));
    const last = Items[0];
    return last ? { sk: last.sk, hash: last.hash } : undefined;
}
/**
 * Appends one record after the newest, signed; on a concurrent append it re-reads the tip, signs
 * again and retries. A failed Sign never holds up the action the record announces (a restore must
 * not wait for KMS): the record is written with `signatureError`, which every verification reports.
 */
async function appendAudit(table, draft, now) {
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt += 1) {
        const record = await signed(table, (0, audit_chain_1.buildRecord)(table.service, await chainTip(table), draft, now, table.retentionDays));
        try {
            await table.client.send(new lib_dynamodb_1.PutCommand({ TableName: table.tableName, Item: record, ConditionExpression: 'attribute_not_exists(sk)' }));
            return record;
        }
        catch (error) {
            if (!(error instanceof client_dynamodb_1.ConditionalCheckFailedException) || attempt === MAX_APPEND_ATTEMPTS) {
                throw new errors_1.AuditAppendError(`could not append to the audit chain of ${table.service} in ${table.tableName} (attempt ${attempt}): ${error.message}`, { cause: error });
            }
        }
    }
    throw new errors_1.AuditAppendError('unreachable');
}
async function signed(table, record) {
    if (!table.signer)
        return record;
    try {
        return { ...record, signature: await (0, audit_signing_1.signRecord)(table.signer, record) };
    }
    catch (error) {
        return { ...record, signatureError: (0, errors_1.errorText)(error).slice(0, 300) };
    }
}
/**
 * Writes the anchor of an appended record (after the put, so only a record that is in the chain is
 * anchored). Unsigned records and tables without a bucket are not anchored; `canary history`
 * names every record without an anchor.
 */
async function anchorRecord(table, record) {
    if (!table.anchors || typeof record.signature !== 'string')
        return undefined;
    return (0, audit_anchors_1.writeAnchor)(table.anchors, record);
}
const fenceKey = (deploymentId) => ({ pk: `fence#${deploymentId}`, sk: 0 });
/**
 * Writes the deployment's fence unless one exists (a redelivered event keeps the first); returns
 * the fence in force. It expires with the audit records.
 */
async function writeFence(table, fence, now) {
    const expiresAt = Math.floor(now / 1000) + table.retentionDays * 86_400;
    try {
        await table.client.send(new lib_dynamodb_1.PutCommand({
            TableName: table.tableName,
            Item: { ...fenceKey(fence.deploymentId), kind: 'fence', ...fence, expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
        }));
        return fence;
    }
    catch (error) {
        if (!(error instanceof client_dynamodb_1.ConditionalCheckFailedException))
            throw error;
        return (await readFence(table, fence.deploymentId)) ?? fence;
    }
}
/** The deployment's fence, or undefined: a strongly consistent read, so a fence written before it is seen. */
async function readFence(table, deploymentId) {
    const { Item } = await table.client.send(new lib_dynamodb_1.GetCommand({ TableName: table.tableName, Key: fenceKey(deploymentId), ConsistentRead: true }));
    if (Item?.kind !== 'fence')
        return undefined;
    return { deploymentId, state: String(Item.state ?? 'unknown'), at: String(Item.at ?? '') };
}
