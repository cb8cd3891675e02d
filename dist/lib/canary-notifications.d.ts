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
}
/**
 * A KMS-encrypted SNS topic for everything a rollout announces, with email subscriptions, and an
 * EventBridge rule that forwards this deployment group's CodeDeploy state changes to it.
 */
export declare class CanaryNotifications extends Construct {
    readonly topic: sns.Topic;
    readonly key: kms.Key;
    readonly deploymentStateRule: events.Rule;
    constructor(scope: Construct, id: string, props: CanaryNotificationsProps);
}
