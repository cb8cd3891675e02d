/**
 * SNS adapter: the service's rollout events. Each event goes out with MessageStructure json: AWS
 * Chatbot (Slack, Teams) gets the custom-notification JSON (`default`), e-mail the plain sentence.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

/** SNS subjects are at most 100 printable ASCII characters. */
export function subjectLine(subject: string): string {
  const ascii = subject.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

export interface RolloutEvent {
  readonly severity: string;
  readonly subject: string;
  readonly message: string;
  readonly deploymentId: string;
  readonly service: string;
}

/** The event as one sentence: the service, the deployment and what happened, with its figures. */
export function sentence(event: RolloutEvent): string {
  // The controller prefixes the judge's summary ("rollback: …") with "rolled back: ": said once.
  const text = event.message
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^rolled back: rollback: /, 'rolled back: ');
  return `${event.service} ${event.deploymentId}: ${text}${/[.!?]$/.test(text) ? '' : '.'}`;
}

const ICONS: Record<string, string> = { critical: ':rotating_light:', warning: ':warning:', info: ':information_source:' };

/**
 * AWS Chatbot's custom notification (Amazon Q Developer in chat applications, "Custom
 * notifications": version "1.0" and source "custom" required, content.description required;
 * threadId groups a deployment's updates in one thread).
 */
export function chatNotification(event: RolloutEvent) {
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${ICONS[event.severity] ?? ''} ${event.subject}`.trim(),
      description: sentence(event),
      nextSteps: [`canary status ${event.service}`],
      keywords: [event.severity, event.service],
    },
    metadata: {
      threadId: event.deploymentId,
      summary: sentence(event).slice(0, 200),
      eventType: `EcsCanary${event.severity[0].toUpperCase()}${event.severity.slice(1)}`,
      additionalContext: { deploymentId: event.deploymentId, service: event.service, severity: event.severity },
    },
  };
}

export async function publishEvent(client: SNSClient, topicArn: string, event: RolloutEvent): Promise<void> {
  await client.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subjectLine(event.subject),
      MessageStructure: 'json',
      Message: JSON.stringify({ default: JSON.stringify(chatNotification(event)), email: sentence(event) }),
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: event.severity },
        deploymentId: { DataType: 'String', StringValue: event.deploymentId },
        service: { DataType: 'String', StringValue: event.service },
      },
    }),
  );
}
