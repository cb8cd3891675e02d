import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';

import { START_CHECK_EVENT_STATES } from '../lambdas/core/lambda-events';
import { READY_WAIT_MINUTES } from '../lambdas/core/start-check';
import { handlerCode } from './private/handler-entry';

export interface StartCheckProps {
  /** The service name (log and resource descriptions). */
  readonly serviceName: string;
  /** The service's CodeDeploy ECS deployment group: its START state changes invoke the check. */
  readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
  /** The engine functions' environment (service, parameters, audit table, key, anchors, topic). */
  readonly environment: Readonly<Record<string, string>>;
  /** Name of the SSM parameter holding the deployment metadata (the hook functions' names). */
  readonly metadataParameterName: string;
  /** Name of the SSM parameter of the freeze switch. */
  readonly freezeParameterName: string;
  /** The audit table the check records its stops in. */
  readonly auditTable: dynamodb.ITable;
  /** The topic stops are announced on. */
  readonly topic: sns.ITopic;
  /**
   * The KMS key the topic is encrypted with.
   * @default - no KMS permission for the topic
   */
  readonly topicKey?: kms.IKey;
  /**
   * Retention of the function's logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The check reads 4 values and makes 3 writes; a minute leaves room for the SDK's retries. */
const START_CHECK_TIMEOUT = Duration.seconds(60);

/** How long the group waits in Ready for the check to continue a deployment (lambdas/core/start-check.ts). */
export const READY_WAIT = Duration.minutes(READY_WAIT_MINUTES);

/**
 * The start check of one service: a Lambda function on this deployment group's START and READY
 * state changes, and every minute, that stops, with rollback, any deployment whose AppSpec does
 * not name the service's hook functions (or of a frozen service) before CodeDeploy moves traffic,
 * and records and announces it (docs/pipelines.md). The group waits in Ready before rerouting
 * production (DeploymentReadyOption STOP_DEPLOYMENT, READY_WAIT) and only this check continues
 * it, for gated deployments: a check that is late, lost or failing leaves an ungated deployment
 * waiting until CodeDeploy stops it, never shifting production. Its role holds only the calls the
 * handler makes; the audit trail's signing and anchor grants are given by the rollout engine.
 */
export class StartCheck extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly rule: events.Rule;
  public readonly sweepRule: events.Rule;

  constructor(scope: Construct, id: string, props: StartCheckProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      ...handlerCode('start-check.ts', 'handler'),
      role,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: START_CHECK_TIMEOUT,
      environment: { ...props.environment },
      logGroup,
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The engine targets the nodejs22.x runtime (arm64) it is built and tested for; a newer runtime is a deliberate upgrade.',
    });

    this.rule = new events.Rule(this, 'Rule', {
      description: `ecs-canary ${props.serviceName}: deployment START/READY → stop it unless its AppSpec names the service's hooks, continue it if it does`,
      eventPattern: {
        source: ['aws.codedeploy'],
        detailType: ['CodeDeploy Deployment State-change Notification'],
        detail: {
          state: [...START_CHECK_EVENT_STATES],
          application: [props.deploymentGroup.application.applicationName],
          deploymentGroup: [props.deploymentGroup.deploymentGroupName],
        },
      },
      targets: [new eventTargets.LambdaFunction(this.function, { retryAttempts: 4, maxEventAge: Duration.minutes(10) })],
    });
    // The sweep: deployments waiting in Ready whose READY event is late or lost. The next minute's sweep is its retry.
    this.sweepRule = new events.Rule(this, 'Sweep', {
      description: `ecs-canary ${props.serviceName}: every minute, check the deployments waiting in Ready`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new eventTargets.LambdaFunction(this.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
    waitInReady(this, props.deploymentGroup);
    this.grant(props);
  }

  private grant(props: StartCheckProps): void {
    const stack = Stack.of(this);
    const parameterArn = (name: string) =>
      stack.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: name.replace(/^\//, ''),
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const statements = [
      // Cold start (runtime.ts): the deployment metadata; then the freeze switch.
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [parameterArn(props.metadataParameterName), parameterArn(props.freezeParameterName)],
      }),
      new iam.PolicyStatement({
        actions: ['codedeploy:GetDeployment', 'codedeploy:ListDeployments'],
        resources: [props.deploymentGroup.deploymentGroupArn],
      }),
      // Before continuing a deployment in Ready: its replacement target group's health. Neither
      // call has a resource type in the Service Authorization Reference: IAM accepts only "*".
      new iam.PolicyStatement({
        actions: ['codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget', 'elasticloadbalancing:DescribeTargetHealth'],
        resources: ['*'],
      }),
      // The AppSpec's content: GetApplicationRevision is authorized on the application.
      new iam.PolicyStatement({
        actions: ['codedeploy:GetApplicationRevision'],
        resources: [props.deploymentGroup.application.applicationArn],
      }),
      // No resource type and no condition key of its own in the Service Authorization Reference:
      // IAM accepts only "*", narrowed by the global key aws:RequestedRegion to the stack's region.
      // The handler stops or continues only deployments of its own group (GetDeployment first).
      new iam.PolicyStatement({
        actions: ['codedeploy:StopDeployment', 'codedeploy:ContinueDeployment'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': stack.region } },
      }),
      // The audit chain: the newest records (a duplicate START already recorded?) and the append.
      new iam.PolicyStatement({ actions: ['dynamodb:Query', 'dynamodb:PutItem'], resources: [props.auditTable.tableArn] }),
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [props.topic.topicArn] }),
      ...(props.topicKey
        ? [new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.topicKey.keyArn] })]
        : []),
    ];
    for (const statement of statements) this.function.addToRolePolicy(statement);
  }
}

/**
 * The group waits in Ready before production is rerouted until ContinueDeployment (READY_WAIT),
 * and stops the deployment after READY_WAIT (CodeDeploy API Reference, DeploymentReadyOption:
 * STOP_DEPLOYMENT). A group this stack does not define cannot be changed here: a warning says so.
 */
function waitInReady(scope: Construct, group: codedeploy.IEcsDeploymentGroup): void {
  const cfn = group.node.defaultChild;
  if (!(cfn instanceof codedeploy.CfnDeploymentGroup)) {
    Annotations.of(scope).addWarningV2(
      'ecs-canary:imported-deployment-group',
      `deployment group ${group.deploymentGroupName} is imported: give it DeploymentReadyOption { ActionOnTimeout: STOP_DEPLOYMENT, WaitTimeInMinutes: ${READY_WAIT.toMinutes()} }, or an ungated deployment is stopped only if the start check runs before CodeDeploy reroutes production`,
    );
    return;
  }
  cfn.addPropertyOverride('BlueGreenDeploymentConfiguration.DeploymentReadyOption', {
    ActionOnTimeout: 'STOP_DEPLOYMENT',
    WaitTimeInMinutes: READY_WAIT.toMinutes(),
  });
}
