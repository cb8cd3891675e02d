/**
 * `canary simulate` in a terminal: the finished run replayed at `speed` × real time through the
 * live view `canary deploy` draws (the same ProgressState, the same frame), under a clock line.
 * The states and frame times are pure; `replay` only writes and sleeps.
 */
import type { CompiledPlan } from '../../lambdas/core/rollout-plan';
import type { OutputStream } from '../context';
import type { DeploymentSnapshot } from '../deploy/deployment-state';
import { type ProgressRecord, type ProgressState, progressState } from '../progress/model';
import { redraw, renderFrame } from '../progress/render';
import type { SimulationResult } from './engine';

/** The deployment id the simulated engine uses. */
export const SIMULATED_DEPLOYMENT = 'd-SIMULATED';
/** A frame every 200 ms of real time: smooth enough to read, few enough for a slow terminal. */
export const FRAME_MS = 200;
/** Default replay speed: a 55-minute clean rollout plays in about 11 seconds. */
export const DEFAULT_SPEED = 300;

/** What `canary deploy` would show at simulated time `at` (epoch ms) of the run. */
export function simulatedState(result: SimulationResult, plan: CompiledPlan, service: string, at: number): ProgressState {
  const seen = result.timeline.filter((e) => e.at <= at);
  const latest = seen[seen.length - 1];
  const ended = at >= result.endTime;
  const records: ProgressRecord[] = seen
    .map((e, i) => ({
      deploymentId: SIMULATED_DEPLOYMENT,
      sk: i + 1,
      at: new Date(e.at).toISOString(),
      hook: e.hook,
      stage: e.stage,
      verdict: e.verdict as ProgressRecord['verdict'],
      reason: e.reason,
      reasons: e.reasons,
      weights: { replacement: e.weight, original: 100 - e.weight },
    }))
    .reverse();
  const snapshot: DeploymentSnapshot = {
    deploymentId: SIMULATED_DEPLOYMENT,
    status: ended ? result.outcome : 'InProgress',
    terminal: ended,
    lifecycleEvents: [],
    currentEvent: latest?.hook,
    terminationWait: false,
    ...(ended && result.outcome === 'Failed' ? { errorMessage: result.reason } : {}),
  };
  // In the simulation the weight on the timeline is the listener's: the engine set it.
  const replacement = latest?.weight ?? 0;
  return progressState({ service, plan }, snapshot, { replacement, original: 100 - replacement }, records);
}

/** Simulated times to draw: every `speed × FRAME_MS` from the start, every decision, and the end. */
export function frameTimes(result: SimulationResult, speed: number): number[] {
  const step = Math.max(1, speed * FRAME_MS);
  const times = new Set<number>([result.endTime]);
  for (let t = result.startTime; t < result.endTime; t += step) times.add(t);
  for (const e of result.timeline) times.add(e.at);
  return [...times].filter((t) => t >= result.startTime && t <= result.endTime).sort((a, b) => a - b);
}

/** `simulated T+ 10:32  ×300` above the frame. */
export function clockLine(result: SimulationResult, at: number, speed: number): string {
  const seconds = Math.round((at - result.startTime) / 1000);
  return `simulated ${result.scenario}  T+${String(Math.floor(seconds / 60)).padStart(3, ' ')}:${String(seconds % 60).padStart(2, '0')}  ×${speed}`;
}

/** Draws the run frame by frame, sleeping (simulated gap ÷ speed) between frames; ends on the final frame. */
export async function replay(
  result: SimulationResult,
  plan: CompiledPlan,
  service: string,
  speed: number,
  out: OutputStream,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  let drawn = 0;
  let previous: number | undefined;
  for (const at of frameTimes(result, speed)) {
    if (previous !== undefined) await sleep((at - previous) / speed);
    previous = at;
    const lines = [clockLine(result, at, speed), ...renderFrame(simulatedState(result, plan, service, at), out.columns || 100)];
    out.write(redraw(drawn, lines));
    drawn = lines.length;
  }
}
