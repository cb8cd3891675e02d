/**
 * Service files a newcomer can get wrong in ways the schema never sees: what the file is (a
 * directory, a dangling link, a FIFO), how the YAML is built (alias bombs, repeated keys, two
 * documents), its name's case; and problems only the constructs find (the certificate's
 * partition, the deployment metadata's size), reported with the file problems in one run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ConfigError, loadServiceConfigs, MAX_YAML_ALIASES, parseServiceConfig } from '../../lib/config';
import { addEcsCanaryStacksFromDir } from '../../lib/ecs-canary-app';
import { testApp } from '../lib/fixtures';

const FILE = 'services/orders.yaml';
const VALID = 'name: orders\nimage: public.ecr.aws/nginx/nginx:1.27\n';

function servicesDir(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-canary-bad-files-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** The problem lines of loading `dir` (empty when it loads). */
function loadProblems(dir: string): string[] {
  try {
    loadServiceConfigs(dir);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => p.line);
  }
}

function problemLines(yaml: string): string[] {
  const result = parseServiceConfig(yaml, FILE);
  return result.success ? [] : result.problems.map((p) => p.line);
}

/** Nine levels of nine aliases each: 9^5 values from a 200-byte file. */
const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...['b', 'c', 'd', 'e'].map((key, i) => `${key}: &${key} [${Array(9).fill(`*${'abcd'[i]}`).join(', ')}]`),
  'name: orders',
  'image: nginx',
  '',
].join('\n');

describe('bad service files', () => {
  describe('the YAML', () => {
    it('refuses an alias bomb in one line, before it expands', () => {
      expect(problemLines(ALIAS_BOMB)).toEqual([
        `${FILE}: not valid YAML: its aliases (*name) expand beyond ${MAX_YAML_ALIASES} references, as an alias bomb does; accepted: a file that repeats values directly or uses few aliases`,
      ]);
    });

    it('names a repeated key, with its line and column', () => {
      expect(problemLines(`${VALID}containerPort: 80\ncontainerPort: 8080\n`)).toEqual([
        `${FILE}:4:1: not valid YAML: key "containerPort" appears twice in the same mapping; accepted: each key once`,
      ]);
    });

    it('names a key repeated in a nested mapping', () => {
      expect(problemLines(`${VALID}listener:\n  port: 8080\n  port: 8081\n`)).toEqual([
        `${FILE}:5:3: not valid YAML: key "port" appears twice in the same mapping; accepted: each key once`,
      ]);
    });

    it('says plainly that a file holds two documents, naming no library function', () => {
      const lines = problemLines(`${VALID}---\nname: payments\nimage: nginx\n`);
      expect(lines).toEqual([
        `${FILE}:3:1: not valid YAML: the file holds more than one YAML document (a line "---" starts a second one); accepted: one document per file, one file per service`,
      ]);
      expect(lines.join('\n')).not.toMatch(/parseAllDocuments|YAML\./);
    });
  });

  describe('what the file is', () => {
    it('refuses a directory named x.yaml with one line', () => {
      const dir = servicesDir({ 'a.yaml': VALID });
      fs.mkdirSync(path.join(dir, 'x.yaml'));
      expect(loadProblems(dir)).toEqual([
        `${path.join(dir, 'x.yaml')}: got a directory; accepted: a regular file holding one service's YAML`,
      ]);
    });

    it('refuses a dangling symbolic link named x.yaml, naming its target', () => {
      const dir = servicesDir({ 'a.yaml': VALID });
      fs.symlinkSync(path.join(dir, 'gone.yaml.bak'), path.join(dir, 'x.yaml'));
      expect(loadProblems(dir)).toEqual([
        `${path.join(dir, 'x.yaml')}: got a symbolic link to ${path.join(dir, 'gone.yaml.bak')}, which does not exist; accepted: a regular file holding one service's YAML`,
      ]);
    });

    it('follows a symbolic link to a service file', () => {
      const target = servicesDir({ 'real.txt': VALID });
      const dir = servicesDir();
      fs.symlinkSync(path.join(target, 'real.txt'), path.join(dir, 'orders.yaml'));
      expect(loadServiceConfigs(dir).map((c) => c.name)).toEqual(['orders']);
    });

    it('refuses a FIFO named x.yaml without reading it (reading would block)', () => {
      const dir = servicesDir({ 'a.yaml': VALID });
      expect(spawnSync('mkfifo', [path.join(dir, 'x.yaml')]).status).toBe(0);
      expect(loadProblems(dir)).toEqual([
        `${path.join(dir, 'x.yaml')}: got a named pipe (FIFO); accepted: a regular file holding one service's YAML`,
      ]);
    });

    it('reads orders.YAML and orders.Yml: the extension is matched in any letter case', () => {
      const dir = servicesDir({ 'orders.YAML': VALID, 'payments.Yml': 'name: payments\nimage: nginx\n' });
      expect(loadServiceConfigs(dir).map((c) => c.name)).toEqual(['orders', 'payments']);
    });
  });

  describe('problems the constructs find', () => {
    const CN_CERTIFICATE = 'arn:aws-cn:acm:eu-west-1:123456789012:certificate/abc-123';
    /** Smoke checks whose paths make the deployment metadata larger than Parameter Store's 8 KB. */
    const BIG_SMOKE_CHECKS = `smokeChecks: [${Array.from({ length: 80 }, (_, i) => `{ path: "/health/${'p'.repeat(90)}/${i}" }`).join(', ')}]`;

    function appProblems(dir: string): ConfigError {
      try {
        addEcsCanaryStacksFromDir(testApp(), dir, { region: 'eu-west-1' });
      } catch (error) {
        if (error instanceof ConfigError) return error;
        throw error;
      }
      throw new Error('expected a ConfigError');
    }

    it('refuses a certificate of another partition (aws-cn) in a commercial region', () => {
      const dir = servicesDir({ 'orders.yaml': `${VALID}listener: { certificateArn: "${CN_CERTIFICATE}" }\n` });
      expect(appProblems(dir).problems.map((p) => p.line)).toEqual([
        `${path.join(dir, 'orders.yaml')}: listener.certificateArn: got a certificate of partition aws-cn (${CN_CERTIFICATE}); accepted: a certificate of partition aws (arn:aws:acm:eu-west-1:…), the partition of the stack's region eu-west-1`,
      ]);
    });

    it('reports file and construct problems of every service in one run, under one header', () => {
      const dir = servicesDir({
        'a-broken.yaml': 'name: broken\nimage: nginx\ncontainerPort: 0\n',
        'b-certificate.yaml': `name: certified\nimage: nginx\nlisteners: {}\n`.replace(
          'listeners: {}',
          `listener: { certificateArn: "${CN_CERTIFICATE}" }`,
        ),
        'c-metadata.yaml': `name: chatty\nimage: nginx\n${BIG_SMOKE_CHECKS}\n`,
      });
      const error = appProblems(dir);
      expect(error.message.split('\n')[0]).toBe('Invalid service configuration (3 problems):');
      expect(error.problems.map((p) => [path.basename(p.file), p.field])).toEqual([
        ['a-broken.yaml', 'containerPort'],
        ['b-certificate.yaml', 'listener.certificateArn'],
        ['c-metadata.yaml', '(service)'],
      ]);
      expect(error.problems[2].line).toMatch(
        /c-metadata\.yaml: the deployment metadata \(\/ecs-canary\/chatty\/deployment\) could reach [\d,]+ bytes, above Parameter Store's 8,192-byte limit/,
      );
    });

    it('bin/app.ts prints construct problems with the file problems, one line each, no stack trace', () => {
      const dir = servicesDir({
        'a-broken.yaml': 'name: broken\nimage: nginx\ncontainerPort: 0\n',
        'c-metadata.yaml': `name: chatty\nimage: nginx\n${BIG_SMOKE_CHECKS}\n`,
      });
      const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bin/app.ts'], {
        cwd: path.join(__dirname, '../..'),
        env: {
          ...process.env,
          ECS_CANARY_SERVICES_DIR: dir,
          CDK_OUTDIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-canary-out-')),
          CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [] }),
        },
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        'Invalid service configuration (2 problems):',
        expect.stringMatching(/a-broken\.yaml: containerPort: got 0;/),
        expect.stringMatching(/c-metadata\.yaml: the deployment metadata .* could reach [\d,]+ bytes/),
      ]);
    });
  });
});
