/**
 * What a service stack publishes about itself for the CLI and the rollout engine: the JSON value
 * of the SSM parameter `/ecs-canary/<service>/deployment`. The stack writes it, `canary deploy`
 * and the engine read it. Pure types and a parser; no AWS imports.
 */
import type { CustomMetricSpec } from './custom-metrics';
import type { CompiledPlan } from './rollout-plan';

export interface TargetGroupRef {
  /** Target group ARN. */
  readonly arn: string;
  /** `targetgroup/<name>/<id>`: the CloudWatch `TargetGroup` dimension. */
  readonly fullName: string;
  /** Target group name, as CodeDeploy's `GetDeploymentTarget` reports it. */
  readonly name: string;
}

/** The thresholds the judge applies, from the service's YAML `thresholds` block. */
export interface ThresholdsMetadata {
  readonly maxErrorRatePercent: number;
  readonly maxP95Ms: number;
  readonly minRequests: number;
  readonly maxErrorIncreasePp: number;
  readonly maxLatencyRatio: number;
}

/** One capacity provider of a strategy (ECS CapacityProviderStrategyItem). */
export interface CapacityProviderStrategyItem {
  readonly capacityProvider: string;
  readonly weight: number;
  readonly base?: number;
}

export interface SmokeCheckMetadata {
  readonly path: string;
  readonly expectStatus: number;
}

export interface DeploymentMetadata {
  /** Schema version of this document. */
  readonly version: 1;
  readonly service: string;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly taskDefinitionFamily: string;
  readonly containerName: string;
  readonly containerPort: number;
  /**
   * FARGATE / FARGATE_SPOT strategy of the service, written into every AppSpec so the replacement
   * task set is placed like the original; absent for the FARGATE launch type.
   */
  readonly capacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  readonly productionListenerArn: string;
  readonly testListenerArn: string;
  /** Port of the test listener, for smoke checks through it. */
  readonly testListenerPort: number;
  /** Port and protocol of the production listener, for the URLs `canary status` shows; absent in older metadata. */
  readonly productionListenerPort?: number;
  readonly productionListenerProtocol?: 'HTTP' | 'HTTPS';
  /** DNS name of the load balancer. */
  readonly loadBalancerDnsName: string;
  /** `app/<name>/<id>`: the CloudWatch `LoadBalancer` dimension. */
  readonly loadBalancerFullName: string;
  /** The two target groups; which one is the replacement is discovered per deployment. */
  readonly targetGroups: readonly [TargetGroupRef, TargetGroupRef];
  readonly topicArn: string;
  readonly plan: CompiledPlan;
  readonly thresholds: ThresholdsMetadata;
  readonly smokeChecks: readonly SmokeCheckMetadata[];
  readonly canaryHeader?: { readonly name: string; readonly value: string };
  /** Requests whose `Cookie` header holds `name=value` go to the replacement during the rollout. */
  readonly canaryCookie?: { readonly name: string; readonly value: string };
  /** Set by the rollout engine: the hook functions' names, for the AppSpec. */
  readonly hooks?: { readonly [hook: string]: string };
  /** Set by the rollout engine: the audit table (the signed hash chain of decisions and events). */
  readonly auditTableName?: string;
  /** Set by the rollout engine: the KMS key (ECC_NIST_P256) the engine signs audit records with; verifiers read its public key. */
  readonly auditKeyArn?: string;
  /** Set by the rollout engine: the S3 Object Lock bucket of the chain's anchors. */
  readonly auditAnchorBucket?: string;
  /** Set by the rollout engine: the SSM parameter operators write their commands to (promote, pause, resume, abort). */
  readonly controlParameterName?: string;
  /** Set by the rollout engine: the rollout state machine. */
  readonly stateMachineArn?: string;
  /** SSM parameter of the freeze switch. */
  readonly freezeParameterName: string;
  /** The service's own metrics the judge checks (`metrics:`); absent when none. */
  readonly metrics?: readonly CustomMetricSpec[];
  /** The ECS service, whose task sets name each version's task definition (the metrics' version dimension). */
  readonly ecsService?: { readonly cluster: string; readonly service: string };
}

/**
 * Whether the rollout routes testers to the replacement by a listener rule (header, cookie or
 * both): the engine then creates the rules at the first shift and removes them on every path.
 */
export function hasCanaryRouting(metadata: Pick<DeploymentMetadata, 'canaryHeader' | 'canaryCookie'>): boolean {
  return metadata.canaryHeader !== undefined || metadata.canaryCookie !== undefined;
}

/** The SSM parameter names a service uses. */
export const parameterNames = (service: string) => ({
  deployment: `/ecs-canary/${service}/deployment`,
  freeze: `/ecs-canary/${service}/freeze`,
  control: `/ecs-canary/${service}/control`,
});

/**
 * The URLs testers and on-call reach the service at: production through the production listener,
 * and the test listener (HTTP, reachable from the test CIDRs and the VPC's NAT addresses).
 * `production` is undefined for metadata written before the production listener's port was.
 */
export function serviceUrls(
  metadata: Pick<DeploymentMetadata, 'loadBalancerDnsName' | 'testListenerPort' | 'productionListenerPort' | 'productionListenerProtocol'>,
): { production?: string; test: string } {
  const url = (protocol: 'HTTP' | 'HTTPS', port: number) => {
    const scheme = protocol.toLowerCase();
    const defaultPort = protocol === 'HTTPS' ? 443 : 80;
    return `${scheme}://${metadata.loadBalancerDnsName}${port === defaultPort ? '' : `:${port}`}/`;
  };
  const { productionListenerPort: port, productionListenerProtocol: protocol } = metadata;
  return {
    ...(port !== undefined && protocol !== undefined ? { production: url(protocol, port) } : {}),
    test: url('HTTP', metadata.testListenerPort),
  };
}
