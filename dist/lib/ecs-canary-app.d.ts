import type { App, Environment } from 'aws-cdk-lib';
import type { ServiceConfig } from './config';
import { PlatformStack } from './platform-stack';
import { ServiceStack } from './service-stack';
export declare const PLATFORM_STACK_NAME = "EcsCanary-Platform";
/** Region used when neither `-c region=…` nor the CLI's default region is set (offline synth). */
export declare const FALLBACK_REGION = "us-east-1";
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
export declare function resolveEnvironment(app: App): Environment;
/** Adds `EcsCanary-Platform` and one `EcsCanary-<name>` stack per service to `app`. */
export declare function addEcsCanaryStacks(app: App, configs: readonly ServiceConfig[], env?: Environment): EcsCanaryStacks;
