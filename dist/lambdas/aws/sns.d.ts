/**
 * SNS adapter: the service's rollout events. Each event goes out with MessageStructure json: AWS
 * Chatbot (Slack, Teams) gets the custom-notification JSON (`default`), e-mail the plain sentence.
 */
import { SNSClient } from '@aws-sdk/client-sns';
/** SNS subjects are at most 100 printable ASCII characters. */
export declare function subjectLine(subject: string): string;
export interface RolloutEvent {
    readonly severity: string;
    readonly subject: string;
    readonly message: string;
    readonly deploymentId: string;
    readonly service: string;
}
/** The event as one sentence: the service, the deployment and what happened, with its figures. */
export declare function sentence(event: RolloutEvent): string;
/**
 * AWS Chatbot's custom notification (Amazon Q Developer in chat applications, "Custom
 * notifications": version "1.0" and source "custom" required, content.description required;
 * threadId groups a deployment's updates in one thread).
 */
export declare function chatNotification(event: RolloutEvent): {
    version: string;
    source: string;
    content: {
        textType: string;
        title: string;
        description: string;
        nextSteps: string[];
        keywords: string[];
    };
    metadata: {
        threadId: string;
        summary: string;
        eventType: string;
        additionalContext: {
            deploymentId: string;
            service: string;
            severity: string;
        };
    };
};
export declare function publishEvent(client: SNSClient, topicArn: string, event: RolloutEvent): Promise<void>;
