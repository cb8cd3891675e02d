import * as fs from 'node:fs';
import * as path from 'node:path';

import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

import { PlatformStack } from '../../lib/platform-stack';
import { RolloutEngineBinding } from '../../lib/rollout-engine-binding';
import { ServiceStack } from '../../lib/service-stack';
import { scratchDir } from '../scratch';
import { serviceConfig } from './fixtures';

/** A platform and a service stack with the engine attached, bundling skipped, under cdk-nag. */
function synthesize() {
  const outdir = scratchDir('engine-binding-');
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const env = { region: 'eu-west-1' };
  const platform = new PlatformStack(app, 'Platform', { env });
  const binding = new RolloutEngineBinding();
  const stack = new ServiceStack(app, 'Service', {
    env,
    config: serviceConfig({ auditRetentionDays: 30 } as never),
    vpc: platform.vpc,
    cluster: platform.cluster,
    engine: binding,
  });
  let failed: unknown;
  try {
    app.synth();
  } catch (error) {
    failed = error;
  }
  const reportFile = path.join(outdir, 'validation-report.json');
  if (failed && !fs.existsSync(reportFile)) throw failed;
  const report = fs.existsSync(reportFile)
    ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as {
        pluginReports: Array<{ violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
      })
    : { pluginReports: [] };
  const violations = report.pluginReports.flatMap((r) =>
    r.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`)),
  );
  return {
    stack,
    binding,
    violations,
    template: Template.fromJSON(JSON.parse(fs.readFileSync(path.join(outdir, `${stack.artifactId}.template.json`), 'utf8'))),
  };
}

describe('RolloutEngineBinding', () => {
  const built = synthesize();

  describe('bind', () => {
    it('publishes the hooks, audit table and state machine in the deployment metadata', () => {
      const parameters = built.template.findResources('AWS::SSM::Parameter');
      const metadata = Object.values(parameters)
        .map((p) => JSON.stringify((p as { Properties: unknown }).Properties))
        .find((p) => p.includes('/deployment'));
      expect(metadata).toMatch(/hooks.*AfterAllowTestTraffic.*\{"Ref":"CanaryServiceRolloutEngineAfterAllowTestTrafficHook[0-9A-F]{8}"\}/);
      built.template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'CodeDeployHook_orders-AfterAllowTestTraffic' });
      expect(metadata).toContain('auditTableName');
      expect(metadata).toContain('stateMachineArn');
    });

    it('takes the audit retention from the service configuration', () => {
      built.template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { AUDIT_RETENTION_DAYS: '30' } } });
    });

    it('adds no unsuppressed cdk-nag AwsSolutions finding to the service stack', () => {
      expect(built.violations.filter((v) => v.includes('RolloutEngine'))).toEqual([]);
    });

    it("runs the smoke-checking hook inside the VPC against the replacement targets, allowed to the tasks' port", () => {
      built.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'CodeDeployHook_orders-AfterAllowTestTraffic',
        VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
        Environment: { Variables: Match.objectLike({ SMOKE_CHECK_MODE: 'replacement-targets' }) },
      });
      built.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        Description: 'smoke checks of the rollout engine',
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('RolloutEngineAfterAllowTestTrafficHookSecurityGroup'), 'GroupId'] },
      });
    });

    it('fails when bound twice', () => {
      expect(() => built.binding.bind(built.stack.canaryService)).toThrow(/already bound/);
    });
  });
});
