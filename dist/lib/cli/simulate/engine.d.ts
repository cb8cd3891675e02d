/**
 * `canary simulate`: the real controller and judge, with the service's plan and thresholds,
 * driven window by window against `lib/sim` traffic as CodeDeploy would drive them:
 * AfterAllowTestTraffic → BeforeAllowTraffic → AllowTraffic (100%) → AfterAllowTraffic.
 * Each tick sees what the Tick Lambda would (lib/sim/engine-observation.ts: its reads, its
 * queries, its bucket builder); the rollout record is kept between windows as DynamoDB keeps it.
 * `driveEngine` is also how `bench:judge` runs ecs-canary. Deterministic; no AWS, no real clock.
 */
import { type Observation, type RolloutState } from '../../../lambdas/core/controller';
import type { AuditDraft } from '../../../lambdas/core/audit-chain';
import type { JudgePolicy } from '../../../lambdas/core/judge';
import type { RolloutContext } from '../../../lambdas/core/judge-input';
import { type CompiledPlan, type HookName } from '../../../lambdas/core/plan';
import { TrafficWorld, type ObservationOptions, type Scenario, type SimMinute } from '../../sim';
export interface SimulationInput {
    readonly service: string;
    readonly plan: CompiledPlan;
    readonly policy: JudgePolicy;
    readonly scenario: Scenario;
    /** Epoch ms of the deployment's start. */
    readonly startTime: number;
}
export interface TimelineEntry {
    readonly at: number;
    readonly hook: HookName | 'AllowTraffic';
    readonly weight: number;
    /** The plan stage the decision was taken in, as the audit record carries it. */
    readonly stage?: {
        readonly index: number;
        readonly weight: number;
    };
    readonly verdict?: string;
    readonly action?: string;
    readonly reason: string;
    /** The judge's checks behind a verdict, as the audit record carries them. */
    readonly reasons?: AuditDraft['reasons'];
}
export interface SimulationResult {
    readonly scenario: string;
    readonly outcome: 'Succeeded' | 'Failed';
    readonly reason: string;
    readonly timeline: readonly TimelineEntry[];
    /** Every simulated minute (true values) from 10 minutes before the start to the end. */
    readonly minutes: readonly SimMinute[];
    readonly startTime: number;
    readonly endTime: number;
}
/** The tick that ended a run: the state it started from, what it saw, when. */
export interface DecidingTick {
    readonly state: RolloutState;
    readonly observation: Observation;
    readonly now: number;
}
export interface EngineRun {
    readonly outcome: 'Succeeded' | 'Failed';
    readonly reason: string;
    readonly timeline: readonly TimelineEntry[];
    /** Every change of the replacement weight, in order (CodeDeploy's AllowTraffic included). */
    readonly shifts: ReadonlyArray<{
        readonly at: number;
        readonly weight: number;
    }>;
    /** The rollout record (first shift, E), once the first window wrote it. */
    readonly rollout: RolloutContext | null;
    /** The window's last tick, when it failed (a rollback, a deadline). */
    readonly failedAt?: DecidingTick;
    readonly endTime: number;
}
export interface EngineOptions {
    readonly service: string;
    readonly plan: CompiledPlan;
    readonly policy: JudgePolicy;
    /** Epoch ms of the first hook's invocation. */
    readonly startTime: number;
    /** Publication delays of the simulated CloudWatch. */
    readonly observation: ObservationOptions;
}
/** Minutes of traffic before the deployment: the original's hour of history the first tick reads, and some. */
export declare const WARM_UP_MINUTES = 65;
export declare function simulateRollout(input: SimulationInput): SimulationResult;
/** Runs every hook window of the plan over `world` with the real controller, tick by tick. */
export declare function driveEngine(world: TrafficWorld, options: EngineOptions): EngineRun;
/**
 * What the Tick observes at `now`: on a window's first tick the original's history and the
 * rollout record (null before the first window wrote it), afterwards the whole rollout's minutes.
 */
export declare function observe(world: TrafficWorld, state: RolloutState, weight: number, now: number, options: ObservationOptions, record: RolloutContext | null): Observation;
