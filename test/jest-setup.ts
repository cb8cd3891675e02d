/**
 * Runs before every test file (jest `setupFiles`), and its environment reaches the processes the
 * tests spawn. The AWS SDK's NodeVersionSupportWarning (that SDK releases after January 2027 need
 * Node 22) says nothing about the code under test and would print once per test file: it is
 * switched off here as `bin/canary.ts` does, through the SDK's documented variable.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Apps made in tests (and the apps they spawn) skip the construct creation stack traces that
 * aws-cdk-lib records as manifest metadata for debugging: a stack trace per resource costs about
 * 6% of the CPU of the suites that synthesize, and no test reads it. The templates are the same.
 */
process.env.CDK_CONTEXT_JSON ??= JSON.stringify({ 'aws:cdk:disable-creation-stack-traces': true });
