/**
 * Wires the fake services into the SDK through aws-sdk-client-mock: every instance of each client
 * class (including clients created at module load, before `install`) is answered by the fake.
 * A command the fake does not model rejects with `NotModelledError`, so nothing passes silently.
 */
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { NotModelledError } from './errors';

// The SDK's client and command classes differ per service; the installer only needs their shape.
/* eslint-disable @typescript-eslint/no-explicit-any */
type ClientClass = { readonly prototype: any; readonly name: string };
type CommandClass = new (...args: any[]) => any;

export interface Handlers {
  readonly client: ClientClass;
  readonly commands: ReadonlyArray<readonly [CommandClass, (input: unknown) => unknown]>;
}

/** One SDK call as the fake saw it. */
export interface ApiCall {
  readonly at: number;
  readonly client: string;
  readonly command: string;
  readonly input: unknown;
  readonly error?: string;
}

export function installMocks(
  services: readonly Handlers[],
  onCall: (call: Omit<ApiCall, 'at'>) => void,
): () => void {
  const stubs: AwsStub<any, any, any>[] = [];
  for (const { client, commands } of services) {
    const stub = mockClient(client as any);
    stubs.push(stub);
    stub.onAnyCommand().callsFake(async (input: unknown) => {
      onCall({ client: client.name, command: '(unmodelled)', input, error: 'NotModelledError' });
      throw new NotModelledError(`a ${client.name} command with input ${JSON.stringify(input)}`);
    });
    for (const [command, handler] of commands) {
      const commandName = command.name;
      stub.on(command).callsFake(async (input: unknown) => {
        const copy = structuredClone(input);
        try {
          const output = await handler(copy);
          onCall({ client: client.name, command: commandName, input: copy });
          return { $metadata: { httpStatusCode: 200 }, ...(structuredClone(output) as object) };
        } catch (error) {
          onCall({ client: client.name, command: commandName, input: copy, error: (error as Error).name });
          throw error;
        }
      });
    }
  }
  return () => {
    for (const stub of stubs) stub.restore();
  };
}
