import type * as ecs from 'aws-cdk-lib/aws-ecs';
/**
 * A private ECR image needs pull permissions on its repository; public registries need none.
 * Later revisions registered by `canary deploy` reuse this execution role, so they may use any
 * image of the same repository.
 */
export declare function grantImagePull(taskDefinition: ecs.TaskDefinition, image: string): void;
