"use strict";
/**
 * The CPU and memory combinations Fargate accepts (Amazon ECS developer guide, "Task size").
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.FARGATE_SIZES = void 0;
exports.fargateSizeProblem = fargateSizeProblem;
/** CPU units → accepted memory in MiB. */
exports.FARGATE_SIZES = new Map([
    [256, [512, 1024, 2048]],
    [512, { min: 1024, max: 4096, step: 1024 }],
    [1024, { min: 2048, max: 8192, step: 1024 }],
    [2048, { min: 4096, max: 16384, step: 1024 }],
    [4096, { min: 8192, max: 30720, step: 1024 }],
    [8192, { min: 16384, max: 61440, step: 4096 }],
    [16384, { min: 32768, max: 122880, step: 8192 }],
]);
function describeRange(range) {
    return Array.isArray(range)
        ? range.join(', ')
        : `${range.min} to ${range.max} in steps of ${range.step}`;
}
function accepts(range, memoryMiB) {
    if (Array.isArray(range))
        return range.includes(memoryMiB);
    const r = range;
    return memoryMiB >= r.min && memoryMiB <= r.max && (memoryMiB - r.min) % r.step === 0;
}
/** The problem with a cpu/memory pair, or undefined when Fargate accepts it. */
function fargateSizeProblem(cpu, memoryMiB) {
    const range = exports.FARGATE_SIZES.get(cpu);
    if (!range) {
        return { field: 'cpu', accepted: `one of ${[...exports.FARGATE_SIZES.keys()].join(', ')} (Fargate CPU units)` };
    }
    if (!accepts(range, memoryMiB)) {
        return { field: 'memoryMiB', accepted: `for cpu ${cpu}, ${describeRange(range)} MiB` };
    }
    return undefined;
}
