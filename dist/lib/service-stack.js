"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.serviceStackName = exports.ServiceStack = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const canary_service_1 = require("./canary-service");
/** `EcsCanary-<name>`: one service, deployable on its own with `cdk deploy EcsCanary-<name>`. */
class ServiceStack extends aws_cdk_lib_1.Stack {
    canaryService;
    constructor(scope, id, props) {
        super(scope, id, { description: `ecs-canary service ${props.config.name}: canary-ready ECS service, listeners, CodeDeploy, alarms`, ...props });
        this.canaryService = new canary_service_1.CanaryService(this, 'CanaryService', {
            config: props.config,
            vpc: props.vpc,
            cluster: props.cluster,
            vpcEgressIps: props.vpcEgressIps,
            engine: props.engine,
        });
    }
}
exports.ServiceStack = ServiceStack;
/** The stack id (and CloudFormation stack name) of a service. */
const serviceStackName = (serviceName) => `EcsCanary-${serviceName}`;
exports.serviceStackName = serviceStackName;
