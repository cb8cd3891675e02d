import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Stack } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';

export interface CanaryNotificationsProps {
  /** Service name, used in the topic's display name. */
  readonly serviceName: string;
  /** CodeDeploy application whose state changes are announced. */
  readonly applicationName: string;
  /** CodeDeploy deployment group whose state changes are announced. */
  readonly deploymentGroupName: string;
  /**
   * Addresses subscribed to the topic (each confirms by email).
   * @default - no subscriptions
   */
  readonly emails?: readonly string[];
  /** Slack channel the announcements are posted to through AWS Chatbot. @default - none */
  readonly slack?: { readonly workspaceId: string; readonly channelId: string };
  /** Microsoft Teams channel the announcements are posted to through AWS Chatbot. @default - none */
  readonly teams?: { readonly teamId: string; readonly channelId: string; readonly tenantId: string };
}

/** A CodeDeploy state change as one sentence in AWS Chatbot's custom-notification format (docs/chat.md). */
function deploymentStateMessage(service: string): events.RuleTargetInput {
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
export class CanaryNotifications extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;
  public readonly deploymentStateRule: events.Rule;
  /** The chat channels, when configured. */
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;
  public readonly teamsChannel?: chatbot.CfnMicrosoftTeamsChannelConfiguration;

  constructor(scope: Construct, id: string, props: CanaryNotificationsProps) {
    super(scope, id);
    const emails = props.emails ?? [];

    this.key = new kms.Key(this, 'TopicKey', {
      description: `ecs-canary ${props.serviceName}: encrypts the notification topic`,
      enableKeyRotation: true,
    });
    // EventBridge publishes to the encrypted topic, so it must be able to use the key. In a key
    // policy the resource "*" means this key only.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeToPublishToTheTopic',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
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
      const name = (kind: string) => `ecs-canary-${props.serviceName}-${kind}`;
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
