/** The zod builders every service-file schema uses: each failure says what is accepted. */
import { z } from 'zod';

export const accepts = (text: string) => ({ error: () => `accepted: ${text}` });

export const wholeNumber = (min: number, max: number, what = `a whole number from ${min} to ${max}`) =>
  z.number(accepts(what)).int(accepts(what)).min(min, accepts(what)).max(max, accepts(what));

/** `z.strictObject` whose unknown-key error lists the keys it accepts. */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known) : `accepted: a mapping with the keys ${known.join(', ')}`,
  });
}

/**
 * `unknown key contianerPort (did you mean containerPort?); accepted keys: …`. A key is shown with
 * what makes it hard to see: a non-ASCII look-alike (`nаme` with a Cyrillic а), an empty key, or
 * YAML's merge key `<<`, which service files do not expand.
 */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const shown = keys.map((key) => `${describeKey(key)}${nearMissNote(key, known)}`);
  return `unknown key${keys.length > 1 ? 's' : ''} ${shown.join(', ')}; accepted keys: ${known.join(', ')}`;
}

function describeKey(key: string): string {
  if (key === '') return '"" (an empty or null key)';
  if (key === '<<') return '<< (a YAML merge key, which service files do not expand: write the keys themselves)';
  const foreign = [...key].filter((c) => /[^\x20-\x7e]/.test(c));
  if (foreign.length === 0) return key;
  const codes = [...new Set(foreign)].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return `${JSON.stringify(key)} (holds ${codes.join(', ')}, not ASCII)`;
}

/** ` (did you mean X?)` for the accepted key one or two edits away (transpositions count one), else ''. */
function nearMissNote(key: string, known: readonly string[]): string {
  const lower = key.toLowerCase();
  const allowed = key.length >= 8 ? 2 : 1;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { key: candidate, distance };
  }
  return best && best.key !== key ? ` (did you mean ${best.key}?)` : '';
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
