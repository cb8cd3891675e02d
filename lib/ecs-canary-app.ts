import { App, type Environment } from 'aws-cdk-lib/core';
import * as cx_api from 'aws-cdk-lib/cx-api';

import { ConfigError, configSource, readServiceConfigs, type ServiceConfig } from './config';
import { PlatformStack } from './platform-stack';
import { RolloutEngineBinding } from './rollout-engine-binding';
import { ServiceStack, serviceStackName } from './service-stack';

export const PLATFORM_STACK_NAME = 'EcsCanary-Platform';

/** Region used when neither `-c region=…` nor the CLI's default region is set (offline synth). */
export const FALLBACK_REGION = 'us-east-1';

/** Context key naming the stacks whose assets are bundled (`[]`: none). */
const BUNDLING_STACKS = cx_api.BUNDLING_STACKS;

const CROSS_STACK_REFERENCES_FLAG = '@aws-cdk/core:defaultCrossStackReferences';

export interface EcsCanaryStacks {
  /** The shared VPC and cluster; undefined when every service names its own `network`. */
  readonly platform: PlatformStack | undefined;
  readonly services: readonly ServiceStack[];
}

/**
 * The region the stacks target: context `region`, else `CDK_DEFAULT_REGION` (set by the CDK CLI
 * from the profile), else `us-east-1`. No account: the stacks synthesize without credentials.
 * A concrete region is needed for the load balancers' access-log bucket policy (the ELB log
 * delivery account differs per region).
 */
export function resolveEnvironment(app: App): Environment {
  const region = (app.node.tryGetContext('region') as string | undefined) ?? process.env.CDK_DEFAULT_REGION ?? FALLBACK_REGION;
  return { region };
}

/**
 * Reads every service file of `servicesDir` and adds its stacks to `app`, then runs the services'
 * own checks (the certificate's region, the deployment metadata's size): every problem of every
 * file and construct is reported together, in one `ConfigError`, before anything is synthesized.
 * @throws ConfigError with every problem found.
 */
export function addEcsCanaryStacksFromDir(app: App, servicesDir: string, env: Environment = resolveEnvironment(app)): EcsCanaryStacks {
  const { configs, problems } = readServiceConfigs(servicesDir);
  // With file problems nothing is synthesized: the valid services are checked in a scratch app
  // that skips bundling their Lambdas, so the report comes fast and alone.
  const target = problems.length > 0 ? new App({ context: { ...app.node.getAllContext(), [BUNDLING_STACKS]: [] } }) : app;
  const stacks = addEcsCanaryStacks(target, configs, env, (problem) => problems.push(...problem.problems));
  const fileOf = new Map(configs.map((config) => [config.name, configSource(config)]));
  for (const { canaryService } of stacks.services) {
    for (const message of canaryService.node.validate()) {
      problems.push({ file: fileOf.get(canaryService.config.name) ?? canaryService.node.path, field: '(service)', line: message });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return stacks;
}

/**
 * Whether the services need the platform stack: one of them runs in its VPC and cluster (has no
 * `network`), or there is no service yet (the platform is what a first service will use).
 */
export const needsPlatformStack = (configs: readonly ServiceConfig[]): boolean =>
  configs.length === 0 || configs.some((config) => !config.network);

/**
 * Adds `EcsCanary-Platform`, unless every service names its own `network` (imported by id, so
 * nothing would use it), and one `EcsCanary-<name>` stack per service to `app`. A service whose
 * construct refuses its configuration throws, unless `onConfigError` takes the error (the other
 * services are still built, so their problems are found in the same run).
 */
export function addEcsCanaryStacks(
  app: App,
  configs: readonly ServiceConfig[],
  env: Environment = resolveEnvironment(app),
  onConfigError?: (error: ConfigError) => void,
): EcsCanaryStacks {
  // Strong references: CloudFormation refuses to delete the platform while a service uses it.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES_FLAG) === undefined && app.node.children.length === 0) {
    app.node.setContext(CROSS_STACK_REFERENCES_FLAG, 'strong');
  }
  const platform = needsPlatformStack(configs) ? new PlatformStack(app, PLATFORM_STACK_NAME, { env }) : undefined;
  const services: ServiceStack[] = [];
  for (const config of configs) {
    try {
      services.push(
        new ServiceStack(app, serviceStackName(config.name), {
          env,
          config,
          // A service with its own network imports it by id and does not depend on the platform stack.
          ...(config.network || !platform ? {} : { vpc: platform.vpc, cluster: platform.cluster, vpcEgressIps: platform.natPublicIps }),
          // Every service gets the rollout engine: hooks, tick, guard, state machine, audit table.
          engine: new RolloutEngineBinding(),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConfigError) || !onConfigError) throw error;
      onConfigError(error);
    }
  }
  return { platform, services };
}
