/**
 * The CPU and memory combinations Fargate accepts (Amazon ECS developer guide, "Task size").
 */

interface MemoryRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** CPU units → accepted memory in MiB. */
export const FARGATE_SIZES: ReadonlyMap<number, MemoryRange | readonly number[]> = new Map<number, MemoryRange | readonly number[]>([
  [256, [512, 1024, 2048]],
  [512, { min: 1024, max: 4096, step: 1024 }],
  [1024, { min: 2048, max: 8192, step: 1024 }],
  [2048, { min: 4096, max: 16384, step: 1024 }],
  [4096, { min: 8192, max: 30720, step: 1024 }],
  [8192, { min: 16384, max: 61440, step: 4096 }],
  [16384, { min: 32768, max: 122880, step: 8192 }],
]);

export interface SizeProblem {
  readonly field: 'cpu' | 'memoryMiB';
  readonly accepted: string;
}

function describeRange(range: MemoryRange | readonly number[]): string {
  return Array.isArray(range)
    ? range.join(', ')
    : `${(range as MemoryRange).min} to ${(range as MemoryRange).max} in steps of ${(range as MemoryRange).step}`;
}

function accepts(range: MemoryRange | readonly number[], memoryMiB: number): boolean {
  if (Array.isArray(range)) return range.includes(memoryMiB);
  const r = range as MemoryRange;
  return memoryMiB >= r.min && memoryMiB <= r.max && (memoryMiB - r.min) % r.step === 0;
}

/** The problem with a cpu/memory pair, or undefined when Fargate accepts it. */
export function fargateSizeProblem(cpu: number, memoryMiB: number): SizeProblem | undefined {
  const range = FARGATE_SIZES.get(cpu);
  if (!range) {
    return { field: 'cpu', accepted: `one of ${[...FARGATE_SIZES.keys()].join(', ')} (Fargate CPU units)` };
  }
  if (!accepts(range, memoryMiB)) {
    return { field: 'memoryMiB', accepted: `for cpu ${cpu}, ${describeRange(range)} MiB` };
  }
  return undefined;
}
