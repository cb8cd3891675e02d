import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';

import { CdkDeployTrigger } from '../../lib/cdk-deploy-trigger';
import { PlatformStack } from '../../lib/platform-stack';
import { ServiceStack } from '../../lib/service-stack';
import { logicalIds, onlyResource, serviceConfig, type SynthesizedService, synthesizeService, testApp } from './fixtures';

/** A plan short enough for `wait` (worst case 29 of 50 min). */
const WAIT = {
  deployOnCdkDeploy: 'wait',
  rollout: { steps: [{ weight: 10, bakeMinutes: 5 }], holdLimitMinutes: 2, postTrafficBakeMinutes: 5 },
} as const;
const TRIGGER_TYPE = 'Custom::EcsCanaryCdkDeploy';

const logicalIdOf = (built: SynthesizedService, construct: { node: { defaultChild?: unknown } }) =>
  built.stack.resolve((construct.node.defaultChild as { logicalId: string }).logicalId) as string;

/** The statements of the trigger role's policy. */
function triggerStatements(built: SynthesizedService): Array<{ Action: string | string[]; Resource: unknown }> {
  const roleId = logicalIdOf(built, built.service.cdkDeployTrigger!.role);
  const policies = built.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: never[] } } }).Properties.PolicyDocument.Statement,
  );
}

describe('CdkDeployTrigger', () => {
  describe('with the default deployOnCdkDeploy (start)', () => {
    const built = synthesizeService();

    it('creates the resource with the task definition revision, its image, the metadata parameter and the service', () => {
      const { resource } = onlyResource(built.template, TRIGGER_TYPE);
      expect(resource.Properties).toEqual({
        ServiceToken: expect.anything(),
        ServiceTimeout: '900',
        TaskDefinitionArn: { Ref: logicalIdOf(built, built.service.taskDefinition) },
        Image: 'public.ecr.aws/nginx/nginx:1.27',
        MetadataParameterName: { Ref: logicalIdOf(built, built.service.deploymentParameter) },
        Cluster: expect.anything(),
        Service: { 'Fn::GetAtt': [logicalIdOf(built, built.service.service), 'Name'] },
      });
    });

    it('creates it after every other resource of the service, so nothing else can roll back a started deployment', () => {
      const { resource } = onlyResource(built.template, TRIGGER_TYPE);
      const others = Object.keys(built.template.toJSON().Resources).filter(
        (id) => id.startsWith('CanaryService') && !id.startsWith('CanaryServiceCdkDeploy'),
      );
      expect([...(resource.DependsOn ?? [])].sort()).toEqual(others.sort());
      expect(others).toEqual(
        expect.arrayContaining([
          logicalIdOf(built, built.service.service),
          logicalIdOf(built, built.service.deploymentGroup),
          logicalIdOf(built, built.service.deploymentParameter),
          logicalIdOf(built, built.service.freezeParameter),
        ]),
      );
    });

    it('creates no isComplete handler and no waiter: start returns once the deployment exists', () => {
      built.template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.onEvent',
        Environment: { Variables: Match.objectLike({ CDK_DEPLOY_MODE: 'start' }) },
      });
      expect(logicalIds(built.template, 'AWS::Lambda::Function', { Handler: 'index.isComplete' })).toEqual([]);
      expect(logicalIds(built.template, 'AWS::StepFunctions::StateMachine').filter((id) => id.includes('CdkDeploy'))).toEqual([]);
    });

    it('creates a stack output with what the last cdk deploy did', () => {
      built.template.hasOutput('*', { Value: { 'Fn::GetAtt': [onlyResource(built.template, TRIGGER_TYPE).id, 'Message'] } });
    });

    it('changes the resource properties only through the revision and its image', () => {
      const other = synthesizeService({ image: 'public.ecr.aws/nginx/nginx:1.28' });
      const before = onlyResource(built.template, TRIGGER_TYPE).resource.Properties;
      const after = onlyResource(other.template, TRIGGER_TYPE).resource.Properties;
      expect({ ...after, Image: undefined }).toEqual({ ...before, Image: undefined });
      expect(after.Image).toBe('public.ecr.aws/nginx/nginx:1.28');
      // The container definition changes, so CloudFormation registers a new revision (a new Ref value).
      const images = [built, other].map(
        (b) => onlyResource(b.template, 'AWS::ECS::TaskDefinition').resource.Properties.ContainerDefinitions[0].Image,
      );
      expect(images).toEqual(['public.ecr.aws/nginx/nginx:1.27', 'public.ecr.aws/nginx/nginx:1.28']);
    });
  });

  describe('least privilege', () => {
    const start = synthesizeService();
    const wait = synthesizeService(WAIT as never);

    it("start: reads the parameters and the service and creates the deployment, on this service's resources only", () => {
      const statements = triggerStatements(start);
      expect(statements.map((s) => s.Action)).toEqual([
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        'ssm:GetParameter',
        'ecs:DescribeServices',
        ['codedeploy:ListDeployments', 'codedeploy:CreateDeployment'],
        'codedeploy:GetDeploymentConfig',
        ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision'],
      ]);
      const svc = start.service;
      const [logs, ssm, ecs, group] = statements.map((s) => s.Resource);
      expect(logs).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/CdkDeployLogs/), 'Arn'] });
      expect(ssm).toEqual([
        expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([{ Ref: logicalIdOf(start, svc.deploymentParameter) }])] }),
        expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([{ Ref: logicalIdOf(start, svc.freezeParameter) }])] }),
      ]);
      expect(ecs).toEqual({ Ref: logicalIdOf(start, svc.service) });
      expect(start.stack.resolve(group)).toEqual(start.stack.resolve(svc.deploymentGroup.deploymentGroupArn));
    });

    it('wait: also follows the deployment, stops it when the wait runs out, and quotes the judge from the audit table', () => {
      const statements = triggerStatements(wait);
      expect(statements.map((s) => s.Action)).toEqual([
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        'ssm:GetParameter',
        'ecs:DescribeServices',
        ['codedeploy:ListDeployments', 'codedeploy:CreateDeployment'],
        'codedeploy:GetDeploymentConfig',
        ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision'],
        'codedeploy:GetDeployment',
        ['codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget', 'codedeploy:StopDeployment'],
        'dynamodb:Query',
        'kms:GetPublicKey',
        's3:ListBucketVersions',
      ]);
      const resources = statements.map((s) => s.Resource);
      expect(wait.stack.resolve(resources[6])).toEqual(wait.stack.resolve(wait.service.deploymentGroup.deploymentGroupArn));
      // No resource type in the Service Authorization Reference: IAM accepts only "*".
      expect(resources[7]).toBe('*');
      expect(JSON.stringify(resources[8])).toContain(`:table/",${JSON.stringify(wait.stack.resolve(wait.service.engine!.auditTableName))}`);
      // The reason is quoted only when its record verifies: the engine's public key and its anchors, nothing else.
      const engine = wait.service.engine!;
      expect(wait.stack.resolve(resources[9])).toEqual(wait.stack.resolve(engine.auditKeyArn));
      expect(JSON.stringify(wait.stack.resolve(resources[10]))).toBe(
        JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', wait.stack.resolve(engine.auditAnchorBucket)]] }),
      );
    });

    it('wait: hands the poller the trust root from the stack (signing key, anchor bucket), not from the metadata parameter', () => {
      const engine = wait.service.engine!;
      const functions = Object.values(
        wait.template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.isComplete' } }),
      );
      expect(functions).toHaveLength(1);
      const root = JSON.stringify(
        (functions[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables
          .AUDIT_TRUST_ROOT,
      );
      expect(root).toContain(JSON.stringify(wait.stack.resolve(engine.auditKeyArn)));
      expect(root).toContain(JSON.stringify(wait.stack.resolve(engine.auditAnchorBucket)));
    });

    it('grants no iam:PassRole (CodeDeploy deploys with its own service role), CreateDeployment\'s companions only on ECSAllAtOnce and the application, and no "*" in start', () => {
      for (const built of [start, wait]) {
        const statements = triggerStatements(built);
        expect(JSON.stringify(statements)).not.toContain('iam:PassRole');
        const on = (action: string) =>
          statements.filter((st) => [st.Action].flat().includes(action)).map((st) => JSON.stringify(built.stack.resolve(st.Resource)));
        expect(on('codedeploy:GetDeploymentConfig')).toEqual([
          expect.stringMatching(/:deploymentconfig:CodeDeployDefault\.ECSAllAtOnce"\]\]\}$/),
        ]);
        for (const action of ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision']) {
          expect(on(action)).toEqual([expect.stringMatching(/:application:",\{"Ref":"CanaryServiceApplication[0-9A-F]{8}"\}\]\]\}$/)]);
        }
      }
      expect(JSON.stringify(triggerStatements(start))).not.toMatch(/"Resource":"\*"/);
    });

    it('lets the wait handler read the audit table of an engine attached after construction', () => {
      const app = testApp();
      const env = { region: 'eu-west-1' };
      const platform = new PlatformStack(app, 'Platform', { env });
      const stack = new ServiceStack(app, 'Service', {
        env,
        config: serviceConfig(WAIT as never),
        vpc: platform.vpc,
        cluster: platform.cluster,
      });
      const trigger = stack.canaryService.cdkDeployTrigger!;
      const actions = () => JSON.stringify(stack.resolve((trigger.role.node.findChild('DefaultPolicy') as iam.Policy).document));
      expect(actions()).not.toContain('dynamodb:Query');
      stack.canaryService.attachEngine({
        hooks: { AfterAllowTestTraffic: 'a', BeforeAllowTraffic: 'b', AfterAllowTraffic: 'c' },
        auditTableName: 'orders-audit',
        stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:x',
      });
      const query = (
        stack.resolve((trigger.role.node.findChild('DefaultPolicy') as iam.Policy).document) as {
          Statement: Array<{ Action: unknown; Resource: unknown }>;
        }
      ).Statement.find((st) => st.Action === 'dynamodb:Query');
      expect(JSON.stringify(query?.Resource)).toContain(':table/orders-audit');
    });
  });

  describe('with deployOnCdkDeploy: wait', () => {
    const built = synthesizeService(WAIT as never);

    it("creates the resource with CloudFormation's one-hour timeout and an isComplete handler", () => {
      expect(onlyResource(built.template, TRIGGER_TYPE).resource.Properties.ServiceTimeout).toBe('3600');
      built.template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.isComplete',
        Environment: { Variables: Match.objectLike({ CDK_DEPLOY_MODE: 'wait', WAIT_LIMIT_MINUTES: '50' }) },
      });
    });

    it('polls once a minute for at most 55 minutes, inside the hour', () => {
      const machines = built.template.findResources('AWS::StepFunctions::StateMachine');
      const waiter = Object.entries(machines).find(([id]) => id.includes('CdkDeploy'))![1] as { Properties: { DefinitionString: unknown } };
      expect(JSON.stringify(waiter.Properties.DefinitionString)).toContain(
        '\\"IntervalSeconds\\":60,\\"MaxAttempts\\":55,\\"BackoffRate\\":1',
      );
    });

    it('fails synth when the plan cannot finish within the hour, naming the field, the value and the worst case', () => {
      expect(() => synthesizeService({ deployOnCdkDeploy: 'wait' } as never)).toThrow(
        /test: deployOnCdkDeploy: got "wait"; accepted: "start" or "off" with this rollout plan.*takes up to 110 min in the worst case/,
      );
    });

    it('fails when waitLimit exceeds what the provider and CloudFormation allow', () => {
      const svc = built.service;
      const stack = new Stack(new App(), 'Other', { env: { region: 'eu-west-1' } });
      expect(
        () =>
          new CdkDeployTrigger(stack, 'Trigger', {
            mode: 'wait',
            taskDefinition: svc.taskDefinition,
            image: 'x',
            service: svc.service,
            deploymentGroup: svc.deploymentGroup,
            metadataParameter: svc.deploymentParameter,
            freezeParameter: svc.freezeParameter,
            waitLimit: Duration.minutes(56),
          }),
      ).toThrow('Other/Trigger: waitLimit is 56 minutes; accepted: more than 0 and at most 50 minutes');
    });
  });

  describe('with deployOnCdkDeploy: off', () => {
    it('creates no trigger: images go through canary deploy only', () => {
      const built = synthesizeService({ deployOnCdkDeploy: 'off' } as never);
      expect(built.service.cdkDeployTrigger).toBeUndefined();
      built.template.resourceCountIs(TRIGGER_TYPE, 0);
    });
  });
});
