/**
 * A new task definition revision from the current one with only the image of one container
 * changed. Pure: the SDK is used for its types only.
 */
import type { RegisterTaskDefinitionCommandInput, Tag, TaskDefinition } from '@aws-sdk/client-ecs';

import { EcsCanaryError } from '../../lambdas/core/ecs-canary-error';

/**
 * Fields `DescribeTaskDefinition` returns that `RegisterTaskDefinition` does not accept: they
 * describe a registered revision, not its content.
 */
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

/** A task definition that cannot take the new image; `field` names the problem. */
export class TaskDefinitionError extends EcsCanaryError {
  constructor(
    message: string,
    public readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TaskDefinitionError';
  }
}

/** An image reference: `[registry/]repository[:tag][@sha256:digest]`, no whitespace. */
const IMAGE = /^[a-z0-9][a-z0-9._\-/:@]*[a-zA-Z0-9]$/;
const IMAGE_MAX_LENGTH = 255;

/** Checks an image URI; returns a message naming the value and what is accepted, or undefined. */
export function imageProblem(image: string): string | undefined {
  if (image.length === 0 || image.length > IMAGE_MAX_LENGTH || !IMAGE.test(image.replace(/[A-Z]/g, 'a'))) {
    return `--image is ${JSON.stringify(image)}; accepted: an image reference such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2 or registry/repo@sha256:<digest>, at most ${IMAGE_MAX_LENGTH} characters without spaces`;
  }
  return undefined;
}

/**
 * The `RegisterTaskDefinition` input for `current` with `containerName`'s image set to `image`.
 * Everything else (roles, cpu/memory, network mode, compatibilities, volumes, other containers,
 * tags) is kept as it is.
 */
export function deriveTaskDefinition(
  current: TaskDefinition,
  containerName: string,
  image: string,
  tags?: readonly Tag[],
): RegisterTaskDefinitionCommandInput {
  const containers = current.containerDefinitions ?? [];
  const index = containers.findIndex((c) => c.name === containerName);
  if (index < 0) {
    throw new TaskDefinitionError(
      `task definition ${current.taskDefinitionArn ?? current.family} has no container named ${JSON.stringify(containerName)}; it has ${containers.map((c) => JSON.stringify(c.name)).join(', ') || 'none'}; accepted: one of those names with --container (the default is the service's container from its deployment metadata)`,
      'containerName',
    );
  }
  const problem = imageProblem(image);
  if (problem) throw new TaskDefinitionError(problem, 'image');
  if (!current.family) throw new TaskDefinitionError('the current task definition has no family', 'family');

  const content: Record<string, unknown> = { ...current };
  for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) delete content[field];
  const input = {
    ...content,
    family: current.family,
    containerDefinitions: containers.map((c, i) => (i === index ? { ...c, image } : c)),
  } as RegisterTaskDefinitionCommandInput;
  return tags && tags.length > 0 ? { ...input, tags: [...tags] } : input;
}

/** The image a container of a task definition runs, or undefined. */
export function imageOf(taskDefinition: TaskDefinition, containerName: string): string | undefined {
  return taskDefinition.containerDefinitions?.find((c) => c.name === containerName)?.image;
}

export interface FieldChange {
  /** Path such as `containerDefinitions[web].image`. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Every leaf that differs between the current revision's content and the one to register
 * (read-only fields and the carried-over tags ignored). Arrays of named objects are matched by `name`.
 */
export function diffTaskDefinitions(current: TaskDefinition, next: RegisterTaskDefinitionCommandInput): FieldChange[] {
  const before: Record<string, unknown> = { ...current };
  for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) delete before[field];
  const { tags: _carriedOver, ...after } = next;
  const changes: FieldChange[] = [];
  diffValue('', before, after, changes);
  return changes;
}

function diffValue(path: string, before: unknown, after: unknown, out: FieldChange[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    const named = [...before, ...after].every((v) => isRecord(v) && typeof v.name === 'string');
    if (named) {
      const names = [...new Set([...before, ...after].map((v) => (v as { name: string }).name))];
      for (const name of names) {
        diffValue(
          `${path}[${name}]`,
          before.find((v) => v.name === name),
          after.find((v) => v.name === name),
          out,
        );
      }
      return;
    }
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i += 1) diffValue(`${path}[${i}]`, before[i], after[i], out);
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) diffValue(path ? `${path}.${key}` : key, before[key], after[key], out);
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before, after });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `- path: before` / `+ path: after` lines for people. */
export function formatDiff(changes: readonly FieldChange[]): string[] {
  if (changes.length === 0) return ['(no change: the current revision already runs this image)'];
  return changes.flatMap((c) => [`- ${c.path}: ${JSON.stringify(c.before)}`, `+ ${c.path}: ${JSON.stringify(c.after)}`]);
}
