import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Duration, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';

import { parameterNames } from '../lambdas/core/metadata';
import { type CompiledPlan, compilePlan } from '../lambdas/core/rollout-plan';
import { CanaryDashboard } from './canary-dashboard';
import { CanaryListeners } from './canary-listeners';
import { CanaryNotifications } from './canary-notifications';
import { CanaryServiceError } from './canary-service-error';
import type { CanaryServiceProps } from './canary-service-props';
import { CdkDeployTrigger } from './cdk-deploy-trigger';
import { certificateRegionProblem, ConfigError, configSource, type ServiceConfig, validateServiceConfig } from './config';
import { auditTrustRoot, type EngineAttachment, metadataSizeProblems, renderDeploymentMetadata } from './deployment-metadata';
import { MetricAlarms } from './metric-alarms';
import { checkCanaryServiceProps } from './private/canary-service-props-check';
import { capacityProviderStrategies, enableExecuteCommand, serviceNetwork } from './private/canary-service-runtime';
import { canaryTaskDefinition } from './private/canary-task-definition';
import { DEPLOYMENT_AUTO_ROLLBACK } from './private/deployment-auto-rollback';
import { defaultRequestFloor, MAX_DEPLOYMENT_GROUP_ALARMS, RollbackAlarms } from './rollback-alarms';
import { ServiceScaling } from './service-scaling';
import { TargetGroupMetrics } from './target-group-metrics';

export type { CanaryServiceProps, ICanaryEngine } from './canary-service-props';

/**
 * A canary-ready ECS service: a Fargate service under the CODE_DEPLOY controller behind an ALB
 * with a production and a test listener, blue and green target groups, a CodeDeploy deployment
 * group (AllAtOnce: the rollout engine performs the partial shifts), rollback alarms on both
 * target groups, notifications, a dashboard, and the SSM parameters the CLI and the engine read.
 *
 * Its stack needs a concrete region (`env: { region }`); no account is needed.
 */
export class CanaryService extends Construct {
  /** The validated configuration, with defaults applied. */
  public readonly config: ServiceConfig;
  /** The rollout plan compiled into CodeDeploy hook windows. */
  public readonly plan: CompiledPlan;
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  public readonly accessLogsBucket: s3.Bucket;
  /** Production and test listeners (create-only custom resources; see `CanaryListeners`). */
  public readonly listeners: CanaryListeners;
  /** ARN of the production listener, whose weighted forward CodeDeploy and the engine rewrite. */
  public readonly productionListenerArn: string;
  /** ARN of the test listener (smoke checks, CodeDeploy test traffic). */
  public readonly testListenerArn: string;
  /** Target group the service starts on. Blue and green swap roles on every deployment. */
  public readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  public readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly container: ecs.ContainerDefinition;
  public readonly service: ecs.FargateService;
  /** Application Auto Scaling of the task count; undefined without `scaling`. */
  public readonly scaling?: ServiceScaling;
  public readonly application: codedeploy.EcsApplication;
  public readonly deploymentGroup: codedeploy.EcsDeploymentGroup;
  /** The alarms attached to the deployment group (six; CodeDeploy accepts ten). */
  public readonly rollbackAlarms: readonly cloudwatch.Alarm[];
  /** Topic, its KMS key (publishers need kms:GenerateDataKey and kms:Decrypt) and the CodeDeploy rule. */
  public readonly notifications: CanaryNotifications;
  /** The notification topic (KMS-encrypted). */
  public readonly topic: sns.Topic;
  public readonly dashboard: cloudwatch.Dashboard;
  /** `/ecs-canary/<name>/deployment`: `DeploymentMetadata` JSON. */
  public readonly deploymentParameter: ssm.StringParameter;
  /** `/ecs-canary/<name>/freeze`: the freeze switch, created unfrozen. */
  public readonly freezeParameter: ssm.StringParameter;
  /**
   * Starts (or waits for) a canary deployment when `cdk deploy` registers a new task definition
   * revision; undefined with `deployOnCdkDeploy: off`.
   */
  public readonly cdkDeployTrigger?: CdkDeployTrigger;

  private engineAttachment?: EngineAttachment;

  constructor(scope: Construct, id: string, props: CanaryServiceProps) {
    super(scope, id);
    const config = validateServiceConfig(props.config, this.node.path);
    checkCanaryServiceProps(this.node.path, props);
    if (Token.isUnresolved(Stack.of(this).region)) {
      throw new CanaryServiceError(
        `${this.node.path}: the stack has no region; give it env: { region: 'eu-west-1' } (or any region). The load balancer's access-log bucket policy names the region's ELB log delivery account.`,
      );
    }
    // Tokens (a certificate ARN or region known only at deploy time) are left to CloudFormation.
    const certificateArn = config.listener.certificateArn;
    const certificateProblem =
      certificateArn &&
      !Token.isUnresolved(certificateArn) &&
      certificateRegionProblem(certificateArn, Stack.of(this).region, configSource(props.config) ?? this.node.path);
    if (certificateProblem) throw new ConfigError([certificateProblem]);
    const logRetention = props.logRetention ?? (config.logRetentionDays as logs.RetentionDays);
    const { vpc, cluster } = serviceNetwork(this, config, props);
    const requestFloor = props.alarmRequestFloorPerMinute ?? defaultRequestFloor(config.thresholds.maxErrorRatePercent);
    const names = {
      prefix: `ecs-canary-${config.name}`,
      application: `ecs-canary-${config.name}`,
      deploymentGroup: config.name,
      family: `ecs-canary-${config.name}`,
      container: config.name,
      parameters: parameterNames(config.name),
    };
    this.config = config;
    this.plan = compilePlan(config.rollout);

    // Load balancer, access logs (ALB access logs support SSE-S3 only).
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: props.accessLogsRemovalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    Validations.of(this.accessLogsBucket.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the load balancer access logs; logging its own access would only log the log delivery.',
    });
    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc,
      description: `ecs-canary ${config.name}: load balancer`,
      allowAllOutbound: false,
    });
    Validations.of(this.loadBalancerSecurityGroup.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: `The production listener (port ${config.listener.port}${config.listener.certificateArn ? ' and the 80 → 443 redirect' : ''}) is the service's public entry point; the test listener is limited to testAllowedCidrs.`,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: true,
      securityGroup: this.loadBalancerSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    this.loadBalancer.logAccessLogs(this.accessLogsBucket, config.name);

    // Target groups: identical, CodeDeploy alternates between them.
    const targetGroup = (tgId: string) =>
      new elbv2.ApplicationTargetGroup(this, tgId, {
        vpc,
        port: config.containerPort,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targetType: elbv2.TargetType.IP,
        deregistrationDelay: Duration.seconds(30),
        healthCheck: {
          path: config.healthCheck.path,
          interval: Duration.seconds(config.healthCheck.intervalSeconds),
          timeout: Duration.seconds(Math.max(2, Math.min(5, config.healthCheck.intervalSeconds - 1))),
          healthyThresholdCount: config.healthCheck.healthyThreshold,
          unhealthyThresholdCount: config.healthCheck.unhealthyThreshold,
          healthyHttpCodes: '200-399',
        },
      });
    this.blueTargetGroup = targetGroup('BlueTargetGroup');
    this.greenTargetGroup = targetGroup('GreenTargetGroup');

    this.listeners = new CanaryListeners(this, 'Listeners', {
      loadBalancer: this.loadBalancer,
      securityGroup: this.loadBalancerSecurityGroup,
      initialTargetGroup: this.blueTargetGroup,
      port: config.listener.port,
      certificateArn: config.listener.certificateArn,
      testPort: config.listener.testPort,
      testAllowedCidrs:
        config.listener.testAllowedCidrs.length > 0
          ? config.listener.testAllowedCidrs
          : [vpc.vpcCidrBlock, ...(props.vpcEgressIps ?? []).map((ip) => `${ip}/32`)],
    });
    this.productionListenerArn = this.listeners.productionListenerArn;
    this.testListenerArn = this.listeners.testListenerArn;

    // Task definition (service container, sidecars, task role) and service.
    const task = canaryTaskDefinition(this, config, {
      family: names.family,
      containerName: names.container,
      image: props.image,
      taskDefinition: props.taskDefinition,
      taskRoleStatements: props.taskRoleStatements,
      logRetention,
    });
    this.taskDefinition = task.taskDefinition;
    this.container = task.container;
    const serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc,
      description: `ecs-canary ${config.name}: tasks`,
      allowAllOutbound: true,
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: config.desiredCount,
      capacityProviderStrategies: capacityProviderStrategies(config.capacity),
      deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
      securityGroups: [serviceSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? Duration.seconds(60),
      minHealthyPercent: 100,
    });
    this.service.attachToApplicationTargetGroup(this.blueTargetGroup);
    this.service.connections.allowFrom(this.loadBalancerSecurityGroup, ec2.Port.tcp(config.containerPort), 'from the load balancer');
    // ECS needs the blue target group attached to a listener before the service is created.
    this.service.node.addDependency(...this.listeners.listenerResources);

    // Rollback alarms on both target groups, then CodeDeploy.
    const metrics = [
      new TargetGroupMetrics(this.blueTargetGroup, this.loadBalancer, 'blue'),
      new TargetGroupMetrics(this.greenTargetGroup, this.loadBalancer, 'green'),
    ] as const;
    this.rollbackAlarms = new RollbackAlarms(this, 'RollbackAlarms', {
      namePrefix: names.prefix,
      targetGroups: metrics,
      maxErrorRatePercent: config.thresholds.maxErrorRatePercent,
      maxP95Ms: config.thresholds.maxP95Ms,
      requestFloorPerMinute: requestFloor,
    }).alarms;
    // The bars of the service's own metrics ride on the same group; never more than CodeDeploy accepts.
    const metricAlarms = new MetricAlarms(this, 'MetricAlarms', { namePrefix: names.prefix, metrics: config.metrics ?? [] }).alarms;
    if (this.rollbackAlarms.length + metricAlarms.length > MAX_DEPLOYMENT_GROUP_ALARMS) {
      throw new CanaryServiceError(
        `${configSource(props.config) ?? this.node.path}: metrics: ${metricAlarms.length} alarms for the bars of action: rollback metrics and ${this.rollbackAlarms.length} built-in; CodeDeploy accepts at most ${MAX_DEPLOYMENT_GROUP_ALARMS} per deployment group`,
      );
    }
    this.rollbackAlarms = [...this.rollbackAlarms, ...metricAlarms];
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
        terminationWaitTime: Duration.minutes(config.rollout.postTrafficBakeMinutes),
      },
      autoRollback: { ...DEPLOYMENT_AUTO_ROLLBACK },
      alarms: [...this.rollbackAlarms],
    });
    Validations.of(this.deploymentGroup.role.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS]',
      reason:
        "CodeDeploy needs its ECS service role policy to create and swap task sets and rewrite this service's listeners; AWS maintains it for exactly this use.",
    });

    if (config.scaling) {
      this.scaling = new ServiceScaling(this, 'Scaling', {
        service: this.service,
        targetGroups: [this.blueTargetGroup, this.greenTargetGroup],
        loadBalancer: this.loadBalancer,
        ...config.scaling,
      });
    }
    if (config.enableExecuteCommand) enableExecuteCommand(this.service, this.taskDefinition, task.logGroup);

    this.notifications = new CanaryNotifications(this, 'Notifications', {
      serviceName: config.name,
      applicationName: this.application.applicationName,
      deploymentGroupName: this.deploymentGroup.deploymentGroupName,
      emails: config.notifications.emails,
      slack: config.notifications.slack,
      teams: config.notifications.teams,
    });
    this.topic = this.notifications.topic;
    this.dashboard = new CanaryDashboard(this, 'Dashboard', {
      dashboardName: names.prefix,
      serviceName: config.name,
      targetGroups: metrics,
      alarms: this.rollbackAlarms,
      thresholds: config.thresholds,
      ...(config.metrics?.length ? { metrics: config.metrics } : {}),
    }).dashboard;

    // What the CLI and the engine read. Lazy, so an engine attached later is included.
    const metadata = () =>
      renderDeploymentMetadata({
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
        ecsService: { cluster: this.service.cluster.clusterName, service: this.service.serviceName },
        engine: this.engineAttachment,
      });
    this.deploymentParameter = new ssm.StringParameter(this, 'DeploymentMetadata', {
      parameterName: names.parameters.deployment,
      description: `ecs-canary ${config.name}: deployment metadata for the CLI and the rollout engine`,
      stringValue: Lazy.string({ produce: () => Stack.of(this).toJsonString(metadata()) }),
      // Standard (free) while the value fits 4 KB; Parameter Store moves it to the advanced tier (8 KB) when it does not.
      tier: ssm.ParameterTier.INTELLIGENT_TIERING,
    });
    const source = configSource(props.config);
    this.node.addValidation({ validate: () => metadataSizeProblems(source, config.name, JSON.stringify(metadata())) });
    this.freezeParameter = new ssm.StringParameter(this, 'FreezeSwitch', {
      parameterName: names.parameters.freeze,
      description: `ecs-canary ${config.name}: freeze switch, written by canary freeze / unfreeze`,
      stringValue: JSON.stringify({ frozen: false }),
    });

    // The rollout engine (Lambdas, state machine, audit trail), when given.
    if (props.engine) this.attachEngine(props.engine.bind(this));

    // `cdk deploy` after an image change: the new revision goes through the same canary rollout.
    if (config.deployOnCdkDeploy !== 'off') {
      this.cdkDeployTrigger = new CdkDeployTrigger(this, 'CdkDeploy', {
        mode: config.deployOnCdkDeploy,
        taskDefinition: this.taskDefinition,
        image: task.imageName,
        service: this.service,
        deploymentGroup: this.deploymentGroup,
        metadataParameter: this.deploymentParameter,
        freezeParameter: this.freezeParameter,
        logRetention,
      });
      if (this.engineAttachment)
        this.cdkDeployTrigger.grantAuditRead(this.engineAttachment.auditTableName, auditTrustRoot(this.engineAttachment));
      // Updated last: once a deployment starts, no other resource of the service can fail the
      // update and have CloudFormation roll back (and deregister) the revision being deployed.
      const trigger = this.cdkDeployTrigger;
      for (const sibling of this.node.children) if (sibling !== trigger) trigger.resource.node.addDependency(sibling);
    }
  }

  /**
   * Publishes the rollout engine's hooks, audit table and state machine in the deployment
   * metadata. Called by the engine (or through `props.engine`); at most once.
   */
  public attachEngine(attachment: EngineAttachment): void {
    if (this.engineAttachment) {
      throw new CanaryServiceError(`${this.node.path}: a rollout engine is already attached; attach one engine per service`);
    }
    this.engineAttachment = attachment;
    if (attachment.decisionLogGroupName)
      (this.node.findChild('Dashboard') as CanaryDashboard).addDecisions(attachment.decisionLogGroupName);
    // Attached after construction: the cdk-deploy resource may now quote the judge's reasons.
    this.cdkDeployTrigger?.grantAuditRead(attachment.auditTableName, auditTrustRoot(attachment));
  }

  /** The attached engine's publication, if any. */
  public get engine(): EngineAttachment | undefined {
    return this.engineAttachment;
  }
}
