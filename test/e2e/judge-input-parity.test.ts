/**
 * Issue 14 item 3: for one simulated world, the real Tick (lambdas/handlers/tick.ts over the fake
 * AWS, traffic from sim through connectTraffic) and the pipeline of `canary simulate` and
 * `bench:judge` (sim/engine-observation.ts) hand the judge identical inputs at the same
 * instants. The fake CloudWatch publishes each minute when sim's `publishedAt` says, so both
 * see the same minutes; every tick's observation is rebuilt from the same TrafficWorld, state and
 * `now`, and the controller is run on it with the judge spied, to compare what the judge got.
 */
import * as controller from '../../lambdas/core/controller';
import type { JudgeInput } from '../../lambdas/core/judge';
import * as judgeModule from '../../lambdas/core/judge';
import type { Observation, RolloutState } from '../../lambdas/core/rollout-state';
import { type ObservationOptions, publishedAt } from '../../sim';
import { tickBuckets } from '../../sim/engine-observation';
import { connectTraffic } from '../support';
import { EngineWorld } from './support/engine-world';

const MINUTE = 60_000;
const DELAYS: ObservationOptions = { seed: 4242 };

interface TickCall {
  readonly state: RolloutState;
  readonly observation: Observation;
  readonly now: number;
  readonly judged: JudgeInput[];
}

describe('judge input parity: the Tick and the simulation pipeline', () => {
  let env: EngineWorld;
  afterEach(() => {
    jest.restoreAllMocks();
    env?.restore();
  });

  it('hands the judge the same input at every tick of a whole rollout, through the post-traffic bake', async () => {
    const realNext = controller.next;
    const realJudge = judgeModule.judge;
    const calls: TickCall[] = [];
    let recording: TickCall | undefined;
    let replaying = false;
    jest.spyOn(controller, 'next').mockImplementation((state, observation, now) => {
      if (!replaying) {
        recording = { state: structuredClone(state), observation: structuredClone(observation), now, judged: [] };
        calls.push(recording);
      }
      return realNext(state, observation, now);
    });
    let replayed: JudgeInput[] = [];
    jest.spyOn(judgeModule, 'judge').mockImplementation((input, policy) => {
      (replaying ? replayed : recording?.judged)?.push(structuredClone(input));
      return realJudge(input, policy);
    });

    env = new EngineWorld({ totalRps: 20, baselineErrorRate: 0.005, seed: 11 });
    env.world.cloudwatch.delayMinutes = (_group, minute) => (publishedAt(minute, DELAYS) - minute - MINUTE) / MINUTE;
    env.world.cloudwatch.partialNewestMinute = true;
    env.deploy();
    // The bridge answers TC(E:) at any E and keeps zero-request minutes' host counts, as sim does.
    connectTraffic(env.world, 'svc', env.traffic!);
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');

    const traffic = env.traffic!;
    const judgedTicks = calls.filter((c) => c.judged.length > 0);
    const starts = calls.filter((c) => c.state.status === 'starting');
    // Three windows (5/25, 50, post-traffic bake), each judged at many ticks.
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(judgedTicks.length).toBeGreaterThan(40);
    expect(new Set(judgedTicks.map((c) => c.state.hook))).toEqual(
      new Set(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']),
    );

    replaying = true;
    for (const call of starts) {
      const history = tickBuckets(traffic.minutes, call.state, call.now, DELAYS).original;
      expect(history.length).toBeGreaterThanOrEqual(55);
      expect(history).toEqual(call.observation.history);
    }
    let judgedMinutes = 0;
    for (const call of judgedTicks) {
      const metrics = tickBuckets(traffic.minutes, call.state, call.now, DELAYS);
      expect(metrics).toEqual(call.observation.metrics);
      replayed = [];
      controller.next(call.state, { ...call.observation, metrics }, call.now);
      const seen = replayed;
      expect(seen).toEqual(call.judged);
      judgedMinutes = Math.max(judgedMinutes, seen[0].canary.length);
      // The latency bar E and the slow-request counts at it reach the judge on both paths.
      expect(seen[0].slowThresholdMs).toBeGreaterThan(0);
      expect(seen[0].canary.every((b) => b.slowRequests !== undefined)).toBe(true);
    }
    // The last ticks judge the whole rollout: every stage's minutes and the hour of history before it.
    const last = judgedTicks[judgedTicks.length - 1].judged[0];
    expect(judgedMinutes).toBeGreaterThan(40);
    expect(last.baseline.filter((b) => b.start < last.stage.rolloutStartedAt!).length).toBeGreaterThanOrEqual(55);
  });
});
