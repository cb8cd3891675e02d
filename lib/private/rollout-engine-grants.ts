/**
 * The rollout engine's grants: one role per function, each holding only the calls its handler makes.
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ArnFormat, Fn, Stack, Token } from 'aws-cdk-lib/core';

import { ENGINE_NAMESPACE } from '../../lambdas/core/role-metrics';
import type { HookName } from '../../lambdas/core/rollout-plan';
import type { RolloutEngineProps } from '../rollout-engine';

/** The engine's parts its grants name. */
export interface EngineParts {
  readonly auditTable: dynamodb.ITable;
  readonly stateMachine: sfn.StateMachine;
  readonly hookFunctions: Readonly<Record<HookName, nodejs.NodejsFunction>>;
  readonly tickFunction: nodejs.NodejsFunction;
  readonly guardFunction: nodejs.NodejsFunction;
  readonly hookFailureFunction: nodejs.NodejsFunction;
}

/**
 * One role per function, each holding only the calls its handler makes (docs/iam.md lists them;
 * test/iam simulates every call of the end-to-end scenarios against these policies and fails on
 * a grant no call uses). Actions without a resource type get `*`, everything else exact ARNs.
 */
export function grantEngineCalls(engine: EngineParts, props: RolloutEngineProps): void {
  const stack = Stack.of(engine.stateMachine);
  const parameterArn = (name: string) =>
    stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: name.replace(/^\//, ''),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  const executionsArn = stack.formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${engine.stateMachine.stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const statement = (actions: string[], resources: string[]) => new iam.PolicyStatement({ actions, resources });
  const grants = {
    // Cold start of every function (runtime.ts): the deployment metadata.
    metadata: statement(['ssm:GetParameter'], [parameterArn(props.metadataParameterName)]),
    freeze: statement(['ssm:GetParameter'], [parameterArn(props.freezeParameterName)]),
    control: props.controlParameterName ? statement(['ssm:GetParameter'], [parameterArn(props.controlParameterName)]) : undefined,
    alarms: props.rollbackAlarms?.length
      ? statement(
          ['cloudwatch:DescribeAlarms'],
          props.rollbackAlarms.map((a) => a.alarmArn),
        )
      : undefined,
    versions: props.ecsServiceArn ? statement(['ecs:DescribeServices'], [props.ecsServiceArn]) : undefined,
    // No resource type in the Service Authorization Reference: IAM accepts only "*". Which
    // deployment the call names is checked by the handlers (only this group's deployments reach them).
    targets: statement(['codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget'], ['*']),
    reportHook: statement(['codedeploy:PutLifecycleEventHookExecutionStatus'], ['*']),
    getDeployment: statement(['codedeploy:GetDeployment'], [props.deploymentGroup.deploymentGroupArn]),
    // Whether a deployment is still its group's current one, before a restore (core/currency.ts).
    listDeployments: statement(['codedeploy:ListDeployments'], [props.deploymentGroup.deploymentGroupArn]),
    // Describe* of Elastic Load Balancing have no resource type either; the adapters refuse any
    // listener and target group but the service's own.
    describeListener: statement(['elasticloadbalancing:DescribeListeners'], ['*']),
    describeRules: statement(['elasticloadbalancing:DescribeRules'], ['*']),
    targetHealth: statement(['elasticloadbalancing:DescribeTargetHealth'], ['*']),
    modifyListener: statement(['elasticloadbalancing:ModifyListener'], [props.productionListenerArn]),
    // The guard's restore of the test listener (a stop without CodeDeploy's rollback leaves it on the replacement).
    modifyTestListener: props.testListenerArn ? statement(['elasticloadbalancing:ModifyListener'], [props.testListenerArn]) : undefined,
    createRule: statement(['elasticloadbalancing:CreateRule'], [props.productionListenerArn]),
    deleteRule: statement(['elasticloadbalancing:DeleteRule'], [listenerRuleArnPattern(props.productionListenerArn)]),
    // GetMetricData and PutMetricData name no resource; PutMetricData is limited to the engine's namespace.
    readMetrics: statement(['cloudwatch:GetMetricData'], ['*']),
    putMetric: new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': ENGINE_NAMESPACE } },
    }),
    appendAudit: statement(['dynamodb:Query', 'dynamodb:PutItem'], [engine.auditTable.tableArn]),
    readItem: statement(['dynamodb:GetItem'], [engine.auditTable.tableArn]),
    publish: statement(['sns:Publish'], [props.topic.topicArn]),
    // SNS encrypts each published message with a data key it asks KMS for on the publisher's behalf.
    topicKey: props.topicKey ? statement(['kms:GenerateDataKey', 'kms:Decrypt'], [props.topicKey.keyArn]) : undefined,
    start: statement(['states:StartExecution'], [engine.stateMachine.stateMachineArn]),
    describeExecution: statement(['states:DescribeExecution'], [executionsArn]),
    stop: statement(['states:StopExecution'], [executionsArn]),
  };
  const notify = [grants.publish, ...(grants.topicKey ? [grants.topicKey] : [])];
  // Every hook checks for a duplicate invocation, reads its targets, records its decision and starts
  // its window's execution; a failed check removes the header rule (and restores the weights).
  const hook = [
    grants.metadata,
    grants.describeExecution,
    grants.targets,
    grants.appendAudit,
    grants.start,
    grants.describeRules,
    grants.deleteRule,
  ];
  // A window without work (BeforeAllowTraffic only: every plan has a post-traffic bake) or a failed
  // check answers CodeDeploy itself and notifies; the restore reads and writes the weights, once it
  // has checked that the deployment is its group's current one and the original has a healthy target.
  const answers = [
    grants.reportHook,
    ...notify,
    grants.describeListener,
    grants.modifyListener,
    grants.getDeployment,
    grants.listDeployments,
  ];
  attach(engine.hookFunctions.AfterAllowTestTraffic, [...hook, ...answers, grants.freeze, grants.targetHealth]);
  // Its Succeeded lets CodeDeploy shift 100%: re-checked like a shift, the guard's fence read (GetItem) included.
  attach(engine.hookFunctions.BeforeAllowTraffic, [...hook, ...answers, grants.targetHealth, grants.readItem]);
  // AfterAllowTraffic fails when its targets stay unreadable or its execution cannot be started:
  // no tick runs then, so the hook itself records, answers Failed and notifies (and restores when
  // it knows the target groups).
  attach(engine.hookFunctions.AfterAllowTraffic, [...hook, ...answers, grants.targetHealth]);
  // The hook functions' on-failure destination answers like a failed check: it reads the targets,
  // records why, removes the header rule, restores (after the currency and health checks), answers
  // Failed and notifies. (The hook roles' lambda:InvokeFunction on it is the CDK's LambdaDestination's.)
  attach(engine.hookFailureFunction, [
    grants.metadata,
    grants.targets,
    grants.appendAudit,
    grants.describeRules,
    grants.deleteRule,
    ...answers,
    grants.targetHealth,
  ]);
  // The tick re-reads the freeze switch on every tick (a freeze holds a running rollout).
  const control = grants.control ? [grants.control] : [];
  attach(engine.tickFunction, [
    ...control,
    grants.metadata,
    grants.freeze,
    grants.getDeployment,
    grants.listDeployments,
    grants.targets,
    grants.readItem,
    grants.describeListener,
    grants.targetHealth,
    grants.readMetrics,
    grants.appendAudit,
    grants.modifyListener,
    grants.describeRules,
    grants.createRule,
    grants.deleteRule,
    grants.reportHook,
    grants.putMetric,
    ...notify,
    ...(grants.versions ? [grants.versions] : []),
  ]);
  // The guard writes and reads its fence (GetItem after a conditional put that found one), checks
  // that the event's deployment is its group's current one and the original's health before it restores.
  // The guard also records why: the control parameter (who aborted) and the rollback alarms' states,
  // and puts the test listener back on the original when a stop without rollback left it elsewhere.
  attach(engine.guardFunction, [
    ...control,
    ...(grants.alarms ? [grants.alarms] : []),
    grants.metadata,
    grants.getDeployment,
    grants.listDeployments,
    grants.targets,
    grants.describeListener,
    grants.targetHealth,
    grants.appendAudit,
    grants.readItem,
    grants.stop,
    grants.describeRules,
    grants.deleteRule,
    grants.modifyListener,
    ...(grants.modifyTestListener ? [grants.modifyTestListener] : []),
    grants.putMetric,
    ...notify,
  ]);
  if (props.smokeCheckVpc) grantNetworkInterfaces(engine.hookFunctions.AfterAllowTestTraffic, props.smokeCheckVpc);
}

/**
 * What Lambda needs to attach a VPC function: it creates, describes and deletes the function's
 * network interfaces with the function's own role (Lambda Developer Guide, "Giving Lambda
 * functions access to resources in an Amazon VPC"; the EC2 actions of the managed policy
 * AWSLambdaVPCAccessExecutionRole v3, granted inline because the CDK attaches that policy only
 * to roles it creates). Describe* have no resource type; the rest name this account's and
 * region's network interfaces, and CreateNetworkInterface also the function's subnets and
 * security groups. Whether Lambda's own check accepts the scoped ARNs can only be confirmed on
 * a live account (docs/iam.md).
 */
function grantNetworkInterfaces(fn: nodejs.NodejsFunction, network: NonNullable<RolloutEngineProps['smokeCheckVpc']>): void {
  const stack = Stack.of(fn);
  const ec2Arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
  const interfaces = ec2Arn('network-interface', '*');
  const subnets = network.vpc
    .selectSubnets(network.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS })
    .subnetIds.map((id) => ec2Arn('subnet', id));
  const groups = fn.connections.securityGroups.map((group) => ec2Arn('security-group', group.securityGroupId));
  attach(fn, [
    new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], resources: ['*'] }),
    new iam.PolicyStatement({ actions: ['ec2:CreateNetworkInterface'], resources: [interfaces, ...subnets, ...groups] }),
    new iam.PolicyStatement({
      actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      resources: [interfaces],
    }),
  ]);
}

function attach(fn: lambda.Function, statements: iam.PolicyStatement[]): void {
  for (const statement of statements) fn.addToRolePolicy(statement);
}

/**
 * Listener rule ARNs of a listener: `…:listener/app/<lb>/<id>/<listener-id>` →
 * `…:listener-rule/app/<lb>/<id>/<listener-id>/*`. Works on tokens (Fn::Split/Join).
 */
export function listenerRuleArnPattern(listenerArn: string): string {
  if (!Token.isUnresolved(listenerArn)) return `${listenerArn.replace(':listener/', ':listener-rule/')}/*`;
  const parts = Fn.split(':listener/', listenerArn);
  return Fn.join('', [Fn.select(0, parts), ':listener-rule/', Fn.select(1, parts), '/*']);
}
