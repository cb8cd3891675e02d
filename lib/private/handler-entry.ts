/**
 * The entry file of a Lambda handler for `NodejsFunction`: `lambdas/handlers/<name>.ts` next to
 * `lib/` in the repository, or its compiled `<name>.js` under `dist/` in the built package,
 * which ships no TypeScript sources (docs/packaging.md). esbuild bundles either one.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

const HANDLERS = path.join(__dirname, '..', '..', 'lambdas', 'handlers');

/** `file` is the handler's source name, e.g. `tick.ts`. */
export function handlerEntry(file: string): string {
  const source = path.join(HANDLERS, file);
  return existsSync(source) ? source : source.replace(/\.ts$/, '.js');
}

/** How every ecs-canary handler is bundled: minified for Node.js 22, with a source map; esbuild reports warnings only. */
export const HANDLER_BUNDLING: nodejs.BundlingOptions = {
  minify: true,
  sourceMap: true,
  target: 'node22',
  logLevel: nodejs.LogLevel.WARNING,
};
