"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.appendAudit = appendAudit;
exports.readControl = readControl;
exports.writeFence = writeFence;
exports.readFence = readFence;
/**
 * Audit table adapter (contracts.md): append to the service's hash chain with a conditional put
 * (two writers can never fork it), read the operator control record (`sk = 0`), and write/read
 * the guard's fence of a deployment (`pk = fence#<deploymentId>`, `sk = 0`: outside the chain).
 */
const client_dynamodb_1 = require("@aws-sdk/client-dynamodb");
const lib_dynamodb_1 = require("@aws-sdk/lib-dynamodb");
const audit_chain_1 = require("../core/audit-chain");
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
/** Appends one record after the newest; on a concurrent append it re-reads the tip and retries. */
async function appendAudit(table, draft, now) {
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt += 1) {
        const record = (0, audit_chain_1.buildRecord)(table.service, await chainTip(table), draft, now, table.retentionDays);
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
/** The operator control record, or undefined when none was written. */
async function readControl(table) {
    const { Item } = await table.client.send(new lib_dynamodb_1.GetCommand({ TableName: table.tableName, Key: { pk: table.service, sk: 0 }, ConsistentRead: true }));
    if (!Item || Item.kind !== 'control')
        return undefined;
    const commands = ['promote', 'pause', 'resume', 'abort'];
    if (typeof Item.deploymentId !== 'string' || !commands.includes(Item.command) || typeof Item.requestId !== 'string' || typeof Item.requestedBy !== 'string')
        return undefined;
    return {
        deploymentId: Item.deploymentId,
        command: Item.command,
        requestedBy: Item.requestedBy,
        requestId: Item.requestId,
        at: String(Item.at ?? ''),
        ...(typeof Item.reason === 'string' ? { reason: Item.reason } : {}),
    };
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
