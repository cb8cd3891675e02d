import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { z } from 'zod';

import { readDeploymentMetadataParameter as readMetadata, readFreeze } from '../../lambdas/aws/service-parameters';
import { executionArn, rolloutStatus, startRollout, stopRollouts } from '../../lambdas/aws/sfn';
import { chatNotification, publishEvent, sentence, subjectLine } from '../../lambdas/aws/sns';

/**
 * AWS Chatbot's custom-notification event schema, as documented in "Custom notifications using
 * Amazon Q Developer in chat applications" (docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html):
 * version must be "1.0", source must be "custom", content.description is required; textType is
 * only "client-markdown"; the rest are optional strings or lists of strings.
 */
const chatNotificationSchema = z.object({
  version: z.literal('1.0'),
  source: z.literal('custom'),
  id: z.string().optional(),
  content: z.strictObject({
    textType: z.literal('client-markdown').optional(),
    title: z.string().optional(),
    description: z.string().min(1),
    nextSteps: z.array(z.string()).optional(),
    keywords: z.array(z.string()).optional(),
  }),
  metadata: z
    .strictObject({
      threadId: z.string().optional(),
      summary: z.string().optional(),
      eventType: z.string().optional(),
      relatedResources: z.array(z.string()).optional(),
      additionalContext: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});
import { metadata } from '../deploy/fixtures';

const fullMetadata = metadata();

const sfn = mockClient(SFNClient);
const ssm = mockClient(SSMClient);
const sns = mockClient(SNSClient);
const SM = 'arn:aws:states:eu-west-1:111111111111:stateMachine:orders-rollout';
const input = {
  deploymentId: 'd-1',
  lifecycleEventHookExecutionId: 'h-1',
  hook: 'AfterAllowTestTraffic' as const,
  startedAt: '2026-11-21T10:00:00.000Z',
};

afterEach(() => {
  sfn.reset();
  ssm.reset();
  sns.reset();
});

describe('sfn adapter', () => {
  describe('startRollout', () => {
    it('starts an execution named <deploymentId>-<hook> with the contract input', async () => {
      sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
      await expect(startRollout(new SFNClient({}), SM, input)).resolves.toEqual({ executionArn: 'arn:exec', alreadyStarted: false });
      expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({
        stateMachineArn: SM,
        name: 'd-1-AfterAllowTestTraffic',
        input: JSON.stringify(input),
      });
    });

    it('treats ExecutionAlreadyExists as a duplicate hook invocation', async () => {
      sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
      await expect(startRollout(new SFNClient({}), SM, input)).resolves.toEqual({
        executionArn: `${SM.replace(':stateMachine:', ':execution:')}:d-1-AfterAllowTestTraffic`,
        alreadyStarted: true,
      });
    });
  });

  describe('rolloutStatus', () => {
    it.each([
      ['the execution status', { status: 'SUCCEEDED' as const }, 'SUCCEEDED'],
      ['undefined when it was never started', new ExecutionDoesNotExist({ message: 'no', $metadata: {} }), undefined],
    ])('returns %s', async (_name, answer, expected) => {
      if (answer instanceof Error) sfn.on(DescribeExecutionCommand).rejects(answer);
      else sfn.on(DescribeExecutionCommand, { executionArn: executionArn(SM, 'd-1-BeforeAllowTraffic') }).resolves(answer);
      await expect(rolloutStatus(new SFNClient({}), SM, 'd-1', 'BeforeAllowTraffic')).resolves.toBe(expected);
    });
  });

  describe('stopRollouts', () => {
    it('stops every hook execution of the deployment, skipping absent ones', async () => {
      sfn.on(StopExecutionCommand, { executionArn: executionArn(SM, 'd-1-AfterAllowTestTraffic') }).resolves({});
      sfn.on(StopExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));
      sfn.on(StopExecutionCommand, { executionArn: executionArn(SM, 'd-1-AfterAllowTestTraffic') }).resolves({});
      await expect(stopRollouts(new SFNClient({}), SM, 'd-1', 'alarm')).resolves.toEqual(['d-1-AfterAllowTestTraffic']);
      expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(3);
    });
  });
});

describe('ssm adapter', () => {
  describe('readFreeze', () => {
    it('reads the freeze switch', async () => {
      ssm
        .on(GetParameterCommand, { Name: '/ecs-canary/orders/freeze' })
        .resolves({ Parameter: { Value: '{"frozen":true,"reason":"incident 42","by":"bob","at":"2026-11-21T09:00:00Z"}' } });
      await expect(readFreeze(new SSMClient({}), '/ecs-canary/orders/freeze')).resolves.toMatchObject({
        frozen: true,
        reason: 'incident 42',
      });
    });

    it.each([
      ['not JSON', 'frozen'],
      ['no frozen flag', '{"reason":"x"}'],
    ])('fails naming the parameter when it is %s', async (_name, value) => {
      ssm.on(GetParameterCommand).resolves({ Parameter: { Value: value } });
      await expect(readFreeze(new SSMClient({}), '/ecs-canary/orders/freeze')).rejects.toThrow(/\/ecs-canary\/orders\/freeze .*accepted/);
    });
  });

  describe('readMetadata', () => {
    it('names the first missing field', async () => {
      ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{"version":1,"service":"orders"}' } });
      await expect(readMetadata(new SSMClient({}), '/ecs-canary/orders/deployment')).rejects.toThrow(
        /\/ecs-canary\/orders\/deployment: field applicationName is undefined/,
      );
    });

    it.each(['testListenerPort', 'loadBalancerDnsName', 'loadBalancerFullName', 'thresholds', 'smokeChecks'])(
      'refuses metadata without %s, which the engine needs',
      async (field) => {
        const { [field as keyof typeof fullMetadata]: _dropped, ...rest } = fullMetadata;
        ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(rest) } });
        await expect(readMetadata(new SSMClient({}), '/ecs-canary/orders/deployment')).rejects.toThrow(
          new RegExp(`field ${field} is undefined`),
        );
      },
    );

    it('reads a complete document', async () => {
      ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(fullMetadata) } });
      await expect(readMetadata(new SSMClient({}), '/ecs-canary/orders/deployment')).resolves.toMatchObject({
        service: 'web',
        testListenerPort: 9000,
      });
    });
  });
});

describe('sns adapter', () => {
  describe('publishEvent', () => {
    it('publishes with severity, deployment and service attributes: chat JSON by default, the sentence by e-mail', async () => {
      sns.on(PublishCommand).resolves({});
      await publishEvent(new SNSClient({}), 'arn:topic', {
        severity: 'critical',
        subject: 'rolled back',
        message: 'why',
        deploymentId: 'd-1',
        service: 'orders',
      });
      const input = sns.commandCalls(PublishCommand)[0].args[0].input;
      expect(input).toMatchObject({
        TopicArn: 'arn:topic',
        Subject: 'rolled back',
        MessageStructure: 'json',
        MessageAttributes: { severity: { DataType: 'String', StringValue: 'critical' } },
      });
      const perProtocol = JSON.parse(input.Message!);
      expect(perProtocol.email).toBe('orders d-1: why.');
      expect(chatNotificationSchema.parse(JSON.parse(perProtocol.default)).content.description).toBe('orders d-1: why.');
    });
  });

  describe('chatNotification', () => {
    const rollback = {
      severity: 'critical',
      subject: '[critical] orders d-7 AfterAllowTestTraffic',
      deploymentId: 'd-7',
      service: 'orders',
      message:
        'rolled back: canary error rate 6.2% over 1,204 requests\n vs original 0.5% (+5.7 pp, limit +1 pp); production returned to the original',
    };

    it('passes the custom-notification schema and reads a rollback as one sentence with its figures', () => {
      const chat = chatNotificationSchema.parse(chatNotification(rollback));
      expect(chat.content.description).toBe(
        'orders d-7: rolled back: canary error rate 6.2% over 1,204 requests vs original 0.5% (+5.7 pp, limit +1 pp); production returned to the original.',
      );
      expect(chat.content.description.split(/[.!?](\s|$)/).filter((part) => part.trim().length > 1)).toHaveLength(1);
      expect(chat.metadata?.threadId).toBe('d-7');
      expect(chat.content.nextSteps).toEqual(['canary status orders']);
    });

    it("says 'rolled back' once when the judge's summary starts with 'rollback:'", () => {
      expect(
        sentence({
          ...rollback,
          message: 'rolled back: rollback: canary 5xx 3.8% (27/708) vs original 0.52% (70/13513): worse by +3.3 pp',
        }),
      ).toBe('orders d-7: rolled back: canary 5xx 3.8% (27/708) vs original 0.52% (70/13513): worse by +3.3 pp.');
    });

    it('keeps a sentence that already ends in a full stop', () => {
      expect(sentence({ ...rollback, message: 'post-traffic bake passed.' })).toBe('orders d-7: post-traffic bake passed.');
    });
  });

  describe('subjectLine', () => {
    it('keeps subjects within 100 printable ASCII characters', () => {
      const subject = subjectLine(`→ ${'x'.repeat(200)}`);
      expect(subject.length).toBeLessThanOrEqual(100);
      expect(subject).toMatch(/^[\x20-\x7e]+$/);
    });
  });
});
