"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HOOK_LIMIT_MINUTES = void 0;
exports.hookDeadline = hookDeadline;
exports.deadlineText = deadlineText;
exports.registerControl = registerControl;
exports.requireControlParameter = requireControlParameter;
exports.requireAuditTable = requireAuditTable;
/**
 * `canary promote|pause|resume <service>`: operator commands the engine acts on at its next tick
 * (the control record), and after 100% promote ends CodeDeploy's termination wait.
 */
const client_codedeploy_1 = require("@aws-sdk/client-codedeploy");
const audit_1 = require("../../deploy/audit");
const errors_1 = require("../../deploy/errors");
const observe_1 = require("../../deploy/observe");
const service_config_1 = require("../../deploy/service-config");
const context_1 = require("../context");
const observe_2 = require("../observe");
const render_1 = require("../progress/render");
const shared_1 = require("./shared");
/** CodeDeploy fails a hook not answered within one hour. */
exports.HOOK_LIMIT_MINUTES = 60;
/** When the running hook must have answered, or undefined when no hook runs (pure). */
function hookDeadline(snapshot) {
    const running = snapshot.lifecycleEvents.find((e) => e.status === 'InProgress' && e.startedAt);
    return running?.startedAt ? { hook: running.name, at: new Date(running.startedAt.getTime() + exports.HOOK_LIMIT_MINUTES * 60_000) } : undefined;
}
function deadlineText(snapshot, now) {
    const deadline = hookDeadline(snapshot);
    if (!deadline)
        return 'no hook is running now';
    const left = (deadline.at.getTime() - now.getTime()) / 1000;
    return `${deadline.hook} must answer by ${deadline.at.toISOString()} (${(0, render_1.clock)(left)} left); the engine fails the deployment a few minutes before`;
}
function registerControl(program, deps) {
    const describe = {
        promote: 'skip the rest of the current bake once the judge is not failing; after 100%, end the termination wait',
        pause: 'hold the rollout in place (within the hook deadline)',
        resume: 'continue a paused rollout',
        abort: '',
    };
    for (const name of ['promote', 'pause', 'resume']) {
        program
            .command(name)
            .description(describe[name])
            .argument('<service>')
            .option('--reason <text>', 'why (recorded)')
            .action(async (service, options, command) => {
            await control(name, service, { ...command.optsWithGlobals(), ...options }, deps);
        });
    }
}
/** The control parameter operators write to; a stack from before it has none (one clear line). */
function requireControlParameter(metadata) {
    if (!metadata.controlParameterName) {
        throw new errors_1.DeployConfigError(`the deployment metadata of ${metadata.service} has no controlParameterName: redeploy the service stack with this version of ecs-canary (operator commands moved out of the audit table)`, 'controlParameterName');
    }
    return metadata.controlParameterName;
}
function requireAuditTable(metadata) {
    if (!metadata.auditTableName) {
        throw new errors_1.DeployConfigError(`the deployment metadata of ${metadata.service} has no auditTableName: the rollout engine is not wired into its stack`, 'auditTableName');
    }
    return metadata.auditTableName;
}
async function control(name, service, options, deps) {
    const clients = deps.clients((0, shared_1.awsOptions)(options));
    const metadata = await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service);
    const parameterName = requireControlParameter(metadata);
    const deploymentId = await (0, observe_2.requireActiveDeployment)(clients, metadata, name);
    const snapshot = await (0, observe_1.getDeploymentSnapshot)(clients.codedeploy, deploymentId);
    const write = (text, event) => deps.stdout.write(options.json ? `${JSON.stringify({ type: name, service, deploymentId, ...event })}\n` : `${text}\n`);
    if (name === 'promote' && snapshot.terminationWait) {
        await (0, errors_1.awsCall)('codedeploy:ContinueDeployment', () => clients.codedeploy.send(new client_codedeploy_1.ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'TERMINATION_WAIT' })));
        write(`${deploymentId}: termination wait ended; CodeDeploy terminates the original task set now`, { action: 'ContinueDeployment' });
        return;
    }
    const record = (0, audit_1.controlRecord)({ deploymentId, command: name, requestedBy: (0, context_1.actor)(deps.env), callerArn: await (0, audit_1.callerArn)(clients.sts), reason: options.reason }, deps.now());
    await (0, audit_1.putControlRecord)(clients.ssm, parameterName, record);
    const effect = {
        promote: 'the engine ends the current bake at its next tick if the judge is not failing',
        pause: 'the engine holds the current weight from its next tick',
        resume: 'the engine continues from its next tick',
    }[name];
    write(`${name} requested for ${deploymentId} by ${record.requestedBy} (${record.callerArn}, request ${record.requestId}): ${effect}\n${deadlineText(snapshot, deps.now())}`, {
        requestId: record.requestId,
        requestedBy: record.requestedBy,
        callerArn: record.callerArn,
        hookDeadline: hookDeadline(snapshot)?.at.toISOString() ?? null,
    });
}
