"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TrafficWorld = exports.SimulationError = exports.ENDPOINT_ERROR_RATE = exports.COLD_START_LATENCY_FACTOR = exports.COLD_START_ERRORS = exports.BURST_ERRORS = exports.SHOCK_MULTIPLIER = exports.MINUTE_MS = void 0;
/**
 * A simulated service with two target groups (baseline = original, canary = replacement) whose
 * canary weight the caller moves over time, as the rollout engine moves listener weights.
 * It produces the true complete minutes; `cloudwatch.ts` turns them into what CloudWatch shows.
 */
const latency_1 = require("./latency");
const slow_requests_1 = require("./slow-requests");
const random_1 = require("./random");
const scenario_1 = require("./scenario");
exports.MINUTE_MS = 60_000;
/** Multiplier of the error rate in a shock minute (both groups). */
exports.SHOCK_MULTIPLIER = 20;
/** Errors of one client's burst. */
exports.BURST_ERRORS = 10;
/** Extra errors (Poisson mean) and latency factor of the canary's first minute of traffic. */
exports.COLD_START_ERRORS = 2;
exports.COLD_START_LATENCY_FACTOR = 1.3;
/** Error rate of the failing endpoint in an "endpoint" regression. */
exports.ENDPOINT_ERROR_RATE = 0.5;
/** Mixed into the hash of a group-minute's latency uniform (keeps it apart from other hashed draws). */
const LATENCY_SALT = 0x51_0e;
class SimulationError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'SimulationError';
    }
}
exports.SimulationError = SimulationError;
class TrafficWorld {
    options;
    random;
    noise;
    regression;
    latency;
    hosts;
    coldStart;
    weights;
    history = [];
    nextStart;
    now;
    firstTrafficAt;
    sawCanaryTraffic = false;
    componentCache = new Map();
    constructor(options) {
        this.options = options;
        const { totalRps, baselineErrorRate, startTime } = options;
        if (!(totalRps > 0))
            throw new SimulationError(`totalRps is ${totalRps}; accepted: requests per second above 0`);
        if (!(baselineErrorRate >= 0 && baselineErrorRate <= 1))
            throw new SimulationError(`baselineErrorRate is ${baselineErrorRate}; accepted: a fraction from 0 to 1 (0.005 = 0.5%)`);
        if (!Number.isFinite(startTime))
            throw new SimulationError(`startTime is ${startTime}; accepted: epoch milliseconds`);
        this.random = new random_1.Random(options.seed);
        this.noise = options.noise ?? { gammaShape: null, shockRate: 0, burstRate: 0 };
        this.regression = options.regression ?? null;
        this.latency = options.latency ?? scenario_1.DEFAULT_LATENCY;
        this.hosts = options.hosts ?? scenario_1.DEFAULT_HOSTS;
        this.coldStart = options.coldStart ?? true;
        this.nextStart = Math.floor(startTime / exports.MINUTE_MS) * exports.MINUTE_MS;
        this.now = this.nextStart;
        const initial = options.initialCanaryWeight ?? 0;
        this.weights = [{ at: this.nextStart, weight: initial }];
        if (initial > 0)
            this.firstTrafficAt = this.nextStart;
    }
    /** Every complete minute so far, oldest first. */
    get minutes() {
        return this.history;
    }
    /** Moves the canary weight (percent) at time `now`; completes the minutes before it first. */
    setCanaryWeight(now, weight) {
        if (!(weight >= 0 && weight <= 100))
            throw new SimulationError(`canary weight is ${weight}; accepted: a percentage from 0 to 100`);
        this.advanceTo(now);
        this.weights.push({ at: now, weight });
        if (weight > 0 && this.firstTrafficAt === undefined)
            this.firstTrafficAt = now;
    }
    /** Generates every minute that has ended by `now`; returns all complete minutes. */
    advanceTo(now) {
        if (now < this.now)
            throw new SimulationError(`time went backwards: ${new Date(now).toISOString()} is before ${new Date(this.now).toISOString()}`);
        this.now = now;
        while (this.nextStart + exports.MINUTE_MS <= now) {
            this.history.push(this.generate(this.nextStart));
            this.nextStart += exports.MINUTE_MS;
        }
        return this.history;
    }
    /** Live target health (DescribeTargetHealth, not delayed) at the last time advanced to. */
    targetHealth() {
        const weight = this.weightAt(this.now);
        const sick = this.crashing(this.now, weight) ? this.unhealthyCount(this.now) : 0;
        return { canary: { healthy: this.hosts - sick, unhealthy: sick }, baseline: { healthy: this.hosts, unhealthy: 0 } };
    }
    weightAt(time) {
        let weight = this.weights[0].weight;
        for (const change of this.weights)
            if (change.at <= time)
                weight = change.weight;
        return weight;
    }
    /** Time-averaged weight over [start, start + 1 min). */
    averageWeight(start) {
        return this.segments(start).reduce((sum, { weight, ms }) => sum + weight * ms, 0) / exports.MINUTE_MS;
    }
    /** The regression at an instant of canary weight `weight` (live target health). */
    regressionAt(time, weight) {
        const r = this.regressionStarted(time);
        return r && weight > 0 && weight >= (r.minWeight ?? 0) ? r : null;
    }
    /** The regression once past its onset, in its minutes if intermittent; the weight gate aside. */
    regressionStarted(time) {
        const r = this.regression;
        if (!r || this.firstTrafficAt === undefined)
            return null;
        if (time < this.firstTrafficAt + (r.onsetMinute ?? 0) * exports.MINUTE_MS)
            return null;
        if (r.intermittent && Math.floor(time / exports.MINUTE_MS) % 2 !== 0)
            return null;
        return r;
    }
    crashing(time, weight) {
        return this.regressionAt(time, weight)?.kind === 'crash';
    }
    /** A crash loop: half, then all but one, of the canary targets unhealthy, alternating. */
    unhealthyCount(time) {
        return Math.floor(time / exports.MINUTE_MS) % 2 === 0 ? Math.ceil(this.hosts / 2) : Math.max(1, this.hosts - 1);
    }
    /** The minute's spans of constant canary weight. */
    segments(start) {
        const end = start + exports.MINUTE_MS;
        const spans = [];
        for (let i = 0; i < this.weights.length; i++) {
            const from = Math.max(start, this.weights[i].at);
            const to = Math.min(end, i + 1 < this.weights.length ? this.weights[i + 1].at : end);
            if (to > from)
                spans.push({ weight: this.weights[i].weight, ms: to - from });
        }
        return spans;
    }
    /**
     * Which canary traffic of the minute the regression's minWeight lets it reach: the share, and
     * the lowest weight it reached. A minute that shifts from 25% to 0% (a rollback) or from 5% to
     * 25% (a promotion) is regressed only in its part at ≥ minWeight, not judged by its average.
     */
    reach(start, minWeight) {
        let all = 0;
        let above = 0;
        let lowestWeight;
        for (const { weight, ms } of this.segments(start)) {
            all += weight * ms;
            if (weight <= 0 || weight < minWeight)
                continue;
            above += weight * ms;
            lowestWeight = Math.min(lowestWeight ?? weight, weight);
        }
        return { share: all > 0 ? above / all : 0, lowestWeight };
    }
    generate(start) {
        const weight = this.averageWeight(start);
        const minWeight = this.regression?.minWeight ?? 0;
        const { share, lowestWeight } = this.reach(start, minWeight);
        // share > 0: the canary served traffic at ≥ minWeight in this minute.
        const regression = share > 0 ? this.regressionStarted(start) : null;
        const shock = this.random.chance(this.noise.shockRate) ? exports.SHOCK_MULTIPLIER : 1;
        const perMinute = this.options.totalRps * 60;
        const coldStart = this.coldStart && weight > 0 && !this.sawCanaryTraffic;
        if (weight > 0)
            this.sawCanaryTraffic = true;
        const baseline = this.group('baseline', perMinute * (1 - weight / 100), shock, null, false, start);
        const canary = this.group('canary', perMinute * (weight / 100), shock, regression, coldStart, start, share);
        return { start, canaryWeight: weight, regressionActive: regression !== null, ...(regression && lowestWeight !== undefined ? { regressedWeight: lowestWeight } : {}), canary, baseline };
    }
    /** `regressedShare`: the part of the group's requests the regression reaches (below 1 only in a minute that crosses minWeight). */
    group(role, expectedRequests, shock, regression, coldStart, start, regressedShare = 1) {
        const random = this.random;
        const requests = random.poisson(expectedRequests);
        const noise = this.noise.gammaShape ? random.gamma(this.noise.gammaShape, 1 / this.noise.gammaShape) : 1;
        const cleanErrorRate = this.options.baselineErrorRate;
        let rate = cleanErrorRate;
        let connectionRate = 0;
        if (regression?.kind === 'errors')
            rate = regression.deltaPp !== undefined ? rate + regression.deltaPp / 100 : rate * (regression.ratio ?? 1);
        if (regression?.kind === 'endpoint') {
            const share = regression.share ?? 0.1;
            rate = (1 - share) * rate + share * exports.ENDPOINT_ERROR_RATE;
        }
        if (regression?.kind === 'crash')
            connectionRate = regression.share ?? 0.2;
        rate = cleanErrorRate + regressedShare * (rate - cleanErrorRate);
        connectionRate *= regressedShare;
        let errors5xx = random.binomial(requests, Math.min(1, rate * shock * noise));
        if (random.chance(this.noise.burstRate))
            errors5xx += Math.min(exports.BURST_ERRORS, requests - errors5xx);
        if (coldStart)
            errors5xx = Math.min(requests, errors5xx + random.poisson(exports.COLD_START_ERRORS));
        const connectionErrors = random.binomial(requests - errors5xx, connectionRate);
        const components = regressedShare < 1 && regression
            ? [
                ...this.latencyComponents(null, coldStart).map((c) => ({ ...c, share: c.share * (1 - regressedShare) })),
                ...this.latencyComponents(regression, coldStart).map((c) => ({ ...c, share: c.share * regressedShare })),
            ]
            : this.latencyComponents(regression, coldStart);
        const { p95Ms, p99Ms } = (0, latency_1.sampleLatencyMinute)(random, components, requests, this.latency.slowThresholdMs);
        // Hashed, not drawn from the stream: adding it moved no other seeded figure.
        const latencyUniform = ((0, random_1.hashSeed)(this.options.seed, start, role === 'canary' ? 1 : 0, LATENCY_SALT) + 0.5) / 4294967296;
        const slowRequests = (0, slow_requests_1.slowRequestsAbove)({ requests, latency: components, latencyUniform }, this.latency.slowThresholdMs);
        const unhealthyHosts = regression?.kind === 'crash' ? this.unhealthyCount(start) : 0;
        let regressedRequests = 0;
        if (regression) {
            const cleanRate = this.options.baselineErrorRate;
            const slowExcess = (0, latency_1.latencyCdf)(this.latencyComponents(null, coldStart), this.latency.slowThresholdMs) - (0, latency_1.latencyCdf)(components, this.latency.slowThresholdMs);
            const failureExcess = Math.min(1, rate) - cleanRate + connectionRate * (1 - Math.min(1, rate));
            regressedRequests = requests * Math.min(1, Math.max(0, failureExcess) + Math.max(0, slowExcess));
        }
        return { requests, errors5xx, connectionErrors, slowRequests, latency: components, latencyUniform, p95Ms, p99Ms, healthyHosts: this.hosts - unhealthyHosts, unhealthyHosts, regressedRequests };
    }
    /** One shared array per kind of minute: every minute stores its distribution, most share it. */
    latencyComponents(regression, coldStart) {
        const key = (regression ? 2 : 0) + (coldStart ? 1 : 0);
        let components = this.componentCache.get(key);
        if (!components) {
            components = this.buildLatencyComponents(regression, coldStart);
            this.componentCache.set(key, components);
        }
        return components;
    }
    buildLatencyComponents(regression, coldStart) {
        const { medianMs, sigma } = this.latency;
        const factor = (coldStart ? exports.COLD_START_LATENCY_FACTOR : 1) * (regression?.kind === 'latency' && regression.ratio !== undefined ? regression.ratio : 1);
        const base = { share: 1, medianMs: medianMs * factor, sigma, extraMs: 0 };
        if (regression?.kind === 'latency' && regression.extraMs !== undefined) {
            const share = regression.share ?? 0.05;
            return [{ ...base, share: 1 - share }, { ...base, share, extraMs: regression.extraMs }];
        }
        return [base];
    }
}
exports.TrafficWorld = TrafficWorld;
