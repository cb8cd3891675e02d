/**
 * Reads `services/*.yaml`, validates every file and reports every problem at once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type Document, isMap, isScalar, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import type { z } from 'zod';

import { formatBytes, MAX_SERVICE_FILE_BYTES } from './aws-limits';
import { fargateSizeProblem } from './fargate-sizes';
import { ConfigError, type ConfigProblem } from './problems';
import { runtimeIssuesOfRaw } from './runtime-schema';
import { cdkDeployWaitIssue, constructConfigSchema, rolloutSchema, type ServiceConfig, serviceConfigSchema } from './schema';
import { encodingProblem, firstUnsupportedTag, STACK_OVERFLOW, yamlDirectiveProblem } from './yaml-checks';

/** Service files: `<name>.yaml` or `.yml`, in any letter case (`orders.YAML` is read too). */
export const SERVICE_FILE_PATTERN = /\.ya?ml$/i;

/** Most alias expansions a file may need; more is a "billion laughs" file, refused before it expands. */
export const MAX_YAML_ALIASES = 100;

/** Where `bin/app.ts` looks for service files unless told otherwise. */
export const DEFAULT_SERVICES_DIR = 'services';

/** Environment variable that overrides the services directory (tests, benchmarks). */
export const SERVICES_DIR_ENV = 'ECS_CANARY_SERVICES_DIR';

/**
 * Loads and validates every `*.yaml` / `*.yml` file in `dir`, in name order.
 * @throws ConfigError listing every problem of every file, and duplicate service names.
 */
export function loadServiceConfigs(dir: string): ServiceConfig[] {
  const { configs, problems } = readServiceConfigs(dir);
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}

/**
 * Like `loadServiceConfigs`, but returns the valid configurations with the problems of the
 * others, so later checks (the constructs') can join the same report.
 * @throws ConfigError when the directory is missing or holds no service file.
 */
export function readServiceConfigs(dir: string): { configs: ServiceConfig[]; problems: ConfigProblem[] } {
  const shown = dir.trim() === '' ? JSON.stringify(dir) : displayPath(dir);
  if (dir.trim() === '' || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    // An empty ECS_CANARY_SERVICES_DIR (or servicesDir context) would name the working directory's nothing.
    const got = dir.trim() === '' ? 'an empty path' : fs.existsSync(dir) ? 'a file, not a directory' : 'no such directory';
    throw new ConfigError([
      { file: shown, field: '(directory)', line: `${shown}: ${got}; create a directory and add one <name>.yaml per service` },
    ]);
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => SERVICE_FILE_PATTERN.test(f))
    .sort()
    .map((f) => path.join(dir, f));
  if (files.length === 0) {
    throw new ConfigError([
      { file: shown, field: '(directory)', line: `${shown}: no service files; add one <name>.yaml per service (see services/demo.yaml)` },
    ]);
  }
  const problems: ConfigProblem[] = [];
  const configs: ServiceConfig[] = [];
  const names: { file: string; name: string }[] = [];
  for (const file of files) {
    const result = readServiceFile(file);
    if (result.success) configs.push(result.config);
    else problems.push(...result.problems);
    // Names are compared even in files with other problems, so every problem shows at once.
    if (result.name !== undefined) names.push({ file: displayPath(file), name: result.name });
  }
  const duplicates = duplicateNameProblems(names);
  problems.push(...duplicates);
  // A later file reusing a name is not built: its stack would clash with the first one.
  const refused = new Set(duplicates.map((p) => p.file));
  return { configs: configs.filter((c) => !refused.has(sources.get(c) ?? '')), problems };
}

/** Loads and validates one file. @throws ConfigError with every problem of the file. */
export function loadServiceConfigFile(file: string): ServiceConfig {
  const result = readServiceFile(file);
  if (!result.success) throw new ConfigError(result.problems);
  return result.config;
}

/** Which file each loaded configuration came from, so later checks (the stack's region) can name it. */
const sources = new WeakMap<object, string>();

/** The file a configuration was loaded from, as shown in messages; undefined for one built in code. */
export function configSource(config: unknown): string | undefined {
  return config !== null && typeof config === 'object' ? sources.get(config) : undefined;
}

/**
 * Reads one file, refusing before reading it anything but a regular file (a directory, a dangling
 * symbolic link or a FIFO named `x.yaml`; reading a FIFO would block) and an oversized one.
 */
function readServiceFile(file: string): ParseResult {
  const shown = displayPath(file);
  const kind = fileKindProblem(file, shown);
  if (kind) return { success: false, problems: [kind] };
  const size = fs.statSync(file).size;
  const result =
    size > MAX_SERVICE_FILE_BYTES ? { success: false as const, problems: [fileSizeProblem(shown, size)] } : parseFileBytes(file, shown);
  if (result.success) sources.set(result.config, shown);
  return result;
}

/** Decodes the file as UTF-8, refusing UTF-16, binary and other encodings, whose text would read as garbage. */
function parseFileBytes(file: string, shown: string): ParseResult {
  const bytes = fs.readFileSync(file);
  const encoding = encodingProblem(bytes);
  if (encoding)
    return { success: false, problems: [{ file: shown, field: '(file)', line: `${shown}: got ${encoding}; accepted: UTF-8 text` }] };
  return parseServiceConfig(bytes.toString('utf8'), shown);
}

/** The problem when `file` is not a readable regular file (symbolic links are followed). */
function fileKindProblem(file: string, shown: string): ConfigProblem | undefined {
  const problem = (got: string) => ({
    file: shown,
    field: '(file)',
    line: `${shown}: got ${got}; accepted: a regular file holding one service's YAML`,
  });
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) {
      return problem(`a symbolic link to ${fs.readlinkSync(file)}, which does not exist`);
    }
    // No file at all: the caller named a path that is not there (the CLI says which option to fix).
    if (code === 'ENOENT') throw error;
    return problem(`a file that cannot be read (${code ?? (error as Error).message})`);
  }
  if (stat.isFile()) {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      return undefined;
    } catch (error) {
      return problem(`a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  if (stat.isDirectory()) return problem('a directory');
  if (stat.isFIFO()) return problem('a named pipe (FIFO)');
  if (stat.isSocket()) return problem('a socket');
  return problem('a device file');
}

function fileSizeProblem(file: string, bytes: number): ConfigProblem {
  return {
    file,
    field: '(file)',
    line: `${file}: got ${formatBytes(bytes)} bytes; accepted: a service file of at most ${formatBytes(MAX_SERVICE_FILE_BYTES)} bytes (128 KiB; its largest part, environment, is limited to 60 KiB by ECS)`,
  };
}

export type ParseResult =
  | { readonly success: true; readonly config: ServiceConfig; readonly name: string }
  | { readonly success: false; readonly problems: ConfigProblem[]; /** The `name` field when it is a string. */ readonly name?: string };

/**
 * Validates a configuration given as an object (a CDK app that builds `CanaryService` itself);
 * `source` names it in the messages, such as the construct path. Unlike a file, it may leave out
 * `image` (the construct's `image` or `taskDefinition` prop replaces it).
 * @throws ConfigError with every problem.
 */
export function validateServiceConfig(input: unknown, source: string): ServiceConfig {
  const parsed = constructConfigSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => issueProblem(source, issue));
  if (input && typeof input === 'object') problems.push(...fallbackProblems(source, input as Record<string, unknown>, problems));
  throw new ConfigError(problems);
}

/** Validates the YAML text of one service file; `file` is used in the messages only. */
export function parseServiceConfig(text: string, file: string): ParseResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SERVICE_FILE_BYTES) return { success: false, problems: [fileSizeProblem(file, bytes)] };
  // Duplicate keys are found below in one pass: the parser's own check compares every pair of keys.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true, lineCounter });
  const directive = yamlDirectiveProblem(doc, text, file);
  if (directive !== undefined) return { success: false, problems: [{ file, field: '(yaml)', line: directive }] };
  if (doc.errors.length === 0) {
    const tagged = firstUnsupportedTag(doc, text);
    if (tagged !== undefined) {
      const at = lineCounter.linePos(tagged.offset);
      return {
        success: false,
        problems: [
          {
            file,
            field: '(yaml)',
            line: `${file}:${at.line}:${at.col}: not valid here: the YAML tag ${tagged.tag}; accepted: plain values without tags (a service file is not a CloudFormation template: write the value itself)`,
          },
        ],
      };
    }
    const duplicate = firstDuplicateKey(doc);
    if (duplicate !== undefined) {
      const at = lineCounter.linePos(duplicate.offset);
      return {
        success: false,
        problems: [
          {
            file,
            field: '(yaml)',
            line: `${file}:${at.line}:${at.col}: not valid YAML: key ${describeValue(duplicate.key)} appears twice in the same mapping; accepted: each key once`,
          },
        ],
      };
    }
  }
  if (doc.errors.some((e) => e.message.includes(STACK_OVERFLOW))) {
    // The parser gives up on deeply nested brackets with one error per level it unwinds: say it once.
    return {
      success: false,
      problems: [
        {
          file,
          field: '(yaml)',
          line: `${file}: not valid YAML: its lists or mappings nest too deeply to read; accepted: the nesting of a service file (a few levels)`,
        },
      ],
    };
  }
  if (doc.errors.length > 0) {
    return {
      success: false,
      problems: doc.errors.map((e) => {
        const at = e.linePos?.[0];
        const where = at ? `${file}:${at.line}:${at.col}` : file;
        return { file, field: '(yaml)', line: `${where}: not valid YAML: ${yamlErrorText(e)}` };
      }),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // yaml refuses to expand more aliases than allowed ("resource exhaustion"); nothing else throws here.
    if (!(error instanceof ReferenceError)) throw error;
    return {
      success: false,
      problems: [
        {
          file,
          field: '(yaml)',
          line: `${file}: not valid YAML: its aliases (*name) expand beyond ${MAX_YAML_ALIASES} references, as an alias bomb does; accepted: a file that repeats values directly or uses few aliases`,
        },
      ],
    };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      success: false,
      problems: [{ file, field: '(file)', line: `${file}: got ${describeValue(raw)}; accepted: a mapping with at least name and image` }],
    };
  }
  const parsed = serviceConfigSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return { success: true, config: parsed.data, name: parsed.data.name };
  const problems = parsed.error.issues.map((issue) => issueProblem(file, issue));
  problems.push(...fallbackProblems(file, raw as Record<string, unknown>, problems));
  const name = (raw as { name?: unknown }).name;
  return { success: false, problems, ...(typeof name === 'string' ? { name } : {}) };
}

/** The YAML parser's message in the service file's terms: one line, no library names. */
function yamlErrorText(error: YAMLError): string {
  if (error.code === 'MULTIPLE_DOCS')
    return 'the file holds more than one YAML document (a line "---" starts a second one); accepted: one document per file, one file per service';
  return error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** The first key repeated in a mapping of the document, with its offset, if any. */
function firstDuplicateKey(doc: Document): { key: unknown; offset: number } | undefined {
  let found: { key: unknown; offset: number } | undefined;
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return undefined;
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? `s:${String(pair.key.value)}` : `j:${JSON.stringify(pair.key)}`;
        if (seen.has(key)) {
          const offset = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
          found = { key: isScalar(pair.key) ? pair.key.value : JSON.parse(JSON.stringify(pair.key)), offset };
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/** Whole-file checks run only when the whole file parses; when it does not, run them here too. */
function fallbackProblems(file: string, raw: Record<string, unknown>, found: readonly ConfigProblem[]): ConfigProblem[] {
  return [...sizeProblems(file, raw, found), ...cdkDeployProblems(file, raw, found), ...runtimeProblems(file, raw, found)];
}

/** The runtime fields' cross-field checks (Spot on ARM64, a secret also in environment, sidecar sizes, …). */
function runtimeProblems(file: string, raw: Record<string, unknown>, found: readonly ConfigProblem[]): ConfigProblem[] {
  return runtimeIssuesOfRaw(raw)
    .map((issue) => ({ field: formatPath(issue.path), issue }))
    .filter(({ field }) => !found.some((p) => p.field === field))
    .map(({ field, issue }) => ({
      file,
      field,
      line: `${file}: ${field}: ${issue.params ? `got ${issue.params.got}` : `got ${describeValue(issue.input)}`}; ${issue.message}`,
    }));
}

/** `deployOnCdkDeploy: wait` with a plan that cannot finish within the custom resource's hour. */
function cdkDeployProblems(file: string, raw: Record<string, unknown>, found: readonly ConfigProblem[]): ConfigProblem[] {
  if (raw.deployOnCdkDeploy !== 'wait' || found.some((p) => p.field === 'deployOnCdkDeploy')) return [];
  const rollout = rolloutSchema.safeParse(raw.rollout ?? {});
  const problem = rollout.success ? cdkDeployWaitIssue('wait', rollout.data) : undefined;
  return problem ? [{ file, field: 'deployOnCdkDeploy', line: `${file}: deployOnCdkDeploy: got "wait"; ${problem}` }] : [];
}

/** Fargate sizes are checked after the whole file parses; when it does not, check them here too. */
function sizeProblems(file: string, raw: Record<string, unknown>, found: readonly ConfigProblem[]): ConfigProblem[] {
  const cpu = raw.cpu ?? 256;
  const memoryMiB = raw.memoryMiB ?? 512;
  if (typeof cpu !== 'number' || typeof memoryMiB !== 'number') return [];
  if (found.some((p) => p.field === 'cpu' || p.field === 'memoryMiB')) return [];
  const problem = fargateSizeProblem(cpu, memoryMiB);
  if (!problem) return [];
  const value = problem.field === 'cpu' ? cpu : memoryMiB;
  return [{ file, field: problem.field, line: `${file}: ${problem.field}: got ${describeValue(value)}; accepted: ${problem.accepted}` }];
}

function issueProblem(file: string, issue: z.core.$ZodIssue): ConfigProblem {
  // A configuration that is not a mapping at all (a construct's `config: null`) has no field path.
  const field = formatPath(issue.path) || '(top level)';
  if (issue.message.startsWith('plan: ')) {
    // The plan compiler's messages already name the field, the value and what is accepted.
    return { file, field, line: `${file}: ${issue.message.slice('plan: '.length)}` };
  }
  if (issue.code === 'unrecognized_keys') {
    return { file, field: field || '(top level)', line: `${file}: ${field || '(top level)'}: ${issue.message}` };
  }
  const input = (issue as { input?: unknown }).input;
  const described = (issue as { params?: { got?: string } }).params?.got;
  const got = described !== undefined ? `got ${described}` : input === undefined ? 'missing' : `got ${describeValue(input)}`;
  const accepted = issue.message.startsWith('accepted: ') ? issue.message : `accepted: ${issue.message}`;
  if (issue.code === 'invalid_key') {
    return { file, field, line: `${file}: ${field}: got key ${describeValue(issue.path[issue.path.length - 1])}; ${accepted}` };
  }
  return { file, field, line: `${file}: ${field}: ${got}; ${accepted}` };
}

function duplicateNameProblems(names: readonly { file: string; name: string }[]): ConfigProblem[] {
  const firstFile = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const { file, name } of names) {
    const earlier = firstFile.get(name);
    if (earlier) {
      problems.push({
        file,
        field: 'name',
        line: `${file}: name: got "${name}", already used by ${earlier}; accepted: a name no other service file uses`,
      });
    } else {
      firstFile.set(name, file);
    }
  }
  return problems;
}

/** `['rollout', 'steps', 1, 'weight']` → `rollout.steps[1].weight`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    return out ? `${out}.${String(segment)}` : String(segment);
  }, '');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list ${truncate(JSON.stringify(value))}`;
  if (typeof value === 'object') return `a mapping ${truncate(JSON.stringify(value))}`;
  if (typeof value === 'string') return truncate(JSON.stringify(value));
  return String(value);
}

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
