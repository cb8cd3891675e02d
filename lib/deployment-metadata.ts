/**
 * Renders the JSON of `/ecs-canary/<name>/deployment` (`DeploymentMetadata`) from the parts of a
 * `CanaryService`. A free function, so it is tested by value without a stack.
 */
import type { DeploymentMetadata, TargetGroupRef } from '../lambdas/core/metadata';
import type { CompiledPlan, HookName } from '../lambdas/core/rollout-plan';
import type { ServiceConfig } from './config';
import { METADATA_TOKEN_ALLOWANCE, SSM_ADVANCED_VALUE_BYTES } from './config/aws-limits';
import { capacityProviderStrategies } from './private/canary-service-runtime';

/** What the rollout engine publishes into the deployment metadata when it is attached. */
export interface EngineAttachment {
  /** Hook name → name of the Lambda function CodeDeploy invokes for it. */
  readonly hooks: Readonly<Record<HookName, string>>;
  /** The audit table (decisions and the operator control record). */
  readonly auditTableName: string;
  /** The rollout state machine. */
  readonly stateMachineArn: string;
  /** The KMS key audit records are signed with. @default - none (records unsigned) */
  readonly auditKeyArn?: string;
  /** The Object Lock bucket of the audit chain's anchors. @default - none */
  readonly auditAnchorBucket?: string;
  /** The SSM parameter of operator commands. @default - none */
  readonly controlParameterName?: string;
  /** The tick's log group, whose `decision` lines the service's dashboard lists. @default - no decisions widget */
  readonly decisionLogGroupName?: string;
}

/** The engine's audit trust root (signing key and anchor bucket) when it has both, else undefined. */
export function auditTrustRoot(attachment: EngineAttachment): { readonly keyArn: string; readonly bucket: string } | undefined {
  const { auditKeyArn: keyArn, auditAnchorBucket: bucket } = attachment;
  return keyArn && bucket ? { keyArn, bucket } : undefined;
}

export interface DeploymentMetadataParts {
  readonly config: ServiceConfig;
  readonly plan: CompiledPlan;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly taskDefinitionFamily: string;
  readonly containerName: string;
  readonly productionListenerArn: string;
  readonly testListenerArn: string;
  readonly loadBalancer: { readonly loadBalancerDnsName: string; readonly loadBalancerFullName: string };
  readonly targetGroups: readonly [TargetGroupParts, TargetGroupParts];
  readonly topicArn: string;
  /** The ECS service's cluster and name, for the metrics' version dimension. @default - not published */
  readonly ecsService?: { readonly cluster: string; readonly service: string };
  readonly freezeParameterName: string;
  /** @default - no engine: `hooks`, `auditTableName` and `stateMachineArn` are left out */
  readonly engine?: EngineAttachment;
}

interface TargetGroupParts {
  readonly targetGroupArn: string;
  readonly targetGroupName: string;
  readonly targetGroupFullName: string;
}

export function renderDeploymentMetadata(parts: DeploymentMetadataParts): DeploymentMetadata {
  const { config } = parts;
  const ref = (tg: TargetGroupParts): TargetGroupRef => ({
    arn: tg.targetGroupArn,
    fullName: tg.targetGroupFullName,
    name: tg.targetGroupName,
  });
  return {
    version: 1,
    service: config.name,
    applicationName: parts.applicationName,
    deploymentGroupName: parts.deploymentGroupName,
    taskDefinitionFamily: parts.taskDefinitionFamily,
    containerName: parts.containerName,
    containerPort: config.containerPort,
    ...(config.capacity
      ? {
          capacityProviderStrategy: capacityProviderStrategies(config.capacity)!.map(({ capacityProvider, weight, base }) => ({
            capacityProvider,
            weight: weight ?? 0,
            ...(base !== undefined ? { base } : {}),
          })),
        }
      : {}),
    productionListenerArn: parts.productionListenerArn,
    testListenerArn: parts.testListenerArn,
    testListenerPort: config.listener.testPort,
    productionListenerPort: config.listener.port,
    productionListenerProtocol: config.listener.certificateArn ? 'HTTPS' : 'HTTP',
    loadBalancerDnsName: parts.loadBalancer.loadBalancerDnsName,
    loadBalancerFullName: parts.loadBalancer.loadBalancerFullName,
    targetGroups: [ref(parts.targetGroups[0]), ref(parts.targetGroups[1])],
    topicArn: parts.topicArn,
    plan: parts.plan,
    thresholds: config.thresholds,
    smokeChecks: config.smokeChecks,
    ...(config.canaryHeader ? { canaryHeader: config.canaryHeader } : {}),
    ...(config.canaryCookie ? { canaryCookie: config.canaryCookie } : {}),
    ...(parts.engine
      ? {
          hooks: parts.engine.hooks,
          auditTableName: parts.engine.auditTableName,
          stateMachineArn: parts.engine.stateMachineArn,
          ...(parts.engine.auditKeyArn ? { auditKeyArn: parts.engine.auditKeyArn } : {}),
          ...(parts.engine.auditAnchorBucket ? { auditAnchorBucket: parts.engine.auditAnchorBucket } : {}),
          ...(parts.engine.controlParameterName ? { controlParameterName: parts.engine.controlParameterName } : {}),
        }
      : {}),
    freezeParameterName: parts.freezeParameterName,
    ...(config.metrics?.length ? { metrics: config.metrics } : {}),
    ...(config.metrics?.length && parts.ecsService ? { ecsService: parts.ecsService } : {}),
  };
}

/** A CDK token inside a synthesized string: it becomes an ARN or a name at deploy time. */
const TOKEN_PATTERN = /\$\{Token\[[^\]]+\]\}/g;

/**
 * The most bytes the metadata JSON can take once CloudFormation resolves it: its literal text
 * plus `allowance` for each token (see METADATA_TOKEN_ALLOWANCE).
 */
export function metadataBytesBound(json: string, allowance: number): number {
  const tokens = json.match(TOKEN_PATTERN)?.length ?? 0;
  return Buffer.byteLength(json.replace(TOKEN_PATTERN, ''), 'utf8') + tokens * allowance;
}

/** The deployment metadata must fit an advanced SSM parameter once resolved, else `cdk deploy` would fail. */
export function metadataSizeProblems(source: string | undefined, service: string, json: string): string[] {
  const bound = metadataBytesBound(json, METADATA_TOKEN_ALLOWANCE);
  if (bound <= SSM_ADVANCED_VALUE_BYTES) return [];
  return [
    `${source ? `${source}: ` : ''}the deployment metadata (/ecs-canary/${service}/deployment) could reach ${bound.toLocaleString('en-US')} bytes, ` +
      `above Parameter Store's ${SSM_ADVANCED_VALUE_BYTES.toLocaleString('en-US')}-byte limit; it grows with smokeChecks, rollout.steps and metrics: use fewer or shorter smoke checks, fewer steps, or fewer metrics with shorter namespaces and dimensions`,
  ];
}
