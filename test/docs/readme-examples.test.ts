/**
 * Examples the docs quote must be what the code does today: the README's rollback reason from
 * `canary simulate demo --scenario errors-5pp`, docs/simulate.md's scenario file and named list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { simulateRollout } from '../../cli/simulate/engine';
import { NAMED_SCENARIOS } from '../../cli/simulate/scenarios';
import { compilePlan } from '../../lambdas/core/rollout-plan';
import { loadServiceConfigFile } from '../../lib/config';
import { parseScenario } from '../../sim';

const ROOT = join(__dirname, '..', '..');

describe('README examples', () => {
  it('quotes the errors-5pp rollback reason as canary simulate gives it for the demo service', () => {
    const config = loadServiceConfigFile(join(ROOT, 'services', 'demo.yaml'));
    const result = simulateRollout({
      service: config.name,
      plan: compilePlan(config.rollout),
      policy: config.thresholds,
      scenario: NAMED_SCENARIOS['errors-5pp'],
      startTime: Date.parse('2026-01-01T00:00:00.000Z'),
    });
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s*\n\s*/g, ' ');
    expect(result.reason).toMatch(/^rollback: canary 5xx/);
    expect(readme).toContain(`\`${result.reason}\``);
  });

  it('docs/simulate.md: its scenario file example is accepted and its table lists every named scenario', () => {
    const page = readFileSync(join(ROOT, 'docs', 'simulate.md'), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(page)![1];
    expect(parseScenario(JSON.parse(example), 'docs/simulate.md').regression?.kind).toBe('latency');
    for (const name of Object.keys(NAMED_SCENARIOS)) expect(page).toContain(`| \`${name}\` |`);
  });
});
