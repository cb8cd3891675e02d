/**
 * aws-cdk-lib announces every asset it bundles on stderr (`Bundling asset <path>...`), and the CDK
 * CLI prints an app's stderr even with `-q`: one line per Lambda function that nobody acts on. The
 * app drops exactly those lines; everything else on the stream (esbuild's warnings and errors, our
 * one-line configuration errors) passes unchanged.
 */
const BUNDLING_NOTICE = /^Bundling asset \S+\.\.\.\n$/;

export function dropBundlingNotices(stream: NodeJS.WritableStream): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'string' || !BUNDLING_NOTICE.test(chunk)) return write(chunk, ...rest);
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    if (callback) process.nextTick(callback);
    return true;
  }) as typeof stream.write;
}
