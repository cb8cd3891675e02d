/**
 * DynamoDB condition, key-condition, filter and update expressions over plain JS items.
 * DynamoDB Developer Guide, "Condition and filter expressions, operators, and functions":
 * comparators = <> < <= > >=, BETWEEN a AND b, IN (…), AND / OR / NOT, parentheses, functions
 * attribute_exists, attribute_not_exists, begins_with, contains, size; names `#n` and values `:v`
 * are substituted from ExpressionAttributeNames / ExpressionAttributeValues. Comparing values of
 * different types is false. "Update expressions": SET (with `+`/`-` and if_not_exists), REMOVE, ADD.
 */
import { cloneData } from './clone';
import { NotModelledError } from './errors';

type Item = Record<string, any>;
type Node =
  | { kind: 'or' | 'and'; left: Node; right: Node }
  | { kind: 'not'; operand: Node }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'between'; value: Operand; low: Operand; high: Operand }
  | { kind: 'in'; value: Operand; options: Operand[] }
  | { kind: 'function'; name: string; args: Operand[] };
type Operand = { kind: 'path'; path: string[] } | { kind: 'value'; name: string } | { kind: 'size'; path: string[] };

export interface ExpressionContext {
  readonly names?: Record<string, string>;
  readonly values?: Record<string, unknown>;
}

/** A malformed expression; the fake turns it into ValidationException. */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

const TOKEN = /\s*(<>|<=|>=|=|<|>|\(|\)|,|\+|-|[#:]?[A-Za-z_][A-Za-z0-9_.#[\]]*)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) {
      if (/^\s*$/.test(text.slice(start))) break;
      throw new ExpressionError(`Invalid expression: syntax error near '${text.slice(start, start + 12)}' in "${text}"`);
    }
    tokens.push(match[1]);
  }
  return tokens;
}

export function parseCondition(text: string, context: ExpressionContext): Node {
  const parser = new Parser(tokenize(text), context, text);
  const node = parser.expression();
  parser.end();
  return node;
}

export function evaluate(node: Node, item: Item, context: ExpressionContext): boolean {
  switch (node.kind) {
    case 'or':
      return evaluate(node.left, item, context) || evaluate(node.right, item, context);
    case 'and':
      return evaluate(node.left, item, context) && evaluate(node.right, item, context);
    case 'not':
      return !evaluate(node.operand, item, context);
    case 'compare':
      return compare(node.op, operandValue(node.left, item, context), operandValue(node.right, item, context));
    case 'between': {
      const value = operandValue(node.value, item, context);
      return compare('>=', value, operandValue(node.low, item, context)) && compare('<=', value, operandValue(node.high, item, context));
    }
    case 'in':
      return node.options.some((o) => compare('=', operandValue(node.value, item, context), operandValue(o, item, context)));
    case 'function': {
      const [first, second] = node.args;
      const value = operandValue(first, item, context);
      switch (node.name) {
        case 'attribute_exists':
          return value !== undefined;
        case 'attribute_not_exists':
          return value === undefined;
        case 'begins_with':
          return typeof value === 'string' && value.startsWith(String(operandValue(second, item, context)));
        case 'contains': {
          const needle = operandValue(second, item, context);
          return typeof value === 'string'
            ? value.includes(String(needle))
            : Array.isArray(value) || value instanceof Set
              ? [...value].includes(needle)
              : false;
        }
        default:
          throw new NotModelledError(`condition function ${node.name}`);
      }
    }
  }
}

/** The attribute paths compared with `=` at the top level (AND chain), e.g. the partition key. */
export function equalityPaths(node: Node): string[] {
  if (node.kind === 'and') return [...equalityPaths(node.left), ...equalityPaths(node.right)];
  if (node.kind === 'compare' && node.op === '=' && node.left.kind === 'path') return [node.left.path.join('.')];
  return [];
}

/** Every attribute path an expression mentions at the top level (for key-condition validation). */
export function mentionedPaths(node: Node): string[] {
  switch (node.kind) {
    case 'or':
    case 'and':
      return [...mentionedPaths(node.left), ...mentionedPaths(node.right)];
    case 'not':
      return mentionedPaths(node.operand);
    case 'compare':
      return [node.left, node.right].flatMap((o) => (o.kind === 'path' ? [o.path.join('.')] : []));
    case 'between':
    case 'in':
      return node.value.kind === 'path' ? [node.value.path.join('.')] : [];
    case 'function':
      return node.args.flatMap((o) => (o.kind === 'path' ? [o.path.join('.')] : []));
  }
}

/** Applies an update expression to a copy of `item`. */
export function applyUpdate(text: string, item: Item, context: ExpressionContext): Item {
  const result = cloneData(item);
  const clauses = text
    .split(/\b(SET|REMOVE|ADD|DELETE)\b/i)
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = 0; i < clauses.length; i += 2) {
    const keyword = clauses[i].toUpperCase();
    const body = clauses[i + 1] ?? '';
    for (const part of splitTopLevel(body)) {
      if (keyword === 'SET') {
        const [target, expression] = part.split(/=(.*)/s).map((s) => s.trim());
        setPath(result, resolvePath(target, context), setValue(expression, result, context));
      } else if (keyword === 'REMOVE') {
        const path = resolvePath(part.trim(), context);
        const parent = path.slice(0, -1).reduce((o: any, k) => o?.[k], result);
        if (parent) delete parent[path[path.length - 1]];
      } else if (keyword === 'ADD') {
        const [target, valueName] = part.trim().split(/\s+/);
        const path = resolvePath(target, context);
        const current = getPath(result, path) ?? 0;
        setPath(result, path, current + (lookupValue(valueName, context) as number));
      } else {
        throw new NotModelledError(`update clause ${keyword}`);
      }
    }
  }
  return result;
}

function setValue(expression: string, item: Item, context: ExpressionContext): unknown {
  const arithmetic = /^(.+?)\s*([+-])\s*(.+)$/.exec(expression);
  if (arithmetic && !expression.startsWith('if_not_exists')) {
    const left = setValue(arithmetic[1], item, context) as number;
    const right = setValue(arithmetic[3], item, context) as number;
    return arithmetic[2] === '+' ? left + right : left - right;
  }
  const ifNotExists = /^if_not_exists\s*\(\s*([^,]+),\s*([^)]+)\)\s*(?:([+-])\s*(.+))?$/.exec(expression);
  if (ifNotExists) {
    const existing = getPath(item, resolvePath(ifNotExists[1].trim(), context));
    const base = (existing ?? lookupValue(ifNotExists[2].trim(), context)) as number;
    if (!ifNotExists[3]) return base;
    const delta = setValue(ifNotExists[4].trim(), item, context) as number;
    return ifNotExists[3] === '+' ? base + delta : base - delta;
  }
  if (expression.startsWith(':')) return lookupValue(expression, context);
  return getPath(item, resolvePath(expression, context));
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of body) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (current.trim()) parts.push(current);
  return parts;
}

class Parser {
  private index = 0;
  constructor(
    private readonly tokens: string[],
    private readonly context: ExpressionContext,
    private readonly text: string,
  ) {}

  expression(): Node {
    let node = this.conjunction();
    while (this.peekKeyword('OR')) {
      this.index++;
      node = { kind: 'or', left: node, right: this.conjunction() };
    }
    return node;
  }

  end(): void {
    if (this.index < this.tokens.length) this.fail(`unexpected '${this.tokens[this.index]}'`);
  }

  private conjunction(): Node {
    let node = this.negation();
    while (this.peekKeyword('AND')) {
      this.index++;
      node = { kind: 'and', left: node, right: this.negation() };
    }
    return node;
  }

  private negation(): Node {
    if (this.peekKeyword('NOT')) {
      this.index++;
      return { kind: 'not', operand: this.negation() };
    }
    return this.primary();
  }

  private primary(): Node {
    const token = this.tokens[this.index];
    if (token === '(') {
      this.index++;
      const node = this.expression();
      this.expect(')');
      return node;
    }
    if (
      /^(attribute_exists|attribute_not_exists|begins_with|contains|attribute_type)$/.test(token) &&
      this.tokens[this.index + 1] === '('
    ) {
      this.index += 2;
      const args = [this.operand()];
      while (this.tokens[this.index] === ',') {
        this.index++;
        args.push(this.operand());
      }
      this.expect(')');
      return { kind: 'function', name: token, args };
    }
    const left = this.operand();
    const op = this.tokens[this.index];
    if (['=', '<>', '<', '<=', '>', '>='].includes(op)) {
      this.index++;
      return { kind: 'compare', op, left, right: this.operand() };
    }
    if (this.peekKeyword('BETWEEN')) {
      this.index++;
      const low = this.operand();
      if (!this.peekKeyword('AND')) this.fail('BETWEEN needs AND');
      this.index++;
      return { kind: 'between', value: left, low, high: this.operand() };
    }
    if (this.peekKeyword('IN')) {
      this.index++;
      this.expect('(');
      const options = [this.operand()];
      while (this.tokens[this.index] === ',') {
        this.index++;
        options.push(this.operand());
      }
      this.expect(')');
      return { kind: 'in', value: left, options };
    }
    return this.fail(`expected a comparison after '${token}'`);
  }

  private operand(): Operand {
    const token = this.tokens[this.index++];
    if (token === undefined) this.fail('unexpected end');
    if (token.startsWith(':')) {
      if (!this.context.values || !(token in this.context.values)) {
        throw new ExpressionError(
          `Value provided in ExpressionAttributeValues unused or missing: An expression attribute value used in expression is not defined; attribute value: ${token}`,
        );
      }
      return { kind: 'value', name: token };
    }
    if (token === 'size' && this.tokens[this.index] === '(') {
      this.index++;
      const inner = this.tokens[this.index++];
      this.expect(')');
      return { kind: 'size', path: resolvePath(inner, this.context) };
    }
    return { kind: 'path', path: resolvePath(token, this.context) };
  }

  private peekKeyword(word: string): boolean {
    return this.tokens[this.index]?.toUpperCase() === word;
  }

  private expect(token: string): void {
    if (this.tokens[this.index] !== token) this.fail(`expected '${token}'`);
    this.index++;
  }

  private fail(message: string): never {
    throw new ExpressionError(`Invalid expression "${this.text}": ${message}`);
  }
}

function resolvePath(token: string, context: ExpressionContext): string[] {
  return token.split('.').map((part) => {
    if (!part.startsWith('#')) return part;
    const name = context.names?.[part];
    if (name === undefined) {
      throw new ExpressionError(`An expression attribute name used in the document path is not defined; attribute name: ${part}`);
    }
    return name;
  });
}

function lookupValue(name: string, context: ExpressionContext): unknown {
  if (!context.values || !(name in context.values)) {
    throw new ExpressionError(`An expression attribute value used in expression is not defined; attribute value: ${name}`);
  }
  return context.values[name];
}

function getPath(item: Item, path: string[]): any {
  return path.reduce((value: any, key) => (value === undefined || value === null ? undefined : value[key]), item);
}

function setPath(item: Item, path: string[], value: unknown): void {
  const parent = path.slice(0, -1).reduce((o: any, k) => (o[k] ??= {}), item);
  parent[path[path.length - 1]] = value;
}

function operandValue(operand: Operand, item: Item, context: ExpressionContext): unknown {
  if (operand.kind === 'value') return context.values?.[operand.name];
  const value = getPath(item, operand.path);
  if (operand.kind === 'size')
    return typeof value === 'string' || Array.isArray(value) ? value.length : value instanceof Set ? value.size : undefined;
  return value;
}

function compare(op: string, left: any, right: any): boolean {
  if (left === undefined || right === undefined) return op === '<>' ? left !== right : false;
  if (typeof left !== typeof right) return op === '<>';
  if (typeof left === 'object') {
    const same = JSON.stringify(left) === JSON.stringify(right);
    return op === '=' ? same : op === '<>' ? !same : false;
  }
  switch (op) {
    case '=':
      return left === right;
    case '<>':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    default:
      return left >= right;
  }
}
