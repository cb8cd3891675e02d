/**
 * A production-shaped service end to end: the task definition synthesized from a service file
 * using every runtime field (sidecar, secrets, ARM-or-x86 runtime platform, Fargate Spot) runs
 * in the fake account; the real `canary deploy` ships a new image of its container and the engine's
 * real handlers roll it out through 5/25/50 with every invariant checked after each tick. The new
 * revision keeps the sidecar and the secrets, and the AppSpec carries the capacity provider
 * strategy so the replacement task set is placed like the original.
 */
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Template } from 'aws-cdk-lib/assertions';

import { loadServiceConfigFile } from '../../lib/config';
import { addEcsCanaryStacks } from '../../lib/ecs-canary-app';
import { FULL_SERVICE_FILE } from '../fixtures/full-service';
import { testApp } from '../lib/fixtures';
import { ACCOUNT, REGION } from '../support';
import { runCliOn } from '../support/cli';
import { EngineWorld } from './support/engine-world';

const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/orders:1.5.0`;

/** CloudFormation values resolved for the fake account: pseudo parameters, joins, other resources by logical id. */
function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, any>;
  if ('Ref' in node)
    return (
      ({ 'AWS::Partition': 'aws', 'AWS::AccountId': ACCOUNT, 'AWS::Region': REGION } as Record<string, string>)[node.Ref] ?? `${node.Ref}`
    );
  if ('Fn::GetAtt' in node) return node['Fn::GetAtt'].join('.');
  if ('Fn::Join' in node) return (resolve(node['Fn::Join'][1]) as string[]).join(node['Fn::Join'][0]);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
}

/** CloudFormation's PascalCase property names as the ECS API's camelCase (log driver options kept as they are). */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k === 'Options' ? 'options' : k[0].toLowerCase() + k.slice(1), k === 'Options' ? v : camel(v)]),
  );
}

describe('a service with every runtime field, end to end over the fake', () => {
  let env: EngineWorld;
  afterEach(() => env?.restore());

  it('ships a new image through 5/25/50 to success, keeping the sidecar, the secrets and the capacity strategy', async () => {
    const config = loadServiceConfigFile(FULL_SERVICE_FILE);
    const { services } = addEcsCanaryStacks(testApp(), [config], { region: REGION });
    const template = Template.fromStack(services[0]);
    const synthesized = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as { Properties: Record<string, unknown> };
    const {
      family: _family,
      executionRoleArn: _e,
      taskRoleArn: _t,
      ...content
    } = camel(resolve(synthesized.Properties)) as RegisterTaskDefinitionCommandInput;
    const published = Object.values(
      template.findResources('AWS::SSM::Parameter', { Properties: { Name: '/ecs-canary/orders/deployment' } }),
    )[0] as { Properties: { Value: unknown } };
    // The stack publishes the service's capacity provider strategy in its deployment metadata.
    const { capacityProviderStrategy } = JSON.parse(resolve(published.Properties.Value) as string) as { capacityProviderStrategy: unknown };
    expect(capacityProviderStrategy).toEqual([
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 3 },
    ]);

    env = new EngineWorld({ totalRps: 50, spec: { containerName: config.name, containerPort: config.containerPort } });
    const family = env.service.metadata.taskDefinitionFamily;
    const running = env.world.ecs.registerTaskDefinition({
      ...content,
      family,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-exec`,
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-task`,
    }).taskDefinition;
    expect(running.containerDefinitions!.map((c) => c.name)).toEqual(['orders', 'log-router']);
    // The fake's service publishes its own metadata; it gains the strategy the stack published.
    await new SSMClient({}).send(
      new PutParameterCommand({
        Name: '/ecs-canary/svc/deployment',
        Value: JSON.stringify({ ...env.service.metadata, capacityProviderStrategy }),
        Type: 'String',
        Overwrite: true,
      }),
    );

    env.expectDeployment();
    const cli = await runCliOn(env.world, ['deploy', 'svc', '--image', IMAGE, '--no-wait'], { region: REGION });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    await env.runToCompletion();

    expect(env.deployment.status).toBe('Succeeded');
    expect(env.violations).toEqual([]);
    expect(env.invariants()).toEqual([]);
    const deployed = env.world.ecs.describeTaskDefinition({ taskDefinition: env.deployment.appSpec.taskDefinition }).taskDefinition!;
    const [orders, router] = deployed.containerDefinitions!;
    expect(orders.image).toBe(IMAGE);
    expect(orders.secrets).toEqual(running.containerDefinitions![0].secrets);
    expect(router).toEqual(running.containerDefinitions![1]);
    expect(deployed.runtimePlatform).toEqual(running.runtimePlatform);
    const created = env.world.calls.find((c) => c.command === 'CreateDeploymentCommand')!.input as {
      revision: { appSpecContent: { content: string } };
    };
    expect(JSON.parse(created.revision.appSpecContent.content).Resources[0].TargetService.Properties.CapacityProviderStrategy).toEqual([
      { CapacityProvider: 'FARGATE', Base: 1, Weight: 1 },
      { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
    ]);
  });
});
