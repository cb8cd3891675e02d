/**
 * Renderers of `ProgressState`: a live frame for a terminal, timestamped lines for CI logs and
 * JSON events. Pure: they return text; the reporter writes it.
 */
import { bakeText } from './bake';
import type { ProgressState } from './model';
import { verdictText } from './verdict-text';

const BAR_WIDTH = 20;

/** `[█████░░░░░░░░░░░░░░░]` for a percentage. */
export function weightBar(percent: number, width = BAR_WIDTH): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

/** `mm:ss`. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function stageText(state: ProgressState): string {
  if (!state.stage) return 'waiting for the rollout engine';
  return state.stage.postTraffic ? 'post-traffic bake at 100%' : `stage ${state.stage.number}/${state.stage.of} (${state.stage.weight}%)`;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** The lines of the live view (a terminal redraws them in place). */
export function renderFrame(state: ProgressState, width = 100): string[] {
  const replacement = state.weights?.replacement;
  const lines = [
    `${state.service}  ${state.deploymentId}  ${state.status}${state.lifecycleEvent ? ` · ${state.lifecycleEvent}` : ''}`,
    `  ${stageText(state)}`,
    `  traffic ${weightBar(replacement ?? 0)} ${replacement === undefined ? '  ?' : String(replacement).padStart(3)}% new`,
    state.bake ? `  bake    ${bakeText(state.bake, true)}` : '  bake    -',
    state.lastVerdict ? `  verdict ${verdictText(state.lastVerdict.verdict, state.lastVerdict.reason)}` : '  verdict none yet',
  ];
  return lines.map((line) => truncate(line, width));
}

/** ANSI: move to the start of the frame drawn before and clear to the end of the screen. */
export function redraw(previousLineCount: number, lines: readonly string[]): string {
  const up = previousLineCount > 0 ? `\x1b[${previousLineCount}F\x1b[J` : '';
  return `${up}${lines.join('\n')}\n`;
}

/** What a CI line reports; a line is written only when this changes (not on every countdown tick). */
export function plainKey(state: ProgressState): string {
  return JSON.stringify([state.status, state.lifecycleEvent, state.stage, state.weights, state.lastVerdict?.seq]);
}

/** One timestamped line for logs. */
export function renderPlainLine(state: ProgressState, now: Date): string {
  const parts = [
    now.toISOString(),
    state.deploymentId,
    state.status,
    state.lifecycleEvent ?? '-',
    stageText(state),
    state.weights ? `traffic ${state.weights.replacement}% new` : 'traffic ?',
  ];
  if (state.bake) parts.push(`bake ${bakeText(state.bake, true)}`);
  if (state.lastVerdict) parts.push(`verdict ${verdictText(state.lastVerdict.verdict, state.lastVerdict.reason)}`);
  return parts.join(' | ');
}

/** One JSON event per line. */
export function renderJsonEvent(type: string, body: object, now: Date): string {
  return JSON.stringify({ type, at: now.toISOString(), ...body });
}
