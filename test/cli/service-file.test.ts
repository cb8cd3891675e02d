/**
 * How `canary plan` and `canary simulate` find a service's YAML outside the repository: the
 * `--services-dir` flag, `ECS_CANARY_SERVICES_DIR` (as `cdk synth` does), `./services`, and the
 * example the package ships, so `canary simulate demo` runs right after an install.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { bundledExample } from '../../cli/service-file';
import { scratchDir } from '../scratch';
import { run } from './harness';

const ORDERS = 'name: orders\nimage: nginx\nrollout: { steps: [{ weight: 10, bakeMinutes: 7 }] }\n';
const PLAN = (service: string, ...more: string[]) => ['plan', service, '--rps', '10', '--error-rate', '0.5', ...more];

function dirWith(files: Record<string, string>): string {
  const dir = scratchDir('canary-services-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Runs with the working directory elsewhere than the repository, as an installed CLI would. */
async function runElsewhere(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const cwd = process.cwd();
  process.chdir(dirWith({}));
  try {
    return await run(argv, { env });
  } finally {
    process.chdir(cwd);
  }
}

describe('finding the service file', () => {
  it('reads <name>.yaml from --services-dir', async () => {
    const result = await runElsewhere(PLAN('orders', '--services-dir', dirWith({ 'orders.yaml': ORDERS })));
    expect(result.code).toBe(0);
    expect(result.stdout.text).toMatch(/^\s+1 at 10%\s+7 min/m);
  });

  it('reads <name>.yml from ECS_CANARY_SERVICES_DIR, as cdk synth does', async () => {
    const result = await runElsewhere(PLAN('orders'), { ECS_CANARY_SERVICES_DIR: dirWith({ 'orders.yml': ORDERS }) });
    expect(result.code).toBe(0);
    expect(result.stdout.text).toMatch(/^\s+1 at 10%\s+7 min/m);
  });

  it('prefers --services-dir over ECS_CANARY_SERVICES_DIR', async () => {
    const result = await runElsewhere(PLAN('orders', '--services-dir', dirWith({ 'orders.yaml': ORDERS })), {
      ECS_CANARY_SERVICES_DIR: dirWith({}),
    });
    expect(result.code).toBe(0);
  });

  it('runs canary simulate demo from any directory with the example the package ships', async () => {
    expect(bundledExample('demo')).toBe(join(__dirname, '../../services/demo.yaml'));
    const result = await runElsewhere(['simulate', 'demo', '--scenario', 'clean']);
    expect(result.stderr.text).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.lines()[0]).toMatch(/^canary plan demo /);
  });

  it('fails with exit 2 and says where it looked and how to point elsewhere', async () => {
    const result = await runElsewhere(PLAN('orders'));
    expect(result.code).toBe(2);
    expect(result.stderr.lines()).toEqual([
      'usage error: no service file services/orders.yaml; accepted: --config <file>, --services-dir <dir> or ECS_CANARY_SERVICES_DIR=<dir> holding orders.yaml, or run in the directory above services/ (examples shipped: demo)',
    ]);
  });

  it('names the variable when the directory it gives lacks the file, and does not fall back to the example', async () => {
    const dir = dirWith({});
    const result = await runElsewhere(['simulate', 'demo', '--scenario', 'clean'], { ECS_CANARY_SERVICES_DIR: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.text).toContain(`usage error: no service file ${join(dir, 'demo.yaml')} (ECS_CANARY_SERVICES_DIR); accepted:`);
  });
});
