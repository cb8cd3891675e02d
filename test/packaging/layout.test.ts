import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const IMPORT = /(?:from|import|require\()\s*\(?\s*['"](\.{1,2}\/[^'"]*)['"]/g;

/** Every repository file reached through relative imports from `entry`. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const base = resolve(dirname(file), match[1]);
      const target = [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && candidate.endsWith('.ts'));
      if (target) visit(target);
    }
  };
  visit(join(ROOT, entry));
  return new Set([...seen].map((file) => relative(ROOT, file)));
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

describe('the layout names the products', () => {
  it('the construct library (lib/index.ts) and the CDK app reach neither the CLI nor the simulator', () => {
    for (const entry of ['lib/index.ts', 'bin/app.ts']) {
      const outside = [...reachable(entry)].filter(
        (file) => file.startsWith('cli/') || file.startsWith('sim/') || file.startsWith('bin/canary'),
      );
      expect({ entry, outside }).toEqual({ entry, outside: [] });
    }
  });

  it('the construct library loads only aws-cdk-lib, constructs, yaml, zod and Node built-ins: an app needs no SDK client, commander or vega to synthesize', () => {
    // The Lambdas' SDK clients are left out of their bundles (NodejsFunction's default for Node.js 18 and later: the runtime's).
    const packages = new Set<string>();
    for (const file of reachable('lib/index.ts')) {
      for (const [, spec] of readFileSync(join(ROOT, file), 'utf8').matchAll(
        /^\s*(?:import|export)\s[^;]*?from\s+['"]([^'".][^'"]*)['"]/gm,
      ))
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
    expect([...packages].filter((name) => !name.startsWith('node:')).sort()).toEqual(['aws-cdk-lib', 'constructs', 'yaml', 'zod']);
  });

  it('the pure core imports no AWS SDK, no CDK and nothing outside lambdas/core', () => {
    const offenders = sources('lambdas/core').flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)]
        .map((m) => m[1])
        .filter(
          (spec) =>
            spec.startsWith('@aws-sdk/') ||
            spec.startsWith('aws-cdk-lib') ||
            (spec.startsWith('.') && !resolve(ROOT, dirname(file), spec).startsWith(join(ROOT, 'lambdas', 'core'))),
        )
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('has one normal distribution and no two modules of the same name in one part (a handler is named after the core module it runs)', () => {
    const defining = ['lib', 'cli', 'sim', 'lambdas', 'bin']
      .flatMap(sources)
      .filter((file) => /function normal(Cdf|Quantile)\b/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(defining).toEqual(['lambdas/core/normal.ts']);
    for (const product of ['lib', 'cli', 'sim', 'lambdas/core', 'lambdas/aws']) {
      const names = sources(product)
        .map((file) => file.split('/').pop())
        .filter((name) => name !== 'index.ts');
      const repeated = names.filter((name, i) => names.indexOf(name) !== i);
      expect({ product, repeated }).toEqual({ product, repeated: [] });
    }
  });
});
