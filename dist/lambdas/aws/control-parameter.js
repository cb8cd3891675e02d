"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readControl = readControl;
exports.parseControl = parseControl;
exports.putControl = putControl;
/**
 * The operator control record as an SSM parameter (`/ecs-canary/<service>/control`): `canary
 * promote|pause|resume|rollback` overwrite it, the tick reads it every tick and the guard reads it
 * to name who stopped a deployment. It lives outside the audit table so that no operator needs
 * write access to the trail (docs/audit.md), and like the freeze switch it is one small value
 * whose every version SSM keeps with the IAM principal that wrote it.
 */
const client_ssm_1 = require("@aws-sdk/client-ssm");
const deploy_errors_1 = require("./deploy-errors");
const COMMANDS = ['promote', 'pause', 'resume', 'abort'];
/** The control record, or undefined when none was written or the value is not one (never acted on). */
async function readControl(ssm, parameterName) {
    let value;
    try {
        value = (await ssm.send(new client_ssm_1.GetParameterCommand({ Name: parameterName }))).Parameter?.Value;
    }
    catch (error) {
        if (error instanceof client_ssm_1.ParameterNotFound)
            return undefined;
        throw error;
    }
    return parseControl(value);
}
/** A control value (JSON) as the engine accepts it, or undefined (pure). */
function parseControl(value) {
    let item;
    try {
        item = JSON.parse(value ?? '');
    }
    catch {
        return undefined;
    }
    if (typeof item !== 'object' || item === null)
        return undefined;
    if (typeof item.deploymentId !== 'string' || !COMMANDS.includes(item.command) || typeof item.requestId !== 'string' || typeof item.requestedBy !== 'string')
        return undefined;
    return {
        deploymentId: item.deploymentId,
        command: item.command,
        requestedBy: item.requestedBy,
        requestId: item.requestId,
        at: String(item.at ?? ''),
        ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
        ...(typeof item.callerArn === 'string' ? { callerArn: item.callerArn } : {}),
    };
}
/** Overwrites the control parameter (the tick acts on a request once, by its requestId). */
async function putControl(ssm, parameterName, record) {
    await (0, deploy_errors_1.awsCall)('ssm:PutParameter', () => ssm.send(new client_ssm_1.PutParameterCommand({ Name: parameterName, Value: JSON.stringify(record), Type: 'String', Overwrite: true })));
}
