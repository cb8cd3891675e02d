import { Match } from 'aws-cdk-lib/assertions';

import { logicalIds, synthesizeService } from './fixtures';

const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123';
const LISTENER = 'Custom::EcsCanaryListener';

/** The resolved Create / Update / Delete calls of a listener custom resource, as JSON text. */
function calls(properties: Record<string, any>): { create: string; update: string; delete: string } {
  const text = (value: unknown) => JSON.stringify(value);
  return { create: text(properties.Create), update: text(properties.Update), delete: text(properties.Delete) };
}

describe('CanaryListeners', () => {
  describe.each([
    ['HTTP', {}, 0],
    ['HTTPS', { listener: { certificateArn: CERTIFICATE_ARN } }, 1],
  ])('with an %s production listener', (_protocol, overrides, cloudFormationListeners) => {
    const fixture = () => synthesizeService(overrides);
    let targetGroupIds: string[];
    beforeAll(() => {
      targetGroupIds = logicalIds(fixture().template, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    });

    it('creates no CloudFormation listener that forwards to either target group', () => {
      const listeners = fixture().template.findResources('AWS::ElasticLoadBalancingV2::Listener');
      // Only the HTTP → HTTPS redirect is a CloudFormation listener.
      expect(Object.keys(listeners)).toHaveLength(cloudFormationListeners);
      for (const listener of Object.values(listeners)) {
        const actions = JSON.stringify(listener.Properties.DefaultActions);
        expect(actions).not.toContain('forward');
        for (const id of targetGroupIds) expect(actions).not.toContain(id);
      }
    });

    it('creates no CloudFormation listener rule', () => {
      fixture().template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    });

    it('creates the production and test listeners with a custom resource', () => {
      fixture().template.resourceCountIs(LISTENER, 2);
    });

    it('creates both listeners forwarding to the blue target group', () => {
      const blue = fixture().service.blueTargetGroup;
      const blueId = fixture().stack.getLogicalId(blue.node.defaultChild as any);
      for (const resource of Object.values(fixture().template.findResources(LISTENER))) {
        const { create } = calls(resource.Properties);
        expect(create).toContain('"action\\":\\"createListener\\"');
        expect(create).toContain(`{"Ref":"${blueId}"}`);
      }
    });

    it('creates an update call that sends no actions', () => {
      for (const resource of Object.values(fixture().template.findResources(LISTENER))) {
        const { update } = calls(resource.Properties);
        expect(update).toContain('modifyListener');
        expect(update).not.toMatch(/DefaultActions|forward|TargetGroup/);
      }
    });

    it('creates a delete call that deletes the listener', () => {
      for (const resource of Object.values(fixture().template.findResources(LISTENER))) {
        expect(calls(resource.Properties).delete).toContain('deleteListener');
      }
    });

    it('creates the ECS service only after both listeners exist', () => {
      const listenerIds = logicalIds(fixture().template, LISTENER);
      const service = Object.values(fixture().template.findResources('AWS::ECS::Service'))[0];
      expect(service.DependsOn).toEqual(expect.arrayContaining(listenerIds));
    });

    it('creates the custom resource Lambda with its logs kept a month', () => {
      const { template } = fixture();
      const [logGroup] = logicalIds(template, 'AWS::Logs::LogGroup', { RetentionInDays: 30 }).filter((id) => id.includes('ProviderLogs'));
      template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroup } } });
    });

    it('creates a policy that names only this load balancer and its listeners', () => {
      const policies = fixture().template.findResources('AWS::IAM::Policy', {
        Properties: {
          PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'elasticloadbalancing:CreateListener' })]) },
        },
      });
      expect(Object.keys(policies)).toHaveLength(2);
      for (const policy of Object.values(policies)) {
        const statements = policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
        for (const statement of statements) expect(statement.Resource).not.toBe('*');
        expect(JSON.stringify(statements)).toContain(':listener/');
      }
    });
  });

  describe("the custom resource Lambda's role", () => {
    it("is the construct's own role with no managed policy: logs to its own log group, listener calls of this load balancer", () => {
      const { template, stack, service } = synthesizeService();
      const lambdaRoles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([, role]) =>
        JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
      );
      for (const [, role] of lambdaRoles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      const roleId = stack.resolve(
        (service.listeners.node.findChild('ProviderRole').node.defaultChild as unknown as { logicalId: string }).logicalId,
      ) as string;
      const [provider] = Object.values(
        template.findResources('AWS::Lambda::Function', { Properties: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] } } }),
      );
      expect(provider).toBeDefined();
      const statements = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).flatMap(
        (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>,
      );
      expect(statements.map((st) => st.Action)).toEqual([
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        'elasticloadbalancing:CreateListener',
        ['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:DeleteListener'],
        'elasticloadbalancing:CreateListener',
        ['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:DeleteListener'],
      ]);
      expect(statements[0].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/ListenersProviderLogs/), 'Arn'] });
    });
  });

  describe('with a certificate', () => {
    const fixture = () => synthesizeService({ listener: { certificateArn: CERTIFICATE_ARN } });

    it('creates the production listener as HTTPS on 443 with the certificate', () => {
      const creates = Object.values(fixture().template.findResources(LISTENER)).map((r) => calls(r.Properties).create);
      expect(creates.filter((c) => c.includes('\\"Port\\":443,\\"Protocol\\":\\"HTTPS\\"') && c.includes(CERTIFICATE_ARN))).toHaveLength(1);
    });

    it('creates an update call that keeps the certificate', () => {
      const updates = Object.values(fixture().template.findResources(LISTENER)).map((r) => calls(r.Properties).update);
      expect(updates.filter((u) => u.includes(CERTIFICATE_ARN))).toHaveLength(1);
    });

    it('creates the redirect listener after the production listener has left port 80', () => {
      const [production] = logicalIds(fixture().template, LISTENER).filter((id) => id.includes('Production'));
      const redirect = Object.values(fixture().template.findResources('AWS::ElasticLoadBalancingV2::Listener'))[0];
      expect(redirect.DependsOn).toContain(production);
    });

    it('creates a CloudFormation listener on 80 that only redirects to 443', () => {
      fixture().template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        DefaultActions: [{ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS' }) }],
      });
    });
  });

  describe('security group', () => {
    it('creates an ingress rule opening the production port to everyone', () => {
      synthesizeService().template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 })]),
      });
    });

    it('creates ingress rules opening the test port only to the VPC and its NAT gateways by default', () => {
      const { template } = synthesizeService();
      const groups = template.findResources('AWS::EC2::SecurityGroup', {
        Properties: { SecurityGroupIngress: Match.arrayWith([Match.objectLike({ FromPort: 9000 })]) },
      });
      const sources = Object.values(groups)
        .flatMap((g) => g.Properties.SecurityGroupIngress as { FromPort: number; CidrIp: unknown }[])
        .filter((r) => r.FromPort === 9000)
        .map((r) => JSON.stringify(r.CidrIp));
      expect(sources).toEqual([
        expect.stringMatching(/"Fn::ImportValue":"EcsCanary-Platform:.*CidrBlock/),
        expect.stringMatching(/"Fn::ImportValue":"EcsCanary-Platform:.*publicSubnet1EIP.*PublicIp.*\/32/),
        expect.stringMatching(/"Fn::ImportValue":"EcsCanary-Platform:.*publicSubnet2EIP.*PublicIp.*\/32/),
      ]);
    });

    it('creates ingress rules opening the test port only to the configured CIDRs', () => {
      const { template } = synthesizeService({ listener: { testAllowedCidrs: ['203.0.113.0/24'] } });
      const groups = template.findResources('AWS::EC2::SecurityGroup', {
        Properties: { SecurityGroupIngress: Match.arrayWith([Match.objectLike({ FromPort: 9000 })]) },
      });
      const rules = Object.values(groups).flatMap((g) => g.Properties.SecurityGroupIngress as { FromPort: number; CidrIp: unknown }[]);
      expect(rules.filter((r) => r.FromPort === 9000).map((r) => r.CidrIp)).toEqual(['203.0.113.0/24']);
    });
  });
});
