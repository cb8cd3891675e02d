/**
 * The entry file of a Lambda handler for `NodejsFunction`: `lambdas/handlers/<name>.ts` next to
 * `lib/` in the repository, or its compiled `<name>.js` next to `dist/lib/` in the built package,
 * which ships no TypeScript sources (docs/packaging.md). esbuild bundles either one.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const HANDLERS = path.join(__dirname, '..', 'lambdas', 'handlers');

/** `file` is the handler's source name, e.g. `tick.ts`. */
export function handlerEntry(file: string): string {
  const source = path.join(HANDLERS, file);
  return existsSync(source) ? source : source.replace(/\.ts$/, '.js');
}
