"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerStatus = registerStatus;
exports.alarmStates = alarmStates;
exports.renderStatus = renderStatus;
/**
 * `canary status <service> [--watch]`: the current (or last) deployment, outcome first — after a
 * rollback why (with the figures), who or what stopped it and where production traffic is now
 * (read from the listener); while it runs stage, weights, bake left in data-minutes, last verdict;
 * then the hook deadline, freeze switch and alarms. `--watch` redraws until the deployment ends
 * and exits like `canary deploy` (0 succeeded, 1 rolled back or failed). docs/operations-status.md.
 */
const client_cloudwatch_1 = require("@aws-sdk/client-cloudwatch");
const client_codedeploy_1 = require("@aws-sdk/client-codedeploy");
const errors_1 = require("../../deploy/errors");
const follow_1 = require("../../deploy/follow");
const service_config_1 = require("../../deploy/service-config");
const observe_1 = require("../observe");
const bake_1 = require("../progress/bake");
const render_1 = require("../progress/render");
const reporter_1 = require("../progress/reporter");
const control_1 = require("./control");
const shared_1 = require("./shared");
const status_view_1 = require("./status-view");
/** Failed reads in a row tolerated while watching (the deployment goes on regardless). */
const WATCH_RETRIES = 5;
function registerStatus(program, deps) {
    program
        .command('status')
        .description('show the current (or last) deployment of a service: its outcome, why, and where traffic is now')
        .argument('<service>')
        .option('--deployment <id>', 'a specific deployment instead of the current one')
        .option('--watch', 'redraw until the deployment ends; exit 0 if it succeeded, 1 if it rolled back or failed')
        .option('--poll-seconds <n>', 'seconds between reads with --watch', (0, shared_1.parsePositiveInt)('--poll-seconds'), 10)
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
const TAB = '          ';
/** The hooks whose windows the engine runs. */
const ENGINE_HOOKS = new Set(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']);
/** The status screen (pure): outcome first. */
function renderStatus(view, extra) {
    const lines = [headline(view)];
    if (extra.askedFor)
        lines.push(`  (${extra.askedFor} is CodeDeploy's automatic rollback of ${view.deploymentId}; this is ${view.deploymentId}'s story)`);
    if (view.cause) {
        lines.push(`  why     ${view.cause.summary}`);
        for (const line of view.cause.lines)
            lines.push(`${TAB}${line}`);
        if (view.cause.record)
            lines.push(`${TAB}(record #${view.cause.record.seq} at ${view.cause.record.at}; canary history ${view.service} --deployment ${view.deploymentId})`);
    }
    if (view.stoppedBy)
        lines.push(`  by      ${view.stoppedBy}`);
    lines.push(`  traffic now: ${(0, status_view_1.trafficText)(view.traffic)} — read from the production listener`);
    for (const warning of (0, status_view_1.trafficWarnings)(view))
        lines.push(`  !       ${warning}`);
    if (view.guard)
        lines.push(`  guard   ${view.guard}`);
    if (view.rollback)
        lines.push(`  rollback CodeDeploy's automatic rollback ${view.rollback.deploymentId}: ${view.rollback.status}`);
    if (view.outcome === 'running') {
        if (!view.stage) {
            const engines = !view.lastVerdict || ENGINE_HOOKS.has(view.lifecycleEvent ?? '');
            lines.push(`  stage   ${engines ? 'waiting for the rollout engine' : `none now: CodeDeploy runs ${view.lifecycleEvent ?? 'the deployment'}`}`);
        }
        if (view.bake)
            lines.push(`  bake    ${(0, bake_1.bakeText)(view.bake)}`);
    }
    if (view.lastVerdict && view.outcome !== 'rolled-back') {
        lines.push(`  verdict ${view.lastVerdict.verdict}: ${view.lastVerdict.reason}`);
        for (const check of view.lastVerdict.checks)
            lines.push(`${TAB}${check}`);
        lines.push(`${TAB}(record #${view.lastVerdict.seq} at ${view.lastVerdict.at})`);
    }
    if (extra.deadline)
        lines.push(`  hook    ${extra.deadline}`);
    if (view.terminal && view.codeDeployError)
        lines.push(`  error   CodeDeploy ${view.codeDeployError}`);
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
function headline(view) {
    const where = [view.lifecycleEvent, view.stage && (0, status_view_1.stageText)(view.stage)].filter(Boolean).join(', ');
    const head = `${view.service}  ${view.deploymentId}`;
    switch (view.outcome) {
        case 'running':
            return `${head}  IN PROGRESS${view.status === 'InProgress' ? '' : ` (${view.status})`}${where ? ` · ${where}` : ''}`;
        case 'succeeded':
            return `${head}  SUCCEEDED${view.completedAt ? ` at ${view.completedAt}` : ''}`;
        default: {
            const label = { 'rolled-back': 'ROLLED BACK', failed: 'FAILED', stopped: 'STOPPED' }[view.outcome];
            return `${head}  ${label} (${view.status}${view.completedAt ? ` at ${view.completedAt}` : ''})${where ? ` · ${where}` : ''}`;
        }
    }
}
async function readScreen(clients, metadata, deploymentId, deps, countdown) {
    const observation = await (0, observe_1.observeStatus)(clients, metadata, deploymentId);
    const freeze = await (0, service_config_1.readFreeze)(clients.ssm, metadata.freezeParameterName);
    // Alarms are one part of the picture: without permission to read them, show the rest and say why.
    const alarms = await alarmStates(clients, metadata).catch((error) => {
        if (error instanceof errors_1.AwsCallError)
            return error;
        throw error;
    });
    const view = (0, status_view_1.statusView)({ metadata, ...observation, ...(alarms instanceof errors_1.AwsCallError ? {} : { alarms }) });
    const { subject } = observation;
    const deadline = (0, control_1.hookDeadline)(subject)
        ? countdown ? (0, control_1.deadlineText)(subject, deps.now()) : `${(0, control_1.hookDeadline)(subject).hook} must answer by ${(0, control_1.hookDeadline)(subject).at.toISOString()}`
        : subject.terminal ? undefined : 'no hook is running now';
    const askedFor = subject.deploymentId !== deploymentId ? deploymentId : undefined;
    return { observation, view, extra: { deadline, freeze, alarms, ...(askedFor ? { askedFor } : {}) }, terminal: observation.terminal };
}
function jsonEvent(screen, deps) {
    const { view, extra, observation } = screen;
    const deadline = (0, control_1.hookDeadline)(observation.subject);
    const replacement = view.traffic.shares?.find((s) => s.role === 'replacement')?.percent;
    const original = view.traffic.shares?.find((s) => s.role === 'original')?.percent;
    return JSON.stringify({
        type: 'status',
        at: deps.now().toISOString(),
        ...view,
        weights: view.traffic.shares ? { original: original ?? 0, replacement: replacement ?? 0 } : null,
        hookDeadline: deadline ? { hook: deadline.hook, at: deadline.at.toISOString() } : null,
        rollbackOf: extra.askedFor ? null : (observation.subject.rollbackOf ?? null),
        askedFor: extra.askedFor ?? null,
        freeze: extra.freeze,
        ...(extra.alarms instanceof errors_1.AwsCallError ? { alarms: null, alarmsError: extra.alarms.message } : { alarms: extra.alarms }),
    });
}
async function status(service, options, deps) {
    const clients = deps.clients((0, shared_1.awsOptions)(options));
    const metadata = await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service);
    const deploymentId = options.deployment ?? (await (0, observe_1.currentOrLastDeployment)(clients, metadata));
    const mode = (0, reporter_1.outputMode)(deps.stdout, options.json === true);
    if (!options.watch) {
        const screen = await readScreen(clients, metadata, deploymentId, deps, true);
        deps.stdout.write(mode === 'json' ? `${jsonEvent(screen, deps)}\n` : `${renderStatus(screen.view, screen.extra).join('\n')}\n`);
        return;
    }
    const draw = watchDrawer(mode, deps);
    const result = await (0, follow_1.follow)({
        observe: () => readScreen(clients, metadata, deploymentId, deps, mode === 'tty'),
        onUpdate: draw,
        sleep: deps.sleep,
        now: () => deps.now().getTime(),
        intervalMs: options.pollSeconds * 1000,
        retryError: (0, follow_1.retryTransient)(WATCH_RETRIES),
    });
    const { view, observation } = result.last;
    if (view.outcome === 'succeeded')
        return;
    const outcome = (0, follow_1.deploymentOutcome)(observation.subject, view.cause?.summary);
    throw new errors_1.DeploymentFailedError(outcome.reason, view.deploymentId, view.status);
}
/**
 * Draws each watched screen: redrawn in place in a terminal (cut to its width so the redraw
 * stays aligned); elsewhere only the lines that changed, timestamped; JSON on every change.
 */
function watchDrawer(mode, deps) {
    let drawn = 0;
    let previous = [];
    let previousJson;
    return (screen) => {
        if (mode === 'json') {
            const { at: _at, ...rest } = JSON.parse(jsonEvent(screen, deps));
            const key = JSON.stringify(rest);
            if (key !== previousJson)
                deps.stdout.write(`${jsonEvent(screen, deps)}\n`);
            previousJson = key;
            return;
        }
        const lines = renderStatus(screen.view, screen.extra);
        if (mode === 'tty') {
            const width = deps.stdout.columns || 100;
            const cut = lines.map((l) => (l.length <= width ? l : `${l.slice(0, Math.max(0, width - 1))}…`));
            deps.stdout.write((0, render_1.redraw)(drawn, cut));
            drawn = cut.length;
            return;
        }
        const seen = new Set(previous);
        const changed = lines.filter((l) => !seen.has(l));
        // The headline goes with every change, so each printed line has its deployment and outcome.
        if (changed.length > 0 && changed[0] !== lines[0])
            changed.unshift(lines[0]);
        if (changed.length > 0)
            deps.stdout.write(`${changed.map((l) => `${deps.now().toISOString()} ${l}`).join('\n')}\n`);
        previous = lines;
    };
}
