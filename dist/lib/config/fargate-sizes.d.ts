/**
 * The CPU and memory combinations Fargate accepts (Amazon ECS developer guide, "Task size").
 */
interface MemoryRange {
    readonly min: number;
    readonly max: number;
    readonly step: number;
}
/** CPU units → accepted memory in MiB. */
export declare const FARGATE_SIZES: ReadonlyMap<number, MemoryRange | readonly number[]>;
export interface SizeProblem {
    readonly field: 'cpu' | 'memoryMiB';
    readonly accepted: string;
}
/** The problem with a cpu/memory pair, or undefined when Fargate accepts it. */
export declare function fargateSizeProblem(cpu: number, memoryMiB: number): SizeProblem | undefined;
export {};
