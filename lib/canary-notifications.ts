import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
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
export class CanaryNotifications extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;
  public readonly deploymentStateRule: events.Rule;

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
    this.deploymentStateRule.addTarget(new targets.SnsTopic(this.topic));
  }
}
