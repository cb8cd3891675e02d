import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { App, cx_api, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';

import { loadServiceConfigs } from '../lib/config';
import { addEcsCanaryStacks, type EcsCanaryStacks, resolveEnvironment } from '../lib/ecs-canary-app';
import type { PlatformStack } from '../lib/platform-stack';
import { FULL_SERVICE_DIR } from './fixtures/full-service';
import { scratchDir } from './scratch';

const ROOT = path.join(__dirname, '..');

interface Violation {
  readonly ruleName: string;
  readonly constructPath: string;
}

/**
 * Synthesizes the app with cdk-nag's AwsSolutions pack, plus CDK's built-in CloudFormation
 * validation (schema and lint rules), and returns every unsuppressed finding of either.
 */
function synthWithNag(servicesDir: string): { stacks: EcsCanaryStacks; violations: Violation[]; outdir: string } {
  let stacks: EcsCanaryStacks | undefined;
  let outdir = '';
  const violations = nagViolations((app) => {
    outdir = app.outdir;
    stacks = addEcsCanaryStacks(app, loadServiceConfigs(servicesDir), { region: 'eu-west-1' });
  });
  return { stacks: stacks!, violations, outdir };
}

/**
 * The synthesized templates' file names in each of `outdirs`, and cfn-lint's errors on all of them
 * (the CloudFormation registry's schemas and rules), in one cfn-lint run: its start-up is most of its time.
 */
function cfnLint(...outdirs: string[]): { templates: string[][]; errors: string[] } {
  const templates = outdirs.map((dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')));
  const files = outdirs.flatMap((dir, i) => templates[i].map((f) => path.join(dir, f)));
  const run = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'eu-west-1', '--', ...files], { encoding: 'utf8' });
  expect(run.error).toBeUndefined();
  const findings = JSON.parse(run.stdout || '[]') as { Level: string; Rule: { Id: string }; Message: string; Filename?: string }[];
  const errors = findings.filter((f) => f.Level === 'Error').map((f) => `${path.basename(f.Filename ?? '')} ${f.Rule.Id}: ${f.Message}`);
  return { templates, errors };
}

/** cdk-nag and CloudFormation's validation read the template: the Lambdas are not bundled (test/packaging bundles them). */
function nagViolations(build: (app: App) => void): Violation[] {
  const outdir = scratchDir('ecs-canary-nag-');
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  build(app);
  const reportFile = path.join(outdir, 'validation-report.json');
  try {
    app.synth();
  } catch (error) {
    // A failed validation throws after writing its report; anything else is a real error.
    if (!fs.existsSync(reportFile)) throw error;
  }
  if (!fs.existsSync(reportFile)) return [];
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as {
    pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  return report.pluginReports.flatMap((r) =>
    r.violations.flatMap((v) => v.violatingConstructs.map((c) => ({ ruleName: v.ruleName, constructPath: c.constructPath }))),
  );
}

/** A services directory with the shipped demo and a variant that uses every optional feature. */
function variantsDir(): string {
  const dir = scratchDir('ecs-canary-services-');
  fs.copyFileSync(path.join(ROOT, 'services/demo.yaml'), path.join(dir, 'demo.yaml'));
  fs.writeFileSync(
    path.join(dir, 'payments.yaml'),
    [
      'name: payments',
      'image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments:2.4.1',
      'containerPort: 8080',
      'cpu: 1024',
      'memoryMiB: 2048',
      'environment: { LOG_LEVEL: info }',
      'listener: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123", testAllowedCidrs: [10.20.0.0/16] }',
      'canaryHeader: { name: X-Canary, value: always }',
      'canaryCookie: { name: canary, value: always }',
      'notifications: { emails: [payments-oncall@example.com], slack: { workspaceId: T0123ABCD, channelId: C0123ABCD }, teams: { teamId: 8f0e3c2a-1b4d-4e6f-9a7b-0c1d2e3f4a5b, channelId: "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2", tenantId: 11111111-2222-3333-4444-555555555555 } }',
      // cdk deploy waits for the rollout: a plan short enough for the custom resource's hour.
      'deployOnCdkDeploy: wait',
      'rollout: { steps: [{ weight: 10, bakeMinutes: 5 }], holdLimitMinutes: 2, postTrafficBakeMinutes: 5 }',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('the ecs-canary app', () => {
  // The default app, also linted with the full-service app below (one cfn-lint run).
  let result: ReturnType<typeof synthWithNag>;
  describe('from services/', () => {
    beforeAll(() => {
      result = synthWithNag(path.join(ROOT, 'services'));
    });

    it('creates the platform stack and one stack per service file', () => {
      const files = fs.readdirSync(path.join(ROOT, 'services')).filter((f) => /\.ya?ml$/.test(f));
      expect([result.stacks.platform!, ...result.stacks.services].map((s) => s.stackName)).toEqual([
        'EcsCanary-Platform',
        ...loadServiceConfigs(path.join(ROOT, 'services')).map((c) => `EcsCanary-${c.name}`),
      ]);
      expect(result.stacks.services).toHaveLength(files.length);
    });

    it('creates no account-specific stack', () => {
      for (const stack of [result.stacks.platform!, ...result.stacks.services]) {
        expect(stack.resolve(stack.account)).toEqual({ Ref: 'AWS::AccountId' });
      }
    });

    it('has no unsuppressed cdk-nag AwsSolutions finding', () => {
      expect(result.violations).toEqual([]);
    });
  });

  describe('with every optional feature', () => {
    it('has no unsuppressed cdk-nag AwsSolutions finding', () => {
      expect(synthWithNag(variantsDir()).violations).toEqual([]);
    });
  });

  describe('with every runtime field (secrets, task role, scaling, network, sidecars, Spot, ECS Exec)', () => {
    let outdir = '';
    let violations: Violation[];
    beforeAll(() => {
      violations = nagViolations((app) => {
        outdir = app.outdir;
        addEcsCanaryStacks(app, loadServiceConfigs(FULL_SERVICE_DIR), { region: 'eu-west-1' });
      });
    });

    it('has no unsuppressed cdk-nag AwsSolutions finding and no CloudFormation schema finding', () => {
      expect(violations).toEqual([]);
    });

    it('passes cfn-lint with 0 errors, and so does the default app: its platform stack and every service stack', () => {
      const { templates, errors } = cfnLint(outdir, result.outdir);
      // The service names its own network: no platform stack, its one template.
      expect(templates[0]).toEqual(['EcsCanary-orders.template.json']);
      expect(templates[1].sort()).toEqual(
        ['EcsCanary-Platform', ...loadServiceConfigs(path.join(ROOT, 'services')).map((c) => `EcsCanary-${c.name}`)]
          .map((name) => `${name}.template.json`)
          .sort(),
      );
      expect(errors).toEqual([]);
    });
  });

  describe('the cdk-nag harness', () => {
    it('reports a finding on an insecure resource (so the checks above can fail)', () => {
      const violations = nagViolations((app) => {
        new s3.Bucket(new Stack(app, 'Insecure'), 'Bucket');
      });
      expect(violations).toEqual(expect.arrayContaining([{ ruleName: 'AwsSolutions-S10', constructPath: 'Insecure/Bucket/Resource' }]));
    });
  });

  describe('platform stack', () => {
    let template: Template;
    let platformStack: PlatformStack;
    beforeAll(() => {
      const app = new App({ builtinCloudFormationValidation: false });
      platformStack = addEcsCanaryStacks(app, [], { region: 'eu-west-1' }).platform!;
      template = Template.fromStack(platformStack);
    });

    it('creates a VPC over two Availability Zones', () => {
      template.resourceCountIs('AWS::EC2::Subnet', 4);
      template.resourceCountIs('AWS::EC2::NatGateway', 2);
    });

    it('creates VPC flow logs to a log group with a retention', () => {
      template.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it('creates one public address per NAT gateway for the service stacks', () => {
      expect(platformStack.natPublicIps).toHaveLength(2);
    });

    it('creates a cluster with Container Insights', () => {
      template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    });
  });

  describe('resolveEnvironment', () => {
    const saved = process.env.CDK_DEFAULT_REGION;
    afterEach(() => {
      if (saved === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = saved;
    });

    it.each([
      ['the region context', { region: 'ap-south-1' }, 'eu-central-1', 'ap-south-1'],
      ["the CLI's default region", {}, 'eu-central-1', 'eu-central-1'],
      ['us-east-1 when nothing is set', {}, undefined, 'us-east-1'],
    ])('creates stacks in %s, with no account', (_name, context, defaultRegion, expected) => {
      if (defaultRegion === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = defaultRegion;
      expect(resolveEnvironment(new App({ context }))).toEqual({ region: expected });
    });
  });

  describe('cdk.json', () => {
    it('decides every feature flag whose recommended value is not aws-cdk-lib\'s default (no "flags are not configured" notice)', () => {
      const context = (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
      const undecided = Object.entries(cx_api.FLAGS)
        .filter(
          ([name, flag]) =>
            flag.recommendedValue !== undefined && (cx_api.CURRENT_VERSION_FLAG_DEFAULTS[name] ?? false) !== flag.recommendedValue,
        )
        .map(([name]) => name)
        .filter((name) => !(name in context));
      expect(undecided).toEqual([]);
    });

    it('keeps the strong cross-stack references the app sets itself', () => {
      const context = (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
      expect(context['@aws-cdk/core:defaultCrossStackReferences']).toBe('strong');
    });
  });

  describe('bin/app.ts', () => {
    it('fails with one line per problem and no stack trace when a service file is invalid', () => {
      const dir = scratchDir('ecs-canary-bad-');
      fs.writeFileSync(path.join(dir, 'orders.yaml'), 'name: orders\nimage: nginx\ncontainerPort: 0\nreplicas: 2\n');
      const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bin/app.ts'], {
        cwd: ROOT,
        env: { ...process.env, ECS_CANARY_SERVICES_DIR: dir, CDK_OUTDIR: scratchDir('ecs-canary-out-') },
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines[0]).toBe('Invalid service configuration (2 problems):');
      expect(lines.slice(1).map((l) => l.trim().replace(/^.*orders\.yaml: /, ''))).toEqual([
        'containerPort: got 0; accepted: a port number from 1 to 65535',
        expect.stringMatching(/^\(top level\): unknown key replicas; accepted keys: name, image/),
      ]);
    });
  });
});
