/**
 * `canary deploy` on a task with sidecars, secrets and runtime settings, against the stateful fake
 * of AWS: the new revision keeps every container, secret and setting of the running one and
 * changes only the image of the named container (`--container`, the load-balanced one by default);
 * the dry run shows exactly that.
 */
import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';

import { FakeAws, type FakeService } from '../support';
import { runCliOn } from '../support/cli';

const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/web:2.0.0';
const ROUTER_IMAGE = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0';

let world: FakeAws;
let web: FakeService;

/** The running revision as a service with every runtime field registers it. */
const RUNNING: RegisterTaskDefinitionCommandInput = {
  family: 'web',
  taskRoleArn: 'arn:aws:iam::111111111111:role/web-task',
  executionRoleArn: 'arn:aws:iam::111111111111:role/web-exec',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '1024',
  memory: '2048',
  runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
  containerDefinitions: [
    {
      name: 'app',
      image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0',
      essential: true,
      portMappings: [{ containerPort: 8080 }],
      environment: [{ name: 'MODE', value: 'production' }],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:web-db-AbCdEf:password::' },
        { name: 'API_KEY', valueFrom: 'arn:aws:ssm:us-east-1:111111111111:parameter/web/api-key' },
      ],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': 'web', 'awslogs-stream-prefix': 'web', 'awslogs-region': 'us-east-1' },
      },
    },
    {
      name: 'log-router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
      essential: true,
      memory: 64,
      secrets: [{ name: 'SPLUNK_TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:111111111111:parameter/web/splunk-token' }],
    },
  ],
};

const run = (argv: string[]) => runCliOn(world, argv, { region: 'us-east-1' });
const revisions = () => world.ecs.describeTaskDefinition({ taskDefinition: 'web' }).taskDefinition!.revision;
const container = (taskDefinition: TaskDefinition, name: string) => taskDefinition.containerDefinitions!.find((c) => c.name === name)!;

/** The revision `canary deploy` registered, through the deployment it created. */
function deployedRevision(): TaskDefinition {
  const [deployment] = [...world.codedeploy.deployments.values()];
  return world.ecs.describeTaskDefinition({ taskDefinition: deployment.appSpec.taskDefinition }).taskDefinition!;
}

/** Everything of a revision but its identity and the one image that should change. */
function withoutImage(taskDefinition: TaskDefinition, name: string): unknown {
  const {
    taskDefinitionArn: _arn,
    revision: _revision,
    registeredAt: _at,
    ...rest
  } = taskDefinition as TaskDefinition & { registeredAt?: unknown };
  return { ...rest, containerDefinitions: rest.containerDefinitions!.map((c) => (c.name === name ? { ...c, image: '(changed)' } : c)) };
}

beforeEach(() => {
  world = new FakeAws().install();
  web = world.addService({ name: 'web', terminationWaitMinutes: 0 });
  world.ecs.registerTaskDefinition(RUNNING);
});
afterEach(() => world.restore());

describe('canary deploy with sidecars and secrets', () => {
  it("keeps every container, secret and setting and replaces only the load-balanced container's image", async () => {
    const running = world.ecs.describeTaskDefinition({ taskDefinition: 'web' }).taskDefinition!;
    expect(web.metadata.containerName).toBe('app');
    expect((await run(['deploy', 'web', '--image', IMAGE, '--no-wait'])).code).toBe(0);
    const next = deployedRevision();
    expect(next.revision).toBe(running.revision! + 1);
    expect(container(next, 'app').image).toBe(IMAGE);
    expect(withoutImage(next, 'app')).toEqual(withoutImage(running, 'app'));
  });

  it("replaces only the sidecar's image with --container", async () => {
    const running = world.ecs.describeTaskDefinition({ taskDefinition: 'web' }).taskDefinition!;
    expect((await run(['deploy', 'web', '--image', ROUTER_IMAGE, '--container', 'log-router', '--no-wait'])).code).toBe(0);
    const next = deployedRevision();
    expect(container(next, 'log-router').image).toBe(ROUTER_IMAGE);
    expect(container(next, 'app').image).toBe(container(running, 'app').image);
    expect(withoutImage(next, 'log-router')).toEqual(withoutImage(running, 'log-router'));
    // The load balancer still routes to the service's container.
    const [deployment] = [...world.codedeploy.deployments.values()];
    expect(deployment.appSpec).toMatchObject({ containerName: 'app', containerPort: 8080 });
  });

  it('shows in the dry run the one changed image and the containers it keeps, and registers nothing', async () => {
    const before = revisions();
    const text = await run(['deploy', 'web', '--image', IMAGE, '--dry-run']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `- containerDefinitions[app].image: "111111111111.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0"\n  + containerDefinitions[app].image: "${IMAGE}"`,
    );
    expect(text.stdout).toContain(
      `kept as in revision ${before}: every other field and container log-router (secrets, roles, sizes, logging included)`,
    );
    const json = await run(['deploy', 'web', '--image', ROUTER_IMAGE, '--container', 'log-router', '--dry-run', '--json']);
    const dryRun = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'dry-run');
    expect(dryRun).toMatchObject({
      container: 'log-router',
      keptContainers: ['app'],
      changes: [{ path: 'containerDefinitions[log-router].image', after: ROUTER_IMAGE }],
    });
    expect(revisions()).toBe(before);
    expect(world.codedeploy.deployments.size).toBe(0);
  });

  it('fails naming the containers when --container names none of them, and registers nothing', async () => {
    const before = revisions();
    const result = await run(['deploy', 'web', '--image', IMAGE, '--container', 'proxy', '--no-wait']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /has no container named "proxy"; it has "app", "log-router"; accepted: one of those names with --container/,
    );
    expect(revisions()).toBe(before);
  });
});
