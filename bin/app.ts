#!/usr/bin/env node
/**
 * The CDK app: `EcsCanary-Platform` and one `EcsCanary-<name>` stack per `services/*.yaml`.
 * The services directory is `services/` unless context `servicesDir` or the environment
 * variable ECS_CANARY_SERVICES_DIR says otherwise.
 */
import * as path from 'node:path';
import { App, Errors } from 'aws-cdk-lib';
import { ConfigError, SERVICES_DIR_ENV } from '../lib/config';
import { addEcsCanaryStacksFromDir } from '../lib/ecs-canary-app';

const app = new App();
const servicesDir =
  (app.node.tryGetContext('servicesDir') as string | undefined) ??
  process.env[SERVICES_DIR_ENV] ??
  path.join(__dirname, '..', 'services');

try {
  // File and construct problems of every service together, under one header.
  addEcsCanaryStacksFromDir(app, servicesDir);
} catch (error) {
  if (error instanceof ConfigError) {
    // One line per problem, no stack trace: the message is the whole story.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
try {
  app.synth();
} catch (error) {
  // Any other construct validation names the construct and the fix.
  if (Errors.isValidationError(error)) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
