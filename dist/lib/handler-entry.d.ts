/** `file` is the handler's source name, e.g. `tick.ts`. */
export declare function handlerEntry(file: string): string;
