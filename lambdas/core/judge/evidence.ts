/**
 * The judge's evidence processes: anytime-valid tests that a canary is worse, built as bounded
 * bets so that no single minute decides and no good minute erases earlier ones.
 * Derivation and validity: docs/judge.md ("Evidence as bounded bets").
 *
 * For each alternative θ_k the evidence is a product of per-minute factors
 *   f = 1 − λ + λ·min(L^(1/d), C)
 * with L the minute's likelihood ratio of θ_k against the null, d ≥ 1 the measured
 * over-dispersion and λ the share of the evidence bet each minute. Under the null E[L] = 1, so
 * E[L^(1/d)] ≤ 1 (Jensen) and E[min(·, C)] ≤ 1: every factor has conditional mean ≤ 1, the
 * equal-weight mixture over θ_k is a nonnegative supermartingale, and by Ville's inequality it
 * reaches 1/α with probability ≤ α however often it is read. Each factor is ≥ 1 − λ: a minute
 * can at most halve the evidence. In the paired (conditional) tests, where a shared shock cancels,
 * the cap C applies to what one client's burst of BURST_EVENTS could explain: it is lifted to the
 * minute's likelihood ratio with BURST_EVENTS canary events taken away, so a burst adds at most
 * the largest factor (25.5, or `maxMinuteFactor`) while a high-traffic minute's own evidence
 * counts in full. The lifted cap is still ≤ L^(1/d)
 * (L rises with the canary's count), so validity stands. Without a control (reference tests) C holds.
 *
 * Pure; no recursion and no spread over arrays, so any count CloudWatch reports is handled.
 */

/** One minute of paired counts: trials (requests) and events (errors or slow requests) per group. */
export interface PairedCounts {
  readonly canaryTrials: number;
  readonly canaryEvents: number;
  readonly baselineTrials: number;
  readonly baselineEvents: number;
}

/** One minute of the canary alone. */
export interface SingleCounts {
  readonly trials: number;
  readonly events: number;
}

/** Alternatives θ_k (relative to the null's ratio or rate), mixed with equal weights. */
export const RATIO_ALTERNATIVES: readonly number[] = [1.5, 2, 3, 5, 10, 20, 50];
/** λ: the share of the evidence bet each minute (a minute can lose at most this share). */
export const BET_FRACTION = 0.5;
/** C: the cap on a minute's likelihood ratio; the largest minute factor is 1 − λ + λC = 25.5. */
export const LIKELIHOOD_CAP = 50;
/** The largest factor one client's burst can contribute to a minute. */
export const MAX_MINUTE_FACTOR = 1 - BET_FRACTION + BET_FRACTION * LIKELIHOOD_CAP;
/**
 * The paired tests mix two bets per alternative with equal weights: λ = ½ (a minute can at most
 * halve it, so intermittent regressions accumulate) and a bolder λ that keeps nearly the whole
 * likelihood ratio when each minute carries little evidence (low traffic, noisy services). Every
 * bet's largest minute factor is MAX_MINUTE_FACTOR, so a burst adds no more than before.
 */
export const PAIRED_BET_FRACTIONS: readonly number[] = [BET_FRACTION, 0.9];

/** The cap C_λ on a minute's likelihood ratio that makes bet λ's largest factor `maxFactor`. @default maxFactor - MAX_MINUTE_FACTOR */
export function likelihoodCap(betFraction: number, maxFactor = MAX_MINUTE_FACTOR): number {
  return (maxFactor - (1 - betFraction)) / betFraction;
}
/** One client's burst: this many events in one minute, which the cap is there to bound. */
export const BURST_EVENTS = 10;

/** log(1 − λ + λ·e^x), without overflow for large x. */
function logBet(x: number, betFraction: number): number {
  if (x > 40) return Math.log(betFraction) + x;
  return logBetOfExp(Math.exp(x), betFraction);
}

/** `logBet` at an x ≤ 40 whose e^x is given (bets on the same minute share it). */
export function logBetOfExp(expX: number, betFraction: number): number {
  return Math.log(1 - betFraction + betFraction * expX);
}

/**
 * log f for a minute whose log-likelihood ratio is `logRatio`, discounted by `dispersion`; the cap
 * C_λ is lifted to `liftedLogRatio` (the minute's log-likelihood ratio without one client's burst),
 * when that is larger. @default liftedLogRatio - no lift (the cap); betFraction - BET_FRACTION
 */
export function logBetFactor(
  logRatio: number,
  dispersion: number,
  liftedLogRatio = -Infinity,
  betFraction = BET_FRACTION,
  maxFactor = MAX_MINUTE_FACTOR,
): number {
  return cappedLogBetFactor(logRatio, dispersion, liftedLogRatio, betFraction, logCapOf(betFraction, maxFactor));
}

/** log C_λ of `likelihoodCap`: the same for every minute of a bet, so loops over minutes take it once. */
export function logCapOf(betFraction: number, maxFactor = MAX_MINUTE_FACTOR): number {
  return Math.log(likelihoodCap(betFraction, maxFactor));
}

/** `logBetFactor` with the cap's log `logCap` (from `logCapOf`) given. */
export function cappedLogBetFactor(
  logRatio: number,
  dispersion: number,
  liftedLogRatio: number,
  betFraction: number,
  logCap: number,
): number {
  const scaled = logRatio / dispersion;
  const cap = Math.max(logCap, liftedLogRatio / dispersion);
  return logBet(Math.min(scaled, cap), betFraction);
}

/** log of the mean of exp(values), without spreading the array. */
export function logMeanExp(values: readonly number[]): number {
  let top = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > top) top = values[i];
  if (!Number.isFinite(top)) return top;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - top);
  return top + Math.log(sum / values.length);
}

/** The canary's share of a minute's events if its rate is `ratio` times the baseline's. */
export function canaryShare(ratio: number, canaryTrials: number, baselineTrials: number): number {
  return (ratio * canaryTrials) / (ratio * canaryTrials + baselineTrials);
}

/**
 * Log-likelihood ratios of one minute under the conditional-binomial model (given the minute's
 * total events E, the canary's share is Binomial(E, π(θ))), against each of `ratios`: into
 * `logRatios`, and with BURST_EVENTS canary events taken away into `liftedLogRatios` (undefined
 * unless the canary had more). Only for a minute with events and requests in both groups.
 */
function conditionalLogRatios(
  minute: PairedCounts,
  ratios: readonly number[],
  nullRatio: number,
  logRatios: number[],
  liftedLogRatios: Array<number | undefined>,
): void {
  const nullShare = canaryShare(nullRatio, minute.canaryTrials, minute.baselineTrials);
  const logNullRest = Math.log1p(-nullShare);
  const liftedEvents = minute.canaryEvents - BURST_EVENTS;
  for (let r = 0; r < ratios.length; r++) {
    const share = canaryShare(ratios[r], minute.canaryTrials, minute.baselineTrials);
    const logShare = Math.log(share / nullShare);
    const logRest = Math.log1p(-share) - logNullRest;
    logRatios[r] = minute.canaryEvents * logShare + minute.baselineEvents * logRest;
    liftedLogRatios[r] = minute.canaryEvents > BURST_EVENTS ? liftedEvents * logShare + minute.baselineEvents * logRest : undefined;
  }
}

export interface ConditionalOptions {
  /** θ₀: the canary/baseline rate ratio under the null (1 for errors). */
  readonly nullRatio: number;
  /** d ≥ 1: the measured over-dispersion of the test's counts. */
  readonly dispersion: number;
  /**
   * d_t ≥ 1 per minute, its w from the minutes before it (its V_t's rate is not: docs/judge.md, "A known gap");
   * overrides `dispersion`. @default - dispersion for every minute
   */
  readonly dispersions?: readonly number[];
  /** @default RATIO_ALTERNATIVES, relative to nullRatio */
  readonly alternatives?: readonly number[];
  /** The bets λ mixed (equal weights) for each alternative. @default PAIRED_BET_FRACTIONS */
  readonly betFractions?: readonly number[];
  /** The largest factor a minute's capped evidence (one client's burst) can contribute. @default MAX_MINUTE_FACTOR */
  readonly maxMinuteFactor?: number;
}

/**
 * A test's evidence now, and without its single most incriminating minute: a rollback needs the
 * latter too (≥ √bar), so that the evidence spans at least two minutes — one client's burst or
 * one shock is one minute.
 */
export interface Evidence {
  readonly value: number;
  readonly withoutStrongestMinute: number;
  /** Without its strongest run of `episodeMinutes` consecutive minutes (when asked for): what a transient episode cannot explain. */
  readonly withoutStrongestEpisode?: number;
}

/** Evidence against "canary rate ≤ nullRatio × baseline rate" (see `Evidence`). */
export function conditionalEvidence(minutes: readonly PairedCounts[], options: ConditionalOptions): Evidence {
  const ratios = (options.alternatives ?? RATIO_ALTERNATIVES).map((k) => k * options.nullRatio);
  const bets = options.betFractions ?? PAIRED_BET_FRACTIONS;
  const logCaps = bets.map((betFraction) => logCapOf(betFraction, options.maxMinuteFactor));
  const dispersionAt = (t: number) => Math.max(1, options.dispersions?.[t] ?? options.dispersion);
  const logRatios = new Array<number>(ratios.length);
  const liftedLogRatios = new Array<number | undefined>(ratios.length);
  // One component per (alternative, bet), mixed with equal weights: k = ratio index × bets + bet index.
  return accumulate(minutes, ratios.length * bets.length, (minute, k, t) => {
    const events = minute.canaryEvents + minute.baselineEvents;
    if (!(events > 0 && minute.canaryTrials > 0 && minute.baselineTrials > 0)) return 0;
    // accumulate asks for every component of a minute in turn: the log ratios are taken at its first.
    if (k === 0) conditionalLogRatios(minute, ratios, options.nullRatio, logRatios, liftedLogRatios);
    const r = Math.floor(k / bets.length);
    const bet = k - r * bets.length;
    return cappedLogBetFactor(logRatios[r], dispersionAt(t), liftedLogRatios[r] ?? -Infinity, bets[bet], logCaps[bet]);
  });
}

export interface ReferenceOptions {
  /** p₀: the reference rate under the null (the original's, measured before). */
  readonly rate: number;
  /** d ≥ 1: over-dispersion of the canary's counts around a fixed rate (drift included). */
  readonly dispersion: number;
  /** @default RATIO_ALTERNATIVES (rates θ_k·p₀ at or above 1 are dropped) */
  readonly alternatives?: readonly number[];
  /** Also report the evidence without its strongest run of this many consecutive minutes. @default - not reported */
  readonly episodeMinutes?: number;
  /**
   * ε: the largest share of minutes that may be spikes (service-wide shocks) the reference rate and
   * `dispersion` leave out. Each factor is divided by 1 + ε(f_max − 1), its largest mean when a
   * spike (factor ≤ f_max) comes with probability ≤ ε and every other minute's factor has mean ≤ 1.
   * @default 0 - no spike allowance
   */
  readonly spikeShare?: number;
  /** f_max: the largest factor a minute can contribute. @default MAX_MINUTE_FACTOR */
  readonly maxMinuteFactor?: number;
  /** The bets λ mixed (equal weights) for each alternative. @default [BET_FRACTION] */
  readonly betFractions?: readonly number[];
}

/** log of the divisor 1 + ε(f_max − 1) that keeps a factor's mean ≤ 1 when a share ε of minutes may be spikes. */
export function spikeAllowance(spikeShare: number, maxMinuteFactor = MAX_MINUTE_FACTOR): number {
  return Math.log1p(Math.max(0, spikeShare) * (maxMinuteFactor - 1));
}

/** Binomial log-likelihood ratio of rate `alternative` against `rate`, per event and per non-event: the same for every minute. */
interface ReferenceCoefficients {
  readonly event: number;
  readonly nonEvent: number;
}

function referenceCoefficients(alternative: number, rate: number): ReferenceCoefficients {
  return { event: Math.log(alternative / rate), nonEvent: Math.log1p(-alternative) - Math.log1p(-rate) };
}

/** Binomial log-likelihood ratio of one minute, from its alternative's `referenceCoefficients`. */
function referenceLogRatio(minute: SingleCounts, c: ReferenceCoefficients): number {
  return minute.events * c.event + (minute.trials - minute.events) * c.nonEvent;
}

const NO_EVIDENCE: Evidence = { value: 1, withoutStrongestMinute: 1 };

/**
 * Evidence against "canary rate ≤ p₀" with no concurrent control: the post-traffic bake at 100%,
 * and the latency null "at most 5% slower than E" (see `Evidence`).
 */
export function referenceEvidence(minutes: readonly SingleCounts[], options: ReferenceOptions): Evidence {
  const rate = options.rate;
  if (!(rate > 0 && rate < 1)) return NO_EVIDENCE;
  const alternatives = (options.alternatives ?? RATIO_ALTERNATIVES).map((k) => k * rate).filter((p) => p < 1);
  if (alternatives.length === 0) return NO_EVIDENCE;
  const dispersion = Math.max(1, options.dispersion);
  const maxFactor = options.maxMinuteFactor ?? MAX_MINUTE_FACTOR;
  const allowance = spikeAllowance(options.spikeShare ?? 0, maxFactor);
  const bets = options.betFractions ?? [BET_FRACTION];
  const components = alternatives.flatMap((alternative) => {
    const coefficients = referenceCoefficients(alternative, rate);
    return bets.map((betFraction) => ({ coefficients, betFraction, logCap: logCapOf(betFraction, maxFactor) }));
  });
  // The cap stays C here: without a concurrent control a service-wide shock is not one client's
  // burst, and any one minute's excess, whatever its source, must stay bounded.
  return accumulate(
    minutes,
    components.length,
    (minute, k) => {
      if (!(minute.trials > 0)) return 0;
      const { coefficients, betFraction, logCap } = components[k];
      return cappedLogBetFactor(referenceLogRatio(minute, coefficients), dispersion, -Infinity, betFraction, logCap) - allowance;
    },
    options.episodeMinutes,
  );
}

/**
 * The equal-weight mixture of per-alternative products; `logFactor` gives log f of minute ×
 * alternative. Also the mixture with each minute left out in turn, keeping the smallest.
 */
function accumulate<M>(
  minutes: readonly M[],
  alternatives: number,
  logFactor: (minute: M, k: number, index: number) => number,
  episodeMinutes?: number,
): Evidence {
  const logWealth = new Array<number>(alternatives).fill(0);
  const factors = minutes.map((minute, index) => {
    const row = new Array<number>(alternatives);
    for (let k = 0; k < alternatives; k++) {
      row[k] = logFactor(minute, k, index);
      logWealth[k] += row[k];
    }
    return row;
  });
  const value = Math.exp(logMeanExp(logWealth));
  const left = new Array<number>(alternatives);
  const withoutRun = (length: number) => {
    let least = value;
    for (let from = 0; from + length <= Math.max(length, factors.length); from++) {
      const to = Math.min(factors.length, from + length);
      for (let k = 0; k < alternatives; k++) {
        let rest = logWealth[k];
        for (let i = from; i < to; i++) rest -= factors[i][k];
        left[k] = rest;
      }
      least = Math.min(least, Math.exp(logMeanExp(left)));
    }
    return least;
  };
  return {
    value,
    withoutStrongestMinute: withoutRun(1),
    ...(episodeMinutes !== undefined ? { withoutStrongestEpisode: withoutRun(episodeMinutes) } : {}),
  };
}
