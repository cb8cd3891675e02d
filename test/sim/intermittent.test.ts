import { MINUTE_MS, parseScenario, TrafficWorld } from '../../sim';

const T0 = Date.UTC(2026, 0, 1);
const world = (intermittent: boolean | undefined) => {
  const w = new TrafficWorld({
    seed: 3,
    totalRps: 200,
    baselineErrorRate: 0.005,
    startTime: T0,
    coldStart: false,
    regression: { kind: 'errors', deltaPp: 10, ...(intermittent === undefined ? {} : { intermittent }) },
  });
  w.setCanaryWeight(T0, 25);
  w.advanceTo(T0 + 40 * MINUTE_MS);
  return w;
};
const rate = (minutes: TrafficWorld['minutes']) =>
  minutes.reduce((s, m) => s + m.canary.errors5xx, 0) / minutes.reduce((s, m) => s + m.canary.requests, 0);

describe('intermittent regression', () => {
  it('is active in every other minute (even minutes) and harms requests only then', () => {
    const minutes = world(true).minutes;
    expect(minutes.map((m) => m.regressionActive)).toEqual(minutes.map((m) => Math.floor(m.start / MINUTE_MS) % 2 === 0));
    const on = minutes.filter((m) => m.regressionActive);
    const off = minutes.filter((m) => !m.regressionActive);
    expect(on).toHaveLength(20);
    expect(rate(on)).toBeGreaterThan(0.08);
    expect(rate(off)).toBeLessThan(0.02);
    expect(off.every((m) => m.canary.regressedRequests === 0)).toBe(true);
    expect(on.every((m) => m.canary.regressedRequests > 0)).toBe(true);
  });

  it('leaves a steady regression (intermittent absent or false) active every minute', () => {
    expect(world(undefined).minutes.every((m) => m.regressionActive)).toBe(true);
    expect(world(false).minutes.every((m) => m.regressionActive)).toBe(true);
  });

  it('is part of the scenario format and rejects a non-boolean', () => {
    const base = {
      name: 'i',
      seed: 1,
      runs: 1,
      totalRps: 10,
      baselineErrorRate: 0.005,
      noise: { gammaShape: null, shockRate: 0, burstRate: 0 },
    };
    expect(parseScenario({ ...base, regression: { kind: 'errors', deltaPp: 10, intermittent: true } }).regression?.intermittent).toBe(true);
    expect(() => parseScenario({ ...base, regression: { kind: 'errors', deltaPp: 10, intermittent: 'yes' } }, 'f.json')).toThrow(
      /f\.json: regression\.intermittent: got "yes"; accepted: true or false/,
    );
  });
});
