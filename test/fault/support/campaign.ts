/**
 * One seeded run of the fault campaign: one to three releases in a row (blue and green swap),
 * each clean or bad (+20 pp errors), with faults on every SDK call, dying invocations, duplicate
 * and late (minutes to hours) hook and EventBridge deliveries, an operator disruption at a random
 * moment or in the middle of an engine write, CloudWatch minutes missing or late, and the
 * deployment group's rollback on a stop as CanaryService ships it or without it (stop-rollback.ts).
 * The invariants are checked after every clock step (a minute while a release runs, five minutes
 * in the six hours left for late deliveries). The same seed and fault rate always give the same run.
 */
import { checkInvariants, forwardWeights } from '../../support';
import { incrementalChainVerifier, storedChain } from '../../support/chain-verifier';
import { faultChecks, type FaultViolation, type Release } from './checks';
import { FaultInjector } from './injector';
import { describeMetadataFault, planMetadataFault, scheduleMetadataFault } from './metadata-fault';
import { SeededRandom } from './random';
import { RECOVERY_RELEASES, recoveryFailures, recoveryPending } from './recovery';
import { describeStopFlag, planStopRollback, type StopFlag } from './stop-rollback';
import { CampaignWorld, GUARD_FUNCTION, type HookSet, START_CHECK_FUNCTION } from './world';

export const DISRUPTIONS = ['stop', 'alarm', 'freeze', 'abort', 'unhealthy'] as const;
export type Disruption = (typeof DISRUPTIONS)[number];

export interface RunOptions {
  readonly seed: number;
  /** Share of SDK calls that fail. */
  readonly faultRate: number;
}

/** Share of releases created straight through CodeDeploy without ecs-canary's hooks (none, or a pipeline's own). */
const UNGATED_SHARE = 0.1;

export interface ReleaseOutcome extends Release {
  readonly status: string;
  /** The newest failing decision the engine recorded for it (fail, rollback, abort, abandon), if any. */
  readonly reason?: string;
  /** Clean, with no operator disruption: the releases the success rate is measured on. */
  readonly undisturbed: boolean;
  /** Run after the drawn releases, to see the group deploy again after a stop without rollback (recovery.ts). */
  readonly recovery?: boolean;
}

export interface RunFigures {
  readonly staleWrites: number;
  /** Minutes production forwarded to a group without a healthy target, the write having sent it there. */
  readonly emptyGroupMinutesByWrite: number;
  readonly hookTimeouts: number;
  readonly hookTimeoutsWithReplacementTraffic: number;
  readonly badReleasesSucceeded: number;
  readonly writesBeforeRecord: number;
  /** Deployments created without ecs-canary's hooks that production traffic moved to, or that succeeded (invariant 8). */
  readonly ungatedNotStopped: number;
  /** Stops without CodeDeploy's rollback after which none of the next RECOVERY_RELEASES clean releases succeeded. */
  readonly stuckAfterStop: number;
  readonly faults: number;
  readonly deaths: number;
  readonly sdkCalls: number;
}

export interface RunResult {
  readonly seed: number;
  readonly faultRate: number;
  readonly releases: readonly ReleaseOutcome[];
  readonly violations: readonly FaultViolation[];
  /** The group did not deploy again after a stop without rollback (recovery.ts): one message per such stop. */
  readonly recoveryFailures: readonly string[];
  readonly trace: readonly string[];
  readonly figures: RunFigures;
  readonly simulatedMinutes: number;
}

const STEP_MS = 60_000;
/** How long production may forward to a group whose targets all failed before the engine has restored it. */
const EMPTY_GRACE_MS = 5 * 60_000;
const TERMINAL = ['Succeeded', 'Failed', 'Stopped'];

export async function runRollouts(options: RunOptions): Promise<RunResult> {
  const random = new SeededRandom(options.seed);
  // The metadata fault draws from a stream of its own: the seed's other draws stay as they were.
  const metadataRandom = new SeededRandom(options.seed * 7_919 + 17);
  // So do the group's rollback on a stop and the flag of an operator's stop.
  const stopRandom = new SeededRandom(options.seed * 6_151 + 29);
  const cw = new CampaignWorld(
    options.seed,
    {
      delayMinutes: random.int(1, 4),
      missing: random.pick([0, 0.02, 0.05]),
      late: random.pick([0, 0.05]),
      lateMinutes: random.int(3, 10),
    },
    random.pick(['BeforeAllowTraffic', 'AllowTraffic'] as const),
  );
  const { world, service } = cw;
  const started = world.clock.now();
  const trace: string[] = [];
  const log = (line: string) => trace.push(`[+${clockText(world.clock.now() - started)}] ${line}`);
  const injector = FaultInjector.forWorld(
    world,
    service.metadata.auditTableName!,
    random,
    { perCall: options.faultRate, perInvocation: options.faultRate * 2 },
    log,
    (seq) => {
      const write = world.elbv2.writes.find((w) => w.seq === seq);
      const name = (arn: string) => world.elbv2.targetGroups.get(arn)?.name ?? arn;
      return write
        ? Object.entries(write.forward)
            .map(([arn, weight]) => `${name(arn)} ${weight} (healthy ${write.healthyTargets[arn] ?? 0})`)
            .join(' / ')
        : '';
    },
  );
  const releases: Array<Release & { undisturbed: boolean; recovery?: boolean }> = [];
  const violations = new Map<string, FaultViolation>();
  let emptyMs = 0;
  let timeoutsOnReplacement = 0;
  const verifyAuditChain = incrementalChainVerifier();

  // A replacement that crashes while it serves production cannot be prevented, only undone: the
  // current state breaks invariant 1 only when it lasts past a grace (writes are checked strictly).
  let emptySince: number | undefined;
  const midWrites = new Set<string>();
  const check = (finished = false) => {
    const now = world.clock.now();
    const found: FaultViolation[] = [
      ...checkInvariants(world)
        .filter((v) => !(v.invariant === 1 && / has no healthy target now$/.test(v.message)))
        // A disruption fired after the engine's re-read, while its write was in flight: that write is
        // not a refused one (invariant 3); it must be undone, which invariant 4's restore check covers.
        .filter((v) => !(v.invariant === 3 && midWrites.has(v.at))),
      // Invariant 6, where checkInvariants' verifyAuditChain would report it (last), on the stored chain itself.
      ...verifyAuditChain(storedChain(world, service.metadata.service, service.metadata.auditTableName!)).map((message) => ({
        invariant: 6 as const,
        service: service.metadata.service,
        at: new Date(now).toISOString(),
        message,
      })),
      ...faultChecks(world, injector, releases, finished),
    ];
    emptySince = emptyGroupNow(cw) ? (emptySince ?? now) : undefined;
    if (emptySince !== undefined && now - emptySince > EMPTY_GRACE_MS) {
      found.push({
        invariant: 1,
        at: new Date(emptySince).toISOString(),
        message: `production has forwarded to a target group without a healthy target since ${new Date(emptySince).toISOString()} (more than ${EMPTY_GRACE_MS / 60_000} min)`,
      });
    }
    for (const v of found) {
      const key = `${v.invariant}|${v.message}`;
      if (!violations.has(key)) {
        violations.set(key, v);
        log(`VIOLATION [${v.invariant}] ${v.message}`);
      }
    }
  };

  try {
    injector.attach(world);
    // EventBridge → guard: delivered asynchronously, sometimes twice, sometimes hours late.
    world.codedeploy.onStateChange((event) => {
      // EventBridge → start check: every START and READY of the group, gated or not (invariant 8).
      // CodeDeploy's events are delivered "best effort": sometimes never, sometimes late or twice.
      if (cw.isStartEvent(event)) {
        const { deploymentId, state } = event.detail;
        if (random.chance(0.1)) log(`EventBridge ${state} ${deploymentId} lost`);
        else {
          log(`EventBridge ${state} ${deploymentId} → start check`);
          world.lambda.invokeAsync(START_CHECK_FUNCTION, event);
        }
        if (random.chance(0.2)) {
          const delay = random.chance(0.5) ? random.int(1, 5) * 60_000 : random.int(30, 360) * 60_000;
          world.clock.schedule(
            delay,
            () => {
              log(`EventBridge ${state} ${deploymentId} delivered ${Math.round(delay / 60_000)} min late`);
              world.lambda.invokeAsync(START_CHECK_FUNCTION, event);
            },
            'late EventBridge event',
          );
        }
        return;
      }
      if (!cw.isGuardEvent(event)) return;
      const { deploymentId, state } = event.detail;
      const d = world.codedeploy.deployment(deploymentId);
      if (d.errorInformation?.code === 'TIMEOUT' && / hook /.test(d.errorInformation.message)) {
        const onReplacement = world.elbv2.percents(service.metadata.productionListenerArn)[d.replacementTargetGroupArn] ?? 0;
        if (onReplacement > 0) timeoutsOnReplacement += 1;
      }
      log(`EventBridge ${state} ${deploymentId} → guard`);
      world.lambda.invokeAsync(GUARD_FUNCTION, event);
      if (random.chance(0.3)) {
        const delay = random.chance(0.5) ? random.int(0, 5) * 60_000 : random.int(30, 360) * 60_000;
        world.clock.schedule(
          delay,
          () => {
            log(`EventBridge ${state} ${deploymentId} delivered again (${Math.round(delay / 60_000)} min late)`);
            world.lambda.invokeAsync(GUARD_FUNCTION, event);
          },
          'late EventBridge event',
        );
      }
    });

    // The start check's minute sweep (an EventBridge schedule): deployments waiting in Ready.
    const sweep = () => {
      world.lambda.invokeAsync(START_CHECK_FUNCTION, { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} });
      world.clock.schedule(60_000, sweep, 'start check sweep');
    };
    world.clock.schedule(random.int(0, 59) * 1_000, sweep, 'start check sweep');

    const count = random.int(1, 3);
    let previousStatus: string | undefined;
    // After the drawn releases, clean ones (at most RECOVERY_RELEASES) until the group is seen to
    // deploy again after a stop without CodeDeploy's rollback; they draw as the others do, then are made clean.
    for (let index = 0; index < count || (index < count + RECOVERY_RELEASES && recoveryPending(world, releases)); index += 1) {
      const recovery = index >= count;
      const { autoRollback, operatorFlag: stopFlag, rightAfter } = planStopRollback(stopRandom);
      // Five minutes after the group is quiet, or (drawn, after a release that failed or was stopped)
      // as soon as it is, with that release's retried and late events (its STOP among them) on their way.
      const immediately = !recovery && rightAfter && previousStatus !== undefined && previousStatus !== 'Succeeded';
      await untilQuiet(cw, immediately ? 0 : 5 * 60_000);
      const bad = random.chance(0.3) && !recovery;
      // Deployments created without the engine's hooks (a pipeline, the console): the start check must stop them.
      const hooks: HookSet = random.chance(UNGATED_SHARE) && !recovery ? random.pick(['none', 'foreign'] as const) : 'engine';
      const disruption = hooks === 'engine' && random.chance(0.35) && !recovery ? random.pick(DISRUPTIONS) : undefined;
      const midWrite = disruption !== undefined && random.chance(0.4);
      const metadataFault = planMetadataFault(metadataRandom, hooks === 'engine' && !disruption && !recovery);
      cw.configureAutoRollback(autoRollback);
      const deploymentId = cw.deploy(index, bad, hooks);
      const ungated = hooks === 'none' ? 'no hooks' : hooks === 'foreign' ? 'foreign hooks' : undefined;
      const disrupted = disruption === 'stop' ? `stop (${describeStopFlag(stopFlag)})` : disruption;
      releases.push({
        index,
        deploymentId,
        bad,
        ...(disrupted ? { disruption: `${disrupted}${midWrite ? ' mid-write' : ''}` } : {}),
        ...(metadataFault ? { disruption: describeMetadataFault(metadataFault) } : {}),
        ...(ungated ? { ungated } : {}),
        undisturbed: !bad && !disruption && !ungated && !metadataFault,
        ...(recovery ? { recovery } : {}),
      });
      log(
        `release ${index}${recovery ? ' (recovery)' : ''}: ${deploymentId} ${bad ? 'bad (+20 pp errors)' : 'clean'}${ungated ? `, created with ${ungated} (not ecs-canary's)` : ''}${disrupted ? `, ${disrupted} ${midWrite ? 'in the middle of an engine write' : 'at a random moment'}` : ''}${metadataFault ? `, ${describeMetadataFault(metadataFault)} at minute ${metadataFault.atMinute}` : ''}; the group ${autoRollback.stoppedDeployment ? 'rolls back' : 'does not roll back'} a stopped deployment${immediately ? '; created as soon as the group was quiet' : ''}`,
      );
      const repairMetadata = metadataFault ? scheduleMetadataFault(cw, injector, deploymentId, metadataFault, log) : () => undefined;
      if (disruption)
        scheduleDisruption(cw, random, deploymentId, disruption, stopFlag, midWrite, injector, log, (at) =>
          midWrites.add(new Date(at).toISOString()),
        );
      if (!ungated) scheduleLateHooks(cw, random, deploymentId, log);
      let status = '';
      const limit = world.clock.now() + 240 * 60_000;
      while (world.clock.now() < limit) {
        await world.clock.advance(STEP_MS);
        emptyMs += emptyGroupByWrite(cw) ? STEP_MS : 0;
        const d = world.codedeploy.deployment(deploymentId);
        if (d.status !== status) {
          status = d.status;
          log(
            `${deploymentId} ${status}${d.errorInformation ? ` (${d.errorInformation.code}: ${d.errorInformation.message.slice(0, 120)})` : ''}`,
          );
        }
        check();
        if (TERMINAL.includes(d.status) && !active(cw)) break;
      }
      previousStatus = status;
      repairMetadata();
      world.ssm.putParameter({
        Name: service.metadata.freezeParameterName,
        Value: JSON.stringify({ frozen: false }),
        Type: 'String',
        Overwrite: true,
      });
      for (const alarm of service.alarms) world.cloudwatch.setAlarm(alarm, 'OK');
    }
    // Late deliveries arrive up to six hours after their event.
    for (let waited = 0; waited < 6 * 60; waited += 5) {
      await world.clock.advance(5 * 60_000);
      emptyMs += emptyGroupByWrite(cw) ? 5 * 60_000 : 0;
      check();
    }
    check(true);
  } finally {
    cw.restore();
  }
  const records = world.dynamodb
    .items(service.metadata.auditTableName!)
    .filter((i) => typeof i.sk === 'number' && i.sk >= 1)
    .sort((a, b) => (a.sk as number) - (b.sk as number));
  const reasonOf = (deploymentId: string) =>
    [...records]
      .reverse()
      .find((r) => r.deploymentId === deploymentId && ['fail', 'rollback', 'abort', 'abandon'].includes(String(r.verdict)))?.reason as
      string | undefined;
  const list = [...violations.values()];
  const stuck = recoveryFailures(world, releases);
  for (const message of stuck) trace.push(`RECOVERY ${message}`);
  return {
    seed: options.seed,
    faultRate: options.faultRate,
    releases: releases.map((r) => {
      const reason = reasonOf(r.deploymentId);
      return { ...r, status: world.codedeploy.deployment(r.deploymentId).status, ...(reason ? { reason } : {}) };
    }),
    violations: list,
    recoveryFailures: stuck,
    trace,
    simulatedMinutes: Math.round((world.clock.now() - started) / 60_000),
    figures: {
      staleWrites: list.filter((v) => v.invariant === 7 && / while d-\S+ was the group's newest deployment$/.test(v.message)).length,
      emptyGroupMinutesByWrite: emptyMs / 60_000,
      hookTimeouts: list.filter((v) => v.invariant === 9).length,
      hookTimeoutsWithReplacementTraffic: timeoutsOnReplacement,
      badReleasesSucceeded: list.filter((v) => v.invariant === 5).length,
      writesBeforeRecord: list.filter((v) => v.invariant === 6 && /without recording a decision first$/.test(v.message)).length,
      ungatedNotStopped: list.filter((v) => v.invariant === 8).length,
      stuckAfterStop: stuck.length,
      faults: injector.faults,
      deaths: injector.deaths,
      sdkCalls: world.calls.length,
    },
  };
}

function active(cw: CampaignWorld): boolean {
  return [...cw.world.codedeploy.deployments.values()].some((d) => !TERMINAL.includes(d.status));
}

/** Waits for every deployment of the group (CodeDeploy's rollbacks included) to end. */
async function untilQuiet(cw: CampaignWorld, gapMs: number): Promise<void> {
  await cw.world.clock.advanceUntil(() => !active(cw), 240 * 60_000, STEP_MS);
  if (gapMs > 0) await cw.world.clock.advance(gapMs);
}

/** Production (default action or a rule) forwards weight to a target group with no healthy target now. */
function emptyGroupNow(cw: CampaignWorld): boolean {
  const listener = cw.world.elbv2.listener(cw.service.metadata.productionListenerArn);
  return [listener.defaultActions, ...listener.rules.map((r) => r.actions)].some((actions) =>
    Object.entries(forwardWeights(actions)).some(([arn, weight]) => weight > 0 && cw.world.elbv2.healthyTargetCount(arn) === 0),
  );
}

/** Production forwards weight to a target group with no healthy target now, and the last write that set it did so to an empty group. */
function emptyGroupByWrite(cw: CampaignWorld): boolean {
  const production = cw.service.metadata.productionListenerArn;
  const last = [...cw.world.elbv2.writes].reverse().find((w) => w.listenerArn === production && w.operation === 'ModifyListener');
  if (!last || last.actor !== 'client') return false;
  return Object.entries(last.forward).some(
    ([arn, weight]) => weight > 0 && (last.healthyTargets[arn] ?? 0) === 0 && cw.world.elbv2.healthyTargetCount(arn) === 0,
  );
}

function scheduleDisruption(
  cw: CampaignWorld,
  random: SeededRandom,
  deploymentId: string,
  kind: Disruption,
  stopFlag: StopFlag,
  midWrite: boolean,
  injector: FaultInjector,
  log: (line: string) => void,
  inFlight: (at: number) => void,
): void {
  const { world, service } = cw;
  const fire = (): boolean => {
    const d = world.codedeploy.deployment(deploymentId);
    if (TERMINAL.includes(d.status)) return true;
    switch (kind) {
      case 'stop':
        world.codedeploy.stopDeployment({ deploymentId, ...(stopFlag === undefined ? {} : { autoRollbackEnabled: stopFlag }) });
        break;
      case 'alarm':
        world.cloudwatch.setAlarm(service.alarms[0], 'ALARM', 'fault campaign');
        break;
      case 'freeze':
        world.ssm.putParameter({
          Name: service.metadata.freezeParameterName,
          Value: JSON.stringify({ frozen: true, reason: 'fault campaign', by: 'oncall', at: world.clock.iso() }),
          Type: 'String',
          Overwrite: true,
        });
        break;
      case 'abort':
        world.ssm.putParameter({
          Name: service.metadata.controlParameterName!,
          Value: JSON.stringify({
            deploymentId,
            command: 'abort',
            requestedBy: 'oncall',
            at: world.clock.iso(),
            requestId: `abort-${deploymentId}`,
          }),
          Type: 'String',
          Overwrite: true,
        });
        break;
      case 'unhealthy':
        if (!d.replacementTaskSet) return false;
        world.setReplacementHealth(deploymentId, 'unhealthy');
        break;
    }
    log(`operator: ${kind === 'stop' ? `stop (${describeStopFlag(stopFlag)})` : kind} ${deploymentId}`);
    return true;
  };
  if (midWrite) {
    // While the n-th engine write of this release is in flight, after the engine's re-checks: a stop,
    // an alarm, a freeze or an abort right before it reaches ELB; targets failing as it lands.
    const nth = random.int(1, 4);
    let seen = 0;
    const intercept = injector.intercept;
    world.interceptor = async (call, answer) => {
      if (
        call.command === 'ModifyListenerCommand' &&
        call.caller &&
        world.codedeploy.deployment(deploymentId).status === 'InProgress' &&
        ++seen === nth
      ) {
        world.interceptor = intercept;
        log(`mid-write: ${call.caller} ModifyListener is in flight`);
        inFlight(world.clock.now());
        if (kind !== 'unhealthy') fire();
        else
          return intercept(call, async () => {
            const result = await answer();
            fire();
            return result;
          });
      }
      return intercept(call, answer);
    };
    return;
  }
  const delay = random.int(2, 70) * 60_000;
  const attempt = () => {
    if (!fire()) world.clock.schedule(60_000, attempt, 'disruption');
  };
  world.clock.schedule(delay, attempt, 'disruption');
}

/** Each hook delivered again with probability 0.3: soon (Lambda's duplicate) or up to three hours late. */
function scheduleLateHooks(cw: CampaignWorld, random: SeededRandom, deploymentId: string, log: (line: string) => void): void {
  const { world } = cw;
  for (const hook of ['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']) {
    if (!random.chance(0.3)) continue;
    const delay = random.chance(0.5) ? random.int(1, 10) * 60_000 : random.int(30, 180) * 60_000;
    const redeliver = () => {
      const invoked = world.codedeploy.deployment(deploymentId).events.some((e) => e.name === hook && e.hookExecutionId);
      if (!invoked) return;
      log(`Lambda delivers ${deploymentId} ${hook} again`);
      world.codedeploy.redeliverHook(deploymentId, hook);
    };
    world.clock.schedule(delay, redeliver, 'late hook delivery');
  }
}

function clockText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** The failure report: seed, how to reproduce it alone, the releases, the violations and the trace up to the first one. */
export function describeFailure(result: RunResult): string {
  const first = result.trace.findIndex((line) => line.includes('VIOLATION'));
  const upTo = first < 0 ? result.trace : result.trace.slice(0, first + 1);
  // Faults on reads and the tick's own failures are retried and frequent: the trace keeps the
  // releases, the operator, deliveries, writes, answers, and the faults and deaths of writes.
  const noise =
    /(Describe\w+|Get\w*|Query|List\w+|Sign|PutObject|PutMetricData|Put|PutItem|Publish): (throttle|5xx|timeout)|dies after call \d+ \((Describe\w+|Get\w*|Query|List\w+|Sign|PutObject|PutMetricData|Publish)|engine-tick#\d+ \(d-\w+\) failed/;
  const minimal = upTo.filter((line) => !noise.test(line)).slice(-60);
  return [
    `seed ${result.seed} at ${result.faultRate * 100}% faults per call — reproduce alone: FAULT_SEED=${result.seed} FAULT_RATE=${result.faultRate} npx jest test/fault`,
    `releases: ${result.releases.map((r) => `${r.index} ${r.deploymentId} ${r.bad ? 'bad' : 'clean'}${r.ungated ? ` ${r.ungated}` : ''}${r.disruption ? ` ${r.disruption}` : ''} → ${r.status}`).join('; ')}`,
    ...result.violations.map((v) => `  [${v.invariant}] ${v.at}: ${v.message}`),
    ...result.recoveryFailures.map((message) => `  [recovery] ${message}`),
    'trace up to the first violation (faults on reads and failed ticks left out):',
    ...minimal.map((line) => `  ${line}`),
  ].join('\n');
}
