"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.subjectLine = subjectLine;
exports.publishEvent = publishEvent;
/** SNS adapter: the service's rollout events. */
const client_sns_1 = require("@aws-sdk/client-sns");
/** SNS subjects are at most 100 printable ASCII characters. */
function subjectLine(subject) {
    const ascii = subject.replace(/[^\x20-\x7e]/g, '?');
    return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}
async function publishEvent(client, topicArn, event) {
    await client.send(new client_sns_1.PublishCommand({
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
