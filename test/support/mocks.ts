/**
 * Wires the fake services into the SDK: each client class's `send` is replaced on its prototype,
 * so every instance (including clients created at module load, before `install`) is answered by
 * the fake. A command the fake does not model rejects with `NotModelledError`, so nothing passes
 * silently.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import { cloneData } from './clone';
import { NotModelledError } from './errors';

/** Who is making the SDK calls now: the Lambda function the fake is running, or a name given by a test (e.g. 'cli'). */
const callers = new AsyncLocalStorage<string>();

/** Runs `fn` with every SDK call it makes (however deep, across awaits) attributed to `caller`. */
export function asCaller<T>(caller: string, fn: () => T): T {
  return callers.run(caller, fn);
}

/** The CodeDeploy deployment the running invocation was sent for (its event names it), if any. */
const deployments = new AsyncLocalStorage<string>();

/** Runs `fn` with every write it makes attributed to `deploymentId` (invariant 7: who acts for which deployment). */
export function onBehalfOf<T>(deploymentId: string | undefined, fn: () => T): T {
  return deploymentId ? deployments.run(deploymentId, fn) : fn();
}

// Jest runs many test files in one process, each with its own copy of this module, and an enabled
// storage stays in Node's promise hook until it is disabled: every later promise would pay for it.
releaseAfterAll(callers, deployments);

/** Disables `storages` after the running test file (under jest; elsewhere the process ends with them). */
export function releaseAfterAll(...storages: ReadonlyArray<AsyncLocalStorage<unknown>>): void {
  if (typeof afterAll !== 'function') return;
  try {
    afterAll(() => storages.forEach((storage) => storage.disable()));
  } catch {
    // First loaded inside a test, where jest takes no hook: only this file's later promises pay.
  }
}

/** The deployment the current invocation acts for, or undefined outside one. */
export function actingFor(): string | undefined {
  return deployments.getStore();
}

/**
 * The deployment an invocation event is about, as AWS sends it: a CodeDeploy hook's
 * `DeploymentId`, an EventBridge state change's `detail.deploymentId`, the rollout execution's
 * input (`deploymentId`, or `input.deploymentId` in the tick's own payload).
 */
export function deploymentOfEvent(event: unknown): string | undefined {
  const e = event as {
    DeploymentId?: unknown;
    deploymentId?: unknown;
    detail?: { deploymentId?: unknown };
    input?: { deploymentId?: unknown };
    requestPayload?: { DeploymentId?: unknown };
  } | null;
  // requestPayload: an on-failure destination's invocation record carries the original event.
  const id = e?.DeploymentId ?? e?.detail?.deploymentId ?? e?.deploymentId ?? e?.input?.deploymentId ?? e?.requestPayload?.DeploymentId;
  return typeof id === 'string' ? id : undefined;
}

// The SDK's client and command classes differ per service; the installer only needs their shape.

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
  /** The function (or test-named caller, see `asCaller`) that made the call; undefined outside any. */
  readonly caller?: string;
}

/**
 * Wraps the fake's answer to one SDK call: it may throw before `answer` (the call is not applied),
 * after it (applied, response lost) or return its result. Used to inject faults (test/fault).
 */
export type CallInterceptor = (
  call: { readonly client: string; readonly command: string; readonly input: unknown; readonly caller?: string },
  answer: () => Promise<unknown>,
) => Promise<unknown>;

export function installMocks(
  services: readonly Handlers[],
  onCall: (call: Omit<ApiCall, 'at'>) => void,
  interceptor: () => CallInterceptor | undefined = () => undefined,
): () => void {
  const restores: Array<() => void> = [];
  for (const { client, commands } of services) {
    const handlers = new Map<CommandClass, (input: unknown) => unknown>(commands);
    const handlerOf = (sent: unknown) => {
      // The command's class or one it extends.
      for (
        let type = (sent as { constructor?: unknown } | undefined)?.constructor;
        typeof type === 'function';
        type = Object.getPrototypeOf(type)
      ) {
        const handler = handlers.get(type as CommandClass);
        if (handler) return { handler, commandName: (type as CommandClass).name };
      }
      return undefined;
    };
    const fake = async (sent: { input?: unknown; constructor?: { name?: string } }) => {
      const input = sent?.input;
      const caller = callers.getStore();
      const found = handlerOf(sent);
      if (!found) {
        // The command the fake does not model is named (for the IAM record).
        const command = sent?.constructor?.name ?? '(unmodelled)';
        onCall({ client: client.name, command, input, error: 'NotModelledError', ...(caller ? { caller } : {}) });
        throw new NotModelledError(`a ${client.name} command with input ${JSON.stringify(input)}`);
      }
      const { handler, commandName } = found;
      const copy = cloneData(input);
      try {
        const intercept = interceptor();
        const output = intercept
          ? await intercept({ client: client.name, command: commandName, input: copy, ...(caller ? { caller } : {}) }, async () =>
              handler(copy),
            )
          : await handler(copy);
        onCall({ client: client.name, command: commandName, input: copy, ...(caller ? { caller } : {}) });
        return { $metadata: { httpStatusCode: 200 }, ...(cloneData(output) as object) };
      } catch (error) {
        onCall({ client: client.name, command: commandName, input: copy, error: (error as Error).name, ...(caller ? { caller } : {}) });
        throw error;
      }
    };
    restores.push(replaceSend(client.prototype as { send: unknown }, fake));
  }
  return () => restores.forEach((restore) => restore());
}

/**
 * Puts `fake` in place of a client class's `send` and returns what undoes it. A later
 * installation replaces an earlier one; undoing either puts back the SDK's own `send` if that
 * installation's fake is still in place (a stub someone made over it is left to its maker).
 * No call history is kept: a world makes hundreds of thousands of calls.
 */
function replaceSend(prototype: { send?: unknown; [SDK_SEND]?: SdkSend }, fake: (sent: never) => Promise<unknown>): () => void {
  if (!Object.prototype.hasOwnProperty.call(prototype, SDK_SEND)) {
    const sdk: SdkSend = { send: prototype.send, own: Object.prototype.hasOwnProperty.call(prototype, 'send') };
    Object.defineProperty(prototype, SDK_SEND, { value: sdk, enumerable: false });
  }
  prototype.send = fake;
  return () => {
    if (prototype.send !== fake) return;
    const sdk = prototype[SDK_SEND]!;
    if (sdk.own) prototype.send = sdk.send;
    else delete prototype.send;
  };
}

/** Where the SDK's own `send` of a client class is kept while a fake answers it (usually inherited from smithy's Client). */
const SDK_SEND = Symbol('sdk-send');
interface SdkSend {
  readonly send: unknown;
  readonly own: boolean;
}
