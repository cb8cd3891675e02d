"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.observeDeployment = observeDeployment;
exports.currentDeployment = currentDeployment;
exports.currentOrLastDeployment = currentOrLastDeployment;
exports.requireActiveDeployment = requireActiveDeployment;
exports.observeStatus = observeStatus;
/**
 * Gathers what the CLI shows about a deployment: CodeDeploy's view, the production listener's
 * real weights (the engine shifts them itself) and the engine's newest audit records.
 */
const client_codedeploy_1 = require("@aws-sdk/client-codedeploy");
const audit_1 = require("../deploy/audit");
const deployment_1 = require("../deploy/deployment");
const errors_1 = require("../deploy/errors");
const observe_1 = require("../deploy/observe");
const exit_1 = require("./exit");
const model_1 = require("./progress/model");
/** Audit records read per observation: enough to find the stage start and the last verdict. */
const RECORDS_PER_OBSERVATION = 30;
async function observeDeployment(clients, metadata, deploymentId) {
    const snapshot = await (0, observe_1.getDeploymentSnapshot)(clients.codedeploy, deploymentId);
    const listener = snapshot.terminal ? undefined : await (0, observe_1.readProductionListener)(clients.elbv2, metadata);
    const records = metadata.auditTableName
        ? await (0, audit_1.newestAuditRecords)(clients.ddb, {
            tableName: metadata.auditTableName,
            service: metadata.service,
            deploymentId,
            limit: RECORDS_PER_OBSERVATION,
        })
        : [];
    const weights = listener ? (0, observe_1.trafficWeights)(listener, snapshot) : undefined;
    return {
        snapshot,
        records,
        progress: (0, model_1.progressState)(metadata, snapshot, weights, records),
        terminal: snapshot.terminal,
    };
}
/** The active deployment of the service, if any. */
async function currentDeployment(clients, metadata) {
    return (await (0, deployment_1.activeDeployments)(clients.codedeploy, metadata))[0];
}
/** The active deployment, else the most recent one; fails when the group has none. */
async function currentOrLastDeployment(clients, metadata) {
    const active = await currentDeployment(clients, metadata);
    if (active)
        return active;
    const listed = await (0, errors_1.awsCall)('codedeploy:ListDeployments', () => clients.codedeploy.send(new client_codedeploy_1.ListDeploymentsCommand({ applicationName: metadata.applicationName, deploymentGroupName: metadata.deploymentGroupName })));
    const last = listed.deployments?.[0];
    if (!last)
        throw new exit_1.CommandFailedError(`${metadata.service} has no deployments yet (deployment group ${metadata.deploymentGroupName})`);
    return last;
}
/** The active deployment, or a `CommandFailedError` saying there is nothing to act on. */
async function requireActiveDeployment(clients, metadata, command) {
    const active = await currentDeployment(clients, metadata);
    if (!active)
        throw new exit_1.CommandFailedError(`${metadata.service} has no deployment in progress: nothing to ${command}`);
    return active;
}
async function observeStatus(clients, metadata, deploymentId) {
    const asked = await (0, observe_1.getDeploymentSnapshot)(clients.codedeploy, deploymentId);
    const subject = asked.rollbackOf ? await (0, observe_1.getDeploymentSnapshot)(clients.codedeploy, asked.rollbackOf) : asked;
    const failed = subject.terminal && subject.status !== 'Succeeded';
    let rollback = asked.rollbackOf ? asked : undefined;
    if (!rollback && failed) {
        const id = await rollbackDeploymentId(clients, subject.deploymentId);
        if (id)
            rollback = await (0, observe_1.getDeploymentSnapshot)(clients.codedeploy, id);
    }
    const listener = await (0, observe_1.readProductionListener)(clients.elbv2, metadata).catch((error) => {
        if (error instanceof errors_1.AwsCallError)
            return error;
        throw error;
    });
    const records = metadata.auditTableName
        ? await (0, audit_1.newestAuditRecords)(clients.ddb, { tableName: metadata.auditTableName, service: metadata.service, deploymentId: subject.deploymentId, limit: RECORDS_PER_OBSERVATION })
        : [];
    const control = failed && metadata.controlParameterName ? await controlRecordOf(clients, metadata.controlParameterName, subject.deploymentId) : undefined;
    return {
        subject,
        ...(rollback ? { rollback } : {}),
        records,
        listener,
        ...(control ? { control } : {}),
        terminal: subject.terminal && (rollback?.terminal ?? true),
    };
}
/** The id of CodeDeploy's automatic rollback of a deployment (GetDeployment `rollbackInfo`). */
async function rollbackDeploymentId(clients, deploymentId) {
    const got = await (0, errors_1.awsCall)('codedeploy:GetDeployment', () => clients.codedeploy.send(new client_codedeploy_1.GetDeploymentCommand({ deploymentId })));
    return got.deploymentInfo?.rollbackInfo?.rollbackDeploymentId;
}
/** The operator control parameter, if it is about `deploymentId` (who ran `canary rollback`). */
async function controlRecordOf(clients, parameterName, deploymentId) {
    const record = await (0, audit_1.readControlRecord)(clients.ssm, parameterName);
    return record?.deploymentId === deploymentId ? record : undefined;
}
