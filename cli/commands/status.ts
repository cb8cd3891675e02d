/**
 * `canary status <service> [--watch]`: the current (or last) deployment, outcome first — after a
 * rollback why (with the figures), who or what stopped it and where production traffic is now
 * (read from the listener); while it runs stage, weights, bake left in data-minutes, last verdict;
 * then the hook deadline, freeze switch and alarms. `--watch` redraws until the deployment ends
 * and exits like `canary deploy` (0 succeeded, 1 rolled back or failed). docs/operations-status.md.
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import type { Command } from 'commander';

import { awsCall, AwsCallError, DeploymentFailedError } from '../../lambdas/aws/deploy-errors';
import { escapeControl } from '../../lambdas/core/audit-anchor';
import { type DeploymentMetadata, serviceUrls } from '../../lambdas/core/metadata';
import { READY_WAIT_MINUTES } from '../../lambdas/core/start-check';
import type { AwsClients, CliDeps } from '../context';
import { deploymentOutcome, follow, retryTransient } from '../deploy/follow';
import { type FreezeState, readDeploymentMetadata, readFreeze } from '../deploy/service-config';
import { currentOrLastDeployment, observeStatus, type StatusObservation } from '../observe';
import { bakeText } from '../progress/bake';
import { redraw } from '../progress/render';
import { type OutputMode, outputMode } from '../progress/reporter';
import { verdictText } from '../progress/verdict-text';
import { type RecordChecker, recordChecker, trustPin } from '../record-checks';
import { deadlineText, hookDeadline } from './control';
import { awsOptions, type GlobalOptions, MAX_POLL_SECONDS, parseDeploymentId, parsePositiveInt, parseServiceName } from './shared';
import { quotedRecords, stageText, type StatusView, statusView, trafficText, trafficWarnings } from './status-view';

export interface AlarmView {
  readonly name: string;
  readonly state: string;
  readonly reason?: string;
}

interface StatusOptions extends GlobalOptions {
  readonly deployment?: string;
  readonly watch?: boolean;
  readonly pollSeconds: number;
}

/** Failed reads in a row tolerated while watching (the deployment goes on regardless). */
const WATCH_RETRIES = 5;

export function registerStatus(program: Command, deps: CliDeps): void {
  program
    .command('status')
    .description('show the current (or last) deployment of a service: its outcome, why, and where traffic is now')
    .argument('<service>', 'service name, as in services/<name>.yaml', parseServiceName)
    .option('--deployment <id>', 'a specific deployment instead of the current one', parseDeploymentId)
    .option('--watch', 'redraw until the deployment ends; exit 0 if it succeeded, 1 if it rolled back or failed')
    .option('--poll-seconds <n>', 'seconds between reads with --watch', parsePositiveInt('--poll-seconds', MAX_POLL_SECONDS), 10)
    .action(async (service: string, options: StatusOptions, command: Command) => {
      await status(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}

/** The deployment group's rollback alarms and their states. */
export async function alarmStates(clients: AwsClients, metadata: DeploymentMetadata): Promise<AlarmView[]> {
  const group = await awsCall('codedeploy:GetDeploymentGroup', () =>
    clients.codedeploy.send(
      new GetDeploymentGroupCommand({ applicationName: metadata.applicationName, deploymentGroupName: metadata.deploymentGroupName }),
    ),
  );
  const names = (group.deploymentGroupInfo?.alarmConfiguration?.alarms ?? []).map((a) => a.name).filter((n): n is string => !!n);
  if (names.length === 0) return [];
  const described = await awsCall('cloudwatch:DescribeAlarms', () =>
    clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names })),
  );
  return names.map((name) => {
    const alarm = described.MetricAlarms?.find((a) => a.AlarmName === name) ?? described.CompositeAlarms?.find((a) => a.AlarmName === name);
    return { name, state: alarm?.StateValue ?? 'MISSING', reason: alarm?.StateReason };
  });
}

export interface StatusExtra {
  /** The hook line (`deadlineText`), or undefined when no hook runs. */
  readonly deadline?: string;
  readonly freeze: FreezeState;
  readonly alarms: readonly AlarmView[] | AwsCallError;
  /** The deployment asked for when it was CodeDeploy's rollback of the subject. */
  readonly askedFor?: string;
  /** Where production and the test listener answer (from the deployment metadata). */
  readonly urls?: { readonly production?: string; readonly test: string };
}

const TAB = '          ';
/** The hooks whose windows the engine runs. */
const ENGINE_HOOKS: ReadonlySet<string> = new Set(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']);

/** The status screen (pure): outcome first. */
export function renderStatus(view: StatusView, extra: StatusExtra): string[] {
  const lines = [headline(view)];
  if (extra.askedFor)
    lines.push(`  (${extra.askedFor} is CodeDeploy's automatic rollback of ${view.deploymentId}; this is ${view.deploymentId}'s story)`);
  if (view.cause) {
    lines.push(`  why     ${view.cause.summary}`);
    for (const line of view.cause.lines) lines.push(`${TAB}${line}`);
    if (view.cause.record)
      lines.push(
        `${TAB}(record #${view.cause.record.seq} at ${view.cause.record.at}, verified${view.cause.record.pinned ? '' : ' against an unpinned trust root'}; canary history ${view.service} --deployment ${view.deploymentId})`,
      );
  }
  if (view.stoppedBy) lines.push(`  by      ${view.stoppedBy}`);
  lines.push(`  traffic now: ${trafficText(view.traffic)} — read from the production listener`);
  for (const warning of trafficWarnings(view)) lines.push(`  !       ${warning}`);
  if (view.guard) lines.push(`  guard   ${view.guard}`);
  if (view.rollback) lines.push(`  rollback CodeDeploy's automatic rollback ${view.rollback.deploymentId}: ${view.rollback.status}`);
  if (view.outcome === 'running') {
    if (view.status === 'Ready') {
      const [what, ...rest] = readyText(extra.freeze.frozen);
      lines.push(`  stage   ${what}`, ...rest.map((line) => `${TAB}${line}`));
    } else if (!view.stage) {
      const engines = !view.lastVerdict || ENGINE_HOOKS.has(view.lifecycleEvent ?? '');
      lines.push(
        `  stage   ${engines ? 'waiting for the rollout engine' : `none now: CodeDeploy runs ${view.lifecycleEvent ?? 'the deployment'}`}`,
      );
    }
    if (view.bake) lines.push(`  bake    ${bakeText(view.bake)}`);
  }
  if (view.verdictNotShown && view.outcome !== 'rolled-back') lines.push(`  verdict ${view.verdictNotShown}`);
  if (view.lastVerdict && view.outcome !== 'rolled-back') {
    lines.push(`  verdict ${verdictText(view.lastVerdict.verdict, view.lastVerdict.reason)}`);
    for (const check of view.lastVerdict.checks) lines.push(`${TAB}${check}`);
    lines.push(`${TAB}(record #${view.lastVerdict.seq} at ${view.lastVerdict.at})`);
  }
  if (extra.deadline) lines.push(`  hook    ${extra.deadline}`);
  if (view.terminal && view.codeDeployError) lines.push(`  error   CodeDeploy ${view.codeDeployError}`);
  if (extra.urls) lines.push(`  urls    ${extra.urls.production ? `production ${extra.urls.production} · ` : ''}test ${extra.urls.test}`);
  lines.push(
    extra.freeze.frozen
      ? `  freeze  FROZEN by ${extra.freeze.by ?? '?'} at ${extra.freeze.at ?? '?'}: ${extra.freeze.reason ?? 'no reason given'}`
      : '  freeze  not frozen',
  );
  if (extra.alarms instanceof AwsCallError) {
    lines.push(`  alarms  unavailable: ${extra.alarms.message}`);
    return lines.map(escapeControl);
  }
  if (extra.alarms.length === 0) lines.push('  alarms  none attached to the deployment group');
  for (const alarm of extra.alarms) lines.push(`  alarm   ${alarm.state.padEnd(17)} ${alarm.name}`);
  // Reasons come from SSM, CodeDeploy and signed records that quote them: no text may move the cursor, add a line or reverse itself.
  return lines.map(escapeControl);
}

/** What a deployment waiting in `Ready` waits for, and what ends the wait (the start check's rules, lambdas/core/start-check.ts). */
export function readyText(frozen: boolean): string[] {
  return [
    'waiting in Ready, before CodeDeploy reroutes production',
    ...(frozen
      ? ['the service is frozen: the start check stops it at its next run (within a minute)']
      : [
          "the start check (on its events and every minute) lets it go on if its AppSpec names the engine's hooks",
          'and its replacement has a healthy target, and stops it if either is missing',
        ]),
    `CodeDeploy stops it if it still waits after the ready wait (${READY_WAIT_MINUTES} minutes as ecs-canary sets it up)`,
  ];
}

function headline(view: StatusView): string {
  const where = [view.lifecycleEvent, view.stage && stageText(view.stage)].filter(Boolean).join(', ');
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

interface Screen {
  readonly observation: StatusObservation;
  readonly view: StatusView;
  readonly extra: StatusExtra;
  readonly terminal: boolean;
}

async function readScreen(
  clients: AwsClients,
  metadata: DeploymentMetadata,
  deploymentId: string,
  deps: CliDeps,
  countdown: boolean,
  checker: RecordChecker,
): Promise<Screen> {
  const observation = await observeStatus(clients, metadata, deploymentId);
  // The reasons the screen quotes come from records that verify, each checked on its own (never the whole trail).
  const checks = await checker.check(quotedRecords(observation));
  const freeze = await readFreeze(clients.ssm, metadata.freezeParameterName);
  // Alarms are one part of the picture: without permission to read them, show the rest and say why.
  const alarms = await alarmStates(clients, metadata).catch((error: unknown) => {
    if (error instanceof AwsCallError) return error;
    throw error;
  });
  const view = statusView({
    metadata,
    ...observation,
    checks,
    pinned: checker.pinned,
    ...(alarms instanceof AwsCallError ? {} : { alarms }),
  });
  const { subject } = observation;
  const deadline = hookDeadline(subject)
    ? countdown
      ? deadlineText(subject, deps.now())
      : `${hookDeadline(subject)!.hook} must answer by ${hookDeadline(subject)!.at.toISOString()}`
    : subject.terminal
      ? undefined
      : 'no hook is running now';
  const askedFor = subject.deploymentId !== deploymentId ? deploymentId : undefined;
  return {
    observation,
    view,
    extra: { deadline, freeze, alarms, urls: serviceUrls(metadata), ...(askedFor ? { askedFor } : {}) },
    terminal: observation.terminal,
  };
}

function jsonEvent(screen: Screen, deps: CliDeps): string {
  const { view, extra, observation } = screen;
  const deadline = hookDeadline(observation.subject);
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
    urls: extra.urls ?? null,
    ...(extra.alarms instanceof AwsCallError ? { alarms: null, alarmsError: extra.alarms.message } : { alarms: extra.alarms }),
  });
}

async function status(service: string, options: StatusOptions, deps: CliDeps): Promise<void> {
  const pin = trustPin(deps.env);
  const clients = deps.clients(awsOptions(options));
  const metadata = await readDeploymentMetadata(clients.ssm, service);
  const checker = recordChecker(clients, metadata, deps, pin);
  const deploymentId = options.deployment ?? (await currentOrLastDeployment(clients, metadata));
  const mode = outputMode(deps.stdout, options.json === true);
  if (!options.watch) {
    const screen = await readScreen(clients, metadata, deploymentId, deps, true, checker);
    deps.stdout.write(mode === 'json' ? `${jsonEvent(screen, deps)}\n` : `${renderStatus(screen.view, screen.extra).join('\n')}\n`);
    return;
  }
  const draw = watchDrawer(mode, deps);
  const result = await follow<Screen>({
    observe: () => readScreen(clients, metadata, deploymentId, deps, mode === 'tty', checker),
    onUpdate: draw,
    sleep: deps.sleep,
    now: () => deps.now().getTime(),
    intervalMs: options.pollSeconds * 1000,
    retryError: retryTransient(WATCH_RETRIES),
  });
  const { view, observation } = result.last;
  if (view.outcome === 'succeeded') return;
  const outcome = deploymentOutcome(observation.subject, view.cause?.summary);
  throw new DeploymentFailedError(outcome.reason, view.deploymentId, view.status);
}

/**
 * Draws each watched screen: redrawn in place in a terminal (cut to its width so the redraw
 * stays aligned); elsewhere only the lines that changed, timestamped; JSON on every change.
 */
function watchDrawer(mode: OutputMode, deps: CliDeps): (screen: Screen) => void {
  let drawn = 0;
  let previous: readonly string[] = [];
  let previousJson: string | undefined;
  return (screen) => {
    if (mode === 'json') {
      const { at: _at, ...rest } = JSON.parse(jsonEvent(screen, deps)) as Record<string, unknown>;
      const key = JSON.stringify(rest);
      if (key !== previousJson) deps.stdout.write(`${jsonEvent(screen, deps)}\n`);
      previousJson = key;
      return;
    }
    const lines = renderStatus(screen.view, screen.extra);
    if (mode === 'tty') {
      const width = deps.stdout.columns || 100;
      const cut = lines.map((l) => (l.length <= width ? l : `${l.slice(0, Math.max(0, width - 1))}…`));
      deps.stdout.write(redraw(drawn, cut));
      drawn = cut.length;
      return;
    }
    const seen = new Set(previous);
    const changed = lines.filter((l) => !seen.has(l));
    // The headline goes with every change, so each printed line has its deployment and outcome.
    if (changed.length > 0 && changed[0] !== lines[0]) changed.unshift(lines[0]);
    if (changed.length > 0) deps.stdout.write(`${changed.map((l) => `${deps.now().toISOString()} ${l}`).join('\n')}\n`);
    previous = lines;
  };
}
