/**
 * The two ways a handler's code reaches its function: the package's pre-built bundle (built by
 * scripts/bundle-handlers.js, as `npm pack` does) deployed as it is, and, in the repository,
 * `NodejsFunction` bundling the source at synth. Both must give the same function.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';

import { dropBundlingNotices } from '../../bin/quiet-bundling';
import { HANDLER_BUNDLING, handlerBundleDir, handlerCode, type HandlerFile } from '../../lib/private/handler-entry';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleHandlers } = require('../../scripts/bundle-handlers.js') as {
  bundleHandlers(options: {
    sourceRoot: string;
    bundles: string;
    files: readonly string[];
    bundling: nodejs.BundlingOptions;
  }): Promise<void>;
};

const REPO = path.join(__dirname, '..', '..');
/** An engine function in a VPC, and the custom resource's handler with its own NODE_OPTIONS. */
const CASES: { file: HandlerFile; exportName: string; vpc: boolean; environment: Record<string, string> }[] = [
  { file: 'tick.ts', exportName: 'handler', vpc: true, environment: { SERVICE_NAME: 'orders' } },
  {
    file: 'cdk-deploy.ts',
    exportName: 'onEvent',
    vpc: false,
    environment: { CDK_DEPLOY_MODE: 'start', NODE_OPTIONS: '--enable-source-maps' },
  },
];

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: unknown;
}

let work: string;
let bundles: string;
const stderrWrite = process.stderr.write;

beforeAll(() => {
  // aws-cdk-lib's `Bundling asset …` line per synth-time bundle is noise here, as in the app.
  dropBundlingNotices(process.stderr);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-canary-handler-code-'));
  bundles = path.join(work, 'bundles');
  bundleHandlers({ sourceRoot: REPO, bundles, files: CASES.map((c) => c.file), bundling: HANDLER_BUNDLING });
}, 60_000);

afterAll(() => {
  process.stderr.write = stderrWrite;
  fs.rmSync(work, { recursive: true, force: true });
});

/** Synthesizes one function with the code `handlerCode` picks from `bundleRoot`; bundling runs (no BUNDLING_STACKS skip). */
function synthesize(testCase: (typeof CASES)[number], bundleRoot: string, name: string) {
  const outdir = path.join(work, name);
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Handlers', { env: { region: 'eu-west-1', account: '123456789012' } });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const logGroup = new logs.LogGroup(stack, 'Logs');
  const vpc = testCase.vpc ? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }) : undefined;
  const fn = new nodejs.NodejsFunction(stack, 'Function', {
    ...handlerCode(testCase.file, testCase.exportName, bundleRoot),
    role,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout: Duration.seconds(30),
    environment: testCase.environment,
    logGroup,
    ...(vpc ? { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } : {}),
  });
  const assembly = app.synth();
  const template = assembly.getStackByName('Handlers').template as { Resources: Record<string, Resource> };
  const [logicalId, resource] = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function')!;
  const key = String((resource.Properties!.Code as { S3Key: string }).S3Key);
  return { fn, logicalId, template, assetDir: path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`) };
}

/** The template with each function's code location and each resource's metadata (asset paths) left out. */
function withoutCode(template: { Resources: Record<string, Resource> }) {
  return Object.fromEntries(
    Object.entries(template.Resources).map(([id, { Metadata: _metadata, ...resource }]) => {
      if (resource.Type !== 'AWS::Lambda::Function') return [id, resource];
      const { Code: _code, ...properties } = resource.Properties!;
      return [id, { ...resource, Properties: properties }];
    }),
  );
}

describe.each(CASES)('the code of $file ($exportName)', (testCase) => {
  it('is the pre-built bundle when there is one, else bundled at synth; the stack is the same but for the code asset', () => {
    const prebuilt = synthesize(testCase, bundles, `prebuilt-${testCase.exportName}`);
    const atSynth = synthesize(testCase, path.join(work, 'no-bundles'), `at-synth-${testCase.exportName}`);

    expect(withoutCode(prebuilt.template)).toEqual(withoutCode(atSynth.template));
    expect(prebuilt.template.Resources[prebuilt.logicalId].Properties).toMatchObject({
      Handler: `index.${testCase.exportName}`,
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    });

    // The pre-built asset is the bundle's directory as it is; esbuild at synth writes the same index.js.
    const bundleDir = handlerBundleDir(testCase.file, bundles);
    expect(fs.readdirSync(prebuilt.assetDir).sort()).toEqual(['index.js', 'index.js.map']);
    expect(fs.readFileSync(path.join(prebuilt.assetDir, 'index.js'), 'utf8')).toBe(
      fs.readFileSync(path.join(bundleDir, 'index.js'), 'utf8'),
    );
    expect(fs.readdirSync(atSynth.assetDir).sort()).toEqual(['index.js', 'index.js.map']);
    expect(fs.readFileSync(path.join(atSynth.assetDir, 'index.js'), 'utf8')).toBe(
      fs.readFileSync(path.join(bundleDir, 'index.js'), 'utf8'),
    );
  });
});
