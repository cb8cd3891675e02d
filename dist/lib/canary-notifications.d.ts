import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
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
    readonly slack?: {
        readonly workspaceId: string;
        readonly channelId: string;
    };
    /** Microsoft Teams channel the announcements are posted to through AWS Chatbot. @default - none */
    readonly teams?: {
        readonly teamId: string;
        readonly channelId: string;
        readonly tenantId: string;
    };
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
export declare class CanaryNotifications extends Construct {
    readonly topic: sns.Topic;
    readonly key: kms.Key;
    readonly deploymentStateRule: events.Rule;
    /** The chat channels, when configured. */
    readonly slackChannel?: chatbot.SlackChannelConfiguration;
    readonly teamsChannel?: chatbot.CfnMicrosoftTeamsChannelConfiguration;
    constructor(scope: Construct, id: string, props: CanaryNotificationsProps);
}
