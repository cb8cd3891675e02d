"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FALLBACK_REGION = exports.PLATFORM_STACK_NAME = void 0;
exports.resolveEnvironment = resolveEnvironment;
exports.addEcsCanaryStacks = addEcsCanaryStacks;
const platform_stack_1 = require("./platform-stack");
const rollout_engine_binding_1 = require("./rollout-engine-binding");
const service_stack_1 = require("./service-stack");
exports.PLATFORM_STACK_NAME = 'EcsCanary-Platform';
/** Region used when neither `-c region=…` nor the CLI's default region is set (offline synth). */
exports.FALLBACK_REGION = 'us-east-1';
const CROSS_STACK_REFERENCES_FLAG = '@aws-cdk/core:defaultCrossStackReferences';
/**
 * The region the stacks target: context `region`, else `CDK_DEFAULT_REGION` (set by the CDK CLI
 * from the profile), else `us-east-1`. No account: the stacks synthesize without credentials.
 * A concrete region is needed for the load balancers' access-log bucket policy (the ELB log
 * delivery account differs per region).
 */
function resolveEnvironment(app) {
    const region = app.node.tryGetContext('region') ?? process.env.CDK_DEFAULT_REGION ?? exports.FALLBACK_REGION;
    return { region };
}
/** Adds `EcsCanary-Platform` and one `EcsCanary-<name>` stack per service to `app`. */
function addEcsCanaryStacks(app, configs, env = resolveEnvironment(app)) {
    // Strong references: CloudFormation refuses to delete the platform while a service uses it.
    if (app.node.tryGetContext(CROSS_STACK_REFERENCES_FLAG) === undefined && app.node.children.length === 0) {
        app.node.setContext(CROSS_STACK_REFERENCES_FLAG, 'strong');
    }
    const platform = new platform_stack_1.PlatformStack(app, exports.PLATFORM_STACK_NAME, { env });
    const services = configs.map((config) => new service_stack_1.ServiceStack(app, (0, service_stack_1.serviceStackName)(config.name), {
        env,
        config,
        vpc: platform.vpc,
        cluster: platform.cluster,
        vpcEgressIps: platform.natPublicIps,
        // Every service gets the rollout engine: hooks, tick, guard, state machine, audit table.
        engine: new rollout_engine_binding_1.RolloutEngineBinding(),
    }));
    return { platform, services };
}
