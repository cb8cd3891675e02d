import { type ExecutionInput, type Observation, type RolloutState } from '../core/rollout-state';
import { type Runtime } from './runtime';
/** What the state machine passes from one tick to the next. */
export interface TickPayload {
    readonly input: ExecutionInput;
    readonly state: RolloutState;
    readonly waitSeconds: number;
    readonly done: boolean;
}
/** What the state machine's Catch adds (ResultPath `$.error`) when the tick failed after its retries. */
export interface TickFailure {
    readonly error: {
        readonly Error?: string;
        readonly Cause?: string;
    };
}
export type TickEvent = (ExecutionInput | TickPayload) & Partial<TickFailure>;
export declare function handler(event: TickEvent): Promise<TickPayload>;
export declare function tick(rt: Runtime, event: TickEvent): Promise<TickPayload>;
/** Reads everything the controller needs; a failed read is named in `errors`, never thrown. */
export declare function observe(rt: Runtime, state: RolloutState, now: number): Promise<Observation>;
