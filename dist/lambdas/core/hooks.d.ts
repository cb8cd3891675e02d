import type { HookName } from './plan';
import type { Action } from './rollout-state';
export interface SmokeResult {
    readonly url: string;
    readonly expectStatus: number;
    readonly status?: number;
    readonly error?: string;
}
export interface GateInput {
    readonly deploymentId: string;
    readonly hook: HookName;
    readonly service: string;
    /** The freeze switch; only AfterAllowTestTraffic checks it. */
    readonly freeze?: {
        readonly frozen: boolean;
        readonly reason?: string;
        readonly by?: string;
        readonly at?: string;
    };
    readonly smoke: readonly SmokeResult[];
    readonly replacementHealth?: {
        readonly healthy: number;
        readonly unhealthy: number;
    };
    /** Whether the plan gives this hook's window any step (or a post-traffic bake). */
    readonly windowHasWork: boolean;
    readonly canaryHeader: boolean;
    /** Reads that failed, e.g. `freeze: DeployConfigError …`. A failed read fails the gate. */
    readonly errors: readonly string[];
}
export interface GateDecision {
    readonly passed: boolean;
    readonly reason: string;
    /** Actions to perform now; when `startExecution` is true the execution is started after them. */
    readonly actions: readonly Action[];
    readonly startExecution: boolean;
}
/** Why the gate fails, or undefined when it passes. Freeze first: nothing else matters then. */
export declare function gateProblem(input: GateInput): string | undefined;
export declare function decideHook(input: GateInput): GateDecision;
