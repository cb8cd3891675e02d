/**
 * The problems a verification of the audit trail reports (docs/audit.md): their codes, the order
 * they are listed in, and the short forms of hashes and times their texts use.
 */

export type ProblemCode =
  | 'trust-root'
  | 'malformed'
  | 'altered'
  | 'unsigned'
  | 'legacy'
  | 'bad-signature'
  | 'gap'
  | 'broken-link'
  | 'time-reversed'
  | 'backdated'
  | 'missing'
  | 'truncated'
  | 'reordered'
  | 'replayed'
  | 'not-anchored-as'
  | 'no-anchor'
  | 'forged-anchor'
  | 'bad-expiry'
  | 'fork'
  | 'malformed-anchor'
  | 'changed-while-read';

export interface TrailProblem {
  /** The record's sequence number; 0 for the trail as a whole (trust root, malformed keys). */
  readonly sk: number;
  readonly code: ProblemCode;
  readonly problem: string;
}

/** Records a problem of the record with sequence number `sk` (0 for the trail as a whole). */
export type AddProblem = (sk: number, code: ProblemCode, problem: string) => void;

/** Problems that follow from another at the same sequence number, or are traces of the attempt: listed after it. */
const SECONDARY: ReadonlySet<ProblemCode> = new Set([
  'broken-link',
  'time-reversed',
  'forged-anchor',
  'bad-expiry',
  'no-anchor',
  'not-anchored-as',
]);

/**
 * Trail-level problems first, then by sequence number; at one sequence number what happened to the
 * record comes before its consequences and the traces of the attempt (a stable sort keeps the rest).
 */
export const compareProblems = (a: TrailProblem, b: TrailProblem): number =>
  a.sk - b.sk || Number(SECONDARY.has(a.code)) - Number(SECONDARY.has(b.code));

/** The first 12 hex digits of a hash, as problem texts show it. */
export const short = (hash: unknown) => (typeof hash === 'string' ? hash.slice(0, 12) : String(hash));
/** Epoch seconds as an ISO-8601 time; a value no Date can hold (1e300, NaN) as it is, never a throw. */
export const iso = (seconds: number) => {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
};
