/**
 * A new task definition revision from the current one with only the image of one container
 * changed. Pure: the SDK is used for its types only.
 */
import type { RegisterTaskDefinitionCommandInput, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
/**
 * Fields `DescribeTaskDefinition` returns that `RegisterTaskDefinition` does not accept: they
 * describe a registered revision, not its content.
 */
export declare const READ_ONLY_TASK_DEFINITION_FIELDS: readonly ["taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt"];
/** A task definition that cannot take the new image; `field` names the problem. */
export declare class TaskDefinitionError extends Error {
    readonly field: string;
    constructor(message: string, field: string, options?: {
        cause?: unknown;
    });
}
/** Checks an image URI; returns a message naming the value and what is accepted, or undefined. */
export declare function imageProblem(image: string): string | undefined;
/**
 * The `RegisterTaskDefinition` input for `current` with `containerName`'s image set to `image`.
 * Everything else (roles, cpu/memory, network mode, compatibilities, volumes, other containers,
 * tags) is kept as it is.
 */
export declare function deriveTaskDefinition(current: TaskDefinition, containerName: string, image: string, tags?: readonly Tag[]): RegisterTaskDefinitionCommandInput;
/** The image a container of a task definition runs, or undefined. */
export declare function imageOf(taskDefinition: TaskDefinition, containerName: string): string | undefined;
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
export declare function diffTaskDefinitions(current: TaskDefinition, next: RegisterTaskDefinitionCommandInput): FieldChange[];
/** `- path: before` / `+ path: after` lines for people. */
export declare function formatDiff(changes: readonly FieldChange[]): string[];
