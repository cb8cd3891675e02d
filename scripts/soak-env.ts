/**
 * The soak's environment, checked before any run. Returns the settings or the one line to print
 * (exit 2).
 */
export function soakEnv(env: NodeJS.ProcessEnv): { runs: number; rates: number[]; firstSeed: number } | { problem: string } {
  const runs = Number(env.SOAK_RUNS ?? '1000');
  if (!Number.isInteger(runs) || runs < 1)
    return { problem: `SOAK_RUNS is ${JSON.stringify(env.SOAK_RUNS)}; accepted: a whole number ≥ 1` };
  const rateTexts = (env.SOAK_RATES ?? '0.01,0.05').split(',');
  const rates = rateTexts.map(Number);
  // An empty part ("0.01,,0.05") would read as a rate of 0.
  if (rates.some((r, i) => rateTexts[i].trim() === '' || !(r >= 0 && r < 1)))
    return { problem: `SOAK_RATES is ${JSON.stringify(env.SOAK_RATES)}; accepted: comma-separated shares of calls, e.g. 0.01,0.05` };
  const firstSeed = Number(env.SOAK_FIRST_SEED ?? '10000');
  // A seed that is not a whole number (NaN) would make every run the same unseeded one.
  if (!Number.isSafeInteger(firstSeed) || firstSeed < 0)
    return { problem: `SOAK_FIRST_SEED is ${JSON.stringify(env.SOAK_FIRST_SEED)}; accepted: a whole number ≥ 0` };
  return { runs, rates, firstSeed };
}
