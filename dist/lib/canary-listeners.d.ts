import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
/** TLS policy of the HTTPS production listener. */
export declare const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
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
export declare class CanaryListeners extends Construct {
    readonly productionListenerArn: string;
    readonly testListenerArn: string;
    /** The production listener, imported from the custom resource's ARN (for CodeDeploy). */
    readonly productionListener: elbv2.IApplicationListener;
    /** The test listener, imported from the custom resource's ARN (for CodeDeploy). */
    readonly testListener: elbv2.IApplicationListener;
    /** The custom resources; whatever needs a listener to exist depends on these. */
    readonly listenerResources: readonly cr.AwsCustomResource[];
    private readonly loadBalancer;
    constructor(scope: Construct, id: string, props: CanaryListenersProps);
    private acknowledgeFindings;
    /** The listener ARN pattern as cdk-nag prints it: pseudo parameters and attributes in <>. */
    private listenerArnPatternAsNagShowsIt;
    private logicalIdOf;
    private listenerResource;
}
