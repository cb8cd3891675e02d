import { serviceUrls } from '../../lambdas/core/metadata';
import { compilePlan } from '../../lambdas/core/rollout-plan';
import { METADATA_TOKEN_ALLOWANCE } from '../../lib/config';
import { type DeploymentMetadataParts, metadataBytesBound, renderDeploymentMetadata } from '../../lib/deployment-metadata';
import { addEcsCanaryStacks } from '../../lib/ecs-canary-app';
import { defaultRequestFloor } from '../../lib/rollback-alarms';
import { serviceConfig, synthesizeService, testApp } from './fixtures';

function parts(overrides: Partial<DeploymentMetadataParts> = {}): DeploymentMetadataParts {
  const config = serviceConfig();
  const targetGroup = (name: string) => ({
    targetGroupArn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/1`,
    targetGroupName: name,
    targetGroupFullName: `targetgroup/${name}/1`,
  });
  return {
    config,
    plan: compilePlan(config.rollout),
    applicationName: 'ecs-canary-orders',
    deploymentGroupName: 'orders',
    taskDefinitionFamily: 'ecs-canary-orders',
    containerName: 'orders',
    productionListenerArn: 'arn:listener/prod',
    testListenerArn: 'arn:listener/test',
    loadBalancer: { loadBalancerDnsName: 'orders.elb.example', loadBalancerFullName: 'app/orders/1' },
    targetGroups: [targetGroup('blue'), targetGroup('green')],
    topicArn: 'arn:aws:sns:eu-west-1:123456789012:orders',
    freezeParameterName: '/ecs-canary/orders/freeze',
    ...overrides,
  };
}

describe('renderDeploymentMetadata', () => {
  it.each([
    ['plain HTTP on port 80 by default', {}, { productionListenerPort: 80, productionListenerProtocol: 'HTTP' }],
    [
      'HTTPS on 443 with a certificate',
      { listener: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } },
      { productionListenerPort: 443, productionListenerProtocol: 'HTTPS' },
    ],
  ])('renders the production listener as %s, for the URLs canary status shows', (_name, overrides, expected) => {
    expect(renderDeploymentMetadata(parts({ config: serviceConfig(overrides) }))).toMatchObject(expected);
  });

  it('renders the target groups in order with arn, full name and name', () => {
    expect(renderDeploymentMetadata(parts()).targetGroups).toEqual([
      { arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/1', fullName: 'targetgroup/blue/1', name: 'blue' },
      { arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/1', fullName: 'targetgroup/green/1', name: 'green' },
    ]);
  });

  it('leaves the engine fields out when no engine is attached', () => {
    const metadata = renderDeploymentMetadata(parts());
    expect(Object.keys(metadata)).not.toEqual(expect.arrayContaining(['hooks']));
    expect(metadata).not.toHaveProperty('auditTableName');
    expect(metadata).not.toHaveProperty('stateMachineArn');
    expect(metadata).not.toHaveProperty('canaryHeader');
  });

  it('renders the engine fields when an engine is attached', () => {
    const engine = {
      hooks: { AfterAllowTestTraffic: 'a', BeforeAllowTraffic: 'b', AfterAllowTraffic: 'c' },
      auditTableName: 'orders-audit',
      stateMachineArn: 'arn:sm',
    };
    expect(renderDeploymentMetadata(parts({ engine }))).toMatchObject(engine);
  });

  it('renders the test listener port and thresholds from the config', () => {
    const config = serviceConfig({ listener: { testPort: 9443 }, thresholds: { minRequests: 120 } });
    const metadata = renderDeploymentMetadata(parts({ config }));
    expect(metadata.testListenerPort).toBe(9443);
    expect(metadata.thresholds.minRequests).toBe(120);
  });
});

describe('defaultRequestFloor', () => {
  it.each([
    [1, 300],
    [5, 60],
    [10, 50],
    [0.5, 600],
  ])('for a %s%% error bar is %i requests a minute', (maxErrorRatePercent, floor) => {
    expect(defaultRequestFloor(maxErrorRatePercent)).toBe(floor);
  });
});

describe('deployment metadata size (SSM Parameter Store)', () => {
  it('is an Intelligent-Tiering parameter: standard while it fits 4 KB, advanced (8 KB) when not', () => {
    const { template } = synthesizeService();
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/ecs-canary/orders/deployment', Tier: 'Intelligent-Tiering' });
  });

  it('counts the literal text plus the allowance for each deploy-time value', () => {
    expect(metadataBytesBound('{"a":"${Token[TOKEN.1]}","b":"x/${Token[AWS.Region.2]}"}', 160)).toBe('{"a":"","b":"x/"}'.length + 2 * 160);
    expect(metadataBytesBound('{"é":1}', 160)).toBe(8);
  });

  it('allows room for the longest ARN the metadata receives (a listener ARN in a 14-character region)', () => {
    const listener = `arn:aws-us-gov:elasticloadbalancing:ap-southeast-2:123456789012:listener/app/${'n'.repeat(32)}/${'f'.repeat(16)}/${'f'.repeat(16)}`;
    expect(listener.length).toBeLessThanOrEqual(METADATA_TOKEN_ALLOWANCE);
  });

  it('fails synth, naming the service, the bound and what grows it, when the metadata could exceed 8 KB', () => {
    const app = testApp();
    const smokeChecks = Array.from({ length: 80 }, (_, i) => ({ path: `/health/${'p'.repeat(90)}/${i}`, expectStatus: 200 }));
    addEcsCanaryStacks(app, [serviceConfig({ smokeChecks })], { region: 'eu-west-1' });
    expect(() => app.synth()).toThrow(
      /\[EcsCanary-orders\/CanaryService\] the deployment metadata \(\/ecs-canary\/orders\/deployment\) could reach [\d,]+ bytes, above Parameter Store's 8,192-byte limit; it grows with smokeChecks, rollout\.steps and metrics/,
    );
  });

  it('names metrics among what grows it, and how to shrink them, when the metrics make the metadata exceed 8 KB', () => {
    const app = testApp();
    const metrics = Array.from({ length: 20 }, (_, i) => ({
      name: `kpi-${i}`,
      namespace: `Orders/${'n'.repeat(200)}`,
      metricName: 'Checkouts',
      dimensions: { Shop: 's'.repeat(200) },
      min: 1,
      action: 'warn' as const,
    }));
    addEcsCanaryStacks(app, [serviceConfig({ metrics })], { region: 'eu-west-1' });
    expect(() => app.synth()).toThrow(
      /it grows with smokeChecks, rollout\.steps and metrics: .*fewer metrics with shorter namespaces and dimensions$/,
    );
  });
});

describe('serviceUrls', () => {
  const dns = 'orders-1.eu-west-1.elb.amazonaws.com';
  it.each([
    [
      'HTTP on 80',
      { productionListenerPort: 80, productionListenerProtocol: 'HTTP' as const },
      { production: `http://${dns}/`, test: `http://${dns}:9000/` },
    ],
    [
      'HTTPS on 443',
      { productionListenerPort: 443, productionListenerProtocol: 'HTTPS' as const },
      { production: `https://${dns}/`, test: `http://${dns}:9000/` },
    ],
    [
      'HTTP on 8080',
      { productionListenerPort: 8080, productionListenerProtocol: 'HTTP' as const },
      { production: `http://${dns}:8080/`, test: `http://${dns}:9000/` },
    ],
    ['metadata without the production listener (older stacks)', {}, { test: `http://${dns}:9000/` }],
  ])('gives the URLs for %s', (_name, listener, expected) => {
    expect(serviceUrls({ loadBalancerDnsName: dns, testListenerPort: 9000, ...listener })).toEqual(expected);
  });
});

describe('the service stack outputs', () => {
  const dnsName = { 'Fn::GetAtt': [expect.stringMatching(/^CanaryServiceLoadBalancer/), 'DNSName'] };
  it("creates ProductionUrl and TestUrl outputs from the load balancer's DNS name", () => {
    const outputs = synthesizeService().template.toJSON().Outputs;
    expect(outputs.ProductionUrl.Value).toEqual({ 'Fn::Join': ['', ['http://', dnsName, '/']] });
    expect(outputs.TestUrl.Value).toEqual({ 'Fn::Join': ['', ['http://', dnsName, ':9000/']] });
  });

  it('creates an https ProductionUrl when the listener has a certificate', () => {
    const { template } = synthesizeService({ listener: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } });
    expect(template.toJSON().Outputs.ProductionUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', dnsName, '/']] });
  });
});
