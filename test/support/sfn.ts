/**
 * Fake AWS Step Functions (standard workflows): StartExecution with name idempotency,
 * DescribeExecution, StopExecution, ListExecutions, and an interpreter for the ASL subset in
 * sfn-asl.ts that invokes registered Lambda handlers and waits on the fake clock.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  InvalidExecutionInput,
  InvalidName,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';

import type { FakeClock } from './clock';
import { ACCOUNT, awsError, NotModelledError, REGION } from './errors';
import type { FakeLambda } from './lambda';
import type { Handlers } from './mocks';
import {
  applyPath,
  applyResultPath,
  type AslDefinition,
  type AslState,
  errorMatches,
  type Json,
  matches,
  readPath,
  resolvePayload,
  StatesError,
  validateDefinition,
} from './sfn-asl';

export interface Execution {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly input: string;
  readonly startDate: number;
  status: ExecutionStatus;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** State transitions so far (what Step Functions bills for standard workflows). */
  transitions: number;
  readonly history: Array<{ at: number; state: string; type: string }>;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
// StartExecution — Step Functions API Reference: a name must not contain whitespace, brackets,
// wildcards, special characters " # % \ ^ | ~ ` $ & , ; : / or control characters; 1–80 characters.
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export class FakeStepFunctions {
  readonly stateMachines = new Map<string, { name: string; definition: AslDefinition }>();
  readonly executions = new Map<string, Execution>();

  constructor(
    private readonly clock: FakeClock,
    private readonly lambda: FakeLambda,
  ) {}

  /** Test setup: a state machine from an ASL object or JSON string. Returns its ARN. */
  addStateMachine(name: string, definition: AslDefinition | string): string {
    const parsed: AslDefinition = typeof definition === 'string' ? JSON.parse(definition) : structuredClone(definition);
    validateDefinition(parsed);
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
    this.stateMachines.set(arn, { name, definition: parsed });
    return arn;
  }

  /**
   * StartExecution — Step Functions API Reference: "If StartExecution is called with the same name
   * and input as a running execution, the call succeeds and return the same response as the
   * original request. If the execution is closed or if the input is different, it returns a 400
   * ExecutionAlreadyExists error." Input must be JSON (InvalidExecutionInput), default "{}".
   */
  startExecution(input: { stateMachineArn?: string; name?: string; input?: string }) {
    const machine = input.stateMachineArn ? this.stateMachines.get(input.stateMachineArn) : undefined;
    if (!machine) throw awsError(StateMachineDoesNotExist, `State Machine Does Not Exist: '${String(input.stateMachineArn)}'`);
    const name = input.name ?? crypto.randomUUID();
    if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name)) {
      throw awsError(InvalidName, `Invalid Name: '${name}' (1-80 characters, no whitespace, brackets, wildcards or special characters)`);
    }
    const text = input.input ?? '{}';
    try {
      JSON.parse(text);
    } catch (error) {
      throw awsError(InvalidExecutionInput, `Invalid State Machine Execution Input: '${(error as Error).message}'`);
    }
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === text) {
        return { executionArn: existing.arn, startDate: new Date(existing.startDate) };
      }
      throw awsError(ExecutionAlreadyExists, `Execution Already Exists: '${arn}'`);
    }
    const execution: Execution = {
      arn,
      name,
      stateMachineArn: input.stateMachineArn!,
      input: text,
      startDate: this.clock.now(),
      status: 'RUNNING',
      transitions: 0,
      history: [],
    };
    this.executions.set(arn, execution);
    this.clock.spawn(() => this.run(execution, machine.definition), `sfn ${name}`);
    return { executionArn: arn, startDate: new Date(execution.startDate) };
  }

  /** DescribeExecution — unknown ARN → ExecutionDoesNotExist. */
  describeExecution(input: { executionArn?: string }) {
    const e = this.execution(input.executionArn);
    return {
      executionArn: e.arn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: new Date(e.startDate),
      stopDate: e.stopDate === undefined ? undefined : new Date(e.stopDate),
      input: e.input,
      output: e.output,
      error: e.error,
      cause: e.cause,
    };
  }

  /** StopExecution — Step Functions API Reference: a running execution becomes ABORTED with the given error and cause. */
  stopExecution(input: { executionArn?: string; error?: string; cause?: string }) {
    const e = this.execution(input.executionArn);
    if (e.status === 'RUNNING') this.close(e, 'ABORTED', { error: input.error, cause: input.cause });
    return { stopDate: new Date(e.stopDate ?? this.clock.now()) };
  }

  listExecutions(input: { stateMachineArn?: string; statusFilter?: ExecutionStatus }) {
    if (!input.stateMachineArn || !this.stateMachines.has(input.stateMachineArn)) {
      throw awsError(StateMachineDoesNotExist, `State Machine Does Not Exist: '${String(input.stateMachineArn)}'`);
    }
    const executions = [...this.executions.values()]
      .filter((e) => e.stateMachineArn === input.stateMachineArn && (!input.statusFilter || e.status === input.statusFilter))
      .reverse();
    return {
      executions: executions.map((e) => ({
        executionArn: e.arn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: new Date(e.startDate),
        stopDate: e.stopDate === undefined ? undefined : new Date(e.stopDate),
      })),
    };
  }

  execution(arn: string | undefined): Execution {
    const e = arn ? this.executions.get(arn) : undefined;
    if (!e) throw awsError(ExecutionDoesNotExist, `Execution Does Not Exist: '${String(arn)}'`);
    return e;
  }

  private async run(e: Execution, definition: AslDefinition): Promise<void> {
    let data: Json = JSON.parse(e.input);
    let name = definition.StartAt;
    for (;;) {
      if (e.status !== 'RUNNING') return;
      const state = definition.States[name];
      e.transitions += 1;
      e.history.push({ at: this.clock.now(), state: name, type: state.Type });
      const context = {
        Execution: { Id: e.arn, Name: e.name, StartTime: new Date(e.startDate).toISOString(), Input: JSON.parse(e.input) },
        State: { Name: name, EnteredTime: this.clock.iso() },
        StateMachine: { Id: e.stateMachineArn },
      };
      let next: string | undefined;
      try {
        ({ data, next } = await this.step(e, state, data, context));
      } catch (error) {
        const failure = error instanceof StatesError ? error : new StatesError('States.Runtime', (error as Error).message);
        if (error instanceof NotModelledError) throw error;
        if (e.status === 'RUNNING') this.close(e, 'FAILED', { error: failure.error, cause: failure.causeText });
        return;
      }
      if (e.status !== 'RUNNING') return;
      if (state.Type === 'Fail') return this.close(e, 'FAILED', { error: state.Error, cause: state.Cause });
      if (next === undefined) return this.close(e, 'SUCCEEDED', { output: JSON.stringify(data) });
      name = next;
    }
  }

  private async step(e: Execution, state: AslState, raw: Json, context: Json): Promise<{ data: Json; next?: string }> {
    const input = applyPath(raw, state.InputPath, context);
    const finish = (data: Json) => ({ data: applyPath(data, state.OutputPath, context), next: state.End ? undefined : state.Next });
    switch (state.Type) {
      case 'Succeed':
      case 'Fail':
        return { data: applyPath(input, state.OutputPath, context) };
      case 'Pass': {
        const result = 'Result' in state ? state.Result : state.Parameters ? resolvePayload(state.Parameters, input, context) : input;
        return finish(applyResultPath(raw, result, state.ResultPath));
      }
      case 'Wait': {
        await this.clock.sleep(this.waitMs(state, input, context));
        return finish(input);
      }
      case 'Choice': {
        const rule = (state.Choices ?? []).find((r) => matches(r, input, context));
        const next = rule?.Next ?? state.Default;
        if (!next) throw new StatesError('States.NoChoiceMatched', `No Choice matched and no Default in input ${JSON.stringify(input)}`);
        return { data: applyPath(input, state.OutputPath, context), next };
      }
      case 'Task': {
        const effective = state.Parameters ? resolvePayload(state.Parameters, input, context) : input;
        const outcome = await this.taskWithRetry(e, state, effective);
        if ('caught' in outcome) return { data: applyResultPath(raw, outcome.caught, outcome.resultPath), next: outcome.next };
        const selected = state.ResultSelector ? resolvePayload(state.ResultSelector, outcome.result, context) : outcome.result;
        return finish(applyResultPath(raw, selected, state.ResultPath));
      }
    }
  }

  /** Wait — ASL: Seconds / SecondsPath (a non-negative integer) / Timestamp / TimestampPath. */
  private waitMs(state: AslState, input: Json, context: Json): number {
    if (state.Seconds !== undefined) return state.Seconds * 1000;
    if (state.SecondsPath) {
      const seconds = readPath(input, state.SecondsPath, context);
      if (!Number.isInteger(seconds) || seconds < 0) {
        throw new StatesError(
          'States.Runtime',
          `SecondsPath '${state.SecondsPath}' resolved to ${JSON.stringify(seconds)}: a non-negative integer is required`,
        );
      }
      return seconds * 1000;
    }
    const stamp = state.Timestamp ?? (state.TimestampPath ? readPath(input, state.TimestampPath, context) : undefined);
    if (typeof stamp === 'string') return Math.max(0, Date.parse(stamp) - this.clock.now());
    throw new StatesError('States.Runtime', 'Wait state needs Seconds, SecondsPath, Timestamp or TimestampPath');
  }

  private async taskWithRetry(
    e: Execution,
    state: AslState,
    payload: Json,
  ): Promise<{ result: Json } | { caught: Json; next: string; resultPath?: string | null }> {
    const attempts = new Map<number, number>();
    for (;;) {
      try {
        return { result: await this.invoke(state, payload) };
      } catch (error) {
        if (error instanceof NotModelledError) throw error;
        const name = (error as Error).name || 'Error';
        const message = (error as Error).message ?? String(error);
        const index = (state.Retry ?? []).findIndex((r) => errorMatches(r.ErrorEquals, name));
        const retrier = state.Retry?.[index];
        const used = attempts.get(index) ?? 0;
        if (retrier && used < (retrier.MaxAttempts ?? 3) && e.status === 'RUNNING') {
          attempts.set(index, used + 1);
          await this.clock.sleep((retrier.IntervalSeconds ?? 1) * 1000 * (retrier.BackoffRate ?? 2) ** used);
          if (e.status !== 'RUNNING') throw new StatesError('States.Aborted', 'execution stopped');
          continue;
        }
        const catcher = (state.Catch ?? []).find((c) => errorMatches(c.ErrorEquals, name));
        if (catcher) return { caught: { Error: name, Cause: message }, next: catcher.Next, resultPath: catcher.ResultPath };
        throw new StatesError(name, message);
      }
    }
  }

  /**
   * Lambda integrations — Step Functions Developer Guide, "Invoke Lambda": the optimized
   * `arn:aws:states:::lambda:invoke` returns `{ ExecutedVersion, Payload, StatusCode, … }`
   * (CDK's LambdaInvoke selects `$.Payload`); a function ARN as Resource returns the payload.
   */
  private async invoke(state: AslState, payload: Json): Promise<Json> {
    if (state.Resource === LAMBDA_INVOKE) {
      if (!payload?.FunctionName) throw new StatesError('States.Runtime', 'lambda:invoke needs Parameters.FunctionName');
      const result = await this.lambda.invoke(payload.FunctionName, payload.Payload ?? {});
      return {
        ExecutedVersion: '$LATEST',
        Payload: result ?? null,
        StatusCode: 200,
        SdkHttpMetadata: { HttpStatusCode: 200 },
        SdkResponseMetadata: {},
      };
    }
    if (state.Resource && /^arn:aws[a-z-]*:lambda:/.test(state.Resource))
      return (await this.lambda.invoke(state.Resource, payload)) ?? null;
    throw new NotModelledError(`Task Resource ${String(state.Resource)}`);
  }

  private close(e: Execution, status: ExecutionStatus, fields: { output?: string; error?: string; cause?: string }): void {
    e.status = status;
    e.stopDate = this.clock.now();
    Object.assign(e, fields);
  }

  handlers(): Handlers {
    return {
      client: SFNClient,
      commands: [
        [StartExecutionCommand, (i) => this.startExecution(i as never)],
        [DescribeExecutionCommand, (i) => this.describeExecution(i as never)],
        [StopExecutionCommand, (i) => this.stopExecution(i as never)],
        [ListExecutionsCommand, (i) => this.listExecutions(i as never)],
      ],
    };
  }
}
