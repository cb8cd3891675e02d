/**
 * Registered Lambda handlers, invoked by the fake services the way AWS invokes functions:
 * CodeDeploy hooks and EventBridge targets asynchronously (the caller does not wait — Lambda
 * Developer Guide, "Invoking a Lambda function asynchronously"), Step Functions tasks
 * synchronously (RequestResponse).
 */
import type { FakeClock } from './clock';
import { cloneData } from './clone';
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
export type InvocationWrapper = (
  invocation: { readonly functionName: string; readonly event: unknown; readonly mode: Invocation['mode'] },
  run: () => Promise<unknown>,
) => Promise<unknown>;

/** A function's asynchronous invocation settings, as AWS::Lambda::EventInvokeConfig holds them. */
export interface AsyncInvokeConfig {
  /** Retries after the first attempt. @default 2 */
  readonly retryAttempts?: number;
  /** Older events are discarded (sent to `onFailure`) instead of attempted. @default - six hours, not enforced */
  readonly maxEventAgeMs?: number;
  /** The function that receives the invocation record of a discarded event. @default - none: the event is dropped */
  readonly onFailure?: string;
}

/** What Lambda sends to a destination about an asynchronous invocation. */
export interface InvocationRecord {
  readonly version: string;
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: 'RetriesExhausted' | 'EventAgeExceeded';
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext?: { readonly statusCode: number; readonly executedVersion: string; readonly functionError: string };
  readonly responsePayload?: unknown;
}

export class FakeLambda {
  private readonly functions = new Map<string, LambdaHandler>();
  private readonly asyncConfigs = new Map<string, AsyncInvokeConfig>();
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
    this.invocations.push({ at: this.clock.now(), functionName: name, event: cloneData(event), mode: 'RequestResponse' });
    // Every SDK call the handler makes is the function's (test/iam simulates them against its role).
    const copy = cloneData(event);
    return asCaller(name, () =>
      onBehalfOf(deploymentOfEvent(copy), () =>
        this.run({ functionName: name, event: copy, mode: 'RequestResponse' }, () => handler(copy)),
      ),
    );
  }

  /**
   * Asynchronous invocation: queued on the clock; the caller gets nothing back. Lambda Developer
   * Guide, "Error handling and automatic retries in Lambda": "If the function returns an error,
   * Lambda attempts to run it two more times, with a one-minute wait between the first two
   * attempts, and two minutes between the second and third." Each failure also reaches the clock
   * (which throws or records it, see FakeClockProps.onHandlerError). With an on-failure
   * destination configured (`configureAsyncInvoke`), an event whose attempts all fail, or that is
   * older than the maximum event age when an attempt is due, is sent there as an invocation record.
   */
  invokeAsync(nameOrArn: string, event: unknown, attempt = 1, enqueuedAt = this.clock.now()): void {
    const handler = this.handler(nameOrArn);
    const name = functionName(nameOrArn);
    const config = this.asyncConfigs.get(name);
    if (config?.maxEventAgeMs !== undefined && this.clock.now() - enqueuedAt > config.maxEventAgeMs) {
      this.discard(name, event, 'EventAgeExceeded', attempt - 1);
      return;
    }
    this.invocations.push({ at: this.clock.now(), functionName: name, event: cloneData(event), mode: 'Event' });
    const copy = cloneData(event);
    const attempts = 1 + (config?.retryAttempts ?? 2);
    this.clock.spawn(async () => {
      try {
        await asCaller(name, () =>
          onBehalfOf(deploymentOfEvent(copy), () => this.run({ functionName: name, event: copy, mode: 'Event' }, () => handler(copy))),
        );
      } catch (error) {
        if (attempt < attempts)
          this.clock.schedule(
            attempt * 60_000,
            () => this.invokeAsync(nameOrArn, event, attempt + 1, enqueuedAt),
            `lambda ${name} retry ${attempt}`,
          );
        else this.discard(name, event, 'RetriesExhausted', attempt, error);
        throw error;
      }
    }, `lambda ${name}`);
  }

  /**
   * The function's asynchronous invocation settings (AWS::Lambda::EventInvokeConfig): retries
   * (@default 2), maximum event age (@default six hours, not enforced), and the on-failure
   * destination function, which receives Lambda's invocation record.
   */
  configureAsyncInvoke(nameOrArn: string, config: AsyncInvokeConfig): void {
    this.asyncConfigs.set(functionName(nameOrArn), config);
  }

  /** Invocation records sent to on-failure destinations, in order. */
  readonly failureRecords: Array<{
    readonly at: number;
    readonly functionName: string;
    readonly destination: string;
    readonly record: InvocationRecord;
  }> = [];

  private discard(
    name: string,
    event: unknown,
    condition: InvocationRecord['requestContext']['condition'],
    invokeCount: number,
    error?: unknown,
  ): void {
    const destination = this.asyncConfigs.get(name)?.onFailure;
    if (!destination) return;
    // The record's shape: Lambda Developer Guide, "Capturing records of Lambda asynchronous invocations".
    const record: InvocationRecord = {
      version: '1.0',
      timestamp: new Date(this.clock.now()).toISOString(),
      requestContext: {
        requestId: `fake-${this.failureRecords.length + 1}`,
        functionArn: `arn:aws:lambda:us-east-1:111111111111:function:${name}:$LATEST`,
        condition,
        approximateInvokeCount: invokeCount,
      },
      requestPayload: cloneData(event),
      ...(condition === 'RetriesExhausted'
        ? {
            responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
            responsePayload: {
              errorType: error instanceof Error ? error.name : 'Error',
              errorMessage: error instanceof Error ? error.message : String(error),
            },
          }
        : {}),
    };
    this.failureRecords.push({ at: this.clock.now(), functionName: name, destination: functionName(destination), record });
    this.invokeAsync(destination, record);
  }

  private async run(invocation: Parameters<InvocationWrapper>[0], call: () => unknown): Promise<unknown> {
    return this.wrapper ? this.wrapper(invocation, async () => call()) : call();
  }

  private handler(nameOrArn: string): LambdaHandler {
    const handler = this.functions.get(functionName(nameOrArn));
    if (!handler) {
      throw new Error(
        `fake Lambda: no handler registered for function '${functionName(nameOrArn)}' (register it with world.lambda.register)`,
      );
    }
    return handler;
  }
}
