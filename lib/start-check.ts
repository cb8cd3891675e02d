import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { HANDLER_BUNDLING, handlerEntry } from './private/handler-entry';

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

/**
 * The start check of one service: a Lambda function on this deployment group's START state
 * changes that stops, with rollback, any deployment whose AppSpec does not name the service's
 * hook functions (or of a frozen service) before CodeDeploy moves traffic, and records and
 * announces it (docs/pipelines.md). Its role holds only the calls the handler makes; the audit
 * trail's signing and anchor grants are given by the rollout engine, which owns the trail.
 */
export class StartCheck extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: StartCheckProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: handlerEntry('start-check.ts'),
      handler: 'handler',
      role,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: START_CHECK_TIMEOUT,
      environment: { ...props.environment },
      logGroup,
      bundling: HANDLER_BUNDLING,
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The engine targets the nodejs22.x runtime (arm64) it is built and tested for; a newer runtime is a deliberate upgrade.',
    });

    this.rule = new events.Rule(this, 'Rule', {
      description: `ecs-canary ${props.serviceName}: deployment START → stop it unless its AppSpec names the service's hooks`,
      eventPattern: {
        source: ['aws.codedeploy'],
        detailType: ['CodeDeploy Deployment State-change Notification'],
        detail: {
          state: ['START'],
          application: [props.deploymentGroup.application.applicationName],
          deploymentGroup: [props.deploymentGroup.deploymentGroupName],
        },
      },
      targets: [new eventTargets.LambdaFunction(this.function, { retryAttempts: 4, maxEventAge: Duration.minutes(10) })],
    });
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
      new iam.PolicyStatement({ actions: ['codedeploy:GetDeployment'], resources: [props.deploymentGroup.deploymentGroupArn] }),
      // The AppSpec's content: GetApplicationRevision is authorized on the application.
      new iam.PolicyStatement({
        actions: ['codedeploy:GetApplicationRevision'],
        resources: [props.deploymentGroup.application.applicationArn],
      }),
      // No resource type and no condition key of its own in the Service Authorization Reference:
      // IAM accepts only "*", narrowed by the global key aws:RequestedRegion to the stack's region.
      // The handler stops only deployments of its own group (GetDeployment first).
      new iam.PolicyStatement({
        actions: ['codedeploy:StopDeployment'],
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
