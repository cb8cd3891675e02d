/**
 * Seeded random numbers for the simulation: deterministic for a given seed on every platform
 * (32-bit integer arithmetic only), with the distributions the traffic model needs.
 */
/** Mixes two integers into a well-spread 32-bit seed (for order-independent per-minute draws). */
export declare function hashSeed(...parts: number[]): number;
export declare class Random {
    private state;
    constructor(seed: number);
    /** Uniform in [0, 1) (mulberry32). */
    uniform(): number;
    /** Standard normal (Box–Muller). */
    normal(): number;
    /** True with probability p. */
    chance(p: number): boolean;
    /** Poisson(mean): multiplication for small means, normal approximation (continuity-corrected) above 60. */
    poisson(mean: number): number;
    /** Binomial(n, p): Poisson/normal approximations where exact sampling would be slow. */
    binomial(n: number, p: number): number;
    /** Gamma(shape, scale) (Marsaglia–Tsang). */
    gamma(shape: number, scale: number): number;
}
