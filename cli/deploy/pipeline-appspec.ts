/**
 * The files a pipeline gives CodeDeploy for a gated deployment: the AppSpec with the service's
 * three hooks and the `<TASK_DEFINITION>` placeholder CodePipeline's ECS blue/green action
 * replaces with the task definition it registers, and (optionally) `taskdef.json`, the current
 * revision with one image changed. Pure: the rendering only.
 */
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { stringify } from 'yaml';

import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { appSpecFor } from './deployment';

/** What CodePipeline's CodeDeployToECS action substitutes with the registered task definition's ARN. */
export const TASK_DEFINITION_PLACEHOLDER = '<TASK_DEFINITION>';

export type AppSpecFormat = 'yaml' | 'json';

/** A stand-in revision ARN the renderer accepts; replaced by the placeholder right after. */
const STAND_IN_ARN = 'arn:aws:ecs:us-east-1:000000000000:task-definition/placeholder:1';

/** The service's AppSpec with the placeholder for the task definition, as an object. */
export function pipelineAppSpec(metadata: DeploymentMetadata): ReturnType<typeof appSpecFor> {
  const appSpec = appSpecFor(metadata, STAND_IN_ARN);
  const [{ TargetService }] = appSpec.Resources;
  return {
    ...appSpec,
    Resources: [
      { TargetService: { ...TargetService, Properties: { ...TargetService.Properties, TaskDefinition: TASK_DEFINITION_PLACEHOLDER } } },
    ],
  };
}

/** The AppSpec file's text: YAML (CodePipeline's default `appspec.yaml`) or JSON. */
export function renderPipelineAppSpec(metadata: DeploymentMetadata, format: AppSpecFormat): string {
  const appSpec = pipelineAppSpec(metadata);
  return format === 'json' ? `${JSON.stringify(appSpec, null, 2)}\n` : stringify(appSpec);
}

/** `taskdef.json`: the RegisterTaskDefinition input a pipeline registers (the image already in place). */
export function renderTaskDefinition(input: RegisterTaskDefinitionCommandInput): string {
  return `${JSON.stringify(input, null, 2)}\n`;
}

/** The file name of the AppSpec in `format`. */
export const appSpecFileName = (format: AppSpecFormat): string => (format === 'json' ? 'appspec.json' : 'appspec.yaml');
