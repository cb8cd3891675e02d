"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_SPEED = exports.FRAME_MS = exports.SIMULATED_DEPLOYMENT = void 0;
exports.simulatedState = simulatedState;
exports.frameTimes = frameTimes;
exports.clockLine = clockLine;
exports.replay = replay;
const model_1 = require("../progress/model");
const render_1 = require("../progress/render");
/** The deployment id the simulated engine uses. */
exports.SIMULATED_DEPLOYMENT = 'd-SIMULATED';
/** A frame every 200 ms of real time: smooth enough to read, few enough for a slow terminal. */
exports.FRAME_MS = 200;
/** Default replay speed: a 55-minute clean rollout plays in about 11 seconds. */
exports.DEFAULT_SPEED = 300;
/** What `canary deploy` would show at simulated time `at` (epoch ms) of the run. */
function simulatedState(result, plan, service, at) {
    const seen = result.timeline.filter((e) => e.at <= at);
    const latest = seen[seen.length - 1];
    const ended = at >= result.endTime;
    const records = seen
        .map((e, i) => ({
        deploymentId: exports.SIMULATED_DEPLOYMENT,
        sk: i + 1,
        at: new Date(e.at).toISOString(),
        hook: e.hook,
        stage: e.stage,
        verdict: e.verdict,
        reason: e.reason,
        reasons: e.reasons,
        weights: { replacement: e.weight, original: 100 - e.weight },
    }))
        .reverse();
    const snapshot = {
        deploymentId: exports.SIMULATED_DEPLOYMENT,
        status: ended ? result.outcome : 'InProgress',
        terminal: ended,
        lifecycleEvents: [],
        currentEvent: latest?.hook,
        terminationWait: false,
        ...(ended && result.outcome === 'Failed' ? { errorMessage: result.reason } : {}),
    };
    // In the simulation the weight on the timeline is the listener's: the engine set it.
    const replacement = latest?.weight ?? 0;
    return (0, model_1.progressState)({ service, plan }, snapshot, { replacement, original: 100 - replacement }, records);
}
/** Simulated times to draw: every `speed × FRAME_MS` from the start, every decision, and the end. */
function frameTimes(result, speed) {
    const step = Math.max(1, speed * exports.FRAME_MS);
    const times = new Set([result.endTime]);
    for (let t = result.startTime; t < result.endTime; t += step)
        times.add(t);
    for (const e of result.timeline)
        times.add(e.at);
    return [...times].filter((t) => t >= result.startTime && t <= result.endTime).sort((a, b) => a - b);
}
/** `simulated T+ 10:32  ×300` above the frame. */
function clockLine(result, at, speed) {
    const seconds = Math.round((at - result.startTime) / 1000);
    return `simulated ${result.scenario}  T+${String(Math.floor(seconds / 60)).padStart(3, ' ')}:${String(seconds % 60).padStart(2, '0')}  ×${speed}`;
}
/** Draws the run frame by frame, sleeping (simulated gap ÷ speed) between frames; ends on the final frame. */
async function replay(result, plan, service, speed, out, sleep) {
    let drawn = 0;
    let previous;
    for (const at of frameTimes(result, speed)) {
        if (previous !== undefined)
            await sleep((at - previous) / speed);
        previous = at;
        const lines = [clockLine(result, at, speed), ...(0, render_1.renderFrame)(simulatedState(result, plan, service, at), out.columns || 100)];
        out.write((0, render_1.redraw)(drawn, lines));
        drawn = lines.length;
    }
}
