import type { Command } from 'commander';
import { type Scenario } from '../../sim';
import { type PlanDetection } from '../../../lambdas/core/plan-detection';
import type { CompiledPlan } from '../../../lambdas/core/plan';
import type { JudgePolicy } from '../../../lambdas/core/judge';
import type { CliDeps } from '../context';
export declare function registerSimulate(program: Command, deps: CliDeps): void;
/**
 * What the plan can detect at the scenario's traffic (`canary plan`'s figures, offline): its rate,
 * the baseline's error rate and the simulation's clean p95.
 */
export declare function scenarioDetection(plan: CompiledPlan, scenario: Scenario, policy: JudgePolicy): PlanDetection;
