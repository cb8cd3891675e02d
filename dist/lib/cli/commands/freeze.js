"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.STOPS_RUNNING_ROLLOUT = void 0;
exports.registerFreeze = registerFreeze;
/**
 * `canary freeze <service> --reason … [--yes]` / `canary unfreeze <service>`: the kill switch.
 * While frozen `deploy` refuses, the AfterAllowTestTraffic hook fails new deployments, and the
 * engine's tick stops a rollout in progress (production back to the original within a minute).
 * Freezing says so when a rollout is in progress and, outside a terminal, needs `--yes`.
 */
const client_ssm_1 = require("@aws-sdk/client-ssm");
const errors_1 = require("../../deploy/errors");
const service_config_1 = require("../../deploy/service-config");
const context_1 = require("../context");
const exit_1 = require("../exit");
const observe_1 = require("../observe");
const audit_1 = require("../../deploy/audit");
const shared_1 = require("./shared");
/** What the engine does with a rollout in progress once the switch is set. */
exports.STOPS_RUNNING_ROLLOUT = 'the running rollout will be stopped and production returned to the original within a minute';
function registerFreeze(program, deps) {
    program
        .command('freeze')
        .description('stop rollouts: new deployments are refused and one in progress is rolled back to the original within a minute')
        .argument('<service>')
        .requiredOption('--reason <text>', 'why (recorded with who and when)')
        .option('--yes', 'confirm without a question (required when stdin or stdout is not a terminal)')
        .action(async (service, options, command) => {
        if (options.reason.trim() === '')
            throw new exit_1.UsageError('--reason is empty; say why the service is frozen');
        await freeze(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
    program
        .command('unfreeze')
        .description('allow rollouts again')
        .argument('<service>')
        .action(async (service, _options, command) => {
        await writeSwitch(service, false, undefined, command.optsWithGlobals(), deps);
    });
}
/** Whether a person can be asked: both ends are a terminal and the CLI can read an answer. */
function interactive(deps) {
    return deps.stdin?.isTTY === true && deps.stdout.isTTY === true && deps.ask !== undefined;
}
/** The rollout the freeze would stop: its id, none, or why it could not be found. */
async function rolloutInProgress(clients, metadata) {
    // The switch must be settable without read permissions: a failed look-up is reported, not fatal.
    return (0, observe_1.currentDeployment)(clients, metadata).catch((error) => {
        if (error instanceof errors_1.AwsCallError)
            return error;
        throw error;
    });
}
async function freeze(service, options, deps) {
    // Checked before any AWS call: a script that forgot --yes writes nothing.
    if (!options.yes && !interactive(deps)) {
        throw new exit_1.UsageError(`canary freeze is not run in a terminal (stdin or stdout is not a TTY); pass --yes to freeze ${service}: new deployments are refused and ${exports.STOPS_RUNNING_ROLLOUT}. Nothing was written`);
    }
    const clients = deps.clients((0, shared_1.awsOptions)(options));
    const metadata = await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service);
    const running = await rolloutInProgress(clients, metadata);
    const say = (text, event) => deps.stdout.write(options.json ? `${JSON.stringify({ type: 'warning', service, message: text, ...event })}\n` : `warning: ${text}\n`);
    if (typeof running === 'string') {
        say(`${service} has a rollout in progress (${running}): ${exports.STOPS_RUNNING_ROLLOUT}`, { deploymentId: running });
    }
    else if (running instanceof errors_1.AwsCallError) {
        say(`could not check whether ${service} has a rollout in progress (${running.message}); if one is running, ${exports.STOPS_RUNNING_ROLLOUT}`, { deploymentId: null });
    }
    if (!options.yes && running !== undefined) {
        const answer = await deps.ask(`freeze ${service}${typeof running === 'string' ? ` and stop ${running}` : ''}? type yes to confirm: `);
        if (!/^(y|yes)$/i.test(answer.trim()))
            throw new exit_1.CommandFailedError(`${service} not frozen: not confirmed (answer ${JSON.stringify(answer.trim())})`);
    }
    await writeSwitch(service, true, options.reason, options, deps, { clients, metadata, running: typeof running === 'string' ? running : undefined });
}
async function writeSwitch(service, frozen, reason, options, deps, known) {
    const clients = known?.clients ?? deps.clients((0, shared_1.awsOptions)(options));
    // Reading the metadata first checks the service exists, so a typo cannot create a stray switch.
    const metadata = known?.metadata ?? (await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service));
    const value = { frozen, ...(reason ? { reason } : {}), by: (0, context_1.actor)(deps.env), at: deps.now().toISOString(), callerArn: await (0, audit_1.callerArn)(clients.sts) };
    await (0, errors_1.awsCall)('ssm:PutParameter', () => clients.ssm.send(new client_ssm_1.PutParameterCommand({ Name: metadata.freezeParameterName, Value: JSON.stringify(value), Type: 'String', Overwrite: true })));
    const running = known?.running;
    if (options.json) {
        deps.stdout.write(`${JSON.stringify({ type: frozen ? 'frozen' : 'unfrozen', service, ...value, ...(frozen ? { stopping: running ?? null } : {}) })}\n`);
    }
    else if (frozen) {
        deps.stdout.write(`${service} frozen by ${value.by}: ${reason}\n` +
            (running
                ? `${running}: ${exports.STOPS_RUNNING_ROLLOUT}; follow it with canary status ${service} --watch\n`
                : 'no rollout in progress\n') +
            `new deployments are refused until canary unfreeze ${service}\n`);
    }
    else {
        deps.stdout.write(`${service} unfrozen by ${value.by}: deployments may proceed\n`);
    }
}
