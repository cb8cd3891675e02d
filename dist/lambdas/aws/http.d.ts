/** HTTP adapter for smoke checks through the test listener (injectable in the hook handlers). */
export interface HttpResult {
    readonly status?: number;
    readonly error?: string;
}
export type HttpGet = (url: string, timeoutMs: number) => Promise<HttpResult>;
export declare const httpGet: HttpGet;
