/** Shared fixtures for the deploy and CLI tests: one task definition and one metadata document. */
import type { TaskDefinition } from '@aws-sdk/client-ecs';

import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../lambdas/core/rollout-plan';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const taskDefinitionArn = (revision: number, family = 'web') =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;

/** A task definition as `DescribeTaskDefinition` returns it, read-only fields included. */
export function describedTaskDefinition(overrides: Partial<TaskDefinition> = {}): TaskDefinition {
  return {
    taskDefinitionArn: taskDefinitionArn(7),
    family: 'web',
    revision: 7,
    status: 'ACTIVE',
    registeredAt: new Date('2026-11-20T10:00:00Z'),
    registeredBy: `arn:aws:iam::${ACCOUNT}:role/deployer`,
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '1024',
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-task`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-exec`,
    containerDefinitions: [
      {
        name: 'web',
        image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/web:1.0.0`,
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        environment: [{ name: 'MODE', value: 'prod' }],
        essential: true,
      },
      { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: false },
    ],
    ...overrides,
  };
}

export const SERVICE = 'web';
export const HOOK_FUNCTIONS = {
  AfterAllowTestTraffic: 'web-canary-after-test',
  BeforeAllowTraffic: 'web-canary-before-traffic',
  AfterAllowTraffic: 'web-canary-after-traffic',
};

const tg = (name: string) => ({
  arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/0123456789abcdef`,
  fullName: `targetgroup/${name}/0123456789abcdef`,
  name,
});

export const BLUE = tg('web-blue');
export const GREEN = tg('web-green');
export const PRODUCTION_LISTENER = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/web/abc/prod`;

/** The deployment metadata a service stack with the engine wired in publishes. */
export function metadata(overrides: Partial<DeploymentMetadata> = {}): DeploymentMetadata {
  return {
    version: 1,
    service: SERVICE,
    applicationName: 'web-app',
    deploymentGroupName: 'web-dg',
    taskDefinitionFamily: 'web',
    containerName: 'web',
    containerPort: 8080,
    productionListenerArn: PRODUCTION_LISTENER,
    testListenerArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/web/abc/test`,
    testListenerPort: 9000,
    loadBalancerDnsName: 'web-123.eu-west-1.elb.amazonaws.com',
    loadBalancerFullName: 'app/web/abc',
    targetGroups: [BLUE, GREEN],
    topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:web-canary`,
    plan: compilePlan(DEFAULT_ROLLOUT_PLAN),
    thresholds: { maxErrorRatePercent: 5, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 },
    smokeChecks: [{ path: '/health', expectStatus: 200 }],
    hooks: HOOK_FUNCTIONS,
    auditTableName: 'web-canary-audit',
    controlParameterName: '/ecs-canary/web/control',
    stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:web-canary`,
    freezeParameterName: '/ecs-canary/web/freeze',
    ...overrides,
  };
}
