/**
 * A simulated service with two target groups (baseline = original, canary = replacement) whose
 * canary weight the caller moves over time, as the rollout engine moves listener weights.
 * It produces the true complete minutes (`sim-minute.ts`); `cloudwatch.ts` turns them into what
 * CloudWatch shows.
 */
import { latencyCdf, LatencyComponent, sampleLatencyMinute } from './latency';
import { hashSeed, Random } from './random';
import { DEFAULT_HOSTS, DEFAULT_LATENCY, LatencyModel, Noise, Regression, Shape } from './scenario';
import { type GroupMinute, MINUTE_MS, type SimMinute, SimulationError } from './sim-minute';
import { slowRequestsAbove } from './slow-requests';

export { type GroupMinute, MINUTE_MS, type SimMinute, SimulationError } from './sim-minute';

/** Multiplier of the error rate in a shock minute (both groups). */
export const SHOCK_MULTIPLIER = 20;
/** Errors of one client's burst. */
export const BURST_ERRORS = 10;
/** Extra errors (Poisson mean) and latency factor of the canary's first minute of traffic. */
export const COLD_START_ERRORS = 2;
export const COLD_START_LATENCY_FACTOR = 1.3;
/** Error rate of the failing endpoint in an "endpoint" regression. */
export const ENDPOINT_ERROR_RATE = 0.5;
/** Mixed into the hash of a group-minute's latency uniform (keeps it apart from other hashed draws). */
const LATENCY_SALT = 0x51_0e;

export interface TrafficWorldOptions {
  readonly seed: number;
  /** Total requests per second over both groups. */
  readonly totalRps: number;
  /** Error rate of the baseline and of a clean canary, a fraction. */
  readonly baselineErrorRate: number;
  /** @default - no noise */
  readonly noise?: Noise;
  /** @default null (identical versions) */
  readonly regression?: Regression | null;
  /** Epoch ms; rounded down to a whole minute. */
  readonly startTime: number;
  /** @default DEFAULT_LATENCY */
  readonly latency?: LatencyModel;
  /** Targets per group. @default DEFAULT_HOSTS */
  readonly hosts?: number;
  /** Canary weight at startTime, percent. @default 0 */
  readonly initialCanaryWeight?: number;
  /** Simulate the canary's cold-start blip in its first minute of traffic. @default true */
  readonly coldStart?: boolean;
  /** Traffic shapes: an incident, a traffic gap, a longer cold start, a traffic ramp. @default - none */
  readonly shape?: Shape;
}

export class TrafficWorld {
  private readonly random: Random;
  private readonly noise: Noise;
  private readonly regression: Regression | null;
  private readonly latency: LatencyModel;
  private readonly hosts: number;
  private readonly coldStart: boolean;
  private readonly weights: Array<{ at: number; weight: number }>;
  private readonly history: SimMinute[] = [];
  private nextStart: number;
  private now: number;
  private firstTrafficAt: number | undefined;
  private sawCanaryTraffic = false;
  /** When the canary weight first reached each weight a shape refers to. */
  private readonly reachedAt = new Map<number, number>();
  private readonly componentCache = new Map<string, readonly LatencyComponent[]>();

  constructor(private readonly options: TrafficWorldOptions) {
    const { totalRps, baselineErrorRate, startTime } = options;
    if (!(totalRps > 0)) throw new SimulationError(`totalRps is ${totalRps}; accepted: requests per second above 0`);
    if (!(baselineErrorRate >= 0 && baselineErrorRate <= 1))
      throw new SimulationError(`baselineErrorRate is ${baselineErrorRate}; accepted: a fraction from 0 to 1 (0.005 = 0.5%)`);
    if (!Number.isFinite(startTime)) throw new SimulationError(`startTime is ${startTime}; accepted: epoch milliseconds`);
    this.random = new Random(options.seed);
    this.noise = options.noise ?? { gammaShape: null, shockRate: 0, burstRate: 0 };
    this.regression = options.regression ?? null;
    this.latency = options.latency ?? DEFAULT_LATENCY;
    this.hosts = options.hosts ?? DEFAULT_HOSTS;
    this.coldStart = options.coldStart ?? true;
    this.nextStart = Math.floor(startTime / MINUTE_MS) * MINUTE_MS;
    this.now = this.nextStart;
    const initial = options.initialCanaryWeight ?? 0;
    this.weights = [{ at: this.nextStart, weight: initial }];
    if (initial > 0) this.firstTrafficAt = this.nextStart;
  }

  /** Every complete minute so far, oldest first. */
  get minutes(): readonly SimMinute[] {
    return this.history;
  }

  /** Moves the canary weight (percent) at time `now`; completes the minutes before it first. */
  setCanaryWeight(now: number, weight: number): void {
    if (!(weight >= 0 && weight <= 100)) throw new SimulationError(`canary weight is ${weight}; accepted: a percentage from 0 to 100`);
    this.advanceTo(now);
    this.weights.push({ at: now, weight });
    if (weight > 0 && this.firstTrafficAt === undefined) this.firstTrafficAt = now;
    for (const at of this.shapeWeights()) if (weight >= at && !this.reachedAt.has(at)) this.reachedAt.set(at, now);
  }

  private shapeWeights(): number[] {
    const shape = this.options.shape;
    return [shape?.incident?.atWeight, shape?.gap?.atWeight].filter((w): w is number => w !== undefined);
  }

  /** Whether the minute starting at `start` lies in [from, from + minutes) after the weight `atWeight` was reached. */
  private within(start: number, atWeight: number, fromMinutes: number, minutes: number): boolean {
    const reached = this.reachedAt.get(atWeight);
    if (reached === undefined) return false;
    const from = Math.ceil((reached + fromMinutes * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    return start >= from && start < from + minutes * MINUTE_MS;
  }

  /** The incident's start, in minutes after its weight is reached: drawn once from the seed in [fromMinute, toMinute]. */
  private incidentMinute(): number {
    const i = this.options.shape!.incident!;
    const span = Math.max(0, i.toMinute - i.fromMinute) + 1;
    return i.fromMinute + (hashSeed(this.options.seed, 0x1c1d) % span);
  }

  /** Total traffic multiplier of the minute: 0 in a traffic gap, the ramp's factor otherwise. */
  private trafficFactor(start: number): number {
    const shape = this.options.shape;
    if (shape?.gap && this.within(start, shape.gap.atWeight, shape.gap.afterMinutes, shape.gap.minutes)) return 0;
    if (!shape?.ramp || this.firstTrafficAt === undefined) return 1;
    const progress = Math.min(1, Math.max(0, (start - this.firstTrafficAt) / (shape.ramp.minutes * MINUTE_MS)));
    return 1 + (shape.ramp.factor - 1) * progress;
  }

  /** The canary's cold-start latency factor in this minute (1 when warm). */
  private coldStartFactor(start: number, firstMinute: boolean): number {
    const factors = this.options.shape?.coldStartLatency;
    if (!factors) return firstMinute && this.coldStart ? COLD_START_LATENCY_FACTOR : 1;
    if (this.firstTrafficAt === undefined) return 1;
    const index = Math.floor((start - Math.floor(this.firstTrafficAt / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
    return index >= 0 && index < factors.length ? factors[index] : 1;
  }

  /** How much of a slow burn's effect is present in the minute (1 for a regression without rampMinutes). */
  private regressionScale(start: number): number {
    const ramp = this.regression?.rampMinutes;
    if (!ramp || this.firstTrafficAt === undefined) return 1;
    const onset = this.firstTrafficAt + (this.regression?.onsetMinute ?? 0) * MINUTE_MS;
    return Math.min(1, Math.max(0, (start + MINUTE_MS / 2 - onset) / (ramp * MINUTE_MS)));
  }

  /** Generates every minute that has ended by `now`; returns all complete minutes. */
  advanceTo(now: number): readonly SimMinute[] {
    if (now < this.now)
      throw new SimulationError(`time went backwards: ${new Date(now).toISOString()} is before ${new Date(this.now).toISOString()}`);
    this.now = now;
    while (this.nextStart + MINUTE_MS <= now) {
      this.history.push(this.generate(this.nextStart));
      this.nextStart += MINUTE_MS;
    }
    return this.history;
  }

  /** Live target health (DescribeTargetHealth, not delayed) at the last time advanced to. */
  targetHealth(): { canary: { healthy: number; unhealthy: number }; baseline: { healthy: number; unhealthy: number } } {
    const weight = this.weightAt(this.now);
    const sick = this.crashing(this.now, weight) ? this.unhealthyCount(this.now) : 0;
    return { canary: { healthy: this.hosts - sick, unhealthy: sick }, baseline: { healthy: this.hosts, unhealthy: 0 } };
  }

  private weightAt(time: number): number {
    let weight = this.weights[0].weight;
    for (const change of this.weights) if (change.at <= time) weight = change.weight;
    return weight;
  }

  /** Time-averaged weight over [start, start + 1 min). */
  private averageWeight(start: number): number {
    return this.segments(start).reduce((sum, { weight, ms }) => sum + weight * ms, 0) / MINUTE_MS;
  }

  /** The regression at an instant of canary weight `weight` (live target health). */
  private regressionAt(time: number, weight: number): Regression | null {
    const r = this.regressionStarted(time);
    return r && weight > 0 && weight >= (r.minWeight ?? 0) ? r : null;
  }

  /** The regression once past its onset, in its minutes if intermittent; the weight gate aside. */
  private regressionStarted(time: number): Regression | null {
    const r = this.regression;
    if (!r || this.firstTrafficAt === undefined) return null;
    if (time < this.firstTrafficAt + (r.onsetMinute ?? 0) * MINUTE_MS) return null;
    if (r.intermittent && Math.floor(time / MINUTE_MS) % 2 !== 0) return null;
    return r;
  }

  private crashing(time: number, weight: number): boolean {
    return this.regressionAt(time, weight)?.kind === 'crash';
  }

  /** A crash loop: half, then all but one, of the canary targets unhealthy, alternating. */
  private unhealthyCount(time: number): number {
    return Math.floor(time / MINUTE_MS) % 2 === 0 ? Math.ceil(this.hosts / 2) : Math.max(1, this.hosts - 1);
  }

  /** The minute's spans of constant canary weight. */
  private segments(start: number): Array<{ weight: number; ms: number }> {
    const end = start + MINUTE_MS;
    const spans: Array<{ weight: number; ms: number }> = [];
    for (let i = 0; i < this.weights.length; i++) {
      const from = Math.max(start, this.weights[i].at);
      const to = Math.min(end, i + 1 < this.weights.length ? this.weights[i + 1].at : end);
      if (to > from) spans.push({ weight: this.weights[i].weight, ms: to - from });
    }
    return spans;
  }

  /**
   * Which canary traffic of the minute the regression's minWeight lets it reach: the share, and
   * the lowest weight it reached. A minute that shifts from 25% to 0% (a rollback) or from 5% to
   * 25% (a promotion) is regressed only in its part at ≥ minWeight, not judged by its average.
   */
  private reach(start: number, minWeight: number): { share: number; lowestWeight?: number } {
    let all = 0;
    let above = 0;
    let lowestWeight: number | undefined;
    for (const { weight, ms } of this.segments(start)) {
      all += weight * ms;
      if (weight <= 0 || weight < minWeight) continue;
      above += weight * ms;
      lowestWeight = Math.min(lowestWeight ?? weight, weight);
    }
    return { share: all > 0 ? above / all : 0, lowestWeight };
  }

  private generate(start: number): SimMinute {
    const weight = this.averageWeight(start);
    const minWeight = this.regression?.minWeight ?? 0;
    const { share, lowestWeight } = this.reach(start, minWeight);
    // share > 0: the canary served traffic at ≥ minWeight in this minute.
    const regression = share > 0 ? this.regressionStarted(start) : null;
    let shock = this.random.chance(this.noise.shockRate) ? SHOCK_MULTIPLIER : 1;
    const incident = this.options.shape?.incident;
    if (incident && this.within(start, incident.atWeight, this.incidentMinute(), incident.minutes)) shock *= incident.multiplier;
    const perMinute = this.options.totalRps * 60 * this.trafficFactor(start);
    const firstMinute = weight > 0 && !this.sawCanaryTraffic;
    const coldStart = this.coldStart && firstMinute;
    if (weight > 0) this.sawCanaryTraffic = true;
    const latencyFactor = weight > 0 ? this.coldStartFactor(start, firstMinute) : 1;
    // Service-wide noise: one multiplier a minute for both groups, drawn only when asked for.
    const shared =
      this.noise.shared && this.noise.gammaShape ? this.random.gamma(this.noise.gammaShape, 1 / this.noise.gammaShape) : undefined;
    const baseline = this.group('baseline', perMinute * (1 - weight / 100), shock, null, false, start, 1, shared, 1, 1);
    const canary = this.group(
      'canary',
      perMinute * (weight / 100),
      shock,
      regression,
      coldStart,
      start,
      share,
      shared,
      latencyFactor,
      this.regressionScale(start),
    );
    return {
      start,
      canaryWeight: weight,
      regressionActive: regression !== null,
      ...(regression && lowestWeight !== undefined ? { regressedWeight: lowestWeight } : {}),
      canary,
      baseline,
    };
  }

  /** `regressedShare`: the part of the group's requests the regression reaches (below 1 only in a minute that crosses minWeight). */
  private group(
    role: 'canary' | 'baseline',
    expectedRequests: number,
    shock: number,
    regression: Regression | null,
    coldStart: boolean,
    start: number,
    regressedShare: number,
    sharedNoise: number | undefined,
    latencyFactor: number,
    scale: number,
  ): GroupMinute {
    const random = this.random;
    const requests = random.poisson(expectedRequests);
    const noise = sharedNoise ?? (this.noise.gammaShape ? random.gamma(this.noise.gammaShape, 1 / this.noise.gammaShape) : 1);
    const cleanErrorRate = this.options.baselineErrorRate;
    let rate = cleanErrorRate;
    let connectionRate = 0;
    if (regression?.kind === 'errors') {
      // A bad task serves taskShare of the requests; a bursty fault varies minute to minute (mean 1).
      const burst = regression.burstShape ? random.gamma(regression.burstShape, 1 / regression.burstShape) : 1;
      const full =
        regression.deltaPp !== undefined
          ? rate + (regression.taskShare ?? 1) * (regression.deltaPp / 100) * burst
          : rate * (regression.ratio ?? 1);
      rate = cleanErrorRate + scale * (full - cleanErrorRate);
    }
    if (regression?.kind === 'endpoint') {
      const share = regression.share ?? 0.1;
      rate = (1 - share) * rate + share * ENDPOINT_ERROR_RATE;
    }
    if (regression?.kind === 'crash') connectionRate = regression.share ?? 0.2;
    rate = cleanErrorRate + regressedShare * (rate - cleanErrorRate);
    connectionRate *= regressedShare;
    let errors5xx = random.binomial(requests, Math.min(1, rate * shock * noise));
    if (random.chance(this.noise.burstRate)) errors5xx += Math.min(BURST_ERRORS, requests - errors5xx);
    if (coldStart) errors5xx = Math.min(requests, errors5xx + random.poisson(COLD_START_ERRORS));
    const connectionErrors = random.binomial(requests - errors5xx, connectionRate);
    const components =
      regressedShare < 1 && regression
        ? [
            ...this.latencyComponents(null, latencyFactor).map((c) => ({ ...c, share: c.share * (1 - regressedShare) })),
            ...this.latencyComponents(regression, latencyFactor).map((c) => ({ ...c, share: c.share * regressedShare })),
          ]
        : this.latencyComponents(regression, latencyFactor);
    const { p95Ms, p99Ms } = sampleLatencyMinute(random, components, requests, this.latency.slowThresholdMs);
    // Hashed, not drawn from the stream: adding it moved no other seeded figure.
    const latencyUniform = (hashSeed(this.options.seed, start, role === 'canary' ? 1 : 0, LATENCY_SALT) + 0.5) / 4294967296;
    const slowRequests = slowRequestsAbove({ requests, latency: components, latencyUniform }, this.latency.slowThresholdMs);
    const unhealthyHosts = regression?.kind === 'crash' ? this.unhealthyCount(start) : 0;
    let regressedRequests = 0;
    if (regression) {
      const cleanRate = this.options.baselineErrorRate;
      const slowExcess =
        latencyCdf(this.latencyComponents(null, latencyFactor), this.latency.slowThresholdMs) -
        latencyCdf(components, this.latency.slowThresholdMs);
      const failureExcess = Math.min(1, rate) - cleanRate + connectionRate * (1 - Math.min(1, rate));
      regressedRequests = requests * Math.min(1, Math.max(0, failureExcess) + Math.max(0, slowExcess));
    }
    return {
      requests,
      errors5xx,
      connectionErrors,
      slowRequests,
      latency: components,
      latencyUniform,
      p95Ms,
      p99Ms,
      healthyHosts: this.hosts - unhealthyHosts,
      unhealthyHosts,
      regressedRequests,
    };
  }

  /** One shared array per kind of minute: every minute stores its distribution, most share it. */
  private latencyComponents(regression: Regression | null, latencyFactor: number): readonly LatencyComponent[] {
    const key = `${regression ? 1 : 0}:${latencyFactor}`;
    let components = this.componentCache.get(key);
    if (!components) {
      components = this.buildLatencyComponents(regression, latencyFactor);
      this.componentCache.set(key, components);
    }
    return components;
  }

  private buildLatencyComponents(regression: Regression | null, latencyFactor: number): LatencyComponent[] {
    const { medianMs, sigma } = this.latency;
    const factor = latencyFactor * (regression?.kind === 'latency' && regression.ratio !== undefined ? regression.ratio : 1);
    const base: LatencyComponent = { share: 1, medianMs: medianMs * factor, sigma, extraMs: 0 };
    if (regression?.kind === 'latency' && regression.extraMs !== undefined) {
      const share = regression.share ?? 0.05;
      return [
        { ...base, share: 1 - share },
        { ...base, share, extraMs: regression.extraMs },
      ];
    }
    return [base];
  }
}
