import type { ProgressState } from './model';
/** `[█████░░░░░░░░░░░░░░░]` for a percentage. */
export declare function weightBar(percent: number, width?: number): string;
/** `mm:ss`. */
export declare function clock(seconds: number): string;
/** The lines of the live view (a terminal redraws them in place). */
export declare function renderFrame(state: ProgressState, width?: number): string[];
/** ANSI: move to the start of the frame drawn before and clear to the end of the screen. */
export declare function redraw(previousLineCount: number, lines: readonly string[]): string;
/** What a CI line reports; a line is written only when this changes (not on every countdown tick). */
export declare function plainKey(state: ProgressState): string;
/** One timestamped line for logs. */
export declare function renderPlainLine(state: ProgressState, now: Date): string;
/** One JSON event per line. */
export declare function renderJsonEvent(type: string, body: object, now: Date): string;
