#!/usr/bin/env node
// `npm pack` runs this after tsc (`build`): it bundles each Lambda handler the constructs deploy,
// once, into dist/lambdas/bundles/<name>/index.js with its source map, with the options
// NodejsFunction uses in the repository (HANDLER_BUNDLING in lib/private/handler-entry.ts). The
// constructs of the package deploy these directories as they are: an app needs no esbuild or Docker.
const { rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

/** esbuild's options for NodejsFunction's BundlingOptions `bundling` (the ones HANDLER_BUNDLING sets). */
function esbuildOptions(bundling) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: bundling.target,
    minify: bundling.minify === true,
    sourcemap: bundling.sourceMap === true,
    external: bundling.externalModules ?? [],
    logLevel: bundling.logLevel ?? 'warning',
  };
}

/** Bundles `lambdas/handlers/<file>` of `sourceRoot` into `<bundles>/<name>/index.js` for each file (about a second for six). */
function bundleHandlers({ sourceRoot, bundles, files, bundling }) {
  const esbuild = require('esbuild');
  rmSync(bundles, { recursive: true, force: true });
  for (const file of files) {
    esbuild.buildSync({
      ...esbuildOptions(bundling),
      entryPoints: [join(sourceRoot, 'lambdas', 'handlers', file)],
      outfile: join(bundles, file.replace(/\.ts$/, ''), 'index.js'),
    });
  }
}

module.exports = { esbuildOptions, bundleHandlers };

if (require.main === module) {
  // The list and the options come from the constructs just compiled by tsc, so the two cannot drift.
  const { HANDLER_BUNDLING, HANDLER_BUNDLES, HANDLER_FILES } = require(join(root, 'dist', 'lib', 'private', 'handler-entry.js'));
  try {
    bundleHandlers({ sourceRoot: root, bundles: HANDLER_BUNDLES, files: HANDLER_FILES, bundling: HANDLER_BUNDLING });
  } catch (error) {
    // esbuild has printed the errors (file, line and column); this names the step that failed.
    process.stderr.write(`ecs-canary: bundling the Lambda handlers failed: ${error.message.split('\n')[0]}\n`);
    process.exit(1);
  }
}
