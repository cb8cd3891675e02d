"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.queryAuditRecords = queryAuditRecords;
exports.newestAuditRecords = newestAuditRecords;
exports.wholeAuditChain = wholeAuditChain;
exports.newestAuditReason = newestAuditReason;
/**
 * Reads a service's audit records (contracts.md, "Audit table"), newest first: `canary status`
 * and the cdk-deploy custom resource quote the judge's newest reason when a deployment fails.
 */
const lib_dynamodb_1 = require("@aws-sdk/lib-dynamodb");
const deploy_errors_1 = require("./deploy-errors");
/**
 * Audit records of a service (sk > 0), in chain order (`oldest-first`) or newest first, optionally
 * of one deployment only and at most `limit` (default: all). One paginated query for every reader:
 * `canary history` verifies the whole chain, `status` and the cdk-deploy resource quote the newest.
 */
async function queryAuditRecords(ddb, request) {
    const limit = request.limit ?? Number.POSITIVE_INFINITY;
    const records = [];
    let startKey;
    do {
        const page = await (0, deploy_errors_1.awsCall)('dynamodb:Query', () => ddb.send(new lib_dynamodb_1.QueryCommand({
            TableName: request.tableName,
            KeyConditionExpression: 'pk = :pk AND sk > :zero',
            ExpressionAttributeValues: {
                ':pk': request.service,
                ':zero': 0,
                ...(request.deploymentId ? { ':d': request.deploymentId } : {}),
            },
            ...(request.deploymentId ? { FilterExpression: 'deploymentId = :d' } : {}),
            ScanIndexForward: request.order === 'oldest-first',
            // A filter applies after the limit, so read pages of a useful size when filtering.
            ...(Number.isFinite(limit) ? { Limit: request.deploymentId ? Math.max(limit, 50) : limit } : {}),
            ExclusiveStartKey: startKey,
        })));
        records.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
    } while (startKey && records.length < limit);
    return Number.isFinite(limit) ? records.slice(0, limit) : records;
}
/** Newest audit records first (sk > 0), optionally of one deployment only, at most `limit`. */
function newestAuditRecords(ddb, request) {
    return queryAuditRecords(ddb, { ...request, order: 'newest-first' });
}
/** The whole surviving chain of a service, oldest first (for verification). */
function wholeAuditChain(ddb, tableName, service) {
    return queryAuditRecords(ddb, { tableName, service, order: 'oldest-first' });
}
/** The newest reason the audit table gives for one deployment, or undefined (none, or no table). */
async function newestAuditReason(ddb, request) {
    if (!request.tableName)
        return undefined;
    const [newest] = await newestAuditRecords(ddb, { tableName: request.tableName, service: request.service, deploymentId: request.deploymentId, limit: 1 });
    return newest?.reason;
}
