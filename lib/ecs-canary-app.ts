import type { App, Environment } from 'aws-cdk-lib';
import type { ServiceConfig } from './config';
import { PlatformStack } from './platform-stack';
import { RolloutEngineBinding } from './rollout-engine-binding';
import { ServiceStack, serviceStackName } from './service-stack';

export const PLATFORM_STACK_NAME = 'EcsCanary-Platform';

/** Region used when neither `-c region=…` nor the CLI's default region is set (offline synth). */
export const FALLBACK_REGION = 'us-east-1';

const CROSS_STACK_REFERENCES_FLAG = '@aws-cdk/core:defaultCrossStackReferences';

export interface EcsCanaryStacks {
  readonly platform: PlatformStack;
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

/** Adds `EcsCanary-Platform` and one `EcsCanary-<name>` stack per service to `app`. */
export function addEcsCanaryStacks(app: App, configs: readonly ServiceConfig[], env: Environment = resolveEnvironment(app)): EcsCanaryStacks {
  // Strong references: CloudFormation refuses to delete the platform while a service uses it.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES_FLAG) === undefined && app.node.children.length === 0) {
    app.node.setContext(CROSS_STACK_REFERENCES_FLAG, 'strong');
  }
  const platform = new PlatformStack(app, PLATFORM_STACK_NAME, { env });
  const services = configs.map(
    (config) =>
      new ServiceStack(app, serviceStackName(config.name), {
        env,
        config,
        vpc: platform.vpc,
        cluster: platform.cluster,
        vpcEgressIps: platform.natPublicIps,
        // Every service gets the rollout engine: hooks, tick, guard, state machine, audit table.
        engine: new RolloutEngineBinding(),
      }),
  );
  return { platform, services };
}
