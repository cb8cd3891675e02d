import { type Decision, type Observation, type RolloutState } from './rollout-state';
export * from './rollout-state';
export { metricReads } from './judge-input';
/** Seconds until the next tick: the next time a new complete minute is available. */
export declare function secondsUntilNextMinute(now: number): number;
export declare function next(state: RolloutState, observation: Observation, now: number): Decision;
/**
 * The tick itself failed repeatedly (the state machine caught it): restore 100% to the original
 * and report Failed, so that a broken engine never leaves production half-shifted until
 * CodeDeploy's hook timeout.
 */
export declare function failSafe(state: RolloutState, error: string, now: number): Decision;
