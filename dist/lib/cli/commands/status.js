"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerStatus = registerStatus;
exports.alarmStates = alarmStates;
exports.renderStatus = renderStatus;
/**
 * `canary status <service>`: the current (or last) deployment: lifecycle event, stage, weights,
 * bake remaining, the last verdict with its numbers, hook deadline, freeze switch, alarm states.
 */
const client_cloudwatch_1 = require("@aws-sdk/client-cloudwatch");
const client_codedeploy_1 = require("@aws-sdk/client-codedeploy");
const errors_1 = require("../../deploy/errors");
const service_config_1 = require("../../deploy/service-config");
const observe_1 = require("../observe");
const render_1 = require("../progress/render");
const control_1 = require("./control");
const shared_1 = require("./shared");
function registerStatus(program, deps) {
    program
        .command('status')
        .description('show the current (or last) deployment of a service')
        .argument('<service>')
        .option('--deployment <id>', 'a specific deployment instead of the current one')
        .action(async (service, options, command) => {
        await status(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}
/** The deployment group's rollback alarms and their states. */
async function alarmStates(clients, metadata) {
    const group = await (0, errors_1.awsCall)('codedeploy:GetDeploymentGroup', () => clients.codedeploy.send(new client_codedeploy_1.GetDeploymentGroupCommand({ applicationName: metadata.applicationName, deploymentGroupName: metadata.deploymentGroupName })));
    const names = (group.deploymentGroupInfo?.alarmConfiguration?.alarms ?? []).map((a) => a.name).filter((n) => !!n);
    if (names.length === 0)
        return [];
    const described = await (0, errors_1.awsCall)('cloudwatch:DescribeAlarms', () => clients.cloudwatch.send(new client_cloudwatch_1.DescribeAlarmsCommand({ AlarmNames: names })));
    return names.map((name) => {
        const alarm = described.MetricAlarms?.find((a) => a.AlarmName === name) ?? described.CompositeAlarms?.find((a) => a.AlarmName === name);
        return { name, state: alarm?.StateValue ?? 'MISSING', reason: alarm?.StateReason };
    });
}
/** The status text (pure). */
function renderStatus(progress, extra, width = 100) {
    const lines = (0, render_1.renderFrame)(progress, width);
    if (extra.rollbackOf) {
        lines.splice(1, 0, `  this is CodeDeploy's automatic rollback of ${extra.rollbackOf}; why it failed: canary status ${progress.service} --deployment ${extra.rollbackOf}`);
    }
    for (const check of progress.lastVerdict?.checks ?? [])
        lines.push(`    ${check}`);
    if (progress.lastVerdict)
        lines.push(`    (record #${progress.lastVerdict.seq} at ${progress.lastVerdict.at})`);
    if (!progress.terminal)
        lines.push(`  hook    ${extra.deadline}`);
    if (progress.terminal && progress.errorMessage)
        lines.push(`  error   ${progress.errorMessage}`);
    lines.push(extra.freeze.frozen
        ? `  freeze  FROZEN by ${extra.freeze.by ?? '?'} at ${extra.freeze.at ?? '?'}: ${extra.freeze.reason ?? 'no reason given'}`
        : '  freeze  not frozen');
    if (extra.alarms instanceof errors_1.AwsCallError) {
        lines.push(`  alarms  unavailable: ${extra.alarms.message}`);
        return lines;
    }
    if (extra.alarms.length === 0)
        lines.push('  alarms  none attached to the deployment group');
    for (const alarm of extra.alarms)
        lines.push(`  alarm   ${alarm.state.padEnd(17)} ${alarm.name}`);
    return lines;
}
async function status(service, options, deps) {
    const clients = deps.clients((0, shared_1.awsOptions)(options));
    const metadata = await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service);
    const deploymentId = options.deployment ?? (await (0, observe_1.currentOrLastDeployment)(clients, metadata));
    const observation = await (0, observe_1.observeDeployment)(clients, metadata, deploymentId, deps.now);
    const freeze = await (0, service_config_1.readFreeze)(clients.ssm, metadata.freezeParameterName);
    // Alarms are one part of the picture: without permission to read them, show the rest and say why.
    const alarms = await alarmStates(clients, metadata).catch((error) => {
        if (error instanceof errors_1.AwsCallError)
            return error;
        throw error;
    });
    if (options.json) {
        const deadline = (0, control_1.hookDeadline)(observation.snapshot);
        deps.stdout.write(`${JSON.stringify({ type: 'status', ...observation.progress, hookDeadline: deadline ? { hook: deadline.hook, at: deadline.at.toISOString() } : null, rollbackOf: observation.snapshot.rollbackOf ?? null, freeze, ...(alarms instanceof errors_1.AwsCallError ? { alarms: null, alarmsError: alarms.message } : { alarms }) })}\n`);
        return;
    }
    const lines = renderStatus(observation.progress, { deadline: (0, control_1.deadlineText)(observation.snapshot, deps.now()), freeze, alarms, rollbackOf: observation.snapshot.rollbackOf }, deps.stdout.columns ?? 120);
    deps.stdout.write(`${lines.join('\n')}\n`);
}
