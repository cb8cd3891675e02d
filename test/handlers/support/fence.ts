/**
 * The guard's fence items on top of `fakeRuntime`'s audit table: a fence put is logged as `fence`
 * (not appended to the chain), honours `attribute_not_exists`, and a fence get returns it.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

import type { fakeRuntime } from './fake-runtime';

export function withFences(env: ReturnType<typeof fakeRuntime>) {
  const fences = new Map<string, Record<string, unknown>>();
  env.mocks.ddb.on(PutCommand, { Item: { kind: 'fence' } }).callsFake((input) => {
    if (fences.has(input.Item.pk)) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    fences.set(input.Item.pk, input.Item);
    env.world.log.push('fence');
    return {};
  });
  env.mocks.ddb.on(GetCommand).callsFake((input) => ({ Item: fences.get(input.Key.pk) }));
  return fences;
}
