"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.PlatformStack = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const ec2 = __importStar(require("aws-cdk-lib/aws-ec2"));
const ecs = __importStar(require("aws-cdk-lib/aws-ecs"));
const logs = __importStar(require("aws-cdk-lib/aws-logs"));
/**
 * What every service shares: a VPC over two Availability Zones with flow logs, and an ECS
 * cluster with Container Insights. Env-agnostic (no context lookups), so it synthesizes offline.
 */
class PlatformStack extends aws_cdk_lib_1.Stack {
    vpc;
    cluster;
    flowLogGroup;
    /** Public IPv4 addresses of the NAT gateways: where traffic from the private subnets comes from. */
    natPublicIps;
    constructor(scope, id, props = {}) {
        super(scope, id, { description: 'ecs-canary platform: VPC, flow logs and the ECS cluster shared by every service', ...props });
        const natGateways = props.natGateways ?? 2;
        const flowLogRetention = props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH;
        this.vpc = new ec2.Vpc(this, 'Vpc', {
            maxAzs: 2,
            natGateways,
            subnetConfiguration: [
                { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
                { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
            ],
        });
        this.natPublicIps = this.vpc.publicSubnets
            .map((subnet) => subnet.node.tryFindChild('EIP'))
            .filter((eip) => eip instanceof ec2.CfnEIP)
            .map((eip) => eip.attrPublicIp);
        this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
            retention: flowLogRetention,
            removalPolicy: aws_cdk_lib_1.RemovalPolicy.DESTROY,
        });
        this.vpc.addFlowLog('FlowLog', {
            destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
            trafficType: ec2.FlowLogTrafficType.ALL,
        });
        this.cluster = new ecs.Cluster(this, 'Cluster', {
            vpc: this.vpc,
            containerInsightsV2: ecs.ContainerInsights.ENABLED,
        });
    }
}
exports.PlatformStack = PlatformStack;
