export declare const EXIT: {
    readonly ok: 0;
    readonly failed: 1;
    readonly usage: 2;
    readonly aws: 3;
};
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
/** Bad command-line input found after parsing (a value commander cannot check). */
export declare class UsageError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
/** A command that ran but did not get what it was asked (nothing to roll back, a broken chain...). */
export declare class CommandFailedError extends Error {
    /** Extra members of the `--json` result event (for example a simulation's scenario and outcome). */
    readonly result?: Readonly<Record<string, unknown>>;
    constructor(message: string, options?: {
        cause?: unknown;
        result?: Readonly<Record<string, unknown>>;
    });
}
/** A rollout refused before anything was created because its plan cannot meet a stated requirement (exit 2). */
export declare class PlanRefusedError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
/** The exit code and the one line to print last for an error (pure). */
export declare function exitFor(error: unknown): {
    code: ExitCode;
    line: string;
};
