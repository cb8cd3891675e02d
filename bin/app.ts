#!/usr/bin/env node
/**
 * The CDK app: `EcsCanary-Platform` (unless every service names its own `network`) and one
 * `EcsCanary-<name>` stack per `services/*.yaml`.
 * The services directory is `services/` unless context `servicesDir` or the environment
 * variable ECS_CANARY_SERVICES_DIR says otherwise.
 */
import * as path from 'node:path';

import { App, Errors } from 'aws-cdk-lib/core';

import { EcsCanaryError } from '../lambdas/core/ecs-canary-error';
import { SERVICES_DIR_ENV } from '../lib/config';
import { addEcsCanaryStacksFromDir } from '../lib/ecs-canary-app';
import { dropBundlingNotices } from './quiet-bundling';

dropBundlingNotices(process.stderr);

const app = new App();
const servicesDir =
  (app.node.tryGetContext('servicesDir') as string | undefined) ?? process.env[SERVICES_DIR_ENV] ?? path.join(__dirname, '..', 'services');

/**
 * A configuration or construct error (ours, or a CDK validation such as the deployment metadata's
 * size) names the file and the fix: its message alone, no stack trace. Anything else is a bug.
 */
function exitOnKnownError(error: unknown): never {
  if (EcsCanaryError.isEcsCanaryError(error) || Errors.isValidationError(error)) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

try {
  // File and construct problems of every service together, under one header.
  addEcsCanaryStacksFromDir(app, servicesDir);
  app.synth();
} catch (error) {
  exitOnKnownError(error);
}
