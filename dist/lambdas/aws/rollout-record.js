"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readRolloutRecord = readRolloutRecord;
exports.writeRolloutRecord = writeRolloutRecord;
/**
 * The rollout record (audit table, `pk = rollout#<deploymentId>`, `sk = 0`, outside the hash
 * chain): the first shift's time and the latency bar E, written once by the first window and read
 * by every later window, so that the whole rollout is one evidence process with one E.
 */
const client_dynamodb_1 = require("@aws-sdk/client-dynamodb");
const lib_dynamodb_1 = require("@aws-sdk/lib-dynamodb");
const DAY_S = 86_400;
const key = (deploymentId) => ({ pk: `rollout#${deploymentId}`, sk: 0 });
/** The rollout record, or null when no window has written one yet. */
async function readRolloutRecord(table, deploymentId) {
    const { Item } = await table.client.send(new lib_dynamodb_1.GetCommand({ TableName: table.tableName, Key: key(deploymentId), ConsistentRead: true }));
    if (!Item || typeof Item.startedAt !== 'number')
        return null;
    return { startedAt: Item.startedAt, ...(typeof Item.slowThresholdMs === 'number' ? { slowThresholdMs: Item.slowThresholdMs } : {}) };
}
/** Writes the record unless one exists (first writer wins); returns the record that stands. */
async function writeRolloutRecord(table, deploymentId, rollout, now) {
    try {
        await table.client.send(new lib_dynamodb_1.PutCommand({
            TableName: table.tableName,
            Item: { ...key(deploymentId), kind: 'rollout', deploymentId, ...rollout, expiresAt: Math.floor(now / 1000) + table.retentionDays * DAY_S },
            ConditionExpression: 'attribute_not_exists(pk)',
        }));
        return rollout;
    }
    catch (error) {
        if (!(error instanceof client_dynamodb_1.ConditionalCheckFailedException))
            throw error;
        return (await readRolloutRecord(table, deploymentId)) ?? rollout;
    }
}
