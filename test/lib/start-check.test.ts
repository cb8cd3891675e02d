import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';

import { RolloutEngine } from '../../lib/rollout-engine';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

function engineTemplate(): { template: Template; engine: RolloutEngine; stack: Stack } {
  // The rule and the role are read, not the code: no bundling, no CloudFormation validation (test/app.test.ts runs it).
  const stack = new Stack(new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }), 'Orders', {
    env: { account: ACCOUNT, region: REGION },
  });
  const engine = new RolloutEngine(stack, 'Engine', {
    serviceName: 'orders',
    productionListenerArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/orders/abc/def`,
    targetGroups: [
      elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Blue', {
        targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/orders-blue/1`,
      }),
      elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Green', {
        targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/orders-green/2`,
      }),
    ],
    deploymentGroup: codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(stack, 'Group', {
      application: codedeploy.EcsApplication.fromEcsApplicationName(stack, 'App', 'orders-app'),
      deploymentGroupName: 'orders-dg',
    }),
    topic: sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:${REGION}:${ACCOUNT}:orders-rollouts`),
    metadataParameterName: '/ecs-canary/orders/deployment',
    freezeParameterName: '/ecs-canary/orders/freeze',
  });
  return { template: Template.fromStack(stack), engine, stack };
}

describe('StartCheck', () => {
  let built: ReturnType<typeof engineTemplate>;
  beforeAll(() => {
    built = engineTemplate();
  });

  it("creates a rule on this deployment group's START state changes that invokes the check with retries", () => {
    built.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.codedeploy'],
        'detail-type': ['CodeDeploy Deployment State-change Notification'],
        detail: { state: ['START'], application: ['orders-app'], deploymentGroup: ['orders-dg'] },
      },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 600 } })],
    });
  });

  it("creates the function with the engine's environment", () => {
    const id = built.stack.getLogicalId(built.engine.startCheck.function.node.defaultChild as never);
    const fn = built.template.toJSON().Resources[id];
    expect(fn.Properties.Environment.Variables).toMatchObject({
      SERVICE_NAME: 'orders',
      METADATA_PARAMETER: '/ecs-canary/orders/deployment',
      FREEZE_PARAMETER: '/ecs-canary/orders/freeze',
    });
  });

  it('grants StopDeployment on * only, and the reads on the group, the application and the parameters', () => {
    const role = built.stack.getLogicalId(built.engine.startCheck.function.role!.node.defaultChild as never);
    const policy = Object.values(built.template.findResources('AWS::IAM::Policy')).find((p) =>
      JSON.stringify(p.Properties.Roles).includes(role),
    )!;
    const statements = policy.Properties.PolicyDocument.Statement as Array<{
      Action: string | string[];
      Resource: unknown;
      Condition?: unknown;
    }>;
    const on = (action: string) => statements.filter((s) => [s.Action].flat().includes(action)).map((s) => JSON.stringify(s.Resource));
    expect(on('codedeploy:StopDeployment')).toEqual(['"*"']);
    expect(statements.find((s) => s.Action === 'codedeploy:StopDeployment')?.Condition).toEqual({
      StringEquals: { 'aws:RequestedRegion': REGION },
    });
    expect(on('codedeploy:GetDeployment')).toEqual([expect.stringContaining(':deploymentgroup:orders-app/orders-dg')]);
    expect(on('codedeploy:GetApplicationRevision')).toEqual([expect.stringContaining(':application:orders-app')]);
    expect(on('ssm:GetParameter')).toEqual([
      expect.stringMatching(/parameter\/ecs-canary\/orders\/deployment.*parameter\/ecs-canary\/orders\/freeze/),
    ]);
    expect(on('kms:Sign')).toHaveLength(1);
    const starred = statements.filter((s) => JSON.stringify(s.Resource) === '"*"').flatMap((s) => [s.Action].flat());
    expect(starred).toEqual(['codedeploy:StopDeployment']);
  });
});
