/** SNS adapter: the service's rollout events. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

/** SNS subjects are at most 100 printable ASCII characters. */
export function subjectLine(subject: string): string {
  const ascii = subject.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

export async function publishEvent(client: SNSClient, topicArn: string, event: { severity: string; subject: string; message: string; deploymentId: string; service: string }): Promise<void> {
  await client.send(new PublishCommand({
    TopicArn: topicArn,
    Subject: subjectLine(event.subject),
    Message: event.message,
    MessageAttributes: {
      severity: { DataType: 'String', StringValue: event.severity },
      deploymentId: { DataType: 'String', StringValue: event.deploymentId },
      service: { DataType: 'String', StringValue: event.service },
    },
  }));
}
