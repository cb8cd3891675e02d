/**
 * A Runtime for handler tests: real SDK clients intercepted by aws-sdk-client-mock, an in-memory
 * audit chain, a listener whose weights follow ModifyListener, and one ordered log of every write.
 */
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import type { DeploymentMetadata } from '../../../lambdas/core/metadata';
import { compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../../lambdas/core/rollout-plan';
import { logger, type Runtime } from '../../../lambdas/handlers/runtime';

export const T0 = Date.parse('2026-11-21T10:00:00.000Z');
export const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/orders/a/b';
export const BLUE = { arn: 'arn:tg/blue', fullName: 'targetgroup/orders-blue/1', name: 'orders-blue' };
export const GREEN = { arn: 'arn:tg/green', fullName: 'targetgroup/orders-green/2', name: 'orders-green' };
export const SM = 'arn:aws:states:eu-west-1:1:stateMachine:orders';

export function metadata(overrides: Partial<DeploymentMetadata> = {}): DeploymentMetadata {
  return {
    version: 1,
    service: 'orders',
    applicationName: 'orders-app',
    deploymentGroupName: 'orders-dg',
    taskDefinitionFamily: 'orders',
    containerName: 'app',
    containerPort: 8080,
    productionListenerArn: LISTENER,
    testListenerArn: 'arn:test-listener',
    testListenerPort: 8443,
    loadBalancerDnsName: 'orders.elb.example',
    loadBalancerFullName: 'app/orders/a',
    targetGroups: [BLUE, GREEN],
    topicArn: 'arn:topic',
    plan: compilePlan({ ...DEFAULT_ROLLOUT_PLAN, holdLimitMinutes: 5, postTrafficBakeMinutes: 10 }),
    thresholds: { maxErrorRatePercent: 5, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 },
    smokeChecks: [{ path: '/health', expectStatus: 200 }],
    canaryHeader: { name: 'X-Canary', value: 'always' },
    freezeParameterName: '/ecs-canary/orders/freeze',
    ...overrides,
  };
}

export interface World {
  status: string;
  weights: { blue: number; green: number };
  /** The test listener's weights (metadata's testListenerArn); ModifyListener on it logs `test-weights:<blue>/<green>`. */
  testWeights: { blue: number; green: number };
  rules: Rule[];
  healthyGreen: number;
  healthyBlue: number;
  /** Deployments of the group created after d-1 (ListDeployments with its createTimeRange): d-1 is then not current. */
  newer: string[];
  frozen?: { reason: string; by: string };
  audit: Array<Record<string, unknown>>;
  /**
   * Ordered log of writes: `audit:<verdict>`, `rollout:record`, `weights:<original>/<replacement>`,
   * `rule:create`, `rule:delete`, `hook:<status>`, `start:<name>`, `stop:<name>`, `sns`.
   */
  log: string[];
  httpCalls: string[];
  httpStatus: number;
}

export function fakeRuntime(world: Partial<World> = {}, meta: DeploymentMetadata = metadata()) {
  const w: World = {
    status: 'InProgress',
    weights: { blue: 100, green: 0 },
    testWeights: { blue: 100, green: 0 },
    rules: [],
    healthyGreen: 2,
    healthyBlue: 2,
    newer: [],
    audit: [],
    log: [],
    httpCalls: [],
    httpStatus: 200,
    ...world,
  };
  const codedeploy = mockClient(CodeDeployClient);
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const cw = mockClient(CloudWatchClient);
  const ddb = mockClient(DynamoDBDocumentClient);
  const sfn = mockClient(SFNClient);
  const sns = mockClient(SNSClient);
  const ssm = mockClient(SSMClient);
  codedeploy.on(GetDeploymentCommand).callsFake(() => ({ deploymentInfo: { status: w.status, createTime: new Date(T0 - 3_600_000) } }));
  codedeploy.on(ListDeploymentsCommand).callsFake(() => ({ deployments: [...w.newer, 'd-1'] }));
  codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['cluster:orders'] });
  codedeploy.on(GetDeploymentTargetCommand).resolves({
    deploymentTarget: {
      ecsTarget: {
        taskSetsInfo: [
          { taskSetLabel: 'Blue', targetGroup: { name: BLUE.name } },
          { taskSetLabel: 'Green', targetGroup: { name: GREEN.name } },
        ],
      },
    },
  });
  codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).callsFake((input) => {
    w.log.push(`hook:${input.status}`);
    return {};
  });
  const isTest = (arn: string | undefined) => arn === meta.testListenerArn;
  elb.on(DescribeListenersCommand).callsFake((input) => {
    const weights = isTest(input.ListenerArns?.[0]) ? w.testWeights : w.weights;
    return {
      Listeners: [
        {
          DefaultActions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: BLUE.arn, Weight: weights.blue },
                  { TargetGroupArn: GREEN.arn, Weight: weights.green },
                ],
              },
            },
          ],
        },
      ],
    };
  });
  elb.on(ModifyListenerCommand).callsFake((input) => {
    const groups = input.DefaultActions[0].ForwardConfig.TargetGroups as Array<{ TargetGroupArn: string; Weight: number }>;
    const weights = {
      blue: groups.find((g) => g.TargetGroupArn === BLUE.arn)!.Weight,
      green: groups.find((g) => g.TargetGroupArn === GREEN.arn)!.Weight,
    };
    if (isTest(input.ListenerArn)) {
      w.testWeights = weights;
      w.log.push(`test-weights:${weights.blue}/${weights.green}`);
      return {};
    }
    w.weights = weights;
    w.log.push(`weights:${w.weights.blue}/${w.weights.green}`);
    return {};
  });
  elb.on(DescribeRulesCommand).callsFake(() => ({ Rules: w.rules }));
  elb.on(CreateRuleCommand).callsFake((input) => {
    w.rules.push({ RuleArn: `rule-${w.rules.length + 1}`, Priority: String(input.Priority), Conditions: input.Conditions });
    w.log.push('rule:create');
    return {};
  });
  elb.on(DeleteRuleCommand).callsFake((input) => {
    w.rules = w.rules.filter((r) => r.RuleArn !== input.RuleArn);
    w.log.push('rule:delete');
    return {};
  });
  elb.on(DescribeTargetHealthCommand).callsFake((input) => ({
    TargetHealthDescriptions: Array.from({ length: input.TargetGroupArn === BLUE.arn ? w.healthyBlue : w.healthyGreen }, (_, i) => ({
      Target: { Id: `10.0.1.${i + 1}`, Port: 8080 },
      TargetHealth: { State: 'healthy' },
    })),
  }));
  cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  cw.on(PutMetricDataCommand).resolves({});
  ddb.on(QueryCommand).callsFake(() => ({ Items: w.audit.slice(-1) }));
  const records = new Map<string, Record<string, unknown>>();
  ddb.on(PutCommand).callsFake((input) => {
    // The rollout record sits outside the chain (pk rollout#<deployment>).
    if (String(input.Item.pk).startsWith('rollout#')) {
      records.set(input.Item.pk, input.Item);
      w.log.push('rollout:record');
      return {};
    }
    w.audit.push(input.Item);
    w.log.push(`audit:${input.Item.verdict}`);
    return {};
  });
  ddb.on(GetCommand).callsFake((input) => ({ Item: records.get(input.Key.pk) }));
  const started = new Set<string>();
  sfn.on(StartExecutionCommand).callsFake((input) => {
    started.add(input.name);
    w.log.push(`start:${input.name}`);
    return { executionArn: `arn:exec:${input.name}` };
  });
  sfn.on(DescribeExecutionCommand).callsFake((input) => {
    if (!started.has(input.executionArn.split(':').pop()))
      throw new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} });
    return { status: 'RUNNING' };
  });
  sfn.on(StopExecutionCommand).callsFake((input) => {
    w.log.push(`stop:${input.executionArn.split(':').pop()}`);
    return {};
  });
  sns.on(PublishCommand).callsFake(() => {
    w.log.push('sns');
    return {};
  });
  ssm
    .on(GetParameterCommand)
    .callsFake(() => ({ Parameter: { Value: JSON.stringify(w.frozen ? { frozen: true, ...w.frozen } : { frozen: false }) } }));

  const runtime: Runtime = {
    clients: {
      codedeploy: new CodeDeployClient({}),
      elbv2: new ElasticLoadBalancingV2Client({}),
      cloudwatch: new CloudWatchClient({}),
      dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({})),
      sns: new SNSClient({}),
      ssm: new SSMClient({}),
      sfn: new SFNClient({}),
      // No signing key nor anchor bucket in these tests (env has none): never called.
      kms: new KMSClient({}),
      s3: new S3Client({}),
      http: async (url) => {
        w.httpCalls.push(url);
        return { status: w.httpStatus };
      },
    },
    env: {
      service: 'orders',
      metadataParameter: '/ecs-canary/orders/deployment',
      freezeParameter: '/ecs-canary/orders/freeze',
      auditTableName: 'audit',
      auditRetentionDays: 30,
      topicArn: 'arn:topic',
      stateMachineArn: SM,
      smokeCheckMode: 'test-listener',
    },
    metadata: meta,
    audit: { client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 'audit', service: 'orders', retentionDays: 30 },
    logger,
    clock: () => T0,
    // Reads retried with backoff do not wait in these tests (time stands still at T0).
    sleep: async () => undefined,
  };
  const mocks = { codedeploy, elb, cw, ddb, sfn, sns, ssm };
  const reset = () => Object.values(mocks).forEach((m) => m.restore());
  return { runtime, world: w, mocks, reset };
}
