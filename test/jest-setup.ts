/**
 * Runs before every test file (jest `setupFiles`), and its environment reaches the processes the
 * tests spawn. The AWS SDK's NodeVersionSupportWarning (that SDK releases after January 2027 need
 * Node 22) says nothing about the code under test and would print once per test file: it is
 * switched off here as `bin/canary.ts` does, through the SDK's documented variable.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
