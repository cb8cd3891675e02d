"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerFreeze = registerFreeze;
/** `canary freeze <service> --reason …` / `canary unfreeze <service>`: the kill switch the hooks honour. */
const client_ssm_1 = require("@aws-sdk/client-ssm");
const errors_1 = require("../../deploy/errors");
const service_config_1 = require("../../deploy/service-config");
const context_1 = require("../context");
const exit_1 = require("../exit");
const shared_1 = require("./shared");
function registerFreeze(program, deps) {
    program
        .command('freeze')
        .description('stop new rollouts: the next AfterAllowTestTraffic hook fails the deployment before any production traffic')
        .argument('<service>')
        .requiredOption('--reason <text>', 'why (recorded with who and when)')
        .action(async (service, options, command) => {
        if (options.reason.trim() === '')
            throw new exit_1.UsageError('--reason is empty; say why the service is frozen');
        await setFreeze(service, true, options.reason, command.optsWithGlobals(), deps);
    });
    program
        .command('unfreeze')
        .description('allow rollouts again')
        .argument('<service>')
        .action(async (service, _options, command) => {
        await setFreeze(service, false, undefined, command.optsWithGlobals(), deps);
    });
}
async function setFreeze(service, frozen, reason, options, deps) {
    const clients = deps.clients((0, shared_1.awsOptions)(options));
    // Reading the metadata first checks the service exists, so a typo cannot create a stray switch.
    const metadata = await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service);
    const value = { frozen, ...(reason ? { reason } : {}), by: (0, context_1.actor)(deps.env), at: deps.now().toISOString() };
    await (0, errors_1.awsCall)('ssm:PutParameter', () => clients.ssm.send(new client_ssm_1.PutParameterCommand({ Name: metadata.freezeParameterName, Value: JSON.stringify(value), Type: 'String', Overwrite: true })));
    if (options.json) {
        deps.stdout.write(`${JSON.stringify({ type: frozen ? 'frozen' : 'unfrozen', service, ...value })}\n`);
    }
    else if (frozen) {
        deps.stdout.write(`${service} frozen by ${value.by}: ${reason}\n` +
            `new deployments are refused; one already past AfterAllowTestTraffic is not stopped (use canary rollback ${service})\n`);
    }
    else {
        deps.stdout.write(`${service} unfrozen by ${value.by}: deployments may proceed\n`);
    }
}
