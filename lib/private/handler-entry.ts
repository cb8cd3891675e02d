/**
 * The code of the Lambda handlers. The package ships each handler pre-bundled (as aws-cdk-lib ships
 * its own handlers): `dist/lambdas/bundles/<name>/index.js` with its source map, built by
 * `scripts/bundle-handlers.js` when the package is packed, so an app synthesizes without esbuild
 * or Docker. In the repository there are no bundles and `NodejsFunction` bundles
 * `lambdas/handlers/<name>.ts` with esbuild at synth, with the same options (docs/packaging.md).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

const HANDLERS = path.join(__dirname, '..', '..', 'lambdas', 'handlers');
/** Where the package's pre-built bundles are: dist/lambdas/bundles next to dist/lib. */
export const HANDLER_BUNDLES = path.join(__dirname, '..', '..', 'lambdas', 'bundles');

/** The handler files the constructs deploy, one bundle each (`npm pack` builds them all). */
export const HANDLER_FILES = ['cdk-deploy.ts', 'guard.ts', 'hook-failure.ts', 'hooks.ts', 'start-check.ts', 'tick.ts'] as const;
export type HandlerFile = (typeof HANDLER_FILES)[number];

/**
 * How every ecs-canary handler is bundled: minified for Node.js 22, with a source map; the AWS SDK
 * for JavaScript v3 is left to the Lambda runtime, which provides it; esbuild reports warnings only.
 */
export const HANDLER_BUNDLING: nodejs.BundlingOptions = {
  minify: true,
  sourceMap: true,
  target: 'node22',
  externalModules: ['@aws-sdk/*'],
  logLevel: nodejs.LogLevel.WARNING,
};

/** `file` is the handler's source name, e.g. `tick.ts`; the compiled `tick.js` when only dist/ has it. */
export function handlerEntry(file: HandlerFile): string {
  const source = path.join(HANDLERS, file);
  return existsSync(source) ? source : source.replace(/\.ts$/, '.js');
}

/** The directory of a handler's pre-built bundle: `<bundles>/tick` for `tick.ts`. */
export function handlerBundleDir(file: HandlerFile, bundles: string = HANDLER_BUNDLES): string {
  return path.join(bundles, file.replace(/\.ts$/, ''));
}

/** The props of a `NodejsFunction` that say what code it runs; every other prop is the caller's. */
export type HandlerCodeProps = Pick<nodejs.NodejsFunctionProps, 'code' | 'handler' | 'entry' | 'bundling'>;

/**
 * The code of the handler `exportName` of `file`: the pre-built bundle's directory as an asset when
 * the package has it, else the source with `HANDLER_BUNDLING`, which `NodejsFunction` bundles at synth.
 * Both give the function the same properties but its code (test/lib/handler-code.test.ts).
 */
export function handlerCode(file: HandlerFile, exportName: string, bundles: string = HANDLER_BUNDLES): HandlerCodeProps {
  const bundle = handlerBundleDir(file, bundles);
  if (existsSync(path.join(bundle, 'index.js'))) return { code: lambda.Code.fromAsset(bundle), handler: `index.${exportName}` };
  return { entry: handlerEntry(file), handler: exportName, bundling: HANDLER_BUNDLING };
}
