import { type Command } from 'commander';
import { type PlanDetection } from '../../../lambdas/core/plan-detection';
import type { JudgePolicy } from '../../../lambdas/core/judge';
import type { DeploymentMetadata } from '../../../lambdas/core/metadata';
import type { AwsClients, CliDeps } from '../context';
/** A commander parser for a number in a range that names the option, the value and what is accepted. */
export declare function parseNumberIn(option: string, accepted: string, ok: (v: number) => boolean): (value: string) => number;
export declare function registerPlan(program: Command, deps: CliDeps): void;
/** The deployed plan's figures at the last hour's traffic (CloudWatch retries sleep on the CLI's clock). */
export declare function measuredDetection(clients: AwsClients, metadata: DeploymentMetadata, deps: CliDeps): Promise<PlanDetection>;
/**
 * `canary deploy --require-detect <pp>`: refuses (exit 2, before anything is registered or
 * created) when the plan cannot catch `pp` before 100% at the measured traffic.
 */
export declare function requireDetection(detection: PlanDetection, pp: number, plan: DeploymentMetadata['plan'], policy: JudgePolicy): void;
