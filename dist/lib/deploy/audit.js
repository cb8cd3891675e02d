"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.wholeAuditChain = exports.newestAuditRecords = exports.newestAuditReason = void 0;
exports.controlRecord = controlRecord;
exports.putControlRecord = putControlRecord;
/**
 * Reads the service's audit table (contracts.md, "Audit table") and writes the operator control
 * record. The chain itself (hashing, verification) is `lambdas/core/audit-chain.ts`.
 */
const node_crypto_1 = require("node:crypto");
const lib_dynamodb_1 = require("@aws-sdk/lib-dynamodb");
const deploy_errors_1 = require("../../lambdas/aws/deploy-errors");
var audit_records_1 = require("../../lambdas/aws/audit-records");
Object.defineProperty(exports, "newestAuditReason", { enumerable: true, get: function () { return audit_records_1.newestAuditReason; } });
Object.defineProperty(exports, "newestAuditRecords", { enumerable: true, get: function () { return audit_records_1.newestAuditRecords; } });
Object.defineProperty(exports, "wholeAuditChain", { enumerable: true, get: function () { return audit_records_1.wholeAuditChain; } });
/** Builds the control record (pure but for the generated request id). */
function controlRecord(request, now, requestId = (0, node_crypto_1.randomUUID)()) {
    return {
        pk: request.service,
        sk: 0,
        kind: 'control',
        deploymentId: request.deploymentId,
        command: request.command,
        requestedBy: request.requestedBy,
        ...(request.reason ? { reason: request.reason } : {}),
        at: now.toISOString(),
        requestId,
    };
}
/** Overwrites the operator control record (the tick acts on it once). */
async function putControlRecord(ddb, tableName, record) {
    await (0, deploy_errors_1.awsCall)('dynamodb:PutItem', () => ddb.send(new lib_dynamodb_1.PutCommand({ TableName: tableName, Item: { ...record } })));
}
