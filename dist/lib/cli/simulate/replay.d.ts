/**
 * `canary simulate` in a terminal: the finished run replayed at `speed` × real time through the
 * live view `canary deploy` draws (the same ProgressState, the same frame), under a clock line.
 * The states and frame times are pure; `replay` only writes and sleeps.
 */
import type { CompiledPlan } from '../../../lambdas/core/plan';
import type { OutputStream } from '../context';
import { type ProgressState } from '../progress/model';
import type { SimulationResult } from './engine';
/** The deployment id the simulated engine uses. */
export declare const SIMULATED_DEPLOYMENT = "d-SIMULATED";
/** A frame every 200 ms of real time: smooth enough to read, few enough for a slow terminal. */
export declare const FRAME_MS = 200;
/** Default replay speed: a 55-minute clean rollout plays in about 11 seconds. */
export declare const DEFAULT_SPEED = 300;
/** What `canary deploy` would show at simulated time `at` (epoch ms) of the run. */
export declare function simulatedState(result: SimulationResult, plan: CompiledPlan, service: string, at: number): ProgressState;
/** Simulated times to draw: every `speed × FRAME_MS` from the start, every decision, and the end. */
export declare function frameTimes(result: SimulationResult, speed: number): number[];
/** `simulated T+ 10:32  ×300` above the frame. */
export declare function clockLine(result: SimulationResult, at: number, speed: number): string;
/** Draws the run frame by frame, sleeping (simulated gap ÷ speed) between frames; ends on the final frame. */
export declare function replay(result: SimulationResult, plan: CompiledPlan, service: string, speed: number, out: OutputStream, sleep: (ms: number) => Promise<void>): Promise<void>;
