import { parseScenario, ScenarioError } from '../../sim';

const VALID = {
  name: 'demo',
  seed: 1,
  runs: 10,
  totalRps: 50,
  baselineErrorRate: 0.005,
  noise: { gammaShape: 4, shockRate: 0.02, burstRate: 0.01 },
  regression: { kind: 'errors', deltaPp: 5, onsetMinute: 2 },
};

describe('parseScenario', () => {
  it('accepts the documented format', () => {
    expect(parseScenario(VALID)).toEqual(VALID);
    expect(parseScenario({ ...VALID, regression: null }).regression).toBeNull();
  });

  it.each([
    ['a negative rate', { ...VALID, totalRps: -1 }, /totalRps: got -1; accepted: requests per second of the whole service, above 0/],
    [
      'a missing noise field',
      { ...VALID, noise: { gammaShape: null, shockRate: 0 } },
      /noise\.burstRate: missing; accepted: a share of minutes from 0 to 1/,
    ],
    [
      'an errors regression without deltaPp or ratio',
      { ...VALID, regression: { kind: 'errors' } },
      /regression: got \{"kind":"errors"\}; accepted: kind "errors" needs one of deltaPp or ratio/,
    ],
    [
      'an unknown kind',
      { ...VALID, regression: { kind: 'memory' } },
      /regression\.kind: got "memory"; accepted: one of errors, latency, crash, endpoint \(the scenario format: docs\/simulate\.md\)$/,
    ],
    // A misspelt optional section was dropped: the run simulated no KPI at all.
    [
      'a misspelt section',
      { ...VALID, valuekpi: { metric: 'memory' } },
      /\(root\): unknown key valuekpi; accepted keys: name, seed, runs, totalRps, baselineErrorRate, noise, regression, shape, kpi, valueKpi \(/,
    ],
    ['a seed that is not whole', { ...VALID, seed: 1.5 }, /seed: got 1\.5; accepted: a whole number/],
    ['an error rate above 1', { ...VALID, baselineErrorRate: 2 }, /baselineErrorRate: got 2; accepted: a fraction from 0 to 1/],
    ['an empty name', { ...VALID, name: '' }, /name: got ""; accepted: a non-empty string/],
    [
      'null noise',
      { ...VALID, noise: null },
      /noise: got null; accepted: an object \{ "gammaShape", "shockRate", "burstRate", "shared"\? \}/,
    ],
  ])('rejects %s, naming the field and the value', (_name, value, message) => {
    expect(() => parseScenario(value, 'x.json')).toThrow(ScenarioError);
    expect(() => parseScenario(value, 'x.json')).toThrow(message);
    expect(() => parseScenario(value, 'x.json')).toThrow(/^x\.json: /);
  });
});
