/**
 * A simulation's timeline as text: one line per decision, the time as T+minutes since the
 * deployment started, and how the run ended.
 */
import { withoutVerdict } from '../progress/verdict-text';
import type { SimulationResult, TimelineEntry } from './engine';

export const MINUTE_MS = 60_000;
export const minutesFrom = (start: number, at: number) => (at - start) / MINUTE_MS;
/** `T+mmm:ss` since `start`. */
export const clockOf = (start: number, at: number) => {
  const m = Math.round(minutesFrom(start, at) * 60) / 60;
  const whole = Math.floor(m);
  return `T+${String(whole).padStart(3, ' ')}:${String(Math.round((m - whole) * 60)).padStart(2, '0')}`;
};

/** The weight a decision was taken at: its stage's (a rollback at 5% leaves the listener at 0%). */
export const decidedAt = (e: TimelineEntry): number => e.stage?.weight ?? e.weight;

/** How a run ended, without its reason: a failed run's reason is the CLI's last line, printed once. */
export function outcomeText(result: SimulationResult): string {
  const minutes = Math.round(minutesFrom(result.startTime, result.endTime));
  if (result.outcome === 'Succeeded') return `outcome: Succeeded after ${minutes} min: ${result.reason}`;
  const last = result.timeline.at(-1);
  const how = last?.verdict === 'rollback' ? 'rolled back' : (last?.verdict ?? 'stopped');
  return `outcome: Failed after ${minutes} min${last ? `, ${how} at ${decidedAt(last)}%` : ''} (the reason is the last line)`;
}

/** The timeline as lines: a header, one line per decision (weight: where it was decided), then the outcome. */
export function renderTimeline(result: SimulationResult): string[] {
  const lines = [
    `simulate ${result.scenario}: ${result.timeline.length} decisions`,
    `${'time'.padEnd(9)}  ${'hook'.padEnd(21)} ${'at'.padStart(4)}  ${'verdict'.padEnd(8)} reason`,
  ];
  result.timeline.forEach((e, i) => {
    // The deciding decision of a failed run: its reason is the CLI's last line, not repeated here.
    const deciding = result.outcome === 'Failed' && i === result.timeline.length - 1 && e.reason === result.reason;
    const reason = deciding ? '(the reason is the last line)' : e.verdict ? withoutVerdict(e.verdict, e.reason) : e.reason;
    lines.push(
      `${clockOf(result.startTime, e.at)}  ${e.hook.padEnd(21)} ${String(decidedAt(e)).padStart(3)}%  ${(e.verdict ?? '-').padEnd(8)} ${reason}`,
    );
  });
  lines.push(outcomeText(result));
  return lines;
}
