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
exports.CanaryService = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const codedeploy = __importStar(require("aws-cdk-lib/aws-codedeploy"));
const ec2 = __importStar(require("aws-cdk-lib/aws-ec2"));
const ecs = __importStar(require("aws-cdk-lib/aws-ecs"));
const elbv2 = __importStar(require("aws-cdk-lib/aws-elasticloadbalancingv2"));
const logs = __importStar(require("aws-cdk-lib/aws-logs"));
const s3 = __importStar(require("aws-cdk-lib/aws-s3"));
const ssm = __importStar(require("aws-cdk-lib/aws-ssm"));
const constructs_1 = require("constructs");
const plan_1 = require("../lambdas/core/plan");
const metadata_1 = require("../lambdas/core/metadata");
const config_1 = require("./config");
const canary_dashboard_1 = require("./canary-dashboard");
const canary_service_error_1 = require("./canary-service-error");
const cdk_deploy_trigger_1 = require("./cdk-deploy-trigger");
const image_pull_grant_1 = require("./image-pull-grant");
const canary_listeners_1 = require("./canary-listeners");
const canary_notifications_1 = require("./canary-notifications");
const deployment_metadata_1 = require("./deployment-metadata");
const rollback_alarms_1 = require("./rollback-alarms");
const target_group_metrics_1 = require("./target-group-metrics");
/**
 * A canary-ready ECS service: a Fargate service under the CODE_DEPLOY controller behind an ALB
 * with a production and a test listener, blue and green target groups, a CodeDeploy deployment
 * group (AllAtOnce: the rollout engine performs the partial shifts), rollback alarms on both
 * target groups, notifications, a dashboard, and the SSM parameters the CLI and the engine read.
 *
 * Its stack needs a concrete region (`env: { region }`); no account is needed.
 */
class CanaryService extends constructs_1.Construct {
    /** The validated configuration, with defaults applied. */
    config;
    /** The rollout plan compiled into CodeDeploy hook windows. */
    plan;
    loadBalancer;
    loadBalancerSecurityGroup;
    accessLogsBucket;
    /** Production and test listeners (create-only custom resources; see `CanaryListeners`). */
    listeners;
    /** ARN of the production listener, whose weighted forward CodeDeploy and the engine rewrite. */
    productionListenerArn;
    /** ARN of the test listener (smoke checks, CodeDeploy test traffic). */
    testListenerArn;
    /** Target group the service starts on. Blue and green swap roles on every deployment. */
    blueTargetGroup;
    greenTargetGroup;
    taskDefinition;
    container;
    service;
    application;
    deploymentGroup;
    /** The alarms attached to the deployment group (six; CodeDeploy accepts ten). */
    rollbackAlarms;
    /** Topic, its KMS key (publishers need kms:GenerateDataKey and kms:Decrypt) and the CodeDeploy rule. */
    notifications;
    /** The notification topic (KMS-encrypted). */
    topic;
    dashboard;
    /** `/ecs-canary/<name>/deployment`: `DeploymentMetadata` JSON. */
    deploymentParameter;
    /** `/ecs-canary/<name>/freeze`: the freeze switch, created unfrozen. */
    freezeParameter;
    /**
     * Starts (or waits for) a canary deployment when `cdk deploy` registers a new task definition
     * revision; undefined with `deployOnCdkDeploy: off`.
     */
    cdkDeployTrigger;
    engineAttachment;
    constructor(scope, id, props) {
        super(scope, id);
        const config = (0, config_1.validateServiceConfig)(props.config, this.node.path);
        if (aws_cdk_lib_1.Token.isUnresolved(aws_cdk_lib_1.Stack.of(this).region)) {
            throw new canary_service_error_1.CanaryServiceError(`${this.node.path}: the stack has no region; give it env: { region: 'eu-west-1' } (or any region). The load balancer's access-log bucket policy names the region's ELB log delivery account.`);
        }
        // Tokens (a certificate ARN or region known only at deploy time) are left to CloudFormation.
        const certificateArn = config.listener.certificateArn;
        const certificateProblem = certificateArn && !aws_cdk_lib_1.Token.isUnresolved(certificateArn) && (0, config_1.certificateRegionProblem)(certificateArn, aws_cdk_lib_1.Stack.of(this).region, (0, config_1.configSource)(props.config) ?? this.node.path);
        if (certificateProblem)
            throw new config_1.ConfigError([certificateProblem]);
        const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
        const requestFloor = props.alarmRequestFloorPerMinute ?? (0, rollback_alarms_1.defaultRequestFloor)(config.thresholds.maxErrorRatePercent);
        const names = {
            prefix: `ecs-canary-${config.name}`,
            application: `ecs-canary-${config.name}`,
            deploymentGroup: config.name,
            family: `ecs-canary-${config.name}`,
            container: config.name,
            parameters: (0, metadata_1.parameterNames)(config.name),
        };
        this.config = config;
        this.plan = (0, plan_1.compilePlan)(config.rollout);
        // Load balancer, access logs (ALB access logs support SSE-S3 only).
        this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
            encryption: s3.BucketEncryption.S3_MANAGED,
            blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
            enforceSSL: true,
            removalPolicy: props.accessLogsRemovalPolicy ?? aws_cdk_lib_1.RemovalPolicy.RETAIN,
            lifecycleRules: [{ expiration: aws_cdk_lib_1.Duration.days(90) }],
        });
        aws_cdk_lib_1.Validations.of(this.accessLogsBucket.node.defaultChild).acknowledge({
            id: 'AwsSolutions-S1',
            reason: 'This bucket receives the load balancer access logs; logging its own access would only log the log delivery.',
        });
        this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
            vpc: props.vpc,
            description: `ecs-canary ${config.name}: load balancer`,
            allowAllOutbound: false,
        });
        aws_cdk_lib_1.Validations.of(this.loadBalancerSecurityGroup.node.defaultChild).acknowledge({
            id: 'AwsSolutions-EC23',
            reason: `The production listener (port ${config.listener.port}${config.listener.certificateArn ? ' and the 80 → 443 redirect' : ''}) is the service's public entry point; the test listener is limited to testAllowedCidrs.`,
        });
        this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
            vpc: props.vpc,
            internetFacing: true,
            securityGroup: this.loadBalancerSecurityGroup,
            dropInvalidHeaderFields: true,
        });
        this.loadBalancer.logAccessLogs(this.accessLogsBucket, config.name);
        // Target groups: identical, CodeDeploy alternates between them.
        const targetGroup = (tgId) => new elbv2.ApplicationTargetGroup(this, tgId, {
            vpc: props.vpc,
            port: config.containerPort,
            protocol: elbv2.ApplicationProtocol.HTTP,
            targetType: elbv2.TargetType.IP,
            deregistrationDelay: aws_cdk_lib_1.Duration.seconds(30),
            healthCheck: {
                path: config.healthCheck.path,
                interval: aws_cdk_lib_1.Duration.seconds(config.healthCheck.intervalSeconds),
                timeout: aws_cdk_lib_1.Duration.seconds(Math.max(2, Math.min(5, config.healthCheck.intervalSeconds - 1))),
                healthyThresholdCount: config.healthCheck.healthyThreshold,
                unhealthyThresholdCount: config.healthCheck.unhealthyThreshold,
                healthyHttpCodes: '200-399',
            },
        });
        this.blueTargetGroup = targetGroup('BlueTargetGroup');
        this.greenTargetGroup = targetGroup('GreenTargetGroup');
        this.listeners = new canary_listeners_1.CanaryListeners(this, 'Listeners', {
            loadBalancer: this.loadBalancer,
            securityGroup: this.loadBalancerSecurityGroup,
            initialTargetGroup: this.blueTargetGroup,
            port: config.listener.port,
            certificateArn: config.listener.certificateArn,
            testPort: config.listener.testPort,
            testAllowedCidrs: config.listener.testAllowedCidrs.length > 0
                ? config.listener.testAllowedCidrs
                : [props.vpc.vpcCidrBlock, ...(props.vpcEgressIps ?? []).map((ip) => `${ip}/32`)],
        });
        this.productionListenerArn = this.listeners.productionListenerArn;
        this.testListenerArn = this.listeners.testListenerArn;
        // Task definition and service.
        this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
            family: names.family,
            cpu: config.cpu,
            memoryLimitMiB: config.memoryMiB,
        });
        const logGroup = new logs.LogGroup(this, 'Logs', { retention: logRetention, removalPolicy: aws_cdk_lib_1.RemovalPolicy.DESTROY });
        this.container = this.taskDefinition.addContainer('Container', {
            containerName: names.container,
            image: ecs.ContainerImage.fromRegistry(config.image),
            portMappings: [{ containerPort: config.containerPort }],
            environment: config.environment,
            logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: config.name }),
        });
        (0, image_pull_grant_1.grantImagePull)(this.taskDefinition, config.image);
        if (Object.keys(config.environment).length > 0) {
            aws_cdk_lib_1.Validations.of(this.taskDefinition.node.defaultChild).acknowledge({
                id: 'AwsSolutions-ECS2',
                reason: `environment in ${config.name}.yaml holds plain, non-secret settings (${Object.keys(config.environment).join(', ')}); secrets do not belong in the YAML file.`,
            });
        }
        const serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
            vpc: props.vpc,
            description: `ecs-canary ${config.name}: tasks`,
            allowAllOutbound: true,
        });
        this.service = new ecs.FargateService(this, 'Service', {
            cluster: props.cluster,
            taskDefinition: this.taskDefinition,
            desiredCount: config.desiredCount,
            deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
            securityGroups: [serviceSecurityGroup],
            vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
            assignPublicIp: false,
            healthCheckGracePeriod: aws_cdk_lib_1.Duration.seconds(60),
            minHealthyPercent: 100,
        });
        this.service.attachToApplicationTargetGroup(this.blueTargetGroup);
        this.service.connections.allowFrom(this.loadBalancerSecurityGroup, ec2.Port.tcp(config.containerPort), 'from the load balancer');
        // ECS needs the blue target group attached to a listener before the service is created.
        this.service.node.addDependency(...this.listeners.listenerResources);
        // Rollback alarms on both target groups, then CodeDeploy.
        const metrics = [
            new target_group_metrics_1.TargetGroupMetrics(this.blueTargetGroup, this.loadBalancer, 'blue'),
            new target_group_metrics_1.TargetGroupMetrics(this.greenTargetGroup, this.loadBalancer, 'green'),
        ];
        this.rollbackAlarms = new rollback_alarms_1.RollbackAlarms(this, 'RollbackAlarms', {
            namePrefix: names.prefix,
            targetGroups: metrics,
            maxErrorRatePercent: config.thresholds.maxErrorRatePercent,
            maxP95Ms: config.thresholds.maxP95Ms,
            requestFloorPerMinute: requestFloor,
        }).alarms;
        this.application = new codedeploy.EcsApplication(this, 'Application', { applicationName: names.application });
        this.deploymentGroup = new codedeploy.EcsDeploymentGroup(this, 'DeploymentGroup', {
            application: this.application,
            deploymentGroupName: names.deploymentGroup,
            service: this.service,
            // The rollout engine performs 5/25/50 inside the hooks; CodeDeploy only the final shift.
            deploymentConfig: codedeploy.EcsDeploymentConfig.ALL_AT_ONCE,
            blueGreenDeploymentConfig: {
                blueTargetGroup: this.blueTargetGroup,
                greenTargetGroup: this.greenTargetGroup,
                listener: this.listeners.productionListener,
                testListener: this.listeners.testListener,
                terminationWaitTime: aws_cdk_lib_1.Duration.minutes(config.rollout.postTrafficBakeMinutes),
            },
            autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
            alarms: [...this.rollbackAlarms],
        });
        aws_cdk_lib_1.Validations.of(this.deploymentGroup.role.node.defaultChild).acknowledge({
            id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS]',
            reason: 'CodeDeploy needs its ECS service role policy to create and swap task sets and rewrite this service\'s listeners; AWS maintains it for exactly this use.',
        });
        this.notifications = new canary_notifications_1.CanaryNotifications(this, 'Notifications', {
            serviceName: config.name,
            applicationName: this.application.applicationName,
            deploymentGroupName: this.deploymentGroup.deploymentGroupName,
            emails: config.notifications.emails, slack: config.notifications.slack, teams: config.notifications.teams,
        });
        this.topic = this.notifications.topic;
        this.dashboard = new canary_dashboard_1.CanaryDashboard(this, 'Dashboard', {
            dashboardName: names.prefix,
            serviceName: config.name,
            targetGroups: metrics,
            alarms: this.rollbackAlarms,
            thresholds: config.thresholds,
        }).dashboard;
        // What the CLI and the engine read. Lazy, so an engine attached later is included.
        const metadata = () => (0, deployment_metadata_1.renderDeploymentMetadata)({
            config,
            plan: this.plan,
            applicationName: this.application.applicationName,
            deploymentGroupName: this.deploymentGroup.deploymentGroupName,
            taskDefinitionFamily: names.family,
            containerName: names.container,
            productionListenerArn: this.productionListenerArn,
            testListenerArn: this.testListenerArn,
            loadBalancer: this.loadBalancer,
            targetGroups: [this.blueTargetGroup, this.greenTargetGroup],
            topicArn: this.topic.topicArn,
            freezeParameterName: names.parameters.freeze,
            engine: this.engineAttachment,
        });
        this.deploymentParameter = new ssm.StringParameter(this, 'DeploymentMetadata', {
            parameterName: names.parameters.deployment,
            description: `ecs-canary ${config.name}: deployment metadata for the CLI and the rollout engine`,
            stringValue: aws_cdk_lib_1.Lazy.string({ produce: () => aws_cdk_lib_1.Stack.of(this).toJsonString(metadata()) }),
            // Standard (free) while the value fits 4 KB; Parameter Store moves it to the advanced tier (8 KB) when it does not.
            tier: ssm.ParameterTier.INTELLIGENT_TIERING,
        });
        const source = (0, config_1.configSource)(props.config);
        this.node.addValidation({ validate: () => (0, deployment_metadata_1.metadataSizeProblems)(source, config.name, JSON.stringify(metadata())) });
        this.freezeParameter = new ssm.StringParameter(this, 'FreezeSwitch', {
            parameterName: names.parameters.freeze,
            description: `ecs-canary ${config.name}: freeze switch, written by canary freeze / unfreeze`,
            stringValue: JSON.stringify({ frozen: false }),
        });
        // The rollout engine (Lambdas, state machine, audit trail), when given.
        if (props.engine)
            this.attachEngine(props.engine.bind(this));
        // `cdk deploy` after an image change: the new revision goes through the same canary rollout.
        if (config.deployOnCdkDeploy !== 'off') {
            this.cdkDeployTrigger = new cdk_deploy_trigger_1.CdkDeployTrigger(this, 'CdkDeploy', {
                mode: config.deployOnCdkDeploy,
                taskDefinition: this.taskDefinition,
                image: config.image,
                service: this.service,
                deploymentGroup: this.deploymentGroup,
                metadataParameter: this.deploymentParameter,
                freezeParameter: this.freezeParameter,
                logRetention,
            });
            if (this.engineAttachment)
                this.cdkDeployTrigger.grantAuditRead(this.engineAttachment.auditTableName);
            // Updated last: once a deployment starts, no other resource of the service can fail the
            // update and have CloudFormation roll back (and deregister) the revision being deployed.
            const trigger = this.cdkDeployTrigger;
            for (const sibling of this.node.children)
                if (sibling !== trigger)
                    trigger.resource.node.addDependency(sibling);
        }
    }
    /**
     * Publishes the rollout engine's hooks, audit table and state machine in the deployment
     * metadata. Called by the engine (or through `props.engine`); at most once.
     */
    attachEngine(attachment) {
        if (this.engineAttachment) {
            throw new canary_service_error_1.CanaryServiceError(`${this.node.path}: a rollout engine is already attached; attach one engine per service`);
        }
        this.engineAttachment = attachment;
        if (attachment.decisionLogGroupName)
            this.node.findChild('Dashboard').addDecisions(attachment.decisionLogGroupName);
        // Attached after construction: the cdk-deploy resource may now quote the judge's reasons.
        this.cdkDeployTrigger?.grantAuditRead(attachment.auditTableName);
    }
    /** The attached engine's publication, if any. */
    get engine() {
        return this.engineAttachment;
    }
}
exports.CanaryService = CanaryService;
