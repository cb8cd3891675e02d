/** HTTP adapter for smoke checks through the test listener (injectable in the hook handlers). */
export interface HttpResult {
  readonly status?: number;
  readonly error?: string;
}
export type HttpGet = (url: string, timeoutMs: number) => Promise<HttpResult>;

export const httpGet: HttpGet = async (url, timeoutMs) => {
  try {
    const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return { status: response.status };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
};
