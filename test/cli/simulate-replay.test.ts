/**
 * `canary simulate` in a terminal: the run replayed at `--speed` in the live view of `canary
 * deploy` (same state, same frame), ending on the outcome; lines only when not a terminal.
 */
import { renderFrame } from '../../cli/progress/render';
import { clockLine, FRAME_MS, frameTimes, replay, simulatedState } from '../../cli/simulate/replay';
import { run } from './harness';
import { plan, simulate, START } from './support/simulations';

const ESC = '\x1b[';
/** The frames a terminal was sent, each as its lines (the redraw escape splits them). */
const frames = (text: string) =>
  text
    .split(/\x1b\[\d+F\x1b\[J/)
    .map((chunk) => chunk.split('\n'))
    .filter((lines) => lines[0].startsWith('simulated '));

describe('simulate replay', () => {
  describe('simulatedState', () => {
    it('shows each stage of a rolled-back run as deploy would, ending Failed at 0% with the reason', () => {
      const result = simulate('late-regression');
      const promote = result.timeline.find((e) => e.verdict === 'promote')!;
      expect(simulatedState(result, plan, 'demo', START + 60_000)).toMatchObject({
        deploymentId: 'd-SIMULATED',
        status: 'InProgress',
        terminal: false,
        lifecycleEvent: 'AfterAllowTestTraffic',
        stage: { number: 1, of: 3, weight: 5, postTraffic: false },
        weights: { replacement: 5, original: 95 },
        bake: { ofDataMinutes: 5 },
      });
      expect(simulatedState(result, plan, 'demo', promote.at)).toMatchObject({
        stage: { number: 2, weight: 25 },
        weights: { replacement: 25 },
        bake: { leftDataMinutes: 10, ofDataMinutes: 10 },
        lastVerdict: { verdict: 'promote' },
      });
      const end = simulatedState(result, plan, 'demo', result.endTime);
      expect(end).toMatchObject({
        status: 'Failed',
        terminal: true,
        weights: { replacement: 0 },
        lastVerdict: { verdict: 'rollback', reason: result.reason },
      });
      expect(end.bake).toBeUndefined();
    });

    it("shows the bake the judge counted at every hold: the frame's data-minutes match the verdict beside it", () => {
      const result = simulate('clean');
      const holds = result.timeline.filter((e) => /baking: \d+ data-minute/.test(e.reason));
      expect(holds.length).toBeGreaterThan(20);
      for (const hold of holds) {
        const left = Number(/baking: (\d+) data-minute/.exec(hold.reason)![1]);
        expect(simulatedState(result, plan, 'demo', hold.at).bake).toMatchObject({ leftDataMinutes: left, judged: true });
      }
    });

    it('reaches the post-traffic bake at 100% and ends Succeeded for a clean run', () => {
      const result = simulate('clean');
      const allow = result.timeline.find((e) => e.hook === 'AllowTraffic')!;
      expect(simulatedState(result, plan, 'demo', allow.at + 60_000)).toMatchObject({
        weights: { replacement: 100 },
        lifecycleEvent: 'AfterAllowTraffic',
        stage: { postTraffic: true },
      });
      expect(simulatedState(result, plan, 'demo', result.endTime)).toMatchObject({
        status: 'Succeeded',
        terminal: true,
        lastVerdict: { verdict: 'succeed' },
      });
    });
  });

  describe('frameTimes', () => {
    it('draws every decision and the end, never more than speed × 200 ms of simulated time apart', () => {
      const result = simulate('late-regression');
      const times = frameTimes(result, 300);
      expect(times[0]).toBe(START);
      expect(times.at(-1)).toBe(result.endTime);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const e of result.timeline) expect(times).toContain(e.at);
      for (let i = 1; i < times.length; i += 1) expect(times[i] - times[i - 1]).toBeLessThanOrEqual(300 * FRAME_MS);
    });
  });

  describe('replay', () => {
    it('sleeps the simulated duration divided by the speed and redraws in place, full width when the terminal reports none', async () => {
      const result = simulate('late-regression');
      let slept = 0;
      let text = '';
      await replay(
        result,
        plan,
        'demo',
        60,
        { isTTY: true, columns: 0, write: (chunk: string) => ((text += chunk), true) },
        async (ms) => void (slept += ms),
      );
      expect(slept).toBeCloseTo((result.endTime - START) / 60, 6);
      const drawn = frames(text);
      expect(drawn.length).toBe(frameTimes(result, 60).length);
      // Same frame as deploy's live view, under the clock line.
      const last = drawn.at(-1)!.filter((l) => l !== '');
      expect(last).toEqual([
        clockLine(result, result.endTime, 60),
        ...renderFrame(simulatedState(result, plan, 'demo', result.endTime), 100),
      ]);
      expect(last[1]).toMatch(/^demo {2}d-SIMULATED {2}Failed/);
    });
  });

  describe('canary simulate', () => {
    it('replays in a terminal at --speed: the weights go 5 → 25 → 0 frame by frame, then the decisions are listed', async () => {
      const result = await run(['simulate', 'demo', '--scenario', 'late-regression', '--speed', '600'], { tty: true });
      expect(result.code).toBe(1);
      const drawn = frames(result.stdout.text);
      const weights = drawn
        .map((lines) => Number(/(\d+)% new/.exec(lines.join('\n'))![1]))
        .filter((w, i, all) => i === 0 || w !== all[i - 1]);
      expect(weights).toEqual([5, 25, 0]);
      expect(result.stdout.text).toContain(`${ESC}6F${ESC}J`);
      expect(result.slept).toBeCloseTo((simulate('late-regression').endTime - START) / 600, 2);
      expect(result.stdout.lines().at(-1)).toMatch(/^outcome: Failed after \d+ min, rolled back at 25% \(the reason is the last line\)$/);
    });

    it('prints lines at once, without escapes or waiting, when not a terminal', async () => {
      const result = await run(['simulate', 'demo', '--scenario', 'late-regression'], { tty: false });
      expect(result.slept).toBe(0);
      expect(result.stdout.text).not.toContain(ESC);
      expect(result.stdout.lines().some((l) => l.startsWith('simulate late-regression: '))).toBe(true);
    });

    it.each(['0', '-3', 'fast', ''])('rejects --speed %j naming what is accepted, exit 2', async (speed) => {
      const result = await run(['simulate', 'demo', '--scenario', 'clean', '--speed', speed], { tty: true });
      expect(result.code).toBe(2);
      expect(result.stderr.text).toMatch(/--speed ".*" is not a replay speed; accepted: a number above 0, times real time \(default 300\)/);
      expect(result.stdout.text).toBe('');
      expect(result.stderr.text).not.toMatch(/\n\s+at /);
    });
  });
});
