import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { type CfnElement, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib/core';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** TLS policy of the HTTPS production listener. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface CanaryListenersProps {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The load balancer's security group; the listener ports are opened on it. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Target group both listeners forward to when they are created (CodeDeploy's "blue"). */
  readonly initialTargetGroup: elbv2.IApplicationTargetGroup;
  /** Production listener port. */
  readonly port: number;
  /**
   * ACM certificate for the production listener: HTTPS on `port` plus an HTTP 80 → 443 redirect.
   * @default - plain HTTP on `port`
   */
  readonly certificateArn?: string;
  /** Test listener port (HTTP), used by CodeDeploy's test traffic and the smoke checks. */
  readonly testPort: number;
  /** CIDRs allowed to reach the test listener. */
  readonly testAllowedCidrs: readonly string[];
}

/**
 * The production and test listeners, owned by CloudFormation for their lifetime but never for
 * their traffic split (aws-cdk issue 36649).
 *
 * A CloudFormation `Listener` re-applies its template `DefaultActions` on every update that
 * touches it; after CodeDeploy has swapped blue and green that would send production to the
 * target group without tasks. Here each listener is created by a create-only custom resource:
 * - create: `CreateListener` with a forward to the initial target group (nothing to reset yet);
 * - update: `ModifyListener` with port, protocol and certificates only — never `DefaultActions`,
 *   so the forward action stays whatever CodeDeploy (and the rollout engine) last wrote;
 * - delete: `DeleteListener`.
 * The HTTP → HTTPS redirect listener forwards to no target group and stays a plain
 * CloudFormation listener.
 */
export class CanaryListeners extends Construct {
  public readonly productionListenerArn: string;
  public readonly testListenerArn: string;
  /** The production listener, imported from the custom resource's ARN (for CodeDeploy). */
  public readonly productionListener: elbv2.IApplicationListener;
  /** The test listener, imported from the custom resource's ARN (for CodeDeploy). */
  public readonly testListener: elbv2.IApplicationListener;
  /** The custom resources; whatever needs a listener to exist depends on these. */
  public readonly listenerResources: readonly cr.AwsCustomResource[];
  private readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  constructor(scope: Construct, id: string, props: CanaryListenersProps) {
    super(scope, id);
    const { loadBalancer, securityGroup } = props;
    this.loadBalancer = loadBalancer;
    const https = props.certificateArn !== undefined;

    // Logs of the custom resource Lambda (one per stack, shared by both listeners), kept a month.
    const providerLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role instead of AWSLambdaBasicExecutionRole (logs on "*"): it may write to this log
    // group only; the listener statements of each resource are added to it.
    const providerRole = new iam.Role(this, 'ProviderRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    providerLogs.grantWrite(providerRole);
    const production = this.listenerResource(
      'ProductionListener',
      props,
      props.port,
      https ? props.certificateArn : undefined,
      providerLogs,
      providerRole,
    );
    const test = this.listenerResource('TestListener', props, props.testPort, undefined, providerLogs, providerRole);
    this.listenerResources = [production, test];
    this.acknowledgeFindings();
    this.productionListenerArn = production.getResponseField('Listeners.0.ListenerArn');
    this.testListenerArn = test.getResponseField('Listeners.0.ListenerArn');
    this.productionListener = elbv2.ApplicationListener.fromApplicationListenerAttributes(this, 'ImportedProductionListener', {
      listenerArn: this.productionListenerArn,
      securityGroup,
    });
    this.testListener = elbv2.ApplicationListener.fromApplicationListenerAttributes(this, 'ImportedTestListener', {
      listenerArn: this.testListenerArn,
      securityGroup,
    });

    securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(props.port), `production listener ${props.port}`);
    if (https) {
      const redirect = loadBalancer.addRedirect({
        sourcePort: 80,
        sourceProtocol: elbv2.ApplicationProtocol.HTTP,
        targetPort: props.port,
        targetProtocol: elbv2.ApplicationProtocol.HTTPS,
        open: false,
      });
      // When HTTP on 80 becomes HTTPS, the production listener must leave port 80 first.
      redirect.node.addDependency(production);
      securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP redirect to HTTPS');
    }
    for (const cidr of props.testAllowedCidrs) {
      securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(props.testPort), `test listener ${props.testPort}`);
    }
  }

  private acknowledgeFindings(): void {
    for (const resource of this.listenerResources) {
      const policy = resource.node.findChild('CustomResourcePolicy').node.defaultChild!;
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${this.listenerArnPatternAsNagShowsIt()}]`,
        reason: `${resource.node.id} can only name this load balancer's listeners (listener/app/<name>/<id>/*): ELB assigns the listener id when the custom resource creates it.`,
      });
    }
    const providerPolicy = this.node.tryFindChild('ProviderRole')?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (providerPolicy) {
      Validations.of(providerPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf('ProviderLogs')}.Arn>:*]`,
        reason: "Log streams of the listener custom resource Lambda's own log group.",
      });
    }
  }

  /** The listener ARN pattern as cdk-nag prints it: pseudo parameters and attributes in <>. */
  private listenerArnPatternAsNagShowsIt(): string {
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const loadBalancerId = stack.resolve((this.loadBalancer.node.defaultChild as CfnElement).logicalId) as string;
    return `arn:<AWS::Partition>:elasticloadbalancing:${region}:<AWS::AccountId>:listener/<${loadBalancerId}.LoadBalancerFullName>/*`;
  }

  private logicalIdOf(childId: string): string {
    return Stack.of(this).resolve((this.node.findChild(childId).node.defaultChild as CfnElement).logicalId) as string;
  }

  private listenerResource(
    id: string,
    props: CanaryListenersProps,
    port: number,
    certificateArn: string | undefined,
    logGroup: logs.ILogGroup,
    role: iam.IRole,
  ): cr.AwsCustomResource {
    const stack = Stack.of(this);
    const tls = certificateArn
      ? { Protocol: 'HTTPS', Certificates: [{ CertificateArn: certificateArn }], SslPolicy: TLS_POLICY }
      : { Protocol: 'HTTP' };
    const listenerArn = cr.PhysicalResourceId.fromResponse('Listeners.0.ListenerArn');
    // Listener ids are assigned by ELB on creation, so the update and delete statements can only
    // name this load balancer's listeners: listener/app/<name>/<id>/*.
    const listenersOfThisLoadBalancer = stack.formatArn({
      service: 'elasticloadbalancing',
      resource: 'listener',
      resourceName: `${props.loadBalancer.loadBalancerFullName}/*`,
    });
    return new cr.AwsCustomResource(this, id, {
      resourceType: 'Custom::EcsCanaryListener',
      installLatestAwsSdk: false,
      logGroup,
      role,
      onCreate: {
        service: 'ElasticLoadBalancingV2',
        action: 'createListener',
        parameters: {
          LoadBalancerArn: props.loadBalancer.loadBalancerArn,
          Port: port,
          ...tls,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: props.initialTargetGroup.targetGroupArn }],
        },
        physicalResourceId: listenerArn,
        outputPaths: ['Listeners.0.ListenerArn'],
      },
      // Never DefaultActions here: the forward action belongs to CodeDeploy after creation.
      onUpdate: {
        service: 'ElasticLoadBalancingV2',
        action: 'modifyListener',
        parameters: { ListenerArn: new cr.PhysicalResourceIdReference(), Port: port, ...tls },
        physicalResourceId: listenerArn,
        outputPaths: ['Listeners.0.ListenerArn'],
      },
      onDelete: {
        service: 'ElasticLoadBalancingV2',
        action: 'deleteListener',
        parameters: { ListenerArn: new cr.PhysicalResourceIdReference() },
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['elasticloadbalancing:CreateListener'], resources: [props.loadBalancer.loadBalancerArn] }),
        new iam.PolicyStatement({
          actions: ['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:DeleteListener'],
          resources: [listenersOfThisLoadBalancer],
        }),
      ]),
    });
  }
}
