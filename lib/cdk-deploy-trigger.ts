import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { CfnOutput, CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib/core';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

import {
  CDK_DEPLOY_WAIT_LIMIT_MINUTES,
  type CdkDeployMode,
  CUSTOM_RESOURCE_TIMEOUT_MINUTES,
  PROVIDER_TOTAL_TIMEOUT_MINUTES,
} from '../lambdas/core/cdk-deploy';
import { CanaryServiceError } from './canary-service-error';
import { handlerCode } from './private/handler-entry';

export interface CdkDeployTriggerProps {
  /**
   * `start`: the stack update creates the canary deployment and finishes (follow it with
   * `canary status`). `wait`: the stack update waits until CodeDeploy reports Succeeded and fails
   * with the judge's reason when the rollout rolls back; the rollout must fit `waitLimit`.
   */
  readonly mode: Exclude<CdkDeployMode, 'off'>;
  /**
   * The task definition CloudFormation manages. Its ARN names a revision; a change to the
   * container definition replaces it with a new revision, which changes this resource's
   * properties and starts a deployment.
   */
  readonly taskDefinition: ecs.ITaskDefinition;
  /** The image of that task definition's container (deployment description and messages). */
  readonly image: string;
  /** The ECS service under the CODE_DEPLOY controller (its primary task set is read). */
  readonly service: ecs.IBaseService;
  /** The CodeDeploy deployment group that deploys `service`. */
  readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
  /** `/ecs-canary/<name>/deployment`: the deployment metadata (AppSpec container, hooks, names). */
  readonly metadataParameter: ssm.IStringParameter;
  /** `/ecs-canary/<name>/freeze`: a frozen service refuses the deployment. */
  readonly freezeParameter: ssm.IStringParameter;
  /**
   * How long `wait` follows the deployment before it stops it with rollback and fails.
   * @default Duration.minutes(50): CloudFormation gives a custom resource one hour
   */
  readonly waitLimit?: Duration;
  /**
   * Retention of the handler's and the provider framework's logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Ships a new image through the canary rollout on `cdk deploy`: a custom resource (CDK provider
 * framework, `lambdas/handlers/cdk-deploy.ts`) whose properties name the task definition
 * revision. When CloudFormation registers a new revision, the resource creates the CodeDeploy
 * deployment with the ecs-canary AppSpec (same path as `canary deploy`) and, in `wait` mode,
 * polls it every minute until it ends. It never deploys a revision the primary task set already
 * runs (or an older one: CloudFormation's rollback re-sends the old properties), refuses while
 * frozen or while another deployment runs, and does nothing on delete.
 */
export class CdkDeployTrigger extends Construct {
  /** The custom resource; `getAttString('DeploymentId' | 'Message')`. */
  public readonly resource: CustomResource;
  /** The role of the handler functions (onEvent and isComplete). */
  public readonly role: iam.Role;
  /** The deployment started by the last create/update ('' when none was needed). */
  public readonly deploymentId: string;
  private readonly mode: CdkDeployTriggerProps['mode'];
  /** `wait` mode's poller: the only handler that quotes an audit reason. */
  private readonly isComplete?: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: CdkDeployTriggerProps) {
    super(scope, id);
    const waitLimit = props.waitLimit ?? Duration.minutes(CDK_DEPLOY_WAIT_LIMIT_MINUTES);
    if (
      !waitLimit.isUnresolved() &&
      (waitLimit.toMinutes({ integral: false }) <= 0 || waitLimit.toMinutes({ integral: false }) > CDK_DEPLOY_WAIT_LIMIT_MINUTES)
    ) {
      throw new CanaryServiceError(
        `${this.node.path}: waitLimit is ${waitLimit.toHumanString()}; accepted: more than 0 and at most ${CDK_DEPLOY_WAIT_LIMIT_MINUTES} minutes (the provider gives up after ${PROVIDER_TOTAL_TIMEOUT_MINUTES}, CloudFormation after ${CUSTOM_RESOURCE_TIMEOUT_MINUTES})`,
      );
    }
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const wait = props.mode === 'wait';
    this.mode = props.mode;

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    // An own role instead of AWSLambdaBasicExecutionRole: it writes to its own log group only.
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(this.role);
    this.grantDeployPath(props);

    const handler = (name: string, exportName: string, timeout: Duration) =>
      new nodejs.NodejsFunction(this, name, {
        ...handlerCode('cdk-deploy.ts', exportName),
        role: this.role,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout,
        logGroup,
        environment: {
          CDK_DEPLOY_MODE: props.mode,
          WAIT_LIMIT_MINUTES: String(waitLimit.toMinutes({ integral: false })),
          POWERTOOLS_SERVICE_NAME: 'ecs-canary-cdk-deploy',
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
    const onEvent = handler('OnEvent', 'onEvent', Duration.minutes(2));
    const isComplete = wait ? handler('IsComplete', 'isComplete', Duration.minutes(1)) : undefined;
    this.isComplete = isComplete;

    const frameworkLogs = new logs.LogGroup(this, 'ProviderLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const frameworkRole = (roleId: string) => {
      const role = new iam.Role(this, roleId, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      frameworkLogs.grantWrite(role);
      return role;
    };
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      ...(wait ? { queryInterval: Duration.minutes(1), totalTimeout: Duration.minutes(PROVIDER_TOTAL_TIMEOUT_MINUTES) } : {}),
      logGroup: frameworkLogs,
      frameworkOnEventRole: frameworkRole('ProviderOnEventRole'),
      ...(wait ? { frameworkCompleteAndTimeoutRole: frameworkRole('ProviderCompleteRole') } : {}),
      ...(wait
        ? { waiterStateMachineLogOptions: { destination: frameworkLogs, level: sfn.LogLevel.ALL }, disableWaiterStateMachineLogging: false }
        : {}),
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::EcsCanaryCdkDeploy',
      serviceTimeout: wait ? Duration.minutes(CUSTOM_RESOURCE_TIMEOUT_MINUTES) : Duration.minutes(15),
      // Exactly what changes with the revision: the revision ARN and its image; the rest is constant.
      properties: {
        TaskDefinitionArn: props.taskDefinition.taskDefinitionArn,
        Image: props.image,
        MetadataParameterName: props.metadataParameter.parameterName,
        Cluster: props.service.cluster.clusterName,
        Service: props.service.serviceName,
      },
    });
    // The service (its primary task set), the deployment group and the parameters it reads must
    // be in place, and updated, before a deployment starts.
    this.resource.node.addDependency(props.service, props.deploymentGroup, props.metadataParameter, props.freezeParameter);
    this.deploymentId = this.resource.getAttString('DeploymentId');
    new CfnOutput(this, 'Message', {
      description: 'What the last cdk deploy did with the image (deployment started, finished, or nothing to deploy)',
      value: this.resource.getAttString('Message'),
    });
    this.acknowledgeFindings(provider, [onEvent, ...(isComplete ? [isComplete] : [])]);
  }

  /**
   * Lets the `wait` handler quote the judge's newest reason from the audit table (read-only Query)
   * when a deployment fails, once that record verifies against `trustRoot` — the engine's signing
   * key (`kms:GetPublicKey`) and anchor bucket (`s3:ListBucketVersions`), passed to the handler by
   * the stack, never read from the rewritable metadata parameter. Without a trust root a failure
   * says that the record does not verify; without this grant it quotes CodeDeploy's error only.
   * `start` never reads the table, so nothing is granted there.
   */
  public grantAuditRead(auditTableName: string, trustRoot?: { readonly keyArn: string; readonly bucket: string }): void {
    if (this.mode !== 'wait') return;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [Stack.of(this).formatArn({ service: 'dynamodb', resource: 'table', resourceName: auditTableName })],
      }),
    );
    if (!trustRoot) return;
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [trustRoot.keyArn] }));
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucketVersions'],
        resources: [Stack.of(this).formatArn({ service: 's3', region: '', account: '', resource: trustRoot.bucket })],
      }),
    );
    this.isComplete?.addEnvironment('AUDIT_TRUST_ROOT', `${trustRoot.keyArn},${trustRoot.bucket}`);
  }

  /**
   * The deploy path's calls (lambdas/handlers/cdk-deploy.ts), each on this service's resources
   * where IAM allows: `start` reads the parameters and the service and creates the deployment;
   * `wait` also follows it and stops it when its own wait runs out. No iam:PassRole: CodeDeploy
   * uses its own role. ListDeploymentTargets, GetDeploymentTarget and StopDeployment have no
   * resource type in the Service Authorization Reference, so IAM accepts only "*" for them.
   */
  private grantDeployPath(props: CdkDeployTriggerProps): void {
    const group = props.deploymentGroup.deploymentGroupArn;
    const statements = [
      { actions: ['ssm:GetParameter'], resources: [props.metadataParameter.parameterArn, props.freezeParameter.parameterArn] },
      { actions: ['ecs:DescribeServices'], resources: [props.service.serviceArn] },
      { actions: ['codedeploy:ListDeployments', 'codedeploy:CreateDeployment'], resources: [group] },
      // CreateDeployment's companions, scoped to the group's deployment config and its application
      // (docs/iam.md: AWS's GitHub action documents them; cdklabs/cdk-ecs-codedeploy grants them).
      { actions: ['codedeploy:GetDeploymentConfig'], resources: [props.deploymentGroup.deploymentConfig.deploymentConfigArn] },
      {
        actions: ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision'],
        resources: [props.deploymentGroup.application.applicationArn],
      },
      ...(this.mode === 'wait'
        ? [
            { actions: ['codedeploy:GetDeployment'], resources: [group] },
            {
              actions: ['codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget', 'codedeploy:StopDeployment'],
              resources: ['*'],
            },
          ]
        : []),
    ];
    for (const statement of statements) this.role.addToPrincipalPolicy(new iam.PolicyStatement(statement));
  }

  /**
   * Explains to cdk-nag the findings the provider framework cannot avoid, each on its exact
   * resource: invoking a function's versions and aliases (`<arn>:*`), the log delivery actions of
   * its waiter state machine (IAM accepts only "*"), and that state machine's missing X-Ray.
   */
  private acknowledgeFindings(provider: cr.Provider, handlers: readonly lambda.Function[]): void {
    for (const fn of handlers) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'The cdk-deploy handler targets the nodejs22.x runtime (arm64) it is built and tested for, like the engine; a newer runtime is a deliberate upgrade.',
      });
    }
    const frameworkFunctions = provider.node.children.filter((c): c is lambda.Function => c instanceof lambda.Function);
    const versionsOf = (fns: readonly lambda.Function[]) =>
      fns.map(
        (fn) => `AwsSolutions-IAM5[Resource::<${Stack.of(this).resolve((fn.node.defaultChild as lambda.CfnFunction).logicalId)}.Arn>:*]`,
      );
    const handlerPolicy = this.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (handlerPolicy && this.mode === 'wait') {
      Validations.of(handlerPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Resource * only for codedeploy:ListDeploymentTargets, codedeploy:GetDeploymentTarget and codedeploy:StopDeployment: the Service Authorization Reference gives these actions no resource type, so IAM accepts no narrower resource.',
      });
    }
    const invokeReason =
      "The provider framework invokes this construct's own function and may name its versions and aliases (<function ARN>:*); no other function is reachable.";
    for (const roleId of ['ProviderOnEventRole', 'ProviderCompleteRole']) {
      const policy = this.node.tryFindChild(roleId)?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
      if (!policy) continue;
      for (const id of versionsOf(handlers)) Validations.of(policy).acknowledge({ id, reason: invokeReason });
    }
    const waiter = provider.node.tryFindChild('waiter-state-machine');
    if (!waiter) return;
    const waiterPolicy = waiter.node.tryFindChild('Role')?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (waiterPolicy) {
      for (const id of versionsOf(frameworkFunctions)) Validations.of(waiterPolicy).acknowledge({ id, reason: invokeReason });
      Validations.of(waiterPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Step Functions logging to CloudWatch Logs needs logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies and DescribeLogGroups, which IAM accepts on "*" only.',
      });
    }
    const machine = waiter.node.tryFindChild('Resource');
    if (machine) {
      Validations.of(machine).acknowledge({
        id: 'AwsSolutions-SF2',
        reason:
          "The provider framework's waiter state machine only polls the cdk-deploy handler once a minute; the framework offers no tracing option, and its executions are logged (level ALL) to the provider log group.",
      });
    }
  }
}
