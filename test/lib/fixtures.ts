/**
 * Shared fixtures for the construct tests: a service configuration with overrides, and a
 * synthesized service stack per distinct configuration (cached, so each is synthesized once
 * per test file).
 */
import { App, cx_api } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import type { CanaryService, ICanaryEngine } from '../../lib/canary-service';
import { type ServiceConfig, type ServiceConfigInput, validateServiceConfig } from '../../lib/config';
import { addEcsCanaryStacks } from '../../lib/ecs-canary-app';
import { PlatformStack } from '../../lib/platform-stack';
import { ServiceStack } from '../../lib/service-stack';

/** The smallest valid configuration; every other field takes its default. */
export const MINIMAL_CONFIG: ServiceConfigInput = { name: 'orders', image: 'public.ecr.aws/nginx/nginx:1.27' };

export function serviceConfig(overrides: Partial<ServiceConfigInput> = {}): ServiceConfig {
  return validateServiceConfig({ ...MINIMAL_CONFIG, ...overrides }, 'test');
}

export interface SynthesizedService {
  readonly app: App;
  /** Undefined when the service names its own network. */
  readonly platform: PlatformStack | undefined;
  readonly stack: ServiceStack;
  readonly service: CanaryService;
  readonly template: Template;
}

const cache = new Map<string, SynthesizedService>();

/**
 * Construct tests assert on templates; CDK's built-in CloudFormation validation (several seconds
 * per synth) runs once over the whole app in test/app.test.ts instead, and the Lambdas are not
 * bundled (test/packaging synthesizes them bundled).
 */
export const testApp = (): App => new App({ builtinCloudFormationValidation: false, context: { [cx_api.BUNDLING_STACKS]: [] } });

/** A platform stack and one service stack built from `overrides`, synthesized once per file. */
export function synthesizeService(overrides: Partial<ServiceConfigInput> = {}): SynthesizedService {
  const key = JSON.stringify(overrides);
  const cached = cache.get(key);
  if (cached) return cached;
  const app = testApp();
  const { platform, services } = addEcsCanaryStacks(app, [serviceConfig(overrides)], { region: 'eu-west-1' });
  const stack = services[0];
  const result = { app, platform, stack, service: stack.canaryService, template: Template.fromStack(stack) };
  cache.set(key, result);
  return result;
}

/** A service stack whose construct gets `engine`; not cached. */
export function synthesizeWithEngine(engine: ICanaryEngine): SynthesizedService {
  const app = testApp();
  const env = { region: 'eu-west-1' };
  const platform = new PlatformStack(app, 'Platform', { env });
  const stack = new ServiceStack(app, 'Service', { env, config: serviceConfig(), vpc: platform.vpc, cluster: platform.cluster, engine });
  return { app, platform, stack, service: stack.canaryService, template: Template.fromStack(stack) };
}

/** Logical ids of the resources of `type` whose properties match. */
export function logicalIds(template: Template, type: string, props?: Record<string, unknown>): string[] {
  return Object.keys(template.findResources(type, props ? { Properties: props } : undefined));
}

/** The single resource of `type` (fails the test when there is not exactly one). */
export function onlyResource(
  template: Template,
  type: string,
): { id: string; resource: { Properties: Record<string, any>; DependsOn?: string[] } } {
  const found = template.findResources(type);
  const ids = Object.keys(found);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return { id: ids[0], resource: found[ids[0]] as { Properties: Record<string, any>; DependsOn?: string[] } };
}
