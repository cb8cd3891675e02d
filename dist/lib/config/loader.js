"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.SERVICES_DIR_ENV = exports.DEFAULT_SERVICES_DIR = void 0;
exports.loadServiceConfigs = loadServiceConfigs;
exports.loadServiceConfigFile = loadServiceConfigFile;
exports.configSource = configSource;
exports.validateServiceConfig = validateServiceConfig;
exports.parseServiceConfig = parseServiceConfig;
exports.formatPath = formatPath;
/**
 * Reads `services/*.yaml`, validates every file and reports every problem at once.
 */
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const yaml_1 = require("yaml");
const aws_limits_1 = require("./aws-limits");
const errors_1 = require("./errors");
const fargate_sizes_1 = require("./fargate-sizes");
const schema_1 = require("./schema");
/** Where `bin/app.ts` looks for service files unless told otherwise. */
exports.DEFAULT_SERVICES_DIR = 'services';
/** Environment variable that overrides the services directory (tests, benchmarks). */
exports.SERVICES_DIR_ENV = 'ECS_CANARY_SERVICES_DIR';
/**
 * Loads and validates every `*.yaml` / `*.yml` file in `dir`, in name order.
 * @throws ConfigError listing every problem of every file, and duplicate service names.
 */
function loadServiceConfigs(dir) {
    const shown = displayPath(dir);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new errors_1.ConfigError([{ file: shown, field: '(directory)', line: `${shown}: no such directory; create it and add one <name>.yaml per service` }]);
    }
    const files = fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.join(dir, f));
    if (files.length === 0) {
        throw new errors_1.ConfigError([{ file: shown, field: '(directory)', line: `${shown}: no service files; add one <name>.yaml per service (see services/demo.yaml)` }]);
    }
    const problems = [];
    const configs = [];
    const names = [];
    for (const file of files) {
        const result = readServiceFile(file);
        if (result.success)
            configs.push(result.config);
        else
            problems.push(...result.problems);
        // Names are compared even in files with other problems, so every problem shows at once.
        if (result.name !== undefined)
            names.push({ file: displayPath(file), name: result.name });
    }
    problems.push(...duplicateNameProblems(names));
    if (problems.length > 0)
        throw new errors_1.ConfigError(problems);
    return configs;
}
/** Loads and validates one file. @throws ConfigError with every problem of the file. */
function loadServiceConfigFile(file) {
    const result = readServiceFile(file);
    if (!result.success)
        throw new errors_1.ConfigError(result.problems);
    return result.config;
}
/** Which file each loaded configuration came from, so later checks (the stack's region) can name it. */
const sources = new WeakMap();
/** The file a configuration was loaded from, as shown in messages; undefined for one built in code. */
function configSource(config) {
    return config !== null && typeof config === 'object' ? sources.get(config) : undefined;
}
/** Reads one file, refusing an oversized one before reading it. */
function readServiceFile(file) {
    const shown = displayPath(file);
    const size = fs.statSync(file).size;
    const result = size > aws_limits_1.MAX_SERVICE_FILE_BYTES ? { success: false, problems: [fileSizeProblem(shown, size)] } : parseServiceConfig(fs.readFileSync(file, 'utf8'), shown);
    if (result.success)
        sources.set(result.config, shown);
    return result;
}
function fileSizeProblem(file, bytes) {
    return {
        file,
        field: '(file)',
        line: `${file}: got ${(0, aws_limits_1.formatBytes)(bytes)} bytes; accepted: a service file of at most ${(0, aws_limits_1.formatBytes)(aws_limits_1.MAX_SERVICE_FILE_BYTES)} bytes (128 KiB; its largest part, environment, is limited to 60 KiB by ECS)`,
    };
}
/**
 * Validates a configuration given as an object (a CDK app that builds `CanaryService` itself);
 * `source` names it in the messages, such as the construct path.
 * @throws ConfigError with every problem.
 */
function validateServiceConfig(input, source) {
    const parsed = schema_1.serviceConfigSchema.safeParse(input, { reportInput: true });
    if (parsed.success)
        return parsed.data;
    const problems = parsed.error.issues.map((issue) => issueProblem(source, issue));
    if (input && typeof input === 'object')
        problems.push(...fallbackProblems(source, input, problems));
    throw new errors_1.ConfigError(problems);
}
/** Validates the YAML text of one service file; `file` is used in the messages only. */
function parseServiceConfig(text, file) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > aws_limits_1.MAX_SERVICE_FILE_BYTES)
        return { success: false, problems: [fileSizeProblem(file, bytes)] };
    // Duplicate keys are found below in one pass: the parser's own check compares every pair of keys.
    const lineCounter = new yaml_1.LineCounter();
    const doc = (0, yaml_1.parseDocument)(text, { uniqueKeys: false, prettyErrors: true, lineCounter });
    if (doc.errors.length === 0) {
        const duplicate = firstDuplicateKey(doc);
        if (duplicate !== undefined) {
            const at = lineCounter.linePos(duplicate);
            return { success: false, problems: [{ file, field: '(yaml)', line: `${file}:${at.line}:${at.col}: not valid YAML: Map keys must be unique` }] };
        }
    }
    if (doc.errors.length > 0) {
        return {
            success: false,
            problems: doc.errors.map((e) => {
                const at = e.linePos?.[0];
                const where = at ? `${file}:${at.line}:${at.col}` : file;
                return { file, field: '(yaml)', line: `${where}: not valid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` };
            }),
        };
    }
    const raw = doc.toJS();
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        return {
            success: false,
            problems: [{ file, field: '(file)', line: `${file}: got ${describeValue(raw)}; accepted: a mapping with at least name and image` }],
        };
    }
    const parsed = schema_1.serviceConfigSchema.safeParse(raw, { reportInput: true });
    if (parsed.success)
        return { success: true, config: parsed.data, name: parsed.data.name };
    const problems = parsed.error.issues.map((issue) => issueProblem(file, issue));
    problems.push(...fallbackProblems(file, raw, problems));
    const name = raw.name;
    return { success: false, problems, ...(typeof name === 'string' ? { name } : {}) };
}
/** Offset of the first key repeated in a mapping of the document, if any. */
function firstDuplicateKey(doc) {
    let found;
    (0, yaml_1.visit)(doc, {
        Map(_key, map) {
            if (!(0, yaml_1.isMap)(map))
                return undefined;
            const seen = new Set();
            for (const pair of map.items) {
                const key = (0, yaml_1.isScalar)(pair.key) ? `s:${String(pair.key.value)}` : `j:${JSON.stringify(pair.key)}`;
                if (seen.has(key)) {
                    found = pair.key?.range?.[0] ?? 0;
                    return yaml_1.visit.BREAK;
                }
                seen.add(key);
            }
            return undefined;
        },
    });
    return found;
}
/** Whole-file checks run only when the whole file parses; when it does not, run them here too. */
function fallbackProblems(file, raw, found) {
    return [...sizeProblems(file, raw, found), ...cdkDeployProblems(file, raw, found)];
}
/** `deployOnCdkDeploy: wait` with a plan that cannot finish within the custom resource's hour. */
function cdkDeployProblems(file, raw, found) {
    if (raw.deployOnCdkDeploy !== 'wait' || found.some((p) => p.field === 'deployOnCdkDeploy'))
        return [];
    const rollout = schema_1.rolloutSchema.safeParse(raw.rollout ?? {});
    const problem = rollout.success ? (0, schema_1.cdkDeployWaitIssue)('wait', rollout.data) : undefined;
    return problem ? [{ file, field: 'deployOnCdkDeploy', line: `${file}: deployOnCdkDeploy: got "wait"; ${problem}` }] : [];
}
/** Fargate sizes are checked after the whole file parses; when it does not, check them here too. */
function sizeProblems(file, raw, found) {
    const cpu = raw.cpu ?? 256;
    const memoryMiB = raw.memoryMiB ?? 512;
    if (typeof cpu !== 'number' || typeof memoryMiB !== 'number')
        return [];
    if (found.some((p) => p.field === 'cpu' || p.field === 'memoryMiB'))
        return [];
    const problem = (0, fargate_sizes_1.fargateSizeProblem)(cpu, memoryMiB);
    if (!problem)
        return [];
    const value = problem.field === 'cpu' ? cpu : memoryMiB;
    return [{ file, field: problem.field, line: `${file}: ${problem.field}: got ${describeValue(value)}; accepted: ${problem.accepted}` }];
}
function issueProblem(file, issue) {
    const field = formatPath(issue.path);
    if (issue.message.startsWith('plan: ')) {
        // The plan compiler's messages already name the field, the value and what is accepted.
        return { file, field, line: `${file}: ${issue.message.slice('plan: '.length)}` };
    }
    if (issue.code === 'unrecognized_keys') {
        return { file, field: field || '(top level)', line: `${file}: ${field || '(top level)'}: ${issue.message}` };
    }
    const input = issue.input;
    const described = issue.params?.got;
    const got = described !== undefined ? `got ${described}` : input === undefined ? 'missing' : `got ${describeValue(input)}`;
    const accepted = issue.message.startsWith('accepted: ') ? issue.message : `accepted: ${issue.message}`;
    if (issue.code === 'invalid_key') {
        return { file, field, line: `${file}: ${field}: got key ${describeValue(issue.path[issue.path.length - 1])}; ${accepted}` };
    }
    return { file, field, line: `${file}: ${field}: ${got}; ${accepted}` };
}
function duplicateNameProblems(names) {
    const firstFile = new Map();
    const problems = [];
    for (const { file, name } of names) {
        const earlier = firstFile.get(name);
        if (earlier) {
            problems.push({
                file,
                field: 'name',
                line: `${file}: name: got "${name}", already used by ${earlier}; accepted: a name no other service file uses`,
            });
        }
        else {
            firstFile.set(name, file);
        }
    }
    return problems;
}
/** `['rollout', 'steps', 1, 'weight']` → `rollout.steps[1].weight`. */
function formatPath(segments) {
    return segments.reduce((out, segment) => {
        if (typeof segment === 'number')
            return `${out}[${segment}]`;
        return out ? `${out}.${String(segment)}` : String(segment);
    }, '');
}
function describeValue(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return value.length === 0 ? 'an empty list' : `a list ${truncate(JSON.stringify(value))}`;
    if (typeof value === 'object')
        return `a mapping ${truncate(JSON.stringify(value))}`;
    if (typeof value === 'string')
        return truncate(JSON.stringify(value));
    return String(value);
}
function truncate(text, max = 80) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
function displayPath(file) {
    const relative = path.relative(process.cwd(), file);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
