/**
 * The repository's own files a newcomer reads first: the licence package.json names, in full, and
 * no page calling services/demo.yaml complete (it shows a few sections; docs/configuration.md has
 * every field).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe('repository files', () => {
  it('has the full Apache-2.0 text in LICENSE, the licence package.json names', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).license).toBe('Apache-2.0');
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
    for (const section of [
      '1. Definitions.',
      '2. Grant of Copyright License.',
      '3. Grant of Patent License.',
      '9. Accepting Warranty or Additional Liability.',
      'END OF TERMS AND CONDITIONS',
    ]) {
      expect(license).toContain(section);
    }
  });

  it('calls services/demo.yaml an example, not a complete one, in the README and docs/', () => {
    const pages = [
      'README.md',
      ...readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => join('docs', f)),
    ];
    for (const page of pages) {
      const text = readFileSync(join(ROOT, page), 'utf8').replace(/\s+/g, ' ');
      expect({ page, claims: /demo\.yaml`? (is|as) (a|the) (complete|full)/i.test(text) }).toEqual({ page, claims: false });
    }
  });
});
