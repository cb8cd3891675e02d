"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.httpGet = void 0;
const httpGet = async (url, timeoutMs) => {
    try {
        const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
        await response.arrayBuffer();
        return { status: response.status };
    }
    catch (error) {
        return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
};
exports.httpGet = httpGet;
