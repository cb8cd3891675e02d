/**
 * Service files a newcomer can get wrong in ways the schema never sees: what the file is (a
 * directory, a dangling link, a FIFO), how the YAML is built (alias bombs, repeated keys, two
 * documents), its name's case; and problems only the constructs find (the certificate's
 * partition, the deployment metadata's size), reported with the file problems in one run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ConfigError, loadServiceConfigs, MAX_YAML_ALIASES, parseServiceConfig } from '../../lib/config';
import { addEcsCanaryStacksFromDir } from '../../lib/ecs-canary-app';
import { testApp } from '../lib/fixtures';
import { scratchDir } from '../scratch';

const FILE = 'services/orders.yaml';
const VALID = 'name: orders\nimage: public.ecr.aws/nginx/nginx:1.27\n';

function servicesDir(files: Record<string, string> = {}): string {
  const dir = scratchDir('ecs-canary-bad-files-');
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

  describe('the %YAML directive', () => {
    const OFF = `${VALID}deployOnCdkDeploy: off\n`;
    const accepted =
      'accepted: no %YAML directive, or "%YAML 1.2" (service files are read as YAML 1.2 only, where off, on, yes and no are text, not booleans)';

    it('refuses %YAML 1.1, under which off would read as false, naming the file, line and directive', () => {
      expect(problemLines(`%YAML 1.1\n---\n${OFF}`)).toEqual([`${FILE}:1:1: not valid here: the directive "%YAML 1.1"; ${accepted}`]);
      // After a comment, with a trailing comment and CRLF line ends: the line is the directive's own.
      expect(problemLines(`# orders\r\n%YAML 1.1 # old editor\r\n---\r\n${OFF}`)).toEqual([
        `${FILE}:2:1: not valid here: the directive "%YAML 1.1"; ${accepted}`,
      ]);
    });

    it.each(['%YAML 1.3', '%YAML 2.0', '%YAML 1.1.0', '%YAML 1.20'])(
      'refuses %s, a version the parser does not read as written',
      (line) => {
        expect(problemLines(`${line}\n---\n${OFF}`)).toEqual([`${FILE}:1:1: not valid here: the directive "${line}"; ${accepted}`]);
      },
    );

    it('reads a file with %YAML 1.2, or with none, as YAML 1.2: off stays the text off', () => {
      for (const text of [`%YAML 1.2\n---\n${OFF}`, OFF, `%TAG !e! tag:example.com,2000:\n---\n${OFF}`]) {
        const result = parseServiceConfig(text, FILE);
        expect(result.success && result.config.deployOnCdkDeploy).toBe('off');
      }
    });

    it('names the file when loading a directory, one line', () => {
      expect(loadProblems(servicesDir({ 'orders.yaml': `%YAML 1.1\n---\n${OFF}` }))).toEqual([
        expect.stringMatching(/orders\.yaml:1:1: not valid here: the directive "%YAML 1\.1"; accepted: /),
      ]);
    });
  });

  describe('tags, nesting and keys a reader cannot see', () => {
    it.each<[string, string, string]>([
      // An unknown tag was dropped without a word: `name: !Ref orders` loaded as "orders".
      ['a CloudFormation tag', 'name: !Ref orders\nimage: nginx\n', `${FILE}:1:7: not valid here: the YAML tag !Ref;`],
      ['a binary value', `${VALID}environment: { A: !!binary aGVsbG8= }\n`, `${FILE}:3:19: not valid here: the YAML tag !!binary;`],
      ['a timestamp', `${VALID}environment: { A: !!timestamp 2020-01-01 }\n`, `${FILE}:3:19: not valid here: the YAML tag !!timestamp;`],
      ['a set', `${VALID}environment: !!set { A, B }\n`, `${FILE}:3:14: not valid here: the YAML tag !!set;`],
      [
        'a JavaScript function tag',
        'name: !!js/function "f(){}"\nimage: nginx\n',
        `${FILE}:1:7: not valid here: the YAML tag !!js/function;`,
      ],
    ])('refuses %s with its line and column', (_what, yaml, start) => {
      const lines = problemLines(yaml);
      expect(lines).toEqual([
        expect.stringContaining(
          'accepted: plain values without tags (a service file is not a CloudFormation template: write the value itself)',
        ),
      ]);
      expect(lines[0].startsWith(start)).toBe(true);
    });

    it('accepts the core tags, which change nothing', () => {
      expect(problemLines('name: !!str orders\nimage: nginx\ncontainerPort: !!int 8080\n')).toEqual([]);
    });

    it.each([
      ['lists', `[`.repeat(20_000) + `]`.repeat(20_000)],
      ['mappings', '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ])('says once, without the engine stack message, that %s nest too deeply', (_what, nested) => {
      const lines = problemLines(`${VALID}environment: ${nested}\n`);
      expect(lines).toEqual([
        `${FILE}: not valid YAML: its lists or mappings nest too deeply to read; accepted: the nesting of a service file (a few levels)`,
      ]);
    });

    it.each<[string, string, string]>([
      ['a transposition', 'contianerPort: 80', 'unknown key contianerPort (did you mean containerPort?); accepted keys: name, image,'],
      ['a wrong letter case', 'ContainerPort: 80', 'unknown key ContainerPort (did you mean containerPort?); accepted keys: name, image,'],
      [
        'a Cyrillic look-alike',
        'contаinerPort: 80',
        'unknown key "contаinerPort" (holds U+0430, not ASCII) (did you mean containerPort?);',
      ],
      ['a null key', '~: 80', 'unknown key "" (an empty or null key); accepted keys: name, image,'],
      [
        'a merge key',
        '<<: { containerPort: 80 }',
        'unknown key << (a YAML merge key, which service files do not expand: write the keys themselves);',
      ],
      ['no near miss', 'replicas: 3', 'unknown key replicas; accepted keys: name, image,'],
    ])('names an unknown key with %s', (_what, line, message) => {
      expect(problemLines(`${VALID}${line}\n`)).toEqual([expect.stringContaining(`${FILE}: (top level): ${message}`)]);
    });

    it('suggests a nested key too', () => {
      expect(problemLines(`${VALID}thresholds: { maxErrorRatePercnt: 2 }\n`)).toEqual([
        `${FILE}: thresholds: unknown key maxErrorRatePercnt (did you mean maxErrorRatePercent?); accepted keys: maxErrorRatePercent, maxP95Ms, minRequests, maxErrorIncreasePp, maxLatencyRatio`,
      ]);
    });
  });

  describe('values the schema already refuses or reads as meant', () => {
    it.each<[string, string, string[]]>([
      ['an empty file', '', [`${FILE}: got null; accepted: a mapping with at least name and image`]],
      ['a file of comments', '# nothing yet\n', [`${FILE}: got null; accepted: a mapping with at least name and image`]],
      [
        'a top-level list',
        '- name: orders\n',
        [`${FILE}: got a list [{"name":"orders"}]; accepted: a mapping with at least name and image`],
      ],
      ['a tab as indentation', `${VALID}listener:\n\tport: 8080\n`, [`${FILE}:4:1: not valid YAML: Tabs are not allowed as indentation`]],
      ['a port of .nan', `${VALID}containerPort: .nan\n`, [`${FILE}: containerPort: got NaN; accepted: a port number from 1 to 65535`]],
      [
        'a port of .inf',
        `${VALID}containerPort: .inf\n`,
        [`${FILE}: containerPort: got Infinity; accepted: a port number from 1 to 65535`],
      ],
      [
        'a port of 1e400',
        `${VALID}containerPort: 1e400\n`,
        [`${FILE}: containerPort: got Infinity; accepted: a port number from 1 to 65535`],
      ],
      ['a port of -0', `${VALID}containerPort: -0\n`, [`${FILE}: containerPort: got 0; accepted: a port number from 1 to 65535`]],
      ['a fractional port', `${VALID}containerPort: 80.5\n`, [`${FILE}: containerPort: got 80.5; accepted: a port number from 1 to 65535`]],
      ['a quoted port', `${VALID}containerPort: "80"\n`, [`${FILE}: containerPort: got "80"; accepted: a port number from 1 to 65535`]],
      [
        'a desired count of .nan',
        `${VALID}desiredCount: .nan\n`,
        [`${FILE}: desiredCount: got NaN; accepted: a whole number from 1 to 100`],
      ],
      [
        'an error rate of .nan',
        `${VALID}thresholds: { maxErrorRatePercent: .nan }\n`,
        [`${FILE}: thresholds.maxErrorRatePercent: got NaN; accepted: a percentage above 0 and at most 100`],
      ],
      [
        'a latency ratio of .inf',
        `${VALID}thresholds: { maxLatencyRatio: .inf }\n`,
        [`${FILE}: thresholds.maxLatencyRatio: got Infinity; accepted: a ratio of at least 1, such as 1.5`],
      ],
      [
        'a hold limit of .inf',
        `${VALID}rollout: { holdLimitMinutes: .inf }\n`,
        [`${FILE}: rollout.holdLimitMinutes: got Infinity; accepted: 0 or more minutes`],
      ],
      [
        'a null rollout',
        `${VALID}rollout:\n`,
        [`${FILE}: rollout: got null; accepted: a mapping with the keys steps, postTrafficBakeMinutes, holdLimitMinutes`],
      ],
      [
        'a null environment value',
        `${VALID}environment:\n  FOO:\n`,
        [`${FILE}: environment.FOO: got null; accepted: a string, number or boolean value`],
      ],
      [
        'an environment name with a non-ASCII letter',
        `${VALID}environment: { FÖO: x }\n`,
        [`${FILE}: environment.FÖO: got key "FÖO"; accepted: a variable name of letters, digits and _, not starting with a digit`],
      ],
      [
        'a name with a trailing space',
        'name: "orders "\nimage: nginx\n',
        [expect.stringMatching(/^services\/orders\.yaml: name: got "orders "; accepted: a name of 2 to 27/)],
      ],
      [
        'a name with a no-break space',
        'name: "orders\u00a0"\nimage: nginx\n',
        [expect.stringMatching(/: name: got "orders\u00a0"; accepted: a name of 2 to 27/)],
      ],
      [
        'an image with a leading space',
        'name: orders\nimage: " nginx"\n',
        [expect.stringMatching(/: image: got " nginx"; accepted: a container image reference/)],
      ],
      [
        'a deployOnCdkDeploy in another case',
        `${VALID}deployOnCdkDeploy: Wait\n`,
        [`${FILE}: deployOnCdkDeploy: got "Wait"; accepted: wait, start, off`],
      ],
    ])('refuses %s in one line', (_what, yaml, lines) => {
      expect(problemLines(yaml)).toEqual(lines);
    });

    it.each([
      ['a byte order mark', `\uFEFF${VALID}`],
      ['CRLF line ends', VALID.replace(/\n/g, '\r\n')],
      ['a document start and end', `---\n${VALID}...\n`],
      ['a hexadecimal port (YAML 1.2 reads 0x50 as 80)', `${VALID}containerPort: 0x50\n`],
      ['yes as a name (YAML 1.2 reads it as the string)', 'name: yes\nimage: nginx\n'],
    ])('reads a file with %s as meant', (_what, yaml) => {
      expect(problemLines(yaml)).toEqual([]);
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

    it.each<[string, Buffer, string]>([
      [
        'UTF-16',
        Buffer.from(`\uFEFF${VALID}`, 'utf16le'),
        'got UTF-16 text (it starts with a UTF-16 byte order mark); accepted: UTF-8 text',
      ],
      [
        'Latin-1',
        Buffer.from(`${VALID}environment: { A: "caf\xe9" }\n`, 'latin1'),
        `got bytes that are not UTF-8 (from offset ${VALID.length + 22}; Latin-1 or another legacy encoding?); accepted: UTF-8 text`,
      ],
      [
        'a NUL byte',
        Buffer.from('name: orders\0\nimage: nginx\n'),
        'got a NUL byte at offset 12 (UTF-16 text or a binary file); accepted: UTF-8 text',
      ],
    ])('refuses a file in %s, which read as garbage', (_what, bytes, message) => {
      const dir = servicesDir();
      fs.writeFileSync(path.join(dir, 'orders.yaml'), bytes);
      expect(loadProblems(dir)).toEqual([`${path.join(dir, 'orders.yaml')}: ${message}`]);
    });

    it('reads a UTF-8 file with a byte order mark, CRLF line ends and accented values', () => {
      const dir = servicesDir({ 'orders.yaml': `\uFEFF${VALID}environment: { GREETING: "café" }\n`.replace(/\n/g, '\r\n') });
      expect(loadServiceConfigs(dir)[0].environment).toEqual({ GREETING: 'café' });
    });

    it('refuses a symbolic link loop named x.yaml in one line', () => {
      const dir = servicesDir({ 'a.yaml': VALID });
      fs.symlinkSync(path.join(dir, 'y.yaml'), path.join(dir, 'x.yaml'));
      fs.symlinkSync(path.join(dir, 'x.yaml'), path.join(dir, 'y.yaml'));
      expect(loadProblems(dir)).toEqual([
        `${path.join(dir, 'x.yaml')}: got a file that cannot be read (ELOOP); accepted: a regular file holding one service's YAML`,
        `${path.join(dir, 'y.yaml')}: got a file that cannot be read (ELOOP); accepted: a regular file holding one service's YAML`,
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
          CDK_OUTDIR: scratchDir('ecs-canary-out-'),
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
