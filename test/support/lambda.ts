/**
 * Registered Lambda handlers, invoked by the fake services the way AWS invokes functions:
 * CodeDeploy hooks and EventBridge targets asynchronously (the caller does not wait — Lambda
 * Developer Guide, "Invoking a Lambda function asynchronously"), Step Functions tasks
 * synchronously (RequestResponse).
 */
import type { FakeClock } from './clock';
import { functionName } from './codedeploy-appspec';
import { asCaller, deploymentOfEvent, onBehalfOf } from './mocks';

export type LambdaHandler = (event: unknown) => unknown | Promise<unknown>;

export interface Invocation {
  readonly at: number;
  readonly functionName: string;
  readonly event: unknown;
  readonly mode: 'Event' | 'RequestResponse';
}

/** Runs one invocation of a function (`run`); may fail it although the handler returned (test/fault). */
export type InvocationWrapper = (invocation: { readonly functionName: string; readonly event: unknown; readonly mode: Invocation['mode'] }, run: () => Promise<unknown>) => Promise<unknown>;

export class FakeLambda {
  private readonly functions = new Map<string, LambdaHandler>();
  readonly invocations: Invocation[] = [];
  /** Wraps every invocation (fault injection: an invocation that dies after its k-th SDK call). @default none */
  wrapper: InvocationWrapper | undefined;

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
    const name = functionName(nameOrArn);
    this.invocations.push({ at: this.clock.now(), functionName: name, event: structuredClone(event), mode: 'RequestResponse' });
    // Every SDK call the handler makes is the function's (test/iam simulates them against its role).
    const copy = structuredClone(event);
    return asCaller(name, () => onBehalfOf(deploymentOfEvent(copy), () => this.run({ functionName: name, event: copy, mode: 'RequestResponse' }, () => handler(copy))));
  }

  /**
   * Asynchronous invocation: queued on the clock; the caller gets nothing back. Lambda Developer
   * Guide, "Error handling and automatic retries in Lambda": "If the function returns an error,
   * Lambda attempts to run it two more times, with a one-minute wait between the first two
   * attempts, and two minutes between the second and third." Each failure also reaches the clock
   * (which throws or records it, see FakeClockProps.onHandlerError).
   */
  invokeAsync(nameOrArn: string, event: unknown, attempt = 1): void {
    const handler = this.handler(nameOrArn);
    const name = functionName(nameOrArn);
    this.invocations.push({ at: this.clock.now(), functionName: name, event: structuredClone(event), mode: 'Event' });
    const copy = structuredClone(event);
    this.clock.spawn(async () => {
      try {
        await asCaller(name, () => onBehalfOf(deploymentOfEvent(copy), () => this.run({ functionName: name, event: copy, mode: 'Event' }, () => handler(copy))));
      } catch (error) {
        if (attempt < 3) this.clock.schedule(attempt * 60_000, () => this.invokeAsync(nameOrArn, event, attempt + 1), `lambda ${name} retry ${attempt}`);
        throw error;
      }
    }, `lambda ${name}`);
  }

  private async run(invocation: Parameters<InvocationWrapper>[0], call: () => unknown): Promise<unknown> {
    return this.wrapper ? this.wrapper(invocation, async () => call()) : call();
  }

  private handler(nameOrArn: string): LambdaHandler {
    const handler = this.functions.get(functionName(nameOrArn));
    if (!handler) {
      throw new Error(`fake Lambda: no handler registered for function '${functionName(nameOrArn)}' (register it with world.lambda.register)`);
    }
    return handler;
  }
}
