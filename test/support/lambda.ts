/**
 * Registered Lambda handlers, invoked by the fake services the way AWS invokes functions:
 * CodeDeploy hooks and EventBridge targets asynchronously (the caller does not wait — Lambda
 * Developer Guide, "Invoking a Lambda function asynchronously"), Step Functions tasks
 * synchronously (RequestResponse).
 */
import type { FakeClock } from './clock';
import { functionName } from './codedeploy-appspec';

export type LambdaHandler = (event: unknown) => unknown | Promise<unknown>;

export interface Invocation {
  readonly at: number;
  readonly functionName: string;
  readonly event: unknown;
  readonly mode: 'Event' | 'RequestResponse';
}

export class FakeLambda {
  private readonly functions = new Map<string, LambdaHandler>();
  readonly invocations: Invocation[] = [];

  constructor(private readonly clock: FakeClock) {}

  /** Registers a handler under a function name (ARNs are reduced to the name). */
  register(nameOrArn: string, handler: LambdaHandler): void {
    this.functions.set(functionName(nameOrArn), handler);
  }

  has(nameOrArn: string): boolean {
    return this.functions.has(functionName(nameOrArn));
  }

  /** Synchronous invocation: resolves with the handler's result; throws its error. */
  async invoke(nameOrArn: string, event: unknown): Promise<unknown> {
    const handler = this.handler(nameOrArn);
    this.invocations.push({ at: this.clock.now(), functionName: functionName(nameOrArn), event: structuredClone(event), mode: 'RequestResponse' });
    return handler(structuredClone(event));
  }

  /** Asynchronous invocation: queued on the clock; the caller gets nothing back. */
  invokeAsync(nameOrArn: string, event: unknown): void {
    const handler = this.handler(nameOrArn);
    this.invocations.push({ at: this.clock.now(), functionName: functionName(nameOrArn), event: structuredClone(event), mode: 'Event' });
    const copy = structuredClone(event);
    this.clock.spawn(() => handler(copy), `lambda ${functionName(nameOrArn)}`);
  }

  private handler(nameOrArn: string): LambdaHandler {
    const handler = this.functions.get(functionName(nameOrArn));
    if (!handler) {
      throw new Error(`fake Lambda: no handler registered for function '${functionName(nameOrArn)}' (register it with world.lambda.register)`);
    }
    return handler;
  }
}
