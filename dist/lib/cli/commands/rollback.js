"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerRollback = registerRollback;
const audit_1 = require("../../deploy/audit");
const deployment_1 = require("../../deploy/deployment");
const follow_1 = require("../../deploy/follow");
const observe_1 = require("../../deploy/observe");
const service_config_1 = require("../../deploy/service-config");
const context_1 = require("../context");
const exit_1 = require("../exit");
const observe_2 = require("../observe");
const reporter_1 = require("../progress/reporter");
const shared_1 = require("./shared");
function registerRollback(program, deps) {
    program
        .command('rollback')
        .description('stop the current deployment with rollback and wait until the original serves 100%')
        .argument('<service>')
        .option('--reason <text>', 'why (recorded with who)', 'operator rollback')
        .option('--timeout-minutes <n>', 'give up waiting after this long', (0, shared_1.parsePositiveInt)('--timeout-minutes'), 15)
        .option('--poll-seconds <n>', 'seconds between listener reads', (0, shared_1.parsePositiveInt)('--poll-seconds'), 5)
        .action(async (service, options, command) => {
        await rollback(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}
async function rollback(service, options, deps) {
    const clients = deps.clients((0, shared_1.awsOptions)(options));
    const reporter = new reporter_1.ProgressReporter(deps.stdout, (0, reporter_1.outputMode)(deps.stdout, options.json === true), deps.now);
    const metadata = await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service);
    const deploymentId = await (0, observe_2.requireActiveDeployment)(clients, metadata, 'roll back');
    const requestedBy = (0, context_1.actor)(deps.env);
    const reason = options.reason ?? 'operator rollback';
    // Who and why, for the engine to write into the chain (the tick's abort, the guard's STOP record).
    if (metadata.controlParameterName) {
        const record = (0, audit_1.controlRecord)({ deploymentId, command: 'abort', requestedBy, callerArn: await (0, audit_1.callerArn)(clients.sts), reason }, deps.now());
        await (0, audit_1.putControlRecord)(clients.ssm, metadata.controlParameterName, record);
    }
    await (0, deployment_1.stopWithRollback)(clients.codedeploy, deploymentId);
    reporter.info(`stopping ${deploymentId} with rollback (${requestedBy}: ${reason}); waiting until the original serves 100%`, {
        type: 'rollback-requested',
        deploymentId,
        requestedBy,
        reason,
    });
    const result = await (0, follow_1.follow)({
        observe: async () => {
            const snapshot = await (0, observe_1.getDeploymentSnapshot)(clients.codedeploy, deploymentId);
            const byTargetGroup = await (0, observe_1.readProductionListener)(clients.elbv2, metadata);
            const original = snapshot.originalTargetGroup;
            // Without task set labels (no target yet), the deployment's end is the best evidence.
            const restored = original ? byTargetGroup.get(original) === 100 : snapshot.terminal;
            return { terminal: restored, snapshot, original, weight: original ? (byTargetGroup.get(original) ?? 0) : undefined };
        },
        onUpdate: (o) => {
            if (!o.terminal)
                reporter.info(`${deploymentId} ${o.snapshot.status}: original ${o.original ?? '?'} serves ${o.weight ?? '?'}%`, { type: 'rollback-progress', deploymentId, status: o.snapshot.status, originalWeight: o.weight ?? null });
        },
        sleep: deps.sleep,
        now: () => deps.now().getTime(),
        intervalMs: options.pollSeconds * 1000,
        timeoutMs: options.timeoutMinutes * 60_000,
    });
    if (result.timedOut) {
        throw new exit_1.CommandFailedError(`after ${options.timeoutMinutes} min the original ${result.last.original ?? ''} still serves ${result.last.weight ?? '?'}% of production (deployment ${result.last.snapshot.status}); check canary status ${service} and the listener ${metadata.productionListenerArn}`);
    }
    reporter.info(`rolled back ${deploymentId}: the original ${result.last.original ?? ''} serves 100% of production`.replace('  ', ' '), {
        type: 'result',
        deploymentId,
        status: 'RolledBack',
    });
}
