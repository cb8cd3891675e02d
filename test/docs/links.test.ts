/**
 * The user documentation says only what exists: every relative link in README.md and docs/*.md
 * resolves (the file, and for `#anchor` a heading of it), every `npm run <script>` shown is a
 * script of package.json, and every `canary <command> --option` shown is a command and option the
 * CLI registers (read from the commander program itself).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import type { Command } from 'commander';

import type { CliDeps } from '../../cli/context';
import { buildProgram } from '../../cli/program';

const ROOT = resolve(__dirname, '..', '..');
const DOCS = [
  join(ROOT, 'README.md'),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(ROOT, 'docs', f)),
];
const read = (file: string) => readFileSync(file, 'utf8');
const name = (file: string) => relative(ROOT, file);

/** The text outside fenced code blocks and inline code spans (links there are not links). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Fenced code blocks and inline code spans: where commands are shown. */
function codeSnippets(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^(```|~~~)[^\n]*\n([\s\S]*?)^\1[^\n]*$/gm)].flatMap((m) => m[2].split('\n'));
  const indented = [...markdown.matchAll(/^(?: {4}|\t)(.*)$/gm)].map((m) => m[1]);
  const spans = [...prose(markdown.replace(/`([^`\n]*)`/g, '\u0000$1\u0000')).matchAll(/\u0000([^\u0000]*)\u0000/g)].map((m) => m[1]);
  return [...blocks, ...indented, ...spans];
}

/** GitHub's heading anchors: lowercased, punctuation dropped, spaces to dashes, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const match of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = match[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const match of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(match[1]);
  return anchors;
}

interface Link {
  readonly file: string;
  readonly target: string;
}

function relativeLinks(file: string): Link[] {
  const text = prose(read(file));
  const targets = [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
  ];
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t)).map((target) => ({ file, target }));
}

/** Why a link does not resolve, or undefined when it does. */
function brokenBecause(link: Link): string | undefined {
  const [path, anchor] = link.target.split('#', 2);
  const resolved = path === '' ? link.file : resolve(dirname(link.file), decodeURIComponent(path));
  if (!resolved.startsWith(ROOT)) return `${link.target} points outside the repository`;
  if (!existsSync(resolved)) return `${link.target}: no such file`;
  if (anchor !== undefined) {
    if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) return `${link.target}: an anchor into a file that is not markdown`;
    if (!anchorsOf(read(resolved)).has(anchor)) return `${link.target}: no heading #${anchor} in ${name(resolved)}`;
  }
  return undefined;
}

const program = buildProgram({
  stdout: { write: () => true },
  stderr: { write: () => true },
  env: {},
  now: () => new Date(0),
  sleep: async () => undefined,
  clients: () => {
    throw new Error('the link check never calls AWS');
  },
} as CliDeps);
const commands = new Map<string, Command>(
  program.commands.flatMap((c) => [c.name(), ...c.aliases()].map((n) => [n, c] as [string, Command])),
);
const longOptions = (command: Command) =>
  new Set(
    [...command.options, ...program.options]
      .map((o) => o.long)
      .filter(Boolean)
      .concat(['--help', '--version']),
  );

describe('documentation links and commands', () => {
  it('reads README.md and every page in docs/', () => {
    expect(DOCS.map(name)).toEqual(expect.arrayContaining(['README.md', 'docs/configuration.md']));
  });

  it.each(DOCS.map((file) => [name(file), file]))('%s: every relative link resolves, anchors included', (_name, file) => {
    const broken = relativeLinks(file)
      .map((link) => brokenBecause(link))
      .filter((why): why is string => why !== undefined);
    expect(broken).toEqual([]);
  });

  it('docs/README.md indexes every page in docs/', () => {
    const linked = new Set(relativeLinks(join(ROOT, 'docs', 'README.md')).map((link) => resolve(ROOT, 'docs', link.target.split('#')[0])));
    const pages = DOCS.filter((file) => file.startsWith(join(ROOT, 'docs')) && !file.endsWith(join('docs', 'README.md')));
    // On failure: add a row for the page to docs/README.md.
    expect(pages.filter((file) => !linked.has(file)).map(name)).toEqual([]);
  });

  it('nothing refers to the design brief outside the repository', () => {
    const offenders = DOCS.filter((file) => /\.\.\/shared|\/work\/shared/.test(read(file))).map(name);
    expect(offenders).toEqual([]);
  });

  it.each(DOCS.map((file) => [name(file), file]))('%s: every `npm run <script>` shown is in package.json', (_name, file) => {
    const scripts = Object.keys((JSON.parse(read(join(ROOT, 'package.json'))) as { scripts: Record<string, string> }).scripts);
    const shown = [...read(file).matchAll(/\bnpm run ([A-Za-z0-9:._-]+)/g)].map((m) => m[1]);
    expect(shown.filter((script) => !scripts.includes(script))).toEqual([]);
  });

  it.each(DOCS.map((file) => [name(file), file]))('%s: every `canary <command> --option` shown is registered by the CLI', (_name, file) => {
    const problems: string[] = [];
    for (const snippet of codeSnippets(read(file))) {
      for (const match of snippet.matchAll(/(?:^\s*(?:\$ )?|\bnpx )canary ((?:--?[a-z0-9-]+(?: \S+)? )*)([a-z][a-z-]*)([^;&|#\n]*)/g)) {
        const command = commands.get(match[2]);
        if (!command) {
          problems.push(`canary ${match[2]}: not a command (${[...commands.keys()].join(', ')})`);
          continue;
        }
        const known = longOptions(command);
        for (const option of `${match[1]} ${match[3]}`.match(/--[a-z][a-z0-9-]*/g) ?? []) {
          if (!known.has(option)) problems.push(`canary ${match[2]} ${option}: not an option of the command`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the checks would catch a broken link, a missing anchor and an unknown command', () => {
    const readme = join(ROOT, 'README.md');
    expect(brokenBecause({ file: readme, target: 'docs/no-such-page.md' })).toMatch(/no such file/);
    expect(brokenBecause({ file: readme, target: 'docs/configuration.md#no-such-heading' })).toMatch(/no heading/);
    expect(brokenBecause({ file: readme, target: 'docs/configuration.md#fields' })).toBeUndefined();
    expect(commands.has('deploy')).toBe(true);
    expect(commands.has('launch')).toBe(false);
    expect(longOptions(commands.get('deploy')!).has('--image')).toBe(true);
    expect(anchorsOf('# A `b` c?\n## A b c\n')).toEqual(new Set(['a-b-c', 'a-b-c-1']));
  });
});
