import type { JudgePolicy } from '../../../lambdas/core/judge';
import { type CompiledPlan, type HookName } from '../../../lambdas/core/plan';
import { type Scenario, type SimMinute } from '../../sim';
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
    readonly verdict?: string;
    readonly action?: string;
    readonly reason: string;
}
export interface SimulationResult {
    readonly scenario: string;
    readonly outcome: 'Succeeded' | 'Failed';
    readonly reason: string;
    readonly timeline: readonly TimelineEntry[];
    /** Every simulated minute (true values) from start to end. */
    readonly minutes: readonly SimMinute[];
    readonly startTime: number;
    readonly endTime: number;
}
export declare function simulateRollout(input: SimulationInput): SimulationResult;
