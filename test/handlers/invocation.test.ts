/**
 * One invocation's logging: a warm container's next invocation logs none of the previous one's
 * appended keys (its deployment), and every line carries the Lambda context.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

import { startInvocation } from '../../lambdas/handlers/invocation';

const context = (awsRequestId: string): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'orders-tick',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-tick',
  memoryLimitInMB: '256',
  awsRequestId,
  logGroupName: '/aws/lambda/orders-tick',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

describe('startInvocation', () => {
  let lines: Record<string, unknown>[];
  let write: jest.SpyInstance;
  beforeEach(() => {
    lines = [];
    write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      return true;
    });
  });
  afterEach(() => write.mockRestore());

  it("leaves none of the previous invocation's keys and adds this invocation's context to every line", () => {
    const logger = new Logger({ serviceName: 'ecs-canary', logLevel: 'INFO' });
    startInvocation(logger, context('request-1'));
    logger.appendKeys({ deploymentId: 'd-OLD', hook: 'AfterAllowTestTraffic' });
    logger.info('first');
    startInvocation(logger, context('request-2'));
    logger.info('second');
    expect(lines.map((l) => [l.message, l.deploymentId, l.hook, l.function_request_id, l.function_name])).toEqual([
      ['first', 'd-OLD', 'AfterAllowTestTraffic', 'request-1', 'orders-tick'],
      ['second', undefined, undefined, 'request-2', 'orders-tick'],
    ]);
  });
});
