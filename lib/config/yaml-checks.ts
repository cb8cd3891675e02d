/**
 * Checks of a service file's bytes and YAML that the schema cannot see: its encoding, tags that
 * would change a value's type, and nesting too deep for the parser.
 */
import { type Document, isNode, visit } from 'yaml';

/** What the bytes are when they are not UTF-8 text, else undefined. */
export function encodingProblem(bytes: Buffer): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return 'UTF-16 text (it starts with a UTF-16 byte order mark)';
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `a NUL byte at offset ${nul} (UTF-16 text or a binary file)`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return undefined;
  } catch {
    return `bytes that are not UTF-8 (from offset ${firstInvalidUtf8(bytes)}; Latin-1 or another legacy encoding?)`;
  }
}

/** The offset of the first byte that does not decode as UTF-8 (a cut inside a character is not an error when streaming). */
function firstInvalidUtf8(bytes: Buffer): number {
  const decodes = (end: number, stream: boolean) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (decodes(mid, true)) low = mid;
    else high = mid - 1;
  }
  // Back to the start of the character the longest prefix ends inside, if it does.
  while (low > 0 && !decodes(low, false)) low -= 1;
  return low;
}

/** What V8 says when the recursion of the YAML composer runs out of stack. */
export const STACK_OVERFLOW = 'Maximum call stack size exceeded';

/** The tags a value may carry: YAML's core types, which change nothing in a service file. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * The first explicit tag other than the core types (`!Ref`, `!!binary`, `!!timestamp`, `!!set`),
 * with its offset: the parser would silently drop an unknown one or turn a value into a Buffer,
 * Date or Set the schema then describes wrongly.
 */
export function firstUnsupportedTag(doc: Document, text: string): { tag: string; offset: number } | undefined {
  let found: { tag: string; offset: number } | undefined;
  visit(doc, (_key, node) => {
    if (!isNode(node) || node.tag === undefined || CORE_TAGS.has(node.tag)) return undefined;
    const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
    const valueAt = node.range?.[0] ?? 0;
    // The node's range starts at its value; the tag is written just before it (`!Ref orders`).
    const written = text.lastIndexOf(tag, valueAt);
    found = { tag, offset: written >= 0 ? written : valueAt };
    return visit.BREAK;
  });
  return found;
}

/** The one YAML version service files are read as. */
export const YAML_VERSION = '1.2';

/**
 * The problem line of a `%YAML` directive other than `%YAML 1.2`, or undefined. Under `%YAML 1.1`
 * the parser reads `off`, `on`, `yes` and `no` as booleans and `0755` as an octal number, so the
 * file would mean something else than the same lines without the directive; under a version it
 * does not know (1.3, 2.0) it warns and reads 1.2. Either way the file is refused, naming both.
 */
export function yamlDirectiveProblem(doc: Document, text: string, file: string): string | undefined {
  if (!doc.directives?.yaml.explicit) return undefined;
  // Directives stand at the start of a line before the first `---`; the parser keeps no offset for them.
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length && !/^---(\s|$)/.test(lines[i]); i += 1) {
    const match = /^%YAML(?=[ \t#]|$)(?:[ \t]+([^\s#]*))?/.exec(lines[i]);
    if (!match) continue;
    if (match[1] === YAML_VERSION) return undefined;
    return (
      `${file}:${i + 1}:1: not valid here: the directive "${match[0].trim()}"; accepted: no %YAML directive, or "%YAML ${YAML_VERSION}" ` +
      `(service files are read as YAML ${YAML_VERSION} only, where off, on, yes and no are text, not booleans)`
    );
  }
  return undefined;
}
