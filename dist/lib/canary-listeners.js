"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.CanaryListeners = exports.TLS_POLICY = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const ec2 = __importStar(require("aws-cdk-lib/aws-ec2"));
const elbv2 = __importStar(require("aws-cdk-lib/aws-elasticloadbalancingv2"));
const iam = __importStar(require("aws-cdk-lib/aws-iam"));
const logs = __importStar(require("aws-cdk-lib/aws-logs"));
const cr = __importStar(require("aws-cdk-lib/custom-resources"));
const constructs_1 = require("constructs");
/** TLS policy of the HTTPS production listener. */
exports.TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
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
class CanaryListeners extends constructs_1.Construct {
    productionListenerArn;
    testListenerArn;
    /** The production listener, imported from the custom resource's ARN (for CodeDeploy). */
    productionListener;
    /** The test listener, imported from the custom resource's ARN (for CodeDeploy). */
    testListener;
    /** The custom resources; whatever needs a listener to exist depends on these. */
    listenerResources;
    loadBalancer;
    constructor(scope, id, props) {
        super(scope, id);
        const { loadBalancer, securityGroup } = props;
        this.loadBalancer = loadBalancer;
        const https = props.certificateArn !== undefined;
        // Logs of the custom resource Lambda (one per stack, shared by both listeners), kept a month.
        const providerLogs = new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: aws_cdk_lib_1.RemovalPolicy.DESTROY });
        // Its own role instead of AWSLambdaBasicExecutionRole (logs on "*"): it may write to this log
        // group only; the listener statements of each resource are added to it.
        const providerRole = new iam.Role(this, 'ProviderRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
        providerLogs.grantWrite(providerRole);
        const production = this.listenerResource('ProductionListener', props, props.port, https ? props.certificateArn : undefined, providerLogs, providerRole);
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
            const redirect = loadBalancer.addRedirect({ sourcePort: 80, sourceProtocol: elbv2.ApplicationProtocol.HTTP, targetPort: props.port, targetProtocol: elbv2.ApplicationProtocol.HTTPS, open: false });
            // When HTTP on 80 becomes HTTPS, the production listener must leave port 80 first.
            redirect.node.addDependency(production);
            securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP redirect to HTTPS');
        }
        for (const cidr of props.testAllowedCidrs) {
            securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(props.testPort), `test listener ${props.testPort}`);
        }
    }
    acknowledgeFindings() {
        for (const resource of this.listenerResources) {
            const policy = resource.node.findChild('CustomResourcePolicy').node.defaultChild;
            aws_cdk_lib_1.Validations.of(policy).acknowledge({
                id: `AwsSolutions-IAM5[Resource::${this.listenerArnPatternAsNagShowsIt()}]`,
                reason: `${resource.node.id} can only name this load balancer's listeners (listener/app/<name>/<id>/*): ELB assigns the listener id when the custom resource creates it.`,
            });
        }
        const providerPolicy = this.node.tryFindChild('ProviderRole')?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
        if (providerPolicy) {
            aws_cdk_lib_1.Validations.of(providerPolicy).acknowledge({
                id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf('ProviderLogs')}.Arn>:*]`,
                reason: 'Log streams of the listener custom resource Lambda\'s own log group.',
            });
        }
    }
    /** The listener ARN pattern as cdk-nag prints it: pseudo parameters and attributes in <>. */
    listenerArnPatternAsNagShowsIt() {
        const stack = aws_cdk_lib_1.Stack.of(this);
        const region = aws_cdk_lib_1.Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
        const loadBalancerId = stack.resolve(this.loadBalancer.node.defaultChild.logicalId);
        return `arn:<AWS::Partition>:elasticloadbalancing:${region}:<AWS::AccountId>:listener/<${loadBalancerId}.LoadBalancerFullName>/*`;
    }
    logicalIdOf(childId) {
        return aws_cdk_lib_1.Stack.of(this).resolve(this.node.findChild(childId).node.defaultChild.logicalId);
    }
    listenerResource(id, props, port, certificateArn, logGroup, role) {
        const stack = aws_cdk_lib_1.Stack.of(this);
        const tls = certificateArn
            ? { Protocol: 'HTTPS', Certificates: [{ CertificateArn: certificateArn }], SslPolicy: exports.TLS_POLICY }
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
                new iam.PolicyStatement({ actions: ['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:DeleteListener'], resources: [listenersOfThisLoadBalancer] }),
            ]),
        });
    }
}
exports.CanaryListeners = CanaryListeners;
