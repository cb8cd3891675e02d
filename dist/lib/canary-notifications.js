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
exports.CanaryNotifications = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const chatbot = __importStar(require("aws-cdk-lib/aws-chatbot"));
const events = __importStar(require("aws-cdk-lib/aws-events"));
const targets = __importStar(require("aws-cdk-lib/aws-events-targets"));
const iam = __importStar(require("aws-cdk-lib/aws-iam"));
const kms = __importStar(require("aws-cdk-lib/aws-kms"));
const sns = __importStar(require("aws-cdk-lib/aws-sns"));
const subscriptions = __importStar(require("aws-cdk-lib/aws-sns-subscriptions"));
const constructs_1 = require("constructs");
/** A CodeDeploy state change as one sentence in AWS Chatbot's custom-notification format (docs/chat.md). */
function deploymentStateMessage(service) {
    const id = events.EventField.fromPath('$.detail.deploymentId');
    const state = events.EventField.fromPath('$.detail.state');
    return events.RuleTargetInput.fromObject({
        version: '1.0',
        source: 'custom',
        id,
        content: {
            textType: 'client-markdown',
            title: `${service} ${id}: CodeDeploy ${state}`,
            description: `CodeDeploy reports deployment ${id} of ${service} ${state} (region ${events.EventField.fromPath('$.region')}).`,
        },
        metadata: { threadId: id, eventType: 'CodeDeployStateChange' },
    });
}
/**
 * A KMS-encrypted SNS topic for everything a rollout announces, with email subscriptions and AWS
 * Chatbot channels (Slack, Microsoft Teams), and an EventBridge rule that forwards this deployment
 * group's CodeDeploy state changes to it as custom notifications.
 *
 * The channels only post: their role holds no policy and their guardrail denies every action, so
 * nobody can run AWS commands from the channel through them (without a guardrail AWS applies
 * AdministratorAccess). SNS hands Chatbot the messages decrypted, so Chatbot needs no key grant.
 */
class CanaryNotifications extends constructs_1.Construct {
    topic;
    key;
    deploymentStateRule;
    /** The chat channels, when configured. */
    slackChannel;
    teamsChannel;
    constructor(scope, id, props) {
        super(scope, id);
        const emails = props.emails ?? [];
        this.key = new kms.Key(this, 'TopicKey', {
            description: `ecs-canary ${props.serviceName}: encrypts the notification topic`,
            enableKeyRotation: true,
        });
        // EventBridge publishes to the encrypted topic, so it must be able to use the key. In a key
        // policy the resource "*" means this key only.
        this.key.addToResourcePolicy(new iam.PolicyStatement({
            sid: 'AllowEventBridgeToPublishToTheTopic',
            principals: [new iam.ServicePrincipal('events.amazonaws.com')],
            actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            resources: ['*'],
            conditions: { StringEquals: { 'aws:SourceAccount': aws_cdk_lib_1.Stack.of(this).account } },
        }));
        this.topic = new sns.Topic(this, 'Topic', {
            displayName: `ecs-canary ${props.serviceName}`,
            masterKey: this.key,
            enforceSSL: true,
        });
        for (const email of emails) {
            this.topic.addSubscription(new subscriptions.EmailSubscription(email));
        }
        this.deploymentStateRule = new events.Rule(this, 'DeploymentStateChanges', {
            description: `CodeDeploy state changes of ${props.applicationName}/${props.deploymentGroupName} to the ecs-canary topic`,
            eventPattern: {
                source: ['aws.codedeploy'],
                detailType: ['CodeDeploy Deployment State-change Notification'],
                detail: {
                    application: [props.applicationName],
                    deploymentGroup: [props.deploymentGroupName],
                },
            },
        });
        // The target adds the topic policy statement that lets events.amazonaws.com publish.
        this.deploymentStateRule.addTarget(new targets.SnsTopic(this.topic, { message: deploymentStateMessage(props.serviceName) }));
        if (props.slack || props.teams) {
            const guardrail = new iam.ManagedPolicy(this, 'ChatGuardrail', {
                description: `ecs-canary ${props.serviceName}: chat channels only receive notifications; no AWS action may be run from them`,
                statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] })],
            });
            const role = new iam.Role(this, 'ChatRole', {
                assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
                description: `ecs-canary ${props.serviceName}: AWS Chatbot channel role; notifications only, no permission`,
            });
            const name = (kind) => `ecs-canary-${props.serviceName}-${kind}`;
            if (props.slack) {
                this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
                    slackChannelConfigurationName: name('slack'),
                    slackWorkspaceId: props.slack.workspaceId,
                    slackChannelId: props.slack.channelId,
                    role,
                    guardrailPolicies: [guardrail],
                    notificationTopics: [this.topic],
                    loggingLevel: chatbot.LoggingLevel.ERROR,
                });
            }
            if (props.teams) {
                this.teamsChannel = new chatbot.CfnMicrosoftTeamsChannelConfiguration(this, 'Teams', {
                    configurationName: name('teams'),
                    teamId: props.teams.teamId,
                    teamsChannelId: props.teams.channelId,
                    teamsTenantId: props.teams.tenantId,
                    iamRoleArn: role.roleArn,
                    guardrailPolicies: [guardrail.managedPolicyArn],
                    snsTopicArns: [this.topic.topicArn],
                    loggingLevel: 'ERROR',
                });
            }
        }
    }
}
exports.CanaryNotifications = CanaryNotifications;
