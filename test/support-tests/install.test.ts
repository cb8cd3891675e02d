/**
 * Installing the fake puts it in place of every modelled client's `send` (clients made before the
 * install included), and restoring puts the SDK's own `send` back, also after a second world
 * replaced the first.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';

import { FakeAws, NotModelledError } from '../support';

const sdkSend = Object.getPrototypeOf(DynamoDBClient.prototype).send as unknown;

describe('FakeAws.install and restore', () => {
  it('answers a client made before the install and leaves the SDK untouched after restore', async () => {
    const early = new DynamoDBClient({ region: 'us-east-1' });
    const world = new FakeAws().install();
    try {
      expect(DynamoDBClient.prototype.send).not.toBe(sdkSend);
      await expect(early.send(new ListTablesCommand({}))).rejects.toBeInstanceOf(NotModelledError);
      expect(world.calls.at(-1)).toMatchObject({ client: 'DynamoDBClient', command: 'ListTablesCommand', error: 'NotModelledError' });
    } finally {
      world.restore();
    }
    expect(Object.prototype.hasOwnProperty.call(DynamoDBClient.prototype, 'send')).toBe(false);
    expect(DynamoDBClient.prototype.send).toBe(sdkSend);
    expect(ECSClient.prototype.send).toBe(sdkSend);
  });

  it('lets a second world take over, and restoring either leaves the SDK as it was', () => {
    const first = new FakeAws().install();
    const afterFirst = DynamoDBClient.prototype.send;
    const second = new FakeAws().install();
    expect(DynamoDBClient.prototype.send).not.toBe(afterFirst);
    second.restore();
    expect(DynamoDBClient.prototype.send).toBe(sdkSend);
    first.restore();
    expect(DynamoDBClient.prototype.send).toBe(sdkSend);
  });
});
