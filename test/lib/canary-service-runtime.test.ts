/**
 * What the service file's runtime fields become in the template (secrets and their grants, the
 * task role, autoscaling, an imported network, sidecars, ARM64, Fargate Spot, ECS Exec, log
 * retention), and the CDK-typed props of `CanaryService`.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';

import { CanaryService } from '../../lib/canary-service';
import { CanaryServiceError } from '../../lib/canary-service-error';
import { loadServiceConfigFile, parseServiceConfig, type ServiceConfigInput } from '../../lib/config';
import { addEcsCanaryStacks, PLATFORM_STACK_NAME } from '../../lib/ecs-canary-app';
import { servicePropsFromFile } from '../../lib/service-file-props';
import { FULL_SERVICE_FILE } from '../fixtures/full-service';
import { serviceConfig, synthesizeService, testApp } from './fixtures';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf';
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const NETWORK = {
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  vpcCidrBlock: '10.20.0.0/16',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  publicSubnetIds: ['subnet-0a0000000000000a1', 'subnet-0a0000000000000b1'],
  privateSubnetIds: ['subnet-0b0000000000000a2', 'subnet-0b0000000000000b2'],
  clusterName: 'prod',
};

/** Every statement of the role policies whose logical id starts with `prefix`. */
function statements(template: Template, prefix: string): { Action: string | string[]; Resource: unknown }[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(prefix))
    .flatMap(([, policy]) => (policy as any).Properties.PolicyDocument.Statement);
}
const actionsOf = (list: { Action: string | string[] }[]) => list.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();

/** A CanaryService in a bare stack with `props`; returns the template or throws. */
function standalone(props: Partial<ConstructorParameters<typeof CanaryService>[2]> & { config?: ServiceConfigInput }): Template {
  const stack = new Stack(testApp(), 'Standalone', { env: { region: 'eu-west-1' } });
  new CanaryService(stack, 'Service', { config: serviceConfig(), ...props } as ConstructorParameters<typeof CanaryService>[2]);
  return Template.fromStack(stack);
}

describe('CanaryService runtime fields', () => {
  describe('secrets', () => {
    const secrets = {
      DB_PASSWORD: { secretsManager: SECRET_ARN, jsonKey: 'password' },
      API_KEY: { ssmParameter: '/orders/api-key', kmsKeyArn: KEY_ARN },
    };

    it('creates ECS secrets whose valueFrom names the secret (with its JSON key) and the parameter', () => {
      synthesizeService({ secrets }).template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            Secrets: [
              { Name: 'DB_PASSWORD', ValueFrom: `${SECRET_ARN}:password::` },
              {
                Name: 'API_KEY',
                ValueFrom: {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:', { Ref: 'AWS::AccountId' }, ':parameter/orders/api-key'],
                  ],
                },
              },
            ],
          }),
        ],
      });
    });

    it('lets the execution role read exactly those secrets and parameters, and decrypt with the named key only', () => {
      const execution = statements(synthesizeService({ secrets }).template, 'CanaryServiceTaskDefinitionExecutionRole');
      expect(execution.filter((s) => actionsOf([s]).some((a) => /^(secretsmanager|ssm|kms):/.test(a)))).toEqual([
        expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN }),
        expect.objectContaining({ Action: 'ssm:GetParameters', Resource: expect.objectContaining({ 'Fn::Join': expect.anything() }) }),
        expect.objectContaining({ Action: 'kms:Decrypt', Resource: KEY_ARN }),
      ]);
    });

    it('grants no secret access without secrets', () => {
      expect(
        actionsOf(statements(synthesizeService().template, 'CanaryServiceTaskDefinitionExecutionRole')).filter((a) =>
          /^(secretsmanager|ssm|kms):/.test(a),
        ),
      ).toEqual([]);
    });
  });

  describe('taskRole', () => {
    it('creates the task role with the managed policies and statements of the file', () => {
      const { template } = synthesizeService({
        taskRole: {
          managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
          statements: [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'] }],
        },
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'ecs-tasks.amazonaws.com' } })],
        }),
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
      });
      expect(statements(template, 'CanaryServiceTaskDefinitionTaskRole')).toEqual([
        expect.objectContaining({
          Action: 'dynamodb:GetItem',
          Effect: 'Allow',
          Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
        }),
      ]);
    });
  });

  describe('scaling', () => {
    const scaled = () =>
      synthesizeService({ scaling: { minTasks: 2, maxTasks: 20, cpuPercent: 60, memoryPercent: 70, requestsPerTarget: 1000 } });

    it("creates a scalable target on the service's desired count through the service-linked role", () => {
      scaled().template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 2,
        MaxCapacity: 20,
        ScalableDimension: 'ecs:service:DesiredCount',
        RoleARN: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AWSServiceRoleForApplicationAutoScaling_ECSService')])] },
      });
    });

    it('creates CPU and memory target tracking', () => {
      for (const [type, value] of [
        ['ECSServiceAverageCPUUtilization', 60],
        ['ECSServiceAverageMemoryUtilization', 70],
      ] as const) {
        scaled().template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
          TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: type }, TargetValue: value },
        });
      }
    });

    it('tracks requests per task over both target groups, never the one-target-group ALBRequestCountPerTarget', () => {
      const { template, stack, service } = scaled();
      const id = (tg: ecs.FargateService | any) => stack.getLogicalId(tg.node.defaultChild);
      const policy = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).find(
        (p: any) => p.Properties.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification,
      ) as any;
      const metrics = policy.Properties.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics;
      expect(metrics.map((m: any) => m.MetricStat?.Metric.Dimensions[1].Value ?? m.Expression)).toEqual([
        { 'Fn::GetAtt': [id(service.blueTargetGroup), 'TargetGroupFullName'] },
        { 'Fn::GetAtt': [id(service.greenTargetGroup), 'TargetGroupFullName'] },
        'FILL(blue, 0) + FILL(green, 0)',
      ]);
      expect(policy.Properties.TargetTrackingScalingPolicyConfiguration.TargetValue).toBe(1000);
      expect(JSON.stringify(template.toJSON())).not.toContain('ALBRequestCountPerTarget');
    });

    it('creates no scaling without the field', () => {
      synthesizeService().template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    });
  });

  describe('network', () => {
    it('deploys into the named VPC and cluster, imported by id, without the platform stack', () => {
      const { template, stack, app, platform } = synthesizeService({ network: NETWORK });
      expect(platform).toBeUndefined();
      expect(app.node.children.filter(Stack.isStack).map((child) => child.stackName)).toEqual(['EcsCanary-orders']);
      template.hasResourceProperties('AWS::ECS::Service', {
        Cluster: 'prod',
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ Subnets: NETWORK.privateSubnetIds }) },
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: NETWORK.publicSubnetIds });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: NETWORK.vpcId });
      expect(stack.dependencies).toEqual([]);
      // No context lookup: nothing is missing from the cloud assembly.
      expect(app.synth().manifest.missing ?? []).toEqual([]);
    });

    it('creates the platform stack when one of the services has no network, and only the stacks that use it depend on it', () => {
      const app = testApp();
      const { platform, services } = addEcsCanaryStacks(app, [serviceConfig({ network: NETWORK }), serviceConfig({ name: 'payments' })], {
        region: 'eu-west-1',
      });
      expect(platform?.stackName).toBe(PLATFORM_STACK_NAME);
      app.synth();
      expect(services.map((stack) => stack.dependencies.map((d) => d.stackName))).toEqual([[], [PLATFORM_STACK_NAME]]);
    });
  });

  describe('sidecars, architecture, capacity, exec, logs', () => {
    const full = () => synthesizeService(loadServiceConfigFile(FULL_SERVICE_FILE));

    it("creates each sidecar as a container of the task, logging to the service's log group under its own prefix", () => {
      full().template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({ Name: 'orders' }),
          Match.objectLike({
            Name: 'log-router',
            Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
            Essential: true,
            Memory: 64,
            Environment: [{ Name: 'FLB_LOG_LEVEL', Value: 'info' }],
            Secrets: [Match.objectLike({ Name: 'SPLUNK_TOKEN' })],
            LogConfiguration: Match.objectLike({ Options: Match.objectLike({ 'awslogs-stream-prefix': 'log-router' }) }),
          }),
        ],
      });
    });

    it('runs on ARM64 when asked', () => {
      synthesizeService({ cpuArchitecture: 'arm64' }).template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      });
    });

    it('places tasks through the FARGATE and FARGATE_SPOT capacity providers instead of a launch type', () => {
      const { template } = full();
      template.hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [
          { CapacityProvider: 'FARGATE', Weight: 1, Base: 1 },
          { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
        ],
        LaunchType: Match.absent(),
      });
    });

    it('associates the Fargate capacity providers with the platform cluster', () => {
      Template.fromStack(synthesizeService().platform!).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        CapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      });
    });

    it('enables ECS Exec with the ssmmessages actions on "*" and session logs on the service\'s log group only', () => {
      const { template, stack, service } = full();
      template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
      const logGroupId = stack.getLogicalId(service.node.findChild('Logs').node.defaultChild as any);
      const taskRole = statements(template, 'CanaryServiceTaskDefinitionTaskRole');
      expect(taskRole).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Action: [
              'ssmmessages:CreateControlChannel',
              'ssmmessages:CreateDataChannel',
              'ssmmessages:OpenControlChannel',
              'ssmmessages:OpenDataChannel',
            ],
            Resource: '*',
          }),
          expect.objectContaining({ Action: 'logs:DescribeLogGroups', Resource: '*' }),
          expect.objectContaining({
            Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
          }),
        ]),
      );
      expect(taskRole.filter((s) => String(s.Action).startsWith('logs:') && s.Resource === '*').map((s) => s.Action)).toEqual([
        'logs:DescribeLogGroups',
      ]);
    });

    it('keeps ECS Exec off by default', () => {
      synthesizeService().template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: Match.absent() });
    });

    it("keeps the containers' logs for logRetentionDays", () => {
      synthesizeService({ logRetentionDays: 90 }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    });
  });
});

describe('CanaryService CDK props', () => {
  const vpcAndCluster = (stack: Stack) => {
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0a1b2c3d',
      vpcCidrBlock: '10.0.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      publicSubnetIds: ['subnet-0a1b2c3d', 'subnet-0a1b2c3e'],
      privateSubnetIds: ['subnet-0b1b2c3d', 'subnet-0b1b2c3e'],
    });
    return { vpc, cluster: ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'c', vpc, securityGroups: [] }) };
  };

  it('takes an ecs.ContainerImage, task-role statements and a Duration', () => {
    const stack = new Stack(testApp(), 'Typed', { env: { region: 'eu-west-1' } });
    new CanaryService(stack, 'Service', {
      config: serviceConfig(),
      ...vpcAndCluster(stack),
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4'),
      taskRoleStatements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::orders-assets/*'] })],
      healthCheckGracePeriod: Duration.seconds(120),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/docker/library/httpd:2.4' })],
    });
    template.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 120 });
    expect(statements(template, 'ServiceTaskDefinitionTaskRole')).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders-assets/*' }),
    ]);
  });

  describe('props the service file does not carry, refused at synth in one line', () => {
    const build = (props: Record<string, unknown>) => () => {
      const stack = new Stack(testApp(), 'BadProps', { env: { region: 'eu-west-1' } });
      new CanaryService(stack, 'Service', { config: serviceConfig(), ...vpcAndCluster(stack), ...props } as ConstructorParameters<
        typeof CanaryService
      >[2]);
    };

    it.each<[string, Record<string, unknown>, string]>([
      // "IF(requests >= Infinity, …)" never alarms: the rollback alarms would be silent.
      [
        'an alarm floor of Infinity',
        { alarmRequestFloorPerMinute: Infinity },
        'BadProps/Service: alarmRequestFloorPerMinute is Infinity; accepted: a number of requests of at least 1 (minutes under it are ignored by the rollback alarms)',
      ],
      ['an alarm floor of NaN', { alarmRequestFloorPerMinute: NaN }, 'BadProps/Service: alarmRequestFloorPerMinute is NaN; accepted:'],
      ['a negative alarm floor', { alarmRequestFloorPerMinute: -5 }, 'BadProps/Service: alarmRequestFloorPerMinute is -5; accepted:'],
      ['an alarm floor of 0', { alarmRequestFloorPerMinute: 0 }, 'BadProps/Service: alarmRequestFloorPerMinute is 0; accepted:'],
      [
        'an egress address that is not one',
        { vpcEgressIps: ['not-an-ip'] },
        'BadProps/Service: vpcEgressIps has "not-an-ip"; accepted: IPv4 addresses such as 203.0.113.10 (each is admitted as <address>/32)',
      ],
      [
        'an egress CIDR instead of an address',
        { vpcEgressIps: ['10.0.0.0/16'] },
        'BadProps/Service: vpcEgressIps has "10.0.0.0/16"; accepted:',
      ],
      [
        'an egress address as a string',
        { vpcEgressIps: '203.0.113.10' },
        'BadProps/Service: vpcEgressIps is "203.0.113.10"; accepted: a list of IPv4 addresses',
      ],
      [
        'a grace period in plain seconds',
        { healthCheckGracePeriod: 60 },
        'BadProps/Service: healthCheckGracePeriod is 60; accepted: a Duration, such as Duration.seconds(60)',
      ],
    ])('refuses %s', (_what, props, message) => {
      expect(build(props)).toThrow(CanaryServiceError);
      expect(build(props)).toThrow(message);
    });

    it('takes a fractional floor and egress addresses', () => {
      expect(build({ alarmRequestFloorPerMinute: 2.5, vpcEgressIps: ['203.0.113.10', '198.51.100.7'] })).not.toThrow();
    });

    it.each<[string, unknown, RegExp]>([
      [
        'null',
        null,
        /^Invalid service configuration \(1 problem\):\n {2}BadProps\/Service: \(top level\): got null; accepted: a mapping with the keys name, image,/,
      ],
      ['a list', [], /BadProps\/Service: \(top level\): got an empty list; accepted: a mapping/],
      [
        'a misspelt key',
        { name: 'orders', contianerPort: 80 },
        /BadProps\/Service: \(top level\): unknown key contianerPort \(did you mean containerPort\?\)/,
      ],
    ])('names the construct for a config that is %s', (_what, config, message) => {
      expect(build({ config })).toThrow(message);
    });
  });

  it('takes a task definition the caller built, and routes to its default container', () => {
    const stack = new Stack(testApp(), 'Own', { env: { region: 'eu-west-1' } });
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Own', { cpu: 512, memoryLimitMiB: 1024 });
    taskDefinition.addContainer('web', {
      containerName: 'web',
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      portMappings: [{ containerPort: 80 }],
    });
    const service = new CanaryService(stack, 'Service', { config: serviceConfig(), ...vpcAndCluster(stack), taskDefinition });
    expect(service.taskDefinition).toBe(taskDefinition);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [Match.objectLike({ ContainerName: 'web', ContainerPort: 80 })],
    });
  });

  describe('without config.image', () => {
    const noImage = { name: 'orders' };

    it('takes the image prop alone', () => {
      const stack = new Stack(testApp(), 'ImageProp', { env: { region: 'eu-west-1' } });
      new CanaryService(stack, 'Service', {
        config: noImage,
        ...vpcAndCluster(stack),
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4'),
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/docker/library/httpd:2.4' })],
      });
    });

    it('takes the taskDefinition prop alone', () => {
      const stack = new Stack(testApp(), 'TaskDefinitionProp', { env: { region: 'eu-west-1' } });
      const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Own');
      taskDefinition.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx'), portMappings: [{ containerPort: 80 }] });
      expect(new CanaryService(stack, 'Service', { config: noImage, ...vpcAndCluster(stack), taskDefinition }).taskDefinition).toBe(
        taskDefinition,
      );
    });

    it('fails when neither the image nor the taskDefinition prop is given, naming the three ways', () => {
      const stack = new Stack(testApp(), 'NoImage', { env: { region: 'eu-west-1' } });
      expect(() => new CanaryService(stack, 'Service', { config: noImage, ...vpcAndCluster(stack) })).toThrow(
        new CanaryServiceError(
          "NoImage/Service: no image for the service's container; accepted: config.image (a container image reference such as public.ecr.aws/nginx/nginx:1.27), or the image prop (an ecs.ContainerImage) or the taskDefinition prop",
        ),
      );
    });

    it('still fails a service file without image', () => {
      expect(parseServiceConfig('name: orders\n', 'services/orders.yaml')).toMatchObject({
        success: false,
        problems: [expect.objectContaining({ field: 'image' })],
      });
    });
  });

  it('maps a service file onto CDK objects: ContainerImage, PolicyStatement, an imported IVpc and ICluster, RetentionDays', () => {
    const stack = new Stack(testApp(), 'FromFile', { env: { region: 'eu-west-1' } });
    const props = servicePropsFromFile(stack, loadServiceConfigFile(FULL_SERVICE_FILE));
    expect(props.image).toBeInstanceOf(ecs.ContainerImage);
    expect(props.taskRoleStatements?.map((s) => s.toStatementJson())).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
      },
    ]);
    expect(stack.resolve(props.vpc!.vpcId)).toBe(NETWORK.vpcId);
    expect(props.vpc!.privateSubnets.map((s) => s.subnetId)).toEqual(NETWORK.privateSubnetIds);
    expect(props.cluster!.clusterName).toBe('prod');
    expect(props.logRetention).toBe(30);
  });

  it('grants pull rights on exactly the repository of a private ECR image given as an ecs.ContainerImage', () => {
    const stack = new Stack(testApp(), 'EcrImage', { env: { region: 'eu-west-1' } });
    new CanaryService(stack, 'Service', {
      config: serviceConfig(),
      ...vpcAndCluster(stack),
      image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:2.0.0'),
    });
    expect(statements(Template.fromStack(stack), 'ServiceTaskDefinitionExecutionRole')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
          Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/orders',
        }),
      ]),
    );
  });

  it("fails when the caller's task definition does not map containerPort", () => {
    const stack = new Stack(testApp(), 'Own', { env: { region: 'eu-west-1' } });
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Own');
    taskDefinition.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx'), portMappings: [{ containerPort: 8080 }] });
    expect(() => new CanaryService(stack, 'Service', { config: serviceConfig(), ...vpcAndCluster(stack), taskDefinition })).toThrow(
      /container web has no port mapping for containerPort 80; accepted: a default container with portMappings \[\{ containerPort: 80 \}\]/,
    );
  });

  it('fails when neither a VPC and cluster nor a network is given, or only one of the two', () => {
    expect(() => standalone({})).toThrow(CanaryServiceError);
    expect(() => standalone({})).toThrow(
      /no vpc and cluster; pass them as props, or name an existing VPC and cluster in the configuration's network field/,
    );
    const stack = new Stack(testApp(), 'Half', { env: { region: 'eu-west-1' } });
    expect(() => new CanaryService(stack, 'Service', { config: serviceConfig(), vpc: vpcAndCluster(stack).vpc })).toThrow(
      /give both vpc and cluster, or neither/,
    );
  });
});
