import { type Runtime } from './runtime';
export interface DeploymentStateChange {
    readonly 'detail-type'?: string;
    readonly detail: {
        readonly deploymentId: string;
        readonly state: string;
        readonly deploymentGroup?: string;
        readonly application?: string;
    };
}
export interface GuardOptions {
    /** Waits `ms` before the re-check (tests pass the fake clock's). @default a timer */
    readonly sleep?: (ms: number) => Promise<void>;
    /** The invocation's remaining time, ms (the Lambda context's). @default unbounded */
    readonly remainingMs?: () => number;
}
export interface GuardResult {
    readonly restored: boolean;
    readonly stopped: string[];
    /** Whether the re-check found a write that was in flight and restored again. */
    readonly restoredAgain: boolean;
}
export declare const handler: (event: DeploymentStateChange, context?: {
    getRemainingTimeInMillis(): number;
}) => Promise<GuardResult>;
export declare function guard(rt: Runtime, event: DeploymentStateChange, options?: GuardOptions): Promise<GuardResult>;
