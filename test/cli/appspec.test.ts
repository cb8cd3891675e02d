/**
 * `canary appspec`: the files a pipeline gives CodeDeploy. Its AppSpec goes through the fake
 * CodeDeploy's own parser and the start check, and a pipeline's deployment made from the files
 * rolls out gated to Succeeded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { parse } from 'yaml';

import { startCheckDecision } from '../../lambdas/core/start-check';
import { EngineWorld } from '../e2e/support/engine-world';
import { scratchDir } from '../scratch';
import { parseAppSpec, renderAppSpec } from '../support';
import { runCliOn } from '../support/cli';

const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/svc:3.1.0';
let env: EngineWorld;
let dir: string;
const cli = (argv: string[]) => runCliOn(env.world, argv, { region: 'us-east-1' });

/** A file where --out wants a directory. */
function fileNotDir(): string {
  const file = path.join(scratchDir('canary-appspec-out-'), 'notes.txt');
  fs.writeFileSync(file, 'not a directory');
  return file;
}

/** A directory in which `name`, a file the command writes, is a directory. */
function dirHolding(name: string): string {
  const out = scratchDir('canary-appspec-out-');
  fs.mkdirSync(path.join(out, name));
  return out;
}

beforeEach(() => {
  env = new EngineWorld({ startCheck: true, totalRps: 50 });
  dir = scratchDir('canary-appspec-');
  // The stack's task definition carries its tags (stack tags propagate to it).
  const { metadata } = env.service;
  env.world.ecs.registerTaskDefinition({
    family: metadata.taskDefinitionFamily,
    tags: [{ key: 'team', value: 'payments' }],
    containerDefinitions: [
      {
        name: metadata.containerName,
        image: 'svc:live',
        portMappings: [{ containerPort: metadata.containerPort }],
        environment: [{ name: 'MODE', value: 'prod' }],
      },
    ],
  });
});
afterEach(() => {
  env.restore();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('canary appspec', () => {
  it('prints the YAML AppSpec with the three hooks, the container and port and the <TASK_DEFINITION> placeholder', async () => {
    const { code, stdout } = await cli(['appspec', 'svc']);
    expect(code).toBe(0);
    const { metadata } = env.service;
    const parsed = parseAppSpec(stdout);
    expect(parsed).toEqual({
      taskDefinition: '<TASK_DEFINITION>',
      containerName: metadata.containerName,
      containerPort: metadata.containerPort,
      hooks: metadata.hooks,
    });
    const decision = startCheckDecision({
      deploymentId: 'd-1',
      service: 'svc',
      applicationName: metadata.applicationName,
      deploymentGroupName: metadata.deploymentGroupName,
      expectedHooks: metadata.hooks!,
      deployment: { status: 'InProgress', creator: 'user' },
      appSpec: { content: stdout },
      freeze: { frozen: false },
      alreadyRecorded: false,
    });
    expect(decision.verdict).toBe('allow');
  });

  it('writes appspec.json and taskdef.json, the current revision with only the image changed, the diff deploy --dry-run shows', async () => {
    const written = await cli(['appspec', 'svc', '--image', IMAGE, '--out', dir, '--format', 'json']);
    expect(written.code).toBe(0);
    const appSpec = JSON.parse(fs.readFileSync(path.join(dir, 'appspec.json'), 'utf8'));
    expect(parseAppSpec(JSON.stringify(appSpec)).hooks).toEqual(env.service.metadata.hooks);
    const taskdef = JSON.parse(fs.readFileSync(path.join(dir, 'taskdef.json'), 'utf8'));
    expect(taskdef).toMatchObject({
      family: env.service.metadata.taskDefinitionFamily,
      tags: [{ key: 'team', value: 'payments' }],
      containerDefinitions: [expect.objectContaining({ image: IMAGE, environment: [{ name: 'MODE', value: 'prod' }] })],
    });
    expect(taskdef).not.toHaveProperty('taskDefinitionArn');
    const dryRun = await cli(['deploy', 'svc', '--image', IMAGE, '--dry-run']);
    const diff = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^\s+[+-~] /.test(l))
        .map((l) => l.trim());
    expect(diff(written.stdout).length).toBeGreaterThan(0);
    expect(diff(written.stdout)).toEqual(diff(dryRun.stdout));
  });

  it("gates a pipeline's deployment made from its files: the start check allows it and it rolls out to Succeeded", async () => {
    expect((await cli(['appspec', 'svc', '--image', IMAGE, '--out', dir])).code).toBe(0);
    // What CodePipeline's ECS blue/green action does: register taskdef.json, put its ARN into the AppSpec, create the deployment.
    const taskdef = JSON.parse(fs.readFileSync(path.join(dir, 'taskdef.json'), 'utf8'));
    const registered = await new ECSClient({ region: 'us-east-1' }).send(new RegisterTaskDefinitionCommand(taskdef));
    const content = fs
      .readFileSync(path.join(dir, 'appspec.yaml'), 'utf8')
      .replace('<TASK_DEFINITION>', registered.taskDefinition!.taskDefinitionArn!);
    expect(parse(content).Hooks).toHaveLength(3);
    env.expectDeployment();
    await new CodeDeployClient({ region: 'us-east-1' }).send(
      new CreateDeploymentCommand({
        applicationName: env.service.metadata.applicationName,
        deploymentGroupName: env.service.metadata.deploymentGroupName,
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
      }),
    );
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    expect(env.startChecks.map((c) => c.verdict)).toEqual(['allow']);
    expect(env.violations).toEqual([]);
  });

  it('a pipeline that forgot the hooks: canary status --watch exits 1, naming the start check', async () => {
    const { metadata } = env.service;
    const { taskDefinition } = env.world.ecs.registerTaskDefinition({
      family: metadata.taskDefinitionFamily,
      containerDefinitions: [{ name: metadata.containerName, image: IMAGE, portMappings: [{ containerPort: metadata.containerPort }] }],
    });
    env.expectDeployment();
    await new CodeDeployClient({ region: 'us-east-1' }).send(
      new CreateDeploymentCommand({
        applicationName: metadata.applicationName,
        deploymentGroupName: metadata.deploymentGroupName,
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content: renderAppSpec(metadata, taskDefinition.taskDefinitionArn!, {}) },
        },
      }),
    );
    const watched = await cli(['status', 'svc', '--watch', '--poll-seconds', '10']);
    expect(watched.code).toBe(1);
    expect(watched.stdout).toMatch(/stopped with rollback at its start: the AppSpec names no hooks/);
    expect(watched.stdout).toMatch(/by\s+the start check, before any traffic moved/);
  });

  it.each([
    [['--image', IMAGE], /usage error: --image writes taskdef.json next to the AppSpec; give --out <dir> as well/],
    [['--format', 'xml'], /--format is "xml"; accepted: yaml or json/],
    [['--image', 'not an image', '--out', '/tmp/x'], /--image is "not an image"; accepted/],
    // Checked before any AWS call and any write: no appspec.yaml is ever written without its taskdef.json.
    [['--out', ''], /^usage error: --out "": is empty; accepted: a directory \(created if missing\) to write appspec\.yaml into\n$/],
    [['--out', fileNotDir()], /^usage error: --out ".*notes\.txt": is a file, not a directory; accepted: a directory/],
    [
      ['--image', IMAGE, '--out', dirHolding('taskdef.json')],
      /^usage error: --out ".*": taskdef\.json in it is a directory; accepted: a directory \(created if missing\) to write appspec\.yaml and taskdef\.json into/,
    ],
  ])('exits 2 on %j', async (args, line) => {
    const { code, stderr } = await cli(['appspec', 'svc', ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(line);
  });
});
