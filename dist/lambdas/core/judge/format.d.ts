/** Number formatting for the judge's reasons: figures a person on call reads at a glance. */
/** A rate as a percentage: 4.8%, 0.35%, 0.012%, 0%. */
export declare function percent(rate: number): string;
/** "4.8% (12/250)" */
export declare function rateWithCounts(events: number, trials: number): string;
/** Evidence (a likelihood ratio) rounded for reading: 0.41, 3.2, 412, 1.2e+6. */
export declare function evidence(value: number): string;
/** Milliseconds as minutes and seconds: "4 min 30 s", "45 s". */
export declare function duration(ms: number): string;
/** Percentage points: "+4.5 pp". */
export declare function points(difference: number): string;
