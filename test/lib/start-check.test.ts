import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';

import { RolloutEngine } from '../../lib/rollout-engine';
import { READY_WAIT, StartCheck } from '../../lib/start-check';

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

  it("creates a rule on this deployment group's START and READY state changes that invokes the check with retries", () => {
    built.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.codedeploy'],
        'detail-type': ['CodeDeploy Deployment State-change Notification'],
        detail: { state: ['START', 'READY'], application: ['orders-app'], deploymentGroup: ['orders-dg'] },
      },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 600 } })],
    });
  });

  it('sweeps every minute with the same function (the next sweep is the retry)', () => {
    const fn = built.stack.getLogicalId(built.engine.startCheck.function.node.defaultChild as never);
    built.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } }),
      ],
    });
  });

  it('warns that an imported deployment group needs the ready wait it cannot be given here', () => {
    const warnings = Annotations.fromStack(built.stack).findWarning(
      '*',
      Match.stringLikeRegexp('orders-dg is imported: give it DeploymentReadyOption'),
    );
    expect(warnings).toHaveLength(1);
  });

  it('makes a deployment group it defines wait in Ready (STOP_DEPLOYMENT) for the check to continue it', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }), 'Own', {
      env: { account: ACCOUNT, region: REGION },
    });
    const group = new codedeploy.EcsDeploymentGroup(stack, 'Group', {
      service: ecs.FargateService.fromFargateServiceAttributes(stack, 'Service', {
        serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/c/orders`,
        cluster: ecs.Cluster.fromClusterAttributes(stack, 'Cluster', {
          clusterName: 'c',
          vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['a'] }),
        }),
      }),
      blueGreenDeploymentConfig: {
        blueTargetGroup: elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'B', {
          targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/b/1`,
        }),
        greenTargetGroup: elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'G', {
          targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/g/2`,
        }),
        listener: elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'L', {
          listenerArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/x/1/2`,
          securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-1'),
        }),
      },
    });
    new StartCheck(stack, 'Check', {
      serviceName: 'orders',
      deploymentGroup: group,
      environment: {},
      metadataParameterName: '/ecs-canary/orders/deployment',
      freezeParameterName: '/ecs-canary/orders/freeze',
      auditTable: dynamodb.Table.fromTableName(stack, 'Audit', 'orders-audit'),
      topic: sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:${REGION}:${ACCOUNT}:orders-rollouts`),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      BlueGreenDeploymentConfiguration: Match.objectLike({
        DeploymentReadyOption: { ActionOnTimeout: 'STOP_DEPLOYMENT', WaitTimeInMinutes: READY_WAIT.toMinutes() },
      }),
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

  it('grants StopDeployment and ContinueDeployment on * only, and the reads on the group, the application and the parameters', () => {
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
    expect(on('codedeploy:ContinueDeployment')).toEqual(['"*"']);
    expect(statements.find((s) => [s.Action].flat().includes('codedeploy:StopDeployment'))?.Condition).toEqual({
      StringEquals: { 'aws:RequestedRegion': REGION },
    });
    expect(on('codedeploy:GetDeployment')).toEqual([expect.stringContaining(':deploymentgroup:orders-app/orders-dg')]);
    expect(on('codedeploy:ListDeployments')).toEqual([expect.stringContaining(':deploymentgroup:orders-app/orders-dg')]);
    expect(on('codedeploy:GetApplicationRevision')).toEqual([expect.stringContaining(':application:orders-app')]);
    expect(on('ssm:GetParameter')).toEqual([
      expect.stringMatching(/parameter\/ecs-canary\/orders\/deployment.*parameter\/ecs-canary\/orders\/freeze/),
    ]);
    expect(on('kms:Sign')).toHaveLength(1);
    const starred = statements.filter((s) => JSON.stringify(s.Resource) === '"*"').flatMap((s) => [s.Action].flat());
    expect(starred.sort()).toEqual(
      [
        'codedeploy:ContinueDeployment',
        'codedeploy:GetDeploymentTarget',
        'codedeploy:ListDeploymentTargets',
        'codedeploy:StopDeployment',
        'elasticloadbalancing:DescribeTargetHealth',
      ].sort(),
    );
  });
});
