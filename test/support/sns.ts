/** Fake Amazon SNS: Publish to known topics, messages stored for assertions. */
import { randomUUID } from 'node:crypto';

import { InvalidParameterException, NotFoundException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';

import type { FakeClock } from './clock';
import { ACCOUNT, awsError, REGION } from './errors';
import type { Handlers } from './mocks';

export interface PublishedMessage {
  readonly at: number;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly attributes?: Record<string, unknown>;
  readonly messageId: string;
}

export class FakeSns {
  readonly topics = new Set<string>();
  readonly messages: PublishedMessage[] = [];

  constructor(private readonly clock: FakeClock) {}

  addTopic(name: string): string {
    const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
    this.topics.add(arn);
    return arn;
  }

  /**
   * Publish — SNS API Reference: Message is required (InvalidParameter); a topic that does not
   * exist → NotFound ("Topic does not exist"); Subject at most 100 characters.
   */
  publish(input: {
    TopicArn?: string;
    Message?: string;
    Subject?: string;
    MessageStructure?: string;
    MessageAttributes?: Record<string, unknown>;
  }) {
    if (!input.Message) throw awsError(InvalidParameterException, 'Invalid parameter: Empty message');
    // MessageStructure json — SNS API Reference, Publish: Message must be a JSON object with at least a
    // top-level "default" key whose value is a string.
    if (input.MessageStructure === 'json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(input.Message);
      } catch {
        parsed = undefined;
      }
      if (typeof (parsed as { default?: unknown } | undefined)?.default !== 'string')
        throw awsError(InvalidParameterException, 'Invalid parameter: Message Structure - No default entry in JSON message body');
    }
    if (input.Subject !== undefined && (input.Subject.length === 0 || input.Subject.length > 100)) {
      throw awsError(InvalidParameterException, `Invalid parameter: Subject must be 1-100 characters (got ${input.Subject.length})`);
    }
    if (!input.TopicArn || !this.topics.has(input.TopicArn)) throw awsError(NotFoundException, 'Topic does not exist');
    const messageId = randomUUID();
    this.messages.push({
      at: this.clock.now(),
      topicArn: input.TopicArn,
      subject: input.Subject,
      message: input.Message,
      attributes: input.MessageAttributes,
      messageId,
    });
    return { MessageId: messageId };
  }

  handlers(): Handlers {
    return { client: SNSClient, commands: [[PublishCommand, (i) => this.publish(i as never)]] };
  }
}
