/**
 * ecs-canary as its users get it. A copy of the working tree is packed with `npm pack` (its
 * `prepack` builds dist/), the tarball is installed into an empty CDK app without the network
 * (`npm ci --offline` from the npm cache: the app's lock pins the versions of our own lock), and
 * then the `canary` binary runs in an empty directory and a TypeScript app imports `CanaryService`
 * from 'ecs-canary', type-checks against its declarations and synthesizes it without esbuild, from the
 * handler bundles the package ships. Also checks a clone's
 * path: `prepare` (what `npm ci` runs) bundles a working CLI, and says what to run without esbuild.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

import { HANDLER_FILES } from '../../lib/private/handler-entry';
import { checkAndSynth, type ChildOutcome } from './consumer-app';
import { consumerLock, type PackageLock } from './consumer-lock';
import { scratchParent } from './scratch-dir';

const REPO = path.join(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};
/** What `npm pack` needs from the working tree (the `files` of package.json and what builds them). */
const SOURCES = [
  'package.json',
  'package-lock.json',
  'README.md',
  'LICENSE',
  'tsconfig.json',
  'tsconfig.build.json',
  'bin',
  'lib',
  'cli',
  'sim',
  'lambdas',
  'docs',
  'scripts',
  'services',
];
const HANDLERS = fs
  .readdirSync(path.join(REPO, 'lambdas', 'handlers'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
/** Packing, installing, type-checking and synthesizing: about a minute of CPU; more on a busy machine. */
const SETUP_TIMEOUT_MS = 300_000;

let work: string;
let tarball: string;
let packedFiles: string[];
let app: string;
/** The app's type check and synth, started when the install is done (see the last test). */
let consumer: Promise<{ tsc: ChildOutcome; synth: ChildOutcome }> | undefined;

/** The environment of a child: ours without the npm_* variables of a surrounding `npm test`. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = childEnv()): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a set-up step; fails with its output when it fails. */
function must(command: string, args: string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Relative paths of the files under `dir`, sorted. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(scratchParent(), 'ecs-canary-package-'));
  const source = path.join(work, 'source');
  for (const entry of SOURCES) {
    if (fs.existsSync(path.join(REPO, entry))) fs.cpSync(path.join(REPO, entry), path.join(source, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  must('npm', ['pack', '--pack-destination', work], source);
  tarball = path.join(work, `${PKG.name}-${PKG.version}.tgz`);
  packedFiles = must('tar', ['-tzf', tarball], work)
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));

  // The app: its own package.json and lock (the versions our lock pins), then `npm ci --offline`.
  app = path.join(work, 'app');
  fs.mkdirSync(path.join(app, 'services'), { recursive: true });
  const integrity = `sha512-${createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
  const repoLock = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as PackageLock;
  const { manifest, lock } = consumerLock(repoLock, PKG, {
    name: 'shop-app',
    tarball: `../${path.basename(tarball)}`,
    integrity,
  });
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
  const install = run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app);
  if (install.status !== 0) {
    const hint = install.stderr.includes('ENOTCACHED')
      ? '\nThe npm cache lacks a package of our lock: `npm ci` in the repository fills it (it is what .ci/run does first).'
      : '';
    throw new Error(`npm ci --offline of the app exited ${install.status}:\n${install.stderr}${hint}`);
  }
  // A core's worth for ~20 s: it runs while the tests of the tarball and of the binary do.
  consumer = checkAndSynth(app, path.join(REPO, 'node_modules', '@types'), childEnv());
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await consumer;
  if (work) fs.rmSync(work, { recursive: true, force: true });
}, SETUP_TIMEOUT_MS);

describe('npm pack', () => {
  it('ships the compiled CLI, the constructs with their declarations, and each Lambda handler bundled; no TypeScript sources', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'bin/canary.js',
        'dist/bin/canary.js',
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'package.json',
        'LICENSE',
        'services/demo.yaml',
      ]),
    );
    for (const file of HANDLER_FILES) {
      const bundle = `dist/lambdas/bundles/${file.replace(/\.ts$/, '')}`;
      expect(packedFiles).toEqual(expect.arrayContaining([`${bundle}/index.js`, `${bundle}/index.js.map`]));
    }
    expect(packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(packedFiles.filter((f) => /^(test|bench|node_modules)\//.test(f))).toEqual([]);
    expect(packedFiles.filter((f) => f.startsWith('services/'))).toEqual(['services/demo.yaml']);
  });

  it('has declarations that import only its dependencies and Node built-ins', () => {
    const dist = path.join(app, 'node_modules', 'ecs-canary', 'dist');
    const imported = new Set<string>();
    for (const file of filesUnder(dist).filter((f) => f.endsWith('.d.ts'))) {
      const text = fs.readFileSync(path.join(dist, file), 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import\()\s*['"]([^'".][^'"]*)['"]/g)) imported.add(spec);
      for (const [, spec] of text.matchAll(/<reference types="([^"]+)"/g)) imported.add(spec);
    }
    const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    // `node` is @types/node, which every TypeScript CDK app has; the package's own name is its doc examples.
    const declared = { ...PKG.dependencies, ...PKG.peerDependencies };
    const outside = [...imported].filter(
      (spec) => !spec.startsWith('node:') && !(packageOf(spec) in declared) && !['node', PKG.name].includes(spec),
    );
    expect(outside).toEqual([]);
    expect([...imported].map(packageOf)).toContain('aws-cdk-lib');
  });

  it("takes aws-cdk-lib and constructs as peers with a range: the app's one copy is the one the constructs use", () => {
    expect(Object.keys(PKG.dependencies)).not.toEqual(expect.arrayContaining(['aws-cdk-lib']));
    expect(Object.keys(PKG.dependencies)).not.toEqual(expect.arrayContaining(['constructs']));
    expect(PKG.peerDependencies).toEqual({
      'aws-cdk-lib': expect.stringMatching(/^\^2\./),
      constructs: expect.stringMatching(/^\^10\./),
      vega: expect.stringMatching(/^\^5\./),
      'vega-lite': expect.stringMatching(/^\^5\./),
    });
    expect(PKG.peerDependenciesMeta).toEqual({ vega: { optional: true }, 'vega-lite': { optional: true } });
    expect(fs.existsSync(path.join(app, 'node_modules', 'aws-cdk-lib', 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(app, 'node_modules', 'ecs-canary', 'node_modules', 'aws-cdk-lib'))).toBe(false);
  });

  it('installs without any devDependency (no TypeScript, no tsx, no esbuild) and without the optional peers (vega, vega-lite)', () => {
    expect(fs.existsSync(path.join(app, 'node_modules', 'ecs-canary', 'dist', 'lib', 'index.js'))).toBe(true);
    for (const dev of ['typescript', 'tsx', 'ts-jest', 'aws-cdk', 'esbuild', 'vega', 'vega-lite'])
      expect([dev, fs.existsSync(path.join(app, 'node_modules', dev))]).toEqual([dev, false]);
  });
});

describe("a clone's build (prepare, which npm ci runs)", () => {
  /** A copy of the sources without dist/, as a fresh clone has them, with `node_modules` given. */
  const clone = (nodeModules: string): string => {
    const dir = fs.mkdtempSync(path.join(work, 'clone-'));
    for (const entry of SOURCES) {
      if (fs.existsSync(path.join(REPO, entry))) fs.cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
    }
    fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
    fs.symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir');
    return dir;
  };

  it('bundles a CLI that runs, importing its packages from node_modules rather than inlining them', () => {
    const dir = clone(path.join(REPO, 'node_modules'));
    const prepare = run(process.execPath, ['scripts/prepare.js'], dir);
    expect([prepare.status, prepare.stderr]).toEqual([0, '']);
    const version = run(process.execPath, ['bin/canary.js', '--version'], dir);
    expect([version.status, version.stdout.trim()]).toEqual([0, PKG.version]);
    const bundle = fs.readFileSync(path.join(dir, 'dist', 'bin', 'canary.js'), 'utf8');
    expect(bundle).toContain('require("commander")');
    expect(bundle).not.toContain('node_modules/commander');
  });

  it('without devDependencies leaves the install intact and says what to run; the CLI says it too', () => {
    const dir = clone(fs.mkdtempSync(path.join(work, 'no-dev-modules-')));
    const prepare = run(process.execPath, ['scripts/prepare.js'], dir);
    expect(prepare.status).toBe(0);
    expect(prepare.stderr).toMatch(/not built: esbuild \(a devDependency\) is not installed\.\n.*Run `npm ci` without --omit=dev/);
    const cli = run(process.execPath, ['bin/canary.js', '--help'], dir);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(/is missing: run `npm ci` \(with devDependencies\)/);
  });
});

describe('the installed canary binary, in an empty directory', () => {
  const canary = (args: string[], env?: Record<string, string>) => {
    const empty = fs.mkdtempSync(path.join(work, 'empty-'));
    const home = fs.mkdtempSync(path.join(work, 'home-'));
    // A clean environment: no AWS_REGION, no profile, no ~/.aws, no instance metadata.
    return run(path.join(app, 'node_modules', '.bin', 'canary'), args, empty, {
      PATH: process.env.PATH ?? '',
      HOME: home,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    });
  };

  it('prints its help and its version', () => {
    const help = canary(['--help']);
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: canary \[options\] \[command\]/);
    for (const command of ['deploy', 'status', 'rollback', 'history', 'freeze', 'simulate']) expect(help.stdout).toContain(`  ${command} `);
    const version = canary(['--version']);
    expect([version.status, version.stdout.trim()]).toEqual([0, PKG.version]);
  });

  it('runs the shipped example offline: canary simulate demo', () => {
    const result = canary(['simulate', 'demo', '--scenario', 'clean']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout.split('\n')[0]).toMatch(/^canary plan demo at/);
  });

  it('without vega says, before the run, which package --html needs and how to install it (exit 2)', () => {
    const result = canary(['simulate', 'demo', '--scenario', 'clean', '--html', 'report.html']);
    expect([result.status, result.stdout]).toEqual([2, '']);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'usage error: --html draws its charts with vega and vega-lite, optional peer dependencies of ecs-canary, and vega is not installed: run npm install vega@^5.33.1 vega-lite@^5.23.0',
    ]);
  });

  it('finds a service file through ECS_CANARY_SERVICES_DIR and --services-dir, and says where it looked when there is none', () => {
    const services = fs.mkdtempSync(path.join(work, 'services-'));
    fs.writeFileSync(path.join(services, 'orders.yaml'), 'name: orders\nimage: public.ecr.aws/nginx/nginx:1.27\n');
    const offline = ['plan', 'orders', '--rps', '10', '--error-rate', '0.5'];
    for (const result of [canary(offline, { ECS_CANARY_SERVICES_DIR: services }), canary([...offline, '--services-dir', services])]) {
      expect([result.status, result.stderr]).toEqual([0, '']);
      expect(result.stdout).toMatch(/^\s*1 at /m);
    }
    const ghost = canary(['plan', 'ghost', '--rps', '1', '--error-rate', '1']);
    expect(ghost.status).toBe(2);
    expect(ghost.stderr).toMatch(/^usage error: no service file .*ghost\.yaml.*examples shipped: demo/);
  });

  it('without a region says in one line how to set one, exit 2, and the SDK prints no Node version warning', () => {
    const result = canary(['status', 'orders']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^usage error: no AWS region: pass --region <region>, set AWS_REGION, or set region for the profile/),
    ]);
  });

  it('shows the SDK warning when the user asks for it', () => {
    // Under Node 20 only: the SDK warns for Node < 22 (this also proves the warning is silenced above, not absent).
    const major = Number(process.versions.node.split('.')[0]);
    const result = canary(['status', 'orders'], { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' });
    expect(result.status).toBe(2);
    expect(result.stderr.includes('NodeVersionSupportWarning')).toBe(major < 22);
  });
});

describe('a CDK app using the package', () => {
  it(
    "imports CanaryService from 'ecs-canary', type-checks against its declarations and synthesizes it, without esbuild, from the shipped bundles",
    async () => {
      const { tsc, synth } = await consumer!;
      expect([tsc.status, tsc.stdout, tsc.stderr]).toEqual([0, '', '']);

      // Nothing is bundled at synth: no esbuild in the app, no `Bundling asset` notice.
      expect([synth.status, synth.stderr]).toEqual([0, '']);
      expect(synth.stdout).toContain('orders\n');

      const template = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'Shop.template.json'), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      const resources = Object.values(template.Resources);
      expect(resources.filter((r) => r.Type === 'AWS::ECS::Service')).toHaveLength(1);
      expect(resources.filter((r) => r.Type === 'AWS::CodeDeploy::DeploymentGroup')).toHaveLength(1);
      expect(resources.filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
      // Our functions' assets (an `index.js` with its source map; CDK's own provider functions have
      // none) are the package's bundles as shipped, and carry their handler's export.
      const shipped = path.join(app, 'node_modules', 'ecs-canary', 'dist', 'lambdas', 'bundles');
      const shippedBundles = new Map(
        HANDLER_FILES.map((file) => {
          const name = file.replace(/\.ts$/, '');
          return [fs.readFileSync(path.join(shipped, name, 'index.js'), 'utf8'), name] as const;
        }),
      );
      const bundles = resources
        .filter((r) => r.Type === 'AWS::Lambda::Function')
        .map((f) => ({
          handler: String(f.Properties.Handler),
          dir: path.join(app, 'cdk.out', `asset.${String((f.Properties.Code as { S3Key?: string }).S3Key).replace(/\.zip$/, '')}`),
        }))
        .filter((f) => fs.existsSync(path.join(f.dir, 'index.js.map')));
      expect(bundles.map((b) => b.handler)).toEqual(
        expect.arrayContaining([
          'index.afterAllowTestTraffic',
          'index.beforeAllowTraffic',
          'index.afterAllowTraffic',
          'index.onEvent',
          'index.handler',
        ]),
      );
      const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
      const used = new Set<string>();
      const sources = new Set<string>();
      for (const { handler, dir } of bundles) {
        expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
        const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
        const name = shippedBundles.get(code);
        expect([handler, name !== undefined, code.includes(handler.replace(/^index\./, ''))]).toEqual([handler, true, true]);
        used.add(name!);
        // Self-contained: it requires only Node.js built-ins and the AWS SDK v3 the Lambda runtime provides.
        const required = [...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
        expect([handler, required.filter((spec) => !builtins.has(spec) && !spec.startsWith('@aws-sdk/'))]).toEqual([handler, []]);
        const map = JSON.parse(fs.readFileSync(path.join(dir, 'index.js.map'), 'utf8')) as { sources: string[] };
        for (const source of map.sources) {
          const match = /(?:^|\/)(lambdas\/handlers\/[^/]+)$/.exec(source);
          if (match) sources.add(match[1]);
        }
      }
      // Every shipped bundle is deployed, and together they are built from every file of lambdas/handlers.
      expect([...used].sort()).toEqual(HANDLER_FILES.map((file) => file.replace(/\.ts$/, '')).sort());
      expect([...sources].sort()).toEqual(HANDLERS.map((h) => `lambdas/handlers/${h}.ts`).sort());
    },
    SETUP_TIMEOUT_MS,
  );
});
