/**
 * docs/configuration.md is generated from the zod schema (scripts/config-doc.ts): the committed page
 * must be exactly what the schema renders today, so a field, default or accepted range cannot
 * change without the reference changing with it.
 */
import { readFileSync } from 'node:fs';

import { serviceConfigSchema } from '../../lib/config/schema';
import { CONFIGURATION_DOC, FIELD_NOTES, renderConfigurationDoc } from '../../scripts/config-doc';

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` renders from lib/config/schema.ts', () => {
    const committed = readFileSync(CONFIGURATION_DOC, 'utf8');
    // On failure: run `npm run docs:config` and commit docs/configuration.md.
    expect(committed).toBe(renderConfigurationDoc());
  });

  it('lists every top-level key of the schema', () => {
    const page = renderConfigurationDoc();
    const shape = (serviceConfigSchema as unknown as { _zod: { def: { in: { shape: Record<string, unknown> } } } })._zod.def.in.shape;
    for (const key of Object.keys(shape)) expect(page).toMatch(new RegExp(`\\| \`${key}[.\\[\`]`));
  });

  it('shows the defaults the schema applies, read from a parse rather than restated', () => {
    const page = renderConfigurationDoc();
    const parsed = serviceConfigSchema.parse({ name: 'orders', image: 'public.ecr.aws/nginx/nginx:1.27' });
    expect(page).toContain(`| \`containerPort\` | \`${parsed.containerPort}\` |`);
    expect(page).toContain(`| \`thresholds.minRequests\` | \`${parsed.thresholds.minRequests}\` |`);
    expect(page).toContain(`| \`rollout.holdLimitMinutes\` | \`${parsed.rollout.holdLimitMinutes}\` |`);
  });

  it('refuses to render when a field has no note, or a note names no field', () => {
    const notes = FIELD_NOTES as Record<string, string>;
    const saved = notes.desiredCount;
    delete notes.desiredCount;
    notes['no.such.field'] = 'x';
    try {
      expect(() => renderConfigurationDoc()).toThrow(/missing: (?:.*, )?desiredCount(?:, .*)?; not in the schema: no\.such\.field\. Add/);
    } finally {
      notes.desiredCount = saved;
      delete notes['no.such.field'];
    }
  });
});
