import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';

import { CanaryService } from '../../lib/canary-service';
import { CanaryServiceError } from '../../lib/canary-service-error';
import { ConfigError } from '../../lib/config';
import { logicalIds, onlyResource, synthesizeService, synthesizeWithEngine } from './fixtures';

/** A CloudFormation string value with intrinsics replaced by `<LogicalId>` / `<LogicalId.Attr>`. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  if (v['Fn::ImportValue']) return `<import>`;
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

function parameterValue(name: string, overrides = {}): any {
  const { template } = synthesizeService(overrides);
  const found = Object.values(template.findResources('AWS::SSM::Parameter', { Properties: { Name: name } }));
  expect(found).toHaveLength(1);
  return JSON.parse(flatten(found[0].Properties.Value));
}

describe('CanaryService', () => {
  const fixture = () => synthesizeService();

  describe('service', () => {
    it('creates a Fargate service under the CODE_DEPLOY controller on the blue target group', () => {
      const blueId = fixture().stack.getLogicalId(fixture().service.blueTargetGroup.node.defaultChild as any);
      fixture().template.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        DeploymentController: { Type: 'CODE_DEPLOY' },
        LoadBalancers: [{ ContainerName: 'orders', ContainerPort: 80, TargetGroupArn: { Ref: blueId } }],
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      });
    });

    it('creates a task definition with the image, size, port and environment', () => {
      synthesizeService({ cpu: 512, memoryMiB: 2048, containerPort: 8080, environment: { MODE: 'canary' } }).template.hasResourceProperties(
        'AWS::ECS::TaskDefinition',
        {
          Family: 'ecs-canary-orders',
          Cpu: '512',
          Memory: '2048',
          ContainerDefinitions: [
            Match.objectLike({
              Name: 'orders',
              Image: 'public.ecr.aws/nginx/nginx:1.27',
              PortMappings: [Match.objectLike({ ContainerPort: 8080 })],
              Environment: [{ Name: 'MODE', Value: 'canary' }],
              LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
            }),
          ],
        },
      );
    });

    it('creates pull permissions on exactly the repository of a private ECR image, so the CDK has nothing to warn about', () => {
      const { template, stack } = synthesizeService({ image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/orders:1.0.0' });
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('ecrImageRequiresPolicy|Proper policies need to be attached'));
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyName: Match.stringLikeRegexp('ExecutionRoleDefaultPolicy'),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
              Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/team/orders',
            }),
            Match.objectLike({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
          ]),
        },
      });
    });

    it('creates no ECR permissions for a public image', () => {
      const policies = fixture().template.findResources('AWS::IAM::Policy');
      expect(JSON.stringify(policies)).not.toContain('ecr:');
    });

    it('creates a log group with a retention', () => {
      fixture().template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it('creates two target groups with the configured health check', () => {
      const { template } = synthesizeService({
        healthCheck: { path: '/healthz', intervalSeconds: 15, healthyThreshold: 3, unhealthyThreshold: 4 },
      });
      expect(
        logicalIds(template, 'AWS::ElasticLoadBalancingV2::TargetGroup', {
          TargetType: 'ip',
          HealthCheckPath: '/healthz',
          HealthCheckIntervalSeconds: 15,
          HealthCheckTimeoutSeconds: 5,
          HealthyThresholdCount: 3,
          UnhealthyThresholdCount: 4,
        }),
      ).toHaveLength(2);
    });

    it('creates an internet-facing load balancer logging to an encrypted bucket', () => {
      fixture().template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: { Ref: Match.anyValue() } },
        ]),
      });
      fixture().template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      });
    });
  });

  describe('deployment group', () => {
    it('creates an AllAtOnce deployment group that rolls back on failure, stop and alarm', () => {
      fixture().template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
        DeploymentGroupName: 'orders',
        DeploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: Match.arrayEquals(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM']),
        },
      });
    });

    it('creates a termination wait equal to postTrafficBakeMinutes', () => {
      synthesizeService({ rollout: { postTrafficBakeMinutes: 20 } }).template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
        BlueGreenDeploymentConfiguration: Match.objectLike({
          TerminateBlueInstancesOnDeploymentSuccess: { Action: 'TERMINATE', TerminationWaitTimeInMinutes: 20 },
        }),
      });
    });

    it('creates the traffic routes on the custom-resource listeners and both target groups', () => {
      const { template } = fixture();
      const [production, test] = logicalIds(template, 'Custom::EcsCanaryListener').sort();
      const { resource } = onlyResource(template, 'AWS::CodeDeploy::DeploymentGroup');
      const route = resource.Properties.LoadBalancerInfo.TargetGroupPairInfoList[0];
      expect(route.ProdTrafficRoute.ListenerArns).toEqual([{ 'Fn::GetAtt': [production, 'Listeners.0.ListenerArn'] }]);
      expect(route.TestTrafficRoute.ListenerArns).toEqual([{ 'Fn::GetAtt': [test, 'Listeners.0.ListenerArn'] }]);
      expect(route.TargetGroups).toHaveLength(2);
    });

    it('creates the deployment group with every rollback alarm', () => {
      const { template } = fixture();
      const { resource } = onlyResource(template, 'AWS::CodeDeploy::DeploymentGroup');
      const alarmIds = logicalIds(template, 'AWS::CloudWatch::Alarm');
      expect(resource.Properties.AlarmConfiguration.Alarms.map((a: { Name: { Ref: string } }) => a.Name.Ref).sort()).toEqual(
        alarmIds.sort(),
      );
    });
  });

  describe('rollback alarms', () => {
    it('creates three alarms per target group, six in all', () => {
      const names = Object.values(fixture().template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
      expect(names.sort()).toEqual(
        ['blue', 'green'].flatMap((tg) => ['error-rate', 'p95', 'unhealthy-hosts'].map((kind) => `ecs-canary-orders-${tg}-${kind}`)).sort(),
      );
    });

    it('creates an error-rate alarm through metric math with a request floor', () => {
      fixture().template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ecs-canary-orders-blue-error-rate',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
        Metrics: Match.arrayWith([
          Match.objectLike({
            Expression: 'IF(requests >= 300, 100 * (FILL(errors, 0) + FILL(connectionErrors, 0)) / requests, 0)',
            ReturnData: true,
          }),
          Match.objectLike({
            Id: 'errors',
            MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'HTTPCode_Target_5XX_Count' }), Stat: 'Sum' }),
          }),
        ]),
      });
    });

    it('creates a p95 alarm in milliseconds at maxP95Ms', () => {
      synthesizeService({ thresholds: { maxP95Ms: 750 } }).template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ecs-canary-orders-green-p95',
        Threshold: 750,
        Metrics: Match.arrayWith([
          Match.objectLike({
            Id: 'p95',
            MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'TargetResponseTime' }), Stat: 'p95' }),
          }),
        ]),
      });
    });

    it('creates an unhealthy-host alarm per target group', () => {
      fixture().template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ecs-canary-orders-green-unhealthy-hosts',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Metrics: [
          Match.objectLike({
            MetricStat: Match.objectLike({
              Stat: 'Maximum',
              Metric: Match.objectLike({
                MetricName: 'UnHealthyHostCount',
                Dimensions: Match.arrayWith([
                  { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('GreenTargetGroup'), 'TargetGroupFullName'] } },
                ]),
              }),
            }),
          }),
        ],
      });
    });
  });

  describe('notifications', () => {
    const withEmails = () => synthesizeService({ notifications: { emails: ['oncall@example.com', 'team@example.com'] } });

    it('creates a topic encrypted with a rotating key', () => {
      const { template } = fixture();
      // The other key is the rollout engine's audit signing key (asymmetric: no rotation).
      const [id, ...others] = Object.keys(template.findResources('AWS::KMS::Key', { Properties: { KeyUsage: Match.absent() } }));
      expect(others).toEqual([]);
      const key = { id, resource: template.toJSON().Resources[id] };
      expect(key.resource.Properties.EnableKeyRotation).toBe(true);
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] } });
    });

    it('creates a key policy that lets EventBridge publish to the topic', () => {
      fixture().template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
          ]),
        },
      });
    });

    it('every topic and bucket of the stack refuses requests without TLS (docs/security.md)', () => {
      const resources = fixture().template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
      const denied = (type: string, key: string) =>
        Object.values(resources)
          .filter((r) => r.Type === type)
          .filter((r) =>
            r.Properties.PolicyDocument.Statement.some(
              (s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
            ),
          )
          .flatMap((r) => r.Properties[key])
          .map((ref: any) => JSON.stringify(ref?.Ref ?? ref));
      const ids = (type: string) => Object.keys(resources).filter((id) => resources[id]!.Type === type);
      expect(ids('AWS::SNS::Topic').length).toBeGreaterThan(0);
      for (const id of ids('AWS::SNS::Topic')) expect(denied('AWS::SNS::TopicPolicy', 'Topics')).toContain(JSON.stringify(id));
      for (const id of ids('AWS::S3::Bucket')) expect(denied('AWS::S3::BucketPolicy', 'Bucket')).toContain(JSON.stringify(id));
    });

    it('creates a topic policy that lets EventBridge publish', () => {
      fixture().template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' })]),
        },
      });
    });

    it('creates one email subscription per address', () => {
      const { template } = withEmails();
      expect(
        Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => [s.Properties.Protocol, s.Properties.Endpoint]),
      ).toEqual([
        ['email', 'oncall@example.com'],
        ['email', 'team@example.com'],
      ]);
    });

    describe('chat', () => {
      const SLACK = { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' };
      const TEAMS = {
        teamId: '8f0e3c2a-1b4d-4e6f-9a7b-0c1d2e3f4a5b',
        channelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
        tenantId: '11111111-2222-3333-4444-555555555555',
      };
      const withChat = () => synthesizeService({ notifications: { slack: SLACK, teams: TEAMS } });

      it('creates no chat channel unless one is configured', () => {
        const { template } = fixture();
        template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
        template.resourceCountIs('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 0);
      });

      it('subscribes a Slack and a Teams channel to the topic', () => {
        const { template } = withChat();
        const { id: topicId } = onlyResource(template, 'AWS::SNS::Topic');
        expect(onlyResource(template, 'AWS::Chatbot::SlackChannelConfiguration').resource.Properties).toMatchObject({
          ConfigurationName: 'ecs-canary-orders-slack',
          SlackWorkspaceId: 'T0123ABCD',
          SlackChannelId: 'C0123ABCD',
          SnsTopicArns: [{ Ref: topicId }],
          LoggingLevel: 'ERROR',
        });
        expect(onlyResource(template, 'AWS::Chatbot::MicrosoftTeamsChannelConfiguration').resource.Properties).toMatchObject({
          ConfigurationName: 'ecs-canary-orders-teams',
          TeamId: TEAMS.teamId,
          TeamsChannelId: TEAMS.channelId,
          TeamsTenantId: TEAMS.tenantId,
          SnsTopicArns: [{ Ref: topicId }],
        });
      });

      it('gives the channels a role without any policy and a guardrail that denies every action (never the default AdministratorAccess)', () => {
        const { template } = withChat();
        const guardrail = onlyResource(template, 'AWS::IAM::ManagedPolicy');
        expect(guardrail.resource.Properties.PolicyDocument.Statement).toEqual([{ Effect: 'Deny', Action: '*', Resource: '*' }]);
        for (const type of ['AWS::Chatbot::SlackChannelConfiguration', 'AWS::Chatbot::MicrosoftTeamsChannelConfiguration']) {
          expect(onlyResource(template, type).resource.Properties.GuardrailPolicies).toEqual([{ Ref: guardrail.id }]);
        }
        const roles = template.findResources('AWS::IAM::Role', {
          Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'chatbot.amazonaws.com' } })] } },
        });
        expect(Object.values(roles)).toHaveLength(1);
        const [roleId] = Object.keys(roles);
        expect((roles[roleId] as any).Properties.ManagedPolicyArns).toBeUndefined();
        const attached = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
          JSON.stringify(p.Properties.Roles ?? []).includes(roleId),
        );
        expect(attached).toEqual([]);
      });

      it('forwards CodeDeploy state changes as a custom notification sentence', () => {
        const rule = Object.values(
          fixture().template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.codedeploy'] } } }),
        )[0] as any;
        const transformer = rule.Properties.Targets[0].InputTransformer;
        expect(transformer.InputPathsMap).toMatchObject({
          'detail-deploymentId': '$.detail.deploymentId',
          'detail-state': '$.detail.state',
        });
        expect(transformer.InputTemplate).toContain('"version":"1.0","source":"custom"');
        expect(transformer.InputTemplate).toContain(
          '"description":"CodeDeploy reports deployment <detail-deploymentId> of orders <detail-state>',
        );
      });
    });

    it("creates a rule for this deployment group's CodeDeploy state changes", () => {
      const { template } = fixture();
      const { id: applicationId } = onlyResource(template, 'AWS::CodeDeploy::Application');
      const { id: groupId } = onlyResource(template, 'AWS::CodeDeploy::DeploymentGroup');
      const { id: topicId } = onlyResource(template, 'AWS::SNS::Topic');
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.codedeploy'],
          'detail-type': ['CodeDeploy Deployment State-change Notification'],
          detail: { application: [{ Ref: applicationId }], deploymentGroup: [{ Ref: groupId }] },
        },
        Targets: [Match.objectLike({ Arn: { Ref: topicId } })],
      });
    });
  });

  describe('dashboard', () => {
    it('creates one dashboard named after the service (its widgets: canary-dashboard.test.ts)', () => {
      expect(onlyResource(fixture().template, 'AWS::CloudWatch::Dashboard').resource.Properties.DashboardName).toBe('ecs-canary-orders');
    });
  });

  describe('parameters', () => {
    it('creates the deployment metadata for the CLI and the engine', () => {
      const metadata = parameterValue('/ecs-canary/orders/deployment');
      expect(metadata).toMatchObject({
        version: 1,
        service: 'orders',
        taskDefinitionFamily: 'ecs-canary-orders',
        containerName: 'orders',
        containerPort: 80,
        testListenerPort: 9000,
        productionListenerArn: expect.stringMatching(/^<.*ProductionListener.*\.Listeners\.0\.ListenerArn>$/),
        testListenerArn: expect.stringMatching(/^<.*TestListener.*\.Listeners\.0\.ListenerArn>$/),
        loadBalancerFullName: expect.stringMatching(/\.LoadBalancerFullName>$/),
        freezeParameterName: '/ecs-canary/orders/freeze',
        thresholds: { maxErrorRatePercent: 1, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 },
        smokeChecks: [{ path: '/', expectStatus: 200 }],
      });
      expect(metadata.targetGroups.map((tg: { fullName: string }) => tg.fullName)).toEqual([
        expect.stringMatching(/BlueTargetGroup.*\.TargetGroupFullName>$/),
        expect.stringMatching(/GreenTargetGroup.*\.TargetGroupFullName>$/),
      ]);
      expect(metadata.plan.windows.map((w: { hook: string }) => w.hook)).toEqual([
        'AfterAllowTestTraffic',
        'BeforeAllowTraffic',
        'AfterAllowTraffic',
      ]);
      expect(Object.keys(metadata.hooks).sort()).toEqual(['AfterAllowTestTraffic', 'AfterAllowTraffic', 'BeforeAllowTraffic']);
      expect(metadata.auditTableName).toMatch(/RolloutEngine.*AuditTable/);
      expect(metadata.stateMachineArn).toMatch(/RolloutEngineRolloutLoop/);
    });

    it('creates deployment metadata that fits a standard SSM parameter', () => {
      // Each intrinsic is an ARN or name of at most ~130 characters once deployed.
      const { template } = fixture();
      const value = Object.values(
        template.findResources('AWS::SSM::Parameter', { Properties: { Name: '/ecs-canary/orders/deployment' } }),
      )[0].Properties.Value;
      const text = flatten(value).replace(/<[^>]+>/g, 'x'.repeat(130));
      expect(text.length).toBeLessThan(4096);
    });

    it('creates the canary header in the metadata when configured', () => {
      expect(parameterValue('/ecs-canary/orders/deployment', { canaryHeader: { name: 'X-Release' } }).canaryHeader).toEqual({
        name: 'X-Release',
        value: 'always',
      });
    });

    it('creates the freeze switch unfrozen', () => {
      expect(parameterValue('/ecs-canary/orders/freeze')).toEqual({ frozen: false });
    });
  });

  describe('engine', () => {
    const attachment = {
      hooks: { AfterAllowTestTraffic: 'orders-after-test', BeforeAllowTraffic: 'orders-before', AfterAllowTraffic: 'orders-after' },
      auditTableName: 'orders-audit',
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:orders',
    };

    it('creates the metadata with what the attached engine publishes', () => {
      let bound: CanaryService | undefined;
      const { template, service } = synthesizeWithEngine({ bind: (s) => ((bound = s), attachment) });
      expect(bound).toBe(service);
      const value = Object.values(
        template.findResources('AWS::SSM::Parameter', { Properties: { Name: '/ecs-canary/orders/deployment' } }),
      )[0].Properties.Value;
      expect(JSON.parse(flatten(value))).toMatchObject(attachment);
    });

    it('fails when a second engine is attached', () => {
      const { service } = synthesizeWithEngine({ bind: () => attachment });
      expect(() => service.attachEngine(attachment)).toThrow(/a rollout engine is already attached/);
    });
  });

  describe('validation', () => {
    it('fails when the stack has no region, saying how to give one', () => {
      const stack = new Stack(new App(), 'Agnostic');
      const vpc = new ec2.Vpc(stack, 'Vpc');
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
      expect(() => new CanaryService(stack, 'Orders', { vpc, cluster, config: { name: 'orders', image: 'nginx' } })).toThrow(
        new CanaryServiceError(
          "Agnostic/Orders: the stack has no region; give it env: { region: 'eu-west-1' } (or any region). The load balancer's access-log bucket policy names the region's ELB log delivery account.",
        ),
      );
    });

    it('fails when the configuration is invalid, naming the construct path', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-west-1' } });
      const vpc = new ec2.Vpc(stack, 'Vpc');
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
      expect(
        () => new CanaryService(stack, 'Orders', { vpc, cluster, config: { name: 'orders', image: 'nginx', desiredCount: 0 } }),
      ).toThrow(
        new ConfigError([
          { file: 'S/Orders', field: 'desiredCount', line: 'S/Orders: desiredCount: got 0; accepted: a whole number from 1 to 100' },
        ]),
      );
    });
  });
});
