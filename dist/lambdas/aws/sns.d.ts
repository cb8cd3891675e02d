/** SNS adapter: the service's rollout events. */
import { SNSClient } from '@aws-sdk/client-sns';
/** SNS subjects are at most 100 printable ASCII characters. */
export declare function subjectLine(subject: string): string;
export declare function publishEvent(client: SNSClient, topicArn: string, event: {
    severity: string;
    subject: string;
    message: string;
    deploymentId: string;
    service: string;
}): Promise<void>;
