/**
 * Writes progress in the form the output calls for: a live frame in a terminal, lines in CI,
 * JSON events with `--json`. The text itself comes from the pure renderers.
 */
import { escapeControl } from '../../lambdas/core/audit-anchor';
import type { OutputStream } from '../context';
import type { ProgressState } from './model';
import { plainKey, redraw, renderFrame, renderJsonEvent, renderPlainLine } from './render';

export type OutputMode = 'tty' | 'plain' | 'json';

export function outputMode(stream: OutputStream, json: boolean): OutputMode {
  if (json) return 'json';
  return stream.isTTY ? 'tty' : 'plain';
}

export class ProgressReporter {
  private frameLines = 0;
  private lastKey?: string;

  constructor(
    private readonly out: OutputStream,
    readonly mode: OutputMode,
    private readonly now: () => Date,
  ) {}

  /** A one-off message (deployment created, refusal, notes). */
  info(message: string, event?: { type: string; [key: string]: unknown }): void {
    if (this.mode === 'json') {
      const { type, ...body } = event ?? { type: 'info', message };
      this.out.write(`${renderJsonEvent(type, { ...body, message }, this.now())}\n`);
      return;
    }
    this.frameLines = 0;
    // Messages quote reasons from AWS (the freeze switch, records): shown with control characters made visible.
    const text = escapeControl(message);
    this.out.write(this.mode === 'plain' ? `${this.now().toISOString()} ${text}\n` : `${text}\n`);
  }

  update(state: ProgressState): void {
    if (this.mode === 'tty') {
      const lines = renderFrame(state, this.out.columns || 100).map(escapeControl);
      this.out.write(redraw(this.frameLines, lines));
      this.frameLines = lines.length;
      return;
    }
    const key = plainKey(state);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.out.write(
      this.mode === 'json'
        ? `${renderJsonEvent('progress', state, this.now())}\n`
        : `${escapeControl(renderPlainLine(state, this.now()))}\n`,
    );
  }
}
