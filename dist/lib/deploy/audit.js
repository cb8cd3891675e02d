"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.wholeAuditChain = exports.newestAuditRecords = exports.newestAuditReason = void 0;
exports.controlRecord = controlRecord;
exports.callerArn = callerArn;
exports.putControlRecord = putControlRecord;
exports.readControlRecord = readControlRecord;
/**
 * Reads the service's audit table (contracts.md, "Audit table") and writes the operator control
 * record, an SSM parameter since the trail became engine-only (docs/audit.md). The chain itself
 * (hashing, signatures, verification) is `lambdas/core/audit-chain.ts` and `audit-trail.ts`.
 */
const node_crypto_1 = require("node:crypto");
const client_sts_1 = require("@aws-sdk/client-sts");
const control_parameter_1 = require("../../lambdas/aws/control-parameter");
const deploy_errors_1 = require("../../lambdas/aws/deploy-errors");
var audit_records_1 = require("../../lambdas/aws/audit-records");
Object.defineProperty(exports, "newestAuditReason", { enumerable: true, get: function () { return audit_records_1.newestAuditReason; } });
Object.defineProperty(exports, "newestAuditRecords", { enumerable: true, get: function () { return audit_records_1.newestAuditRecords; } });
Object.defineProperty(exports, "wholeAuditChain", { enumerable: true, get: function () { return audit_records_1.wholeAuditChain; } });
/** Builds the control record (pure but for the generated request id). */
function controlRecord(request, now, requestId = (0, node_crypto_1.randomUUID)()) {
    return {
        deploymentId: request.deploymentId,
        command: request.command,
        requestedBy: request.requestedBy,
        ...(request.callerArn ? { callerArn: request.callerArn } : {}),
        ...(request.reason ? { reason: request.reason } : {}),
        at: now.toISOString(),
        requestId,
    };
}
/** The caller's IAM identity (sts:GetCallerIdentity, which needs no permission). */
async function callerArn(sts) {
    const { Arn } = await (0, deploy_errors_1.awsCall)('sts:GetCallerIdentity', () => sts.send(new client_sts_1.GetCallerIdentityCommand({})));
    return Arn ?? 'unknown';
}
/** Overwrites the operator control parameter (the tick acts on each request once). */
async function putControlRecord(ssm, parameterName, record) {
    await (0, control_parameter_1.putControl)(ssm, parameterName, record);
}
/** The control record now in force, or undefined. */
async function readControlRecord(ssm, parameterName) {
    return (0, deploy_errors_1.awsCall)('ssm:GetParameter', () => (0, control_parameter_1.readControl)(ssm, parameterName));
}
