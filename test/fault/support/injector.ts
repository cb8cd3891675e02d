/**
 * Faults on every SDK call an engine function makes, and invocations that die after their k-th
 * call. Plugs into the fake through `world.interceptor` (each call) and `world.lambda.wrapper`
 * (each invocation). What it does is written to the run's trace.
 *
 * - throttle (ThrottlingException, 400) and 5xx (InternalFailure/ServiceUnavailable): the call is
 *   not applied;
 * - timeout (TimeoutError): half of them are applied and their response lost;
 * - death: the invocation's k-th call is applied, then the invocation ends as Lambda ends a
 *   function that crashed or timed out (every later call of it fails unanswered, and the invoker
 *   sees an error: Lambda retries an asynchronous event, Step Functions applies the task's Retry).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import type { CallInterceptor, FakeAws, InvocationWrapper } from '../../support';
import { releaseAfterAll } from '../../support/mocks';
import type { SeededRandom } from './random';

export interface FaultRates {
  /** Share of SDK calls that fail (after the SDK's own retries). */
  readonly perCall: number;
  /** Share of invocations that die after one of their first ten calls. */
  readonly perInvocation: number;
}

/** One invocation of an engine function, as the checks see it. */
export interface InvocationRecord {
  readonly id: number;
  readonly functionName: string;
  /** The deployment the event names (hook, guard event or tick input). */
  readonly deploymentId?: string;
  calls: number;
  dieAfter?: number;
  died: boolean;
}

/** What an engine write (the fake's write record's seq) or audit append (seq when answered) was made by. */
export interface CallOrigin {
  readonly invocation: InvocationRecord;
  readonly seq: number;
}

export class InvocationDiedError extends Error {
  constructor(functionName: string, afterCall: number) {
    super(`${functionName} died after its SDK call ${afterCall} (Lambda: Task timed out / Runtime.ExitError)`);
    this.name = 'InvocationDiedError';
  }
}

const WRITE_COMMANDS = new Set(['ModifyListenerCommand', 'CreateRuleCommand', 'ModifyRuleCommand', 'DeleteRuleCommand']);

/** The invocation the running code belongs to: one storage for every injector (one per run would each stay in Node's promise hook). */
const current = new AsyncLocalStorage<InvocationRecord>();
releaseAfterAll(current);

export class FaultInjector {
  private nextId = 1;
  readonly invocations: InvocationRecord[] = [];
  /** Engine listener writes (ModifyListener, rules) by the invocation that made them, in order. */
  readonly writes: CallOrigin[] = [];
  /** Audit appends (PutItem of a chain record) by the invocation that made them, in order. */
  readonly audits: CallOrigin[] = [];
  faults = 0;
  deaths = 0;
  /**
   * Refuses matching calls of engine invocations with the error it returns (not applied): e.g. a
   * parameter the engine may not read, or a scripted fault of one invocation.
   */
  block: ((call: { readonly command: string; readonly input: unknown }, invocation: InvocationRecord) => Error | undefined) | undefined;

  constructor(
    private readonly random: SeededRandom,
    private readonly rates: FaultRates,
    private readonly sequence: () => number,
    /** The sequence number of the fake's newest listener write. */
    private readonly lastWriteSeq: () => number | undefined,
    private readonly trace: (line: string) => void,
    private readonly auditTable: string,
    /** The write's weights in words, e.g. `svc-blue 95 / svc-green 5 (healthy: 2 / 2)`. */
    private readonly describeWrite: (seq: number) => string = () => '',
  ) {}

  /** An injector over `world`'s clock and listener writes, for the service whose audit table is `auditTable`; not yet attached. */
  static forWorld(
    world: FakeAws,
    auditTable: string,
    random: SeededRandom,
    rates: FaultRates,
    trace: (line: string) => void,
    describeWrite?: (seq: number) => string,
  ): FaultInjector {
    return new FaultInjector(
      random,
      rates,
      () => world.clock.sequence(),
      () => world.elbv2.writes.at(-1)?.seq,
      trace,
      auditTable,
      describeWrite,
    );
  }

  /** Routes `world`'s SDK calls and Lambda invocations through this injector. */
  attach(world: FakeAws): this {
    world.interceptor = this.intercept;
    world.lambda.wrapper = this.wrap;
    return this;
  }

  readonly intercept: CallInterceptor = async (call, answer) => {
    const invocation = current.getStore();
    if (!invocation) return answer();
    if (invocation.died) throw new InvocationDiedError(invocation.functionName, invocation.calls);
    invocation.calls += 1;
    const name = call.command.replace(/Command$/, '');
    const blocked = this.block?.(call, invocation);
    if (blocked) {
      this.trace(`${invocation.functionName}#${invocation.id} ${name}: ${blocked.name}, not applied`);
      throw blocked;
    }
    const fault = this.random.chance(this.rates.perCall) ? this.random.pick(['throttle', '5xx', 'timeout'] as const) : undefined;
    const applied = fault === 'timeout' && this.random.chance(0.5);
    if (fault && !applied) {
      this.faults += 1;
      this.trace(`${invocation.functionName}#${invocation.id} ${name}: ${fault}, not applied`);
      throw faultError(fault);
    }
    const result = await answer();
    this.note(invocation, call.command, call.input);
    if (invocation.dieAfter === invocation.calls) {
      invocation.died = true;
      this.deaths += 1;
      this.trace(`${invocation.functionName}#${invocation.id} dies after call ${invocation.calls} (${name}, applied)`);
      throw new InvocationDiedError(invocation.functionName, invocation.calls);
    }
    if (fault) {
      this.faults += 1;
      this.trace(`${invocation.functionName}#${invocation.id} ${name}: timeout, applied and response lost`);
      throw faultError(fault);
    }
    return result;
  };

  readonly wrap: InvocationWrapper = async (invocation, run) => {
    const record: InvocationRecord = {
      id: this.nextId++,
      functionName: invocation.functionName.replace(/^CodeDeployHook_svc-/, ''),
      ...(deploymentOf(invocation.event) ? { deploymentId: deploymentOf(invocation.event)! } : {}),
      calls: 0,
      died: false,
    };
    if (this.random.chance(this.rates.perInvocation)) record.dieAfter = this.random.int(1, 10);
    this.invocations.push(record);
    let failure: unknown;
    let result: unknown;
    try {
      result = await current.run(record, run);
    } catch (error) {
      failure = error;
    }
    if (record.died) throw new InvocationDiedError(record.functionName, record.calls);
    if (failure !== undefined) {
      this.trace(
        `${record.functionName}#${record.id} (${record.deploymentId ?? '?'}) failed: ${(failure as Error).name}: ${String((failure as Error).message).slice(0, 160)}`,
      );
      throw failure;
    }
    return result;
  };

  private note(invocation: InvocationRecord, command: string, input: unknown): void {
    const writeSeq = WRITE_COMMANDS.has(command) ? this.lastWriteSeq() : undefined;
    if (writeSeq !== undefined) {
      this.writes.push({ invocation, seq: writeSeq });
      this.trace(
        `${invocation.functionName}#${invocation.id} (${invocation.deploymentId ?? '?'}) ${command.replace(/Command$/, '')} ${this.describeWrite(writeSeq)}`,
      );
    }
    // The engine appends through the document client (PutCommand, plain values); PutItemCommand carries attribute values.
    const put =
      command === 'PutCommand' || command === 'PutItemCommand'
        ? (input as { TableName?: string; Item?: { sk?: number | { N?: string } } })
        : undefined;
    const sk = typeof put?.Item?.sk === 'number' ? put.Item.sk : Number(put?.Item?.sk?.N);
    if (put?.TableName === this.auditTable && sk >= 1) this.audits.push({ invocation, seq: this.sequence() });
  }
}

function faultError(kind: 'throttle' | '5xx' | 'timeout'): Error {
  const [name, message, status] =
    kind === 'throttle'
      ? ['ThrottlingException', 'Rate exceeded', 400]
      : kind === '5xx'
        ? ['InternalFailure', 'We encountered an internal error. Please try again.', 500]
        : ['TimeoutError', 'Connection timed out after 5000 ms', 0];
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status },
    $fault: kind === 'throttle' ? 'client' : 'server',
  });
}

/** The deployment a hook event, a guard event or a tick input names. */
export function deploymentOf(event: unknown): string | undefined {
  const e = event as {
    DeploymentId?: string;
    detail?: { deploymentId?: string };
    input?: { deploymentId?: string };
    deploymentId?: string;
  };
  return e?.DeploymentId ?? e?.detail?.deploymentId ?? e?.input?.deploymentId ?? e?.deploymentId;
}
