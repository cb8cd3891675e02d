/**
 * Writes progress in the form the output calls for: a live frame in a terminal, lines in CI,
 * JSON events with `--json`. The text itself comes from the pure renderers.
 */
import type { OutputStream } from '../context';
import type { ProgressState } from './model';
export type OutputMode = 'tty' | 'plain' | 'json';
export declare function outputMode(stream: OutputStream, json: boolean): OutputMode;
export declare class ProgressReporter {
    private readonly out;
    readonly mode: OutputMode;
    private readonly now;
    private frameLines;
    private lastKey?;
    constructor(out: OutputStream, mode: OutputMode, now: () => Date);
    /** A one-off message (deployment created, refusal, notes). */
    info(message: string, event?: {
        type: string;
        [key: string]: unknown;
    }): void;
    update(state: ProgressState): void;
}
