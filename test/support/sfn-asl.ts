/**
 * The subset of the Amazon States Language the fake Step Functions interprets.
 * Step Functions Developer Guide, "Amazon States Language": states Task, Choice, Wait, Pass,
 * Succeed, Fail; input and output processing InputPath → Parameters → (task) → ResultSelector →
 * ResultPath → OutputPath; reference paths `$`, `$.a.b`, `$.a[0]` and the context object `$$`;
 * Retry/Catch with ErrorEquals, IntervalSeconds (default 1), MaxAttempts (default 3),
 * BackoffRate (default 2.0), `States.ALL` and `States.TaskFailed`.
 */
import { NotModelledError } from './errors';

export type Json = any;

export interface Retrier {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
}

export interface Catcher {
  readonly ErrorEquals: string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

export interface AslState {
  readonly Type: 'Task' | 'Choice' | 'Wait' | 'Pass' | 'Succeed' | 'Fail';
  readonly Next?: string;
  readonly End?: boolean;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly ResultPath?: string | null;
  readonly Parameters?: Json;
  readonly ResultSelector?: Json;
  readonly Result?: Json;
  readonly Resource?: string;
  readonly Retry?: Retrier[];
  readonly Catch?: Catcher[];
  readonly Choices?: Json[];
  readonly Default?: string;
  readonly Seconds?: number;
  readonly SecondsPath?: string;
  readonly Timestamp?: string;
  readonly TimestampPath?: string;
  readonly Error?: string;
  readonly Cause?: string;
}

export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
  readonly Comment?: string;
}

/** A failure inside an execution: `error` is the ASL error name (e.g. States.Runtime). */
export class StatesError extends Error {
  constructor(
    public readonly error: string,
    public readonly causeText: string,
  ) {
    super(`${error}: ${causeText}`);
    this.name = error;
  }
}

export function validateDefinition(definition: AslDefinition): void {
  if (!definition || typeof definition.StartAt !== 'string' || !definition.States?.[definition.StartAt]) {
    throw new Error(`state machine definition: StartAt '${String(definition?.StartAt)}' must name a state in States`);
  }
  for (const [name, state] of Object.entries(definition.States)) {
    if (!['Task', 'Choice', 'Wait', 'Pass', 'Succeed', 'Fail'].includes(state.Type)) {
      throw new NotModelledError(`state type '${state.Type}' (state ${name})`);
    }
    for (const next of [
      state.Next,
      state.Default,
      ...(state.Choices ?? []).map((c: Json) => c.Next),
      ...(state.Catch ?? []).map((c) => c.Next),
    ]) {
      if (next !== undefined && !definition.States[next])
        throw new Error(`state machine definition: state ${name} refers to missing state '${next}'`);
    }
  }
}

/** Reads a reference path (`$`, `$.a.b[0]`, `$$.Execution.Id`). A missing field is States.Runtime. */
export function readPath(data: Json, path: string, context: Json): Json {
  const [root, rest] = path.startsWith('$$') ? [context, path.slice(2)] : [data, path.slice(1)];
  if (!path.startsWith('$')) throw new StatesError('States.Runtime', `'${path}' is not a reference path`);
  let value = root;
  for (const token of tokens(rest)) {
    if (value === null || value === undefined || !(token in Object(value))) {
      throw new StatesError('States.Runtime', `The JSONPath '${path}' could not be found in the input '${JSON.stringify(data)}'`);
    }
    value = value[token];
  }
  return value;
}

export function hasPath(data: Json, path: string, context: Json): boolean {
  try {
    readPath(data, path, context);
    return true;
  } catch {
    return false;
  }
}

/** Parameters / ResultSelector: keys ending in `.$` take a path's value; others are copied. */
export function resolvePayload(template: Json, data: Json, context: Json): Json {
  if (Array.isArray(template)) return template.map((item) => resolvePayload(item, data, context));
  if (template === null || typeof template !== 'object') return template;
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      if (typeof value !== 'string' || value.startsWith('States.')) throw new NotModelledError(`intrinsic function ${String(value)}`);
      result[key.slice(0, -2)] = readPath(data, value, context);
    } else {
      result[key] = resolvePayload(value, data, context);
    }
  }
  return result;
}

/** ResultPath: null keeps the input, `$` replaces it, `$.a.b` sets a field in a copy of the input. */
export function applyResultPath(input: Json, result: Json, resultPath: string | null | undefined): Json {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const copy = structuredClone(input ?? {});
  const path = tokens(resultPath.slice(1));
  let target = copy;
  path.slice(0, -1).forEach((token) => {
    if (typeof target[token] !== 'object' || target[token] === null) target[token] = {};
    target = target[token];
  });
  target[path[path.length - 1]] = result;
  return copy;
}

export function applyPath(data: Json, path: string | null | undefined, context: Json): Json {
  if (path === null) return {};
  if (path === undefined || path === '$') return data;
  return readPath(data, path, context);
}

/** Choice rules: comparison operators, their `Path` variants, IsPresent/IsNull, And/Or/Not. */
export function matches(rule: Json, data: Json, context: Json): boolean {
  if (rule.And) return rule.And.every((r: Json) => matches(r, data, context));
  if (rule.Or) return rule.Or.some((r: Json) => matches(r, data, context));
  if (rule.Not) return !matches(rule.Not, data, context);
  const variable: string = rule.Variable;
  if (rule.IsPresent !== undefined) return hasPath(data, variable, context) === rule.IsPresent;
  const value = readPath(data, variable, context);
  if (rule.IsNull !== undefined) return (value === null) === rule.IsNull;
  for (const [operator, operand] of Object.entries(rule)) {
    if (operator === 'Variable' || operator === 'Next') continue;
    const other = operator.endsWith('Path') ? readPath(data, operand as string, context) : operand;
    const op = operator.replace(/Path$/, '');
    const typed = (type: string) => typeof value === type;
    switch (op) {
      case 'BooleanEquals':
        return typed('boolean') && value === other;
      case 'StringEquals':
        return typed('string') && value === other;
      case 'NumericEquals':
        return typed('number') && value === other;
      case 'NumericGreaterThan':
        return typed('number') && value > (other as number);
      case 'NumericGreaterThanEquals':
        return typed('number') && value >= (other as number);
      case 'NumericLessThan':
        return typed('number') && value < (other as number);
      case 'NumericLessThanEquals':
        return typed('number') && value <= (other as number);
      case 'IsBoolean':
        return typed('boolean') === other;
      case 'IsNumeric':
        return typed('number') === other;
      case 'IsString':
        return typed('string') === other;
      default:
        throw new NotModelledError(`Choice operator ${operator}`);
    }
  }
  throw new Error(`Choice rule ${JSON.stringify(rule)} has no operator`);
}

/** Whether an error name matches a Retry/Catch ErrorEquals list. */
export function errorMatches(errorEquals: string[], error: string): boolean {
  return errorEquals.some((e) => e === error || e === 'States.ALL' || (e === 'States.TaskFailed' && error !== 'States.Timeout'));
}

function tokens(rest: string): string[] {
  const result: string[] = [];
  const pattern = /\.([A-Za-z0-9_\-$]+)|\[(\d+)\]|\['([^']+)'\]/g;
  let consumed = 0;
  for (const match of rest.matchAll(pattern)) {
    if (match.index !== consumed) break;
    result.push(match[1] ?? match[2] ?? match[3]);
    consumed += match[0].length;
  }
  if (consumed !== rest.length) throw new NotModelledError(`JSONPath '$${rest}' (only $.a.b[0] forms)`);
  return result;
}
