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
exports.RolloutEngineBinding = void 0;
/**
 * Attaches a `RolloutEngine` to a `CanaryService` (the service's `ICanaryEngine` hook):
 * `new ServiceStack(app, id, { …, engine: new RolloutEngineBinding() })`. The engine receives
 * explicit references to the service's listener, target groups, deployment group, topic (and its
 * key) and SSM parameters, and publishes its hooks, audit table and state machine into the
 * service's deployment metadata.
 */
const ec2 = __importStar(require("aws-cdk-lib/aws-ec2"));
const metadata_1 = require("../lambdas/core/metadata");
const rollout_engine_1 = require("./rollout-engine");
class RolloutEngineBinding {
    props;
    /** The engine, once bound. */
    engine;
    constructor(props = {}) {
        this.props = props;
    }
    bind(service) {
        if (this.engine)
            throw new Error(`RolloutEngineBinding: already bound to ${this.engine.node.path}; create one binding per service`);
        const names = (0, metadata_1.parameterNames)(service.config.name);
        this.engine = new rollout_engine_1.RolloutEngine(service, 'RolloutEngine', {
            serviceName: service.config.name,
            productionListenerArn: service.productionListenerArn,
            targetGroups: [service.blueTargetGroup, service.greenTargetGroup],
            deploymentGroup: service.deploymentGroup,
            topic: service.topic,
            topicKey: service.notifications.key,
            metadataParameterName: names.deployment,
            freezeParameterName: names.freeze,
            controlParameterName: names.control,
            rollbackAlarms: service.rollbackAlarms,
            auditRetentionDays: service.config.auditRetentionDays,
            // The test listener is open only to operators' CIDRs: smoke checks run inside the VPC,
            // against each replacement task on its container port.
            smokeCheckVpc: { vpc: service.service.cluster.vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } },
            ...(this.props.auditRemovalPolicy ? { auditRemovalPolicy: this.props.auditRemovalPolicy } : {}),
            ...(this.props.logRetention ? { logRetention: this.props.logRetention } : {}),
        });
        service.service.connections.allowFrom(this.engine.smokeCheckConnections, ec2.Port.tcp(service.config.containerPort), 'smoke checks of the rollout engine');
        // The dashboard lists the decisions the tick logs.
        return { ...this.engine.attachment, controlParameterName: names.control, decisionLogGroupName: this.engine.tickFunction.logGroup.logGroupName };
    }
}
exports.RolloutEngineBinding = RolloutEngineBinding;
