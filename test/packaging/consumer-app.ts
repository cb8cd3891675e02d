/**
 * A CDK app that uses the installed package as its users' apps do: it imports `CanaryService` from
 * 'ecs-canary', is type-checked by tsc against the package's declarations, and synthesizes with node.
 * Both run in the background (`checkAndSynth`): the packaging test's other tests run meanwhile.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const APP_SOURCE = `import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CanaryService, loadServiceConfigFile, RolloutEngineBinding } from 'ecs-canary';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Shop', { env: { region: 'eu-west-1' } });
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
const orders: CanaryService = new CanaryService(stack, 'Orders', {
  config: loadServiceConfigFile('services/orders.yaml'),
  vpc,
  cluster,
  engine: new RolloutEngineBinding(),
});
process.stdout.write(orders.config.name + '\\n');
app.synth();
`;

/** What a finished child gave: its exit status (null when it could not start or was killed) and its output. */
export interface ChildOutcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` without blocking the test process; resolves when it exits, never rejects. */
export function runInBackground(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve({ status: null, stdout, stderr: `${stderr}${String(error)}` }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Writes the app (app.ts, its tsconfig.json and services/orders.yaml) into `app`, whose node_modules
 * has the package installed, then type-checks it with tsc and runs the emitted app.js.
 */
export async function checkAndSynth(
  app: string,
  typeRoots: string,
  env: NodeJS.ProcessEnv,
): Promise<{ tsc: ChildOutcome; synth: ChildOutcome }> {
  fs.mkdirSync(path.join(app, 'services'), { recursive: true });
  fs.writeFileSync(path.join(app, 'services', 'orders.yaml'), 'name: orders\nimage: public.ecr.aws/nginx/nginx:1.27\n');
  fs.writeFileSync(path.join(app, 'app.ts'), APP_SOURCE);
  // node16 resolution reads the package's `exports`. skipLibCheck, as in most CDK apps: checking
  // aws-cdk-lib's declarations costs more than the rest of the packaging test, whose own test checks
  // what the package's declarations import.
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [typeRoots],
    },
    files: ['app.ts'],
  };
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const tsc = await runInBackground(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.'], app, env);
  // tsc emits app.js even when it reports errors; the test reports tsc's errors first.
  const synth = await runInBackground(process.execPath, ['app.js'], app, env);
  return { tsc, synth };
}
