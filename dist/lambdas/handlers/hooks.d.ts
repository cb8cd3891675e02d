import { type HookName } from '../core/plan';
import { type Runtime } from './runtime';
export interface HookEvent {
    readonly DeploymentId: string;
    readonly LifecycleEventHookExecutionId: string;
}
export declare const afterAllowTestTraffic: (event: HookEvent) => Promise<{
    passed: boolean;
    reason: string;
}>;
export declare const beforeAllowTraffic: (event: HookEvent) => Promise<{
    passed: boolean;
    reason: string;
}>;
export declare const afterAllowTraffic: (event: HookEvent) => Promise<{
    passed: boolean;
    reason: string;
}>;
export declare function runHook(rt: Runtime, hook: HookName, event: HookEvent): Promise<{
    passed: boolean;
    reason: string;
}>;
