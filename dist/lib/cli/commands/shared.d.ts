import type { AwsOptions } from '../context';
export interface GlobalOptions {
    readonly region?: string;
    readonly profile?: string;
    readonly json?: boolean;
}
export declare function awsOptions(options: GlobalOptions): AwsOptions;
/** A commander parser for a whole number ≥ 1 that names the option on error. */
export declare function parsePositiveInt(option: string): (value: string) => number;
