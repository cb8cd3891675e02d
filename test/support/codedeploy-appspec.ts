/**
 * Parses an ECS AppSpec (JSON or YAML string content) as CodeDeploy reads it.
 * CodeDeploy User Guide, "AppSpec file structure for Amazon ECS deployments": `version: 0.0`;
 * `Resources` holds one `TargetService` of `Type: AWS::ECS::Service` with `Properties.TaskDefinition`
 * and `Properties.LoadBalancerInfo.{ContainerName, ContainerPort}`; `Hooks` is a list of
 * one-key maps `{ <LifecycleEvent>: <Lambda function name or ARN> }` where the event is one of
 * BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic.
 */
import { parse } from 'yaml';

export const ECS_HOOK_EVENTS = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;
export type EcsHookEvent = (typeof ECS_HOOK_EVENTS)[number];

/** The ECS lifecycle in CodeDeploy's order (hooks and CodeDeploy's own steps). */
export const ECS_LIFECYCLE = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;
export type EcsLifecycleEvent = (typeof ECS_LIFECYCLE)[number];

export interface ParsedAppSpec {
  readonly taskDefinition: string;
  readonly containerName: string;
  readonly containerPort: number;
  /** Hook event → Lambda function name (an ARN is reduced to its function name). */
  readonly hooks: Partial<Record<EcsHookEvent, string>>;
}

/** Why an AppSpec was rejected; the fake maps it to InvalidRevisionException. */
export class AppSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppSpecError';
  }
}

export function parseAppSpec(content: string): ParsedAppSpec {
  let document: unknown;
  try {
    document = parse(content);
  } catch (error) {
    throw new AppSpecError(`AppSpec content is neither JSON nor YAML: ${(error as Error).message}`);
  }
  const root = asRecord(document, 'AppSpec');
  const resources = root.Resources;
  if (!Array.isArray(resources) || resources.length !== 1) {
    throw new AppSpecError('AppSpec Resources must be a list with exactly one TargetService entry');
  }
  const entry = asRecord(resources[0], 'Resources[0]');
  const [serviceKey] = Object.keys(entry);
  const service = asRecord(entry[serviceKey], `Resources[0].${serviceKey}`);
  if (service.Type !== 'AWS::ECS::Service') {
    throw new AppSpecError(`Resources[0].${serviceKey}.Type is '${String(service.Type)}': AWS::ECS::Service is required`);
  }
  const properties = asRecord(service.Properties, `Resources[0].${serviceKey}.Properties`);
  const taskDefinition = properties.TaskDefinition;
  if (typeof taskDefinition !== 'string' || taskDefinition === '') {
    throw new AppSpecError('Properties.TaskDefinition is required: the task definition ARN');
  }
  const loadBalancerInfo = asRecord(properties.LoadBalancerInfo, 'Properties.LoadBalancerInfo');
  const containerName = loadBalancerInfo.ContainerName;
  const containerPort = Number(loadBalancerInfo.ContainerPort);
  if (typeof containerName !== 'string' || containerName === '') {
    throw new AppSpecError('Properties.LoadBalancerInfo.ContainerName is required');
  }
  if (!Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) {
    throw new AppSpecError(`Properties.LoadBalancerInfo.ContainerPort '${String(loadBalancerInfo.ContainerPort)}' must be a port 1-65535`);
  }
  return { taskDefinition, containerName, containerPort, hooks: parseHooks(root.Hooks) };
}

function parseHooks(hooks: unknown): Partial<Record<EcsHookEvent, string>> {
  if (hooks === undefined || hooks === null) return {};
  if (!Array.isArray(hooks)) throw new AppSpecError('AppSpec Hooks must be a list of { <LifecycleEvent>: <function> } maps');
  const result: Partial<Record<EcsHookEvent, string>> = {};
  hooks.forEach((hook, i) => {
    for (const [event, target] of Object.entries(asRecord(hook, `Hooks[${i}]`))) {
      if (!(ECS_HOOK_EVENTS as readonly string[]).includes(event)) {
        throw new AppSpecError(`Hooks[${i}]: '${event}' is not an ECS lifecycle hook (${ECS_HOOK_EVENTS.join(', ')})`);
      }
      if (typeof target !== 'string' || target === '') throw new AppSpecError(`Hooks[${i}].${event} must name a Lambda function`);
      if (result[event as EcsHookEvent]) throw new AppSpecError(`Hooks: '${event}' is listed twice`);
      result[event as EcsHookEvent] = functionName(target);
    }
  });
  return result;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → `<name>`; names pass through. */
export function functionName(nameOrArn: string): string {
  const match = /^arn:aws[a-z-]*:lambda:[^:]+:\d+:function:([^:]+)/.exec(nameOrArn);
  return match ? match[1] : nameOrArn;
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppSpecError(`${what} must be a map`);
  }
  return value as Record<string, unknown>;
}
