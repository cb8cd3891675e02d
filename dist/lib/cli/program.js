"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildProgram = buildProgram;
exports.runCli = runCli;
/**
 * The `canary` program: commander set-up, global options and the mapping of every outcome to an
 * exit code (see `exit.ts`). `runCli` never calls `process.exit`; `bin/canary.ts` does.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const commander_1 = require("commander");
const control_1 = require("./commands/control");
const deploy_1 = require("./commands/deploy");
const freeze_1 = require("./commands/freeze");
const history_1 = require("./commands/history");
const plan_1 = require("./commands/plan");
const rollback_1 = require("./commands/rollback");
const simulate_1 = require("./commands/simulate");
const status_1 = require("./commands/status");
const exit_1 = require("./exit");
function buildProgram(deps) {
    const program = new commander_1.Command('canary')
        .description('gated progressive rollouts (5% → 25% → 50% → 100%) for ECS services: deploy, watch, act')
        .addOption(new commander_1.Option('--region <region>', 'AWS region (default: the SDK chain: AWS_REGION, profile, ...)'))
        .addOption(new commander_1.Option('--profile <profile>', 'AWS profile from ~/.aws/config (default: the SDK chain)'))
        .option('--json', 'print one JSON event per line')
        .version(packageVersion(), '-V, --version')
        .exitOverride()
        // Each subcommand's --help also lists --region, --profile and --json.
        .configureHelp({ showGlobalOptions: true })
        .configureOutput({
        writeOut: (text) => void deps.stdout.write(text),
        writeErr: (text) => void deps.stderr.write(text),
        outputError: () => undefined,
    });
    (0, deploy_1.registerDeploy)(program, deps);
    (0, status_1.registerStatus)(program, deps);
    (0, control_1.registerControl)(program, deps);
    (0, rollback_1.registerRollback)(program, deps);
    (0, history_1.registerHistory)(program, deps);
    (0, freeze_1.registerFreeze)(program, deps);
    (0, simulate_1.registerSimulate)(program, deps);
    (0, plan_1.registerPlan)(program, deps);
    for (const command of program.commands)
        command.exitOverride().configureOutput({
            writeOut: (text) => void deps.stdout.write(text),
            writeErr: (text) => void deps.stderr.write(text),
            outputError: () => undefined,
        });
    return program;
}
/** The package's version: its package.json is two levels up from lib/cli, three from dist/lib/cli. */
function packageVersion() {
    for (const up of [['..', '..'], ['..', '..', '..']]) {
        try {
            const pkg = JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(__dirname, ...up, 'package.json'), 'utf8'));
            if (pkg.name === 'ecs-canary')
                return pkg.version;
        }
        catch {
            // not there: try the next level
        }
    }
    return 'unknown';
}
/** What the SDK throws when neither `--region`, `AWS_REGION` nor the profile names a region. */
const SDK_REGION_MISSING = 'Region is missing';
const REGION_HINT = 'usage error: no AWS region: pass --region <region>, set AWS_REGION, or set region for the profile in ~/.aws/config (--profile or AWS_PROFILE)';
/** True when `error` or one of its causes is the SDK's missing-region error. */
function isRegionMissing(error) {
    for (let e = error; e instanceof Error; e = e.cause)
        if (e.message === SDK_REGION_MISSING)
            return true;
    return false;
}
/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
async function runCli(argv, deps) {
    const program = buildProgram(deps);
    try {
        if (argv.length === 0) {
            program.outputHelp();
            return exit_1.EXIT.usage;
        }
        await program.parseAsync([...argv], { from: 'user' });
        return exit_1.EXIT.ok;
    }
    catch (error) {
        const { code, line: reason } = isRegionMissing(error) ? { code: exit_1.EXIT.usage, line: REGION_HINT } : (0, exit_1.exitFor)(error);
        if (reason) {
            // A parse error (not a bad value, whose line says what is accepted) points to the usage: the subcommand's help when one was named.
            const command = argv.find((a) => program.commands.some((c) => c.name() === a));
            const hint = error instanceof commander_1.CommanderError && error.code !== 'commander.invalidArgument';
            const line = hint ? `${reason}; see canary ${command ? `${command} ` : ''}--help` : reason;
            deps.stderr.write(`${line}\n`);
            const extra = error instanceof exit_1.CommandFailedError ? error.result : undefined;
            if (argv.includes('--json'))
                deps.stdout.write(`${JSON.stringify({ type: 'result', at: deps.now().toISOString(), exitCode: code, ...extra, reason: line })}\n`);
        }
        return code;
    }
}
