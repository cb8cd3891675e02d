/**
 * Imported first by scripts that load the Lambdas' modules: those create SDK clients at import
 * time, and the SDK's Node.js 20 notice (releases after January 2027 need Node 22) would print
 * before a later statement could switch it off. The CLI silences it the same way.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
