/**
 * Fake Amazon ECS: task definitions (RegisterTaskDefinition / DescribeTaskDefinition), services
 * under the CODE_DEPLOY deployment controller (DescribeServices) and their task sets, whose
 * health drives the load balancer's target health.
 */
import {
  ClientException,
  DescribeServicesCommand,
  type DescribeServicesCommandInput,
  DescribeTaskDefinitionCommand,
  type DescribeTaskDefinitionCommandInput,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';

import type { FakeClock } from './clock';
import { ACCOUNT, awsError, nextId, REGION } from './errors';
import type { Handlers } from './mocks';

/** Health of a task set's tasks as its target group sees them. */
export type TaskHealth = 'healthy' | 'unhealthy' | 'initial';

export interface TaskSet {
  readonly id: string;
  readonly arn: string;
  readonly serviceName: string;
  readonly taskDefinitionArn: string;
  readonly targetGroupArn: string;
  desiredCount: number;
  health: TaskHealth;
  /** While `health` is 'healthy', this many of its tasks (the first ones) fail health checks anyway. */
  unhealthyTasks: number;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  /** Private IPs of its tasks (the targets registered with the target group). */
  readonly taskIps: string[];
  readonly createdAt: number;
  deletedAt?: number;
}

export interface EcsService {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly serviceArn: string;
  readonly clusterArn: string;
  readonly containerName: string;
  readonly containerPort: number;
  desiredCount: number;
  readonly taskSets: TaskSet[];
}

export class FakeEcs {
  /** Every task definition revision, by ARN. */
  readonly taskDefinitions = new Map<string, TaskDefinition>();
  readonly services = new Map<string, EcsService>();
  /** Health given to task sets created by later deployments (CodeDeploy's Install). */
  defaultNewTaskSetHealth: TaskHealth = 'healthy';
  private readonly revisions = new Map<string, number>();
  private taskSetCount = 0;

  /** Tags given at registration, by task definition ARN (DescribeTaskDefinition include TAGS). */
  private readonly taskDefinitionTags = new Map<string, Tag[]>();

  constructor(private readonly clock: FakeClock) {}

  /**
   * RegisterTaskDefinition — Amazon ECS API Reference: "If you register a task definition with a
   * family that already exists, the revision is incremented" (first revision is 1); the ARN is
   * `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`.
   */
  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): { taskDefinition: TaskDefinition } {
    if (!input.family) throw awsError(ClientException, 'family is required: a name of up to 255 letters, numbers, hyphens and underscores');
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(input.family)) {
      throw awsError(ClientException, `family "${input.family}" is invalid: up to 255 letters, numbers, hyphens and underscores`);
    }
    if (!input.containerDefinitions || input.containerDefinitions.length === 0) {
      throw awsError(ClientException, 'Container list cannot be empty.');
    }
    const revision = (this.revisions.get(input.family) ?? 0) + 1;
    this.revisions.set(input.family, revision);
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${input.family}:${revision}`;
    const { tags, ...definition } = structuredClone(input);
    const taskDefinition: TaskDefinition = {
      ...(definition as TaskDefinition),
      taskDefinitionArn: arn,
      revision,
      status: 'ACTIVE',
      registeredAt: this.clock.date(),
    };
    this.taskDefinitions.set(arn, taskDefinition);
    if (tags?.length) this.taskDefinitionTags.set(arn, tags);
    return { taskDefinition: structuredClone(taskDefinition) };
  }

  /**
   * DescribeTaskDefinition — Amazon ECS API Reference: `taskDefinition` is "The family for the
   * latest ACTIVE revision, family and revision (family:revision) for a specific revision in the
   * family, or full ARN"; an unknown one fails with ClientException.
   */
  describeTaskDefinition(input: DescribeTaskDefinitionCommandInput): { taskDefinition: TaskDefinition; tags: Tag[] } {
    const found = this.findTaskDefinition(input.taskDefinition ?? '');
    if (!found) throw awsError(ClientException, 'Unable to describe task definition.');
    // include: ["TAGS"] — "the specified task definition's tags are included in the response"; otherwise none.
    const tags = input.include?.includes('TAGS') ? structuredClone(this.taskDefinitionTags.get(found.taskDefinitionArn!) ?? []) : [];
    return { taskDefinition: structuredClone(found), tags };
  }

  findTaskDefinition(reference: string): TaskDefinition | undefined {
    if (this.taskDefinitions.has(reference)) return this.taskDefinitions.get(reference);
    const [family, revision] = reference.split(':');
    const wanted = revision ?? String(this.revisions.get(family) ?? 0);
    return this.taskDefinitions.get(`arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${wanted}`);
  }

  /**
   * DescribeServices — Amazon ECS API Reference: unknown services are reported in `failures` with
   * reason MISSING (not an error); an unknown cluster fails with ClusterNotFoundException. For the
   * CODE_DEPLOY controller the service's `taskSets` list the PRIMARY and ACTIVE task sets.
   */
  describeServices(input: DescribeServicesCommandInput) {
    const cluster = input.cluster ?? 'default';
    const services = [];
    const failures = [];
    for (const name of input.services ?? []) {
      const service = [...this.services.values()].find(
        (s) => (s.serviceName === name || s.serviceArn === name) && (s.clusterName === cluster || s.clusterArn === cluster),
      );
      if (!service) {
        failures.push({ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${name}`, reason: 'MISSING' });
        continue;
      }
      const live = service.taskSets.filter((t) => t.deletedAt === undefined);
      const primary = live.find((t) => t.status === 'PRIMARY');
      services.push({
        serviceName: service.serviceName,
        serviceArn: service.serviceArn,
        clusterArn: service.clusterArn,
        status: 'ACTIVE',
        desiredCount: service.desiredCount,
        runningCount: live.reduce((sum, t) => sum + this.healthyTasks(t), 0),
        taskDefinition: primary?.taskDefinitionArn,
        deploymentController: { type: 'CODE_DEPLOY' as const },
        loadBalancers: live.map((t) => ({
          targetGroupArn: t.targetGroupArn,
          containerName: service.containerName,
          containerPort: service.containerPort,
        })),
        taskSets: live.map((t) => ({
          id: t.id,
          taskSetArn: t.arn,
          status: t.status,
          taskDefinition: t.taskDefinitionArn,
          computedDesiredCount: t.desiredCount,
          runningCount: this.healthyTasks(t),
          loadBalancers: [{ targetGroupArn: t.targetGroupArn, containerName: service.containerName, containerPort: service.containerPort }],
          createdAt: new Date(t.createdAt),
        })),
      });
    }
    return { services, failures };
  }

  /** Test setup: a service with its first (PRIMARY) task set serving from `targetGroupArn`. */
  addService(props: {
    clusterName: string;
    serviceName: string;
    containerName: string;
    containerPort: number;
    taskDefinitionArn: string;
    targetGroupArn: string;
    desiredCount: number;
  }): EcsService {
    const service: EcsService = {
      clusterName: props.clusterName,
      serviceName: props.serviceName,
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${props.clusterName}`,
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${props.clusterName}/${props.serviceName}`,
      containerName: props.containerName,
      containerPort: props.containerPort,
      desiredCount: props.desiredCount,
      taskSets: [],
    };
    this.services.set(props.serviceName, service);
    const first = this.createTaskSet(service, props.taskDefinitionArn, props.targetGroupArn, 'healthy');
    first.status = 'PRIMARY';
    return service;
  }

  /** CreateTaskSet as CodeDeploy's Install performs it (an ACTIVE task set, not yet PRIMARY). */
  createTaskSet(service: EcsService, taskDefinitionArn: string, targetGroupArn: string, health = this.defaultNewTaskSetHealth): TaskSet {
    this.taskSetCount += 1;
    const index = this.taskSetCount;
    const id = `ecs-svc/${nextId(16)}`;
    const taskSet: TaskSet = {
      id,
      arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-set/${service.clusterName}/${service.serviceName}/${id.slice(8)}`,
      serviceName: service.serviceName,
      taskDefinitionArn,
      targetGroupArn,
      desiredCount: service.desiredCount,
      health,
      unhealthyTasks: 0,
      status: 'ACTIVE',
      taskIps: Array.from({ length: service.desiredCount }, (_, i) => `10.0.${index % 250}.${i + 10}`),
      createdAt: this.clock.now(),
    };
    service.taskSets.push(taskSet);
    return taskSet;
  }

  deleteTaskSet(taskSet: TaskSet): void {
    taskSet.deletedAt = this.clock.now();
    taskSet.status = 'DRAINING';
  }

  liveTaskSets(targetGroupArn?: string): TaskSet[] {
    return [...this.services.values()]
      .flatMap((s) => s.taskSets)
      .filter((t) => t.deletedAt === undefined && (targetGroupArn === undefined || t.targetGroupArn === targetGroupArn));
  }

  /** Test control: set the health of a task set's tasks (e.g. a crash loop → 'unhealthy'). */
  setTaskSetHealth(taskSet: TaskSet, health: TaskHealth, unhealthyTasks = 0): void {
    if (!Number.isInteger(unhealthyTasks) || unhealthyTasks < 0 || unhealthyTasks > taskSet.desiredCount) {
      throw new Error(`setTaskSetHealth: unhealthyTasks ${unhealthyTasks} must be an integer from 0 to ${taskSet.desiredCount}`);
    }
    taskSet.health = health;
    taskSet.unhealthyTasks = unhealthyTasks;
  }

  /** The health a target (task) of the task set reports. */
  taskHealth(taskSet: TaskSet, index: number): TaskHealth {
    return taskSet.health === 'healthy' && index < taskSet.unhealthyTasks ? 'unhealthy' : taskSet.health;
  }

  /** Tasks of the task set that pass health checks. */
  healthyTasks(taskSet: TaskSet): number {
    return taskSet.health === 'healthy' ? taskSet.desiredCount - taskSet.unhealthyTasks : 0;
  }

  handlers(): Handlers {
    return {
      client: ECSClient,
      commands: [
        [RegisterTaskDefinitionCommand, (input) => this.registerTaskDefinition(input as RegisterTaskDefinitionCommandInput)],
        [DescribeTaskDefinitionCommand, (input) => this.describeTaskDefinition(input as DescribeTaskDefinitionCommandInput)],
        [DescribeServicesCommand, (input) => this.describeServices(input as DescribeServicesCommandInput)],
      ],
    };
  }
}
