/**
 * The AWS limits of lib/config/aws-limits.ts, checked from both sides: the largest file the
 * schema accepts synthesizes with every derived name, the security group and the task definition
 * within AWS's limits; one step past each limit fails with one line naming the file, the field,
 * the value and the limit, without a stack trace, in-process and through the CDK app.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import {
  BINDING_NAME_RULE,
  ConfigError,
  DERIVED_NAME_RULES,
  environmentBytes,
  GENERATED_NAME_PROPERTIES,
  loadServiceConfigs,
  MAX_ENVIRONMENT_BYTES,
  MAX_SERVICE_FILE_BYTES,
  MAX_SERVICE_NAME_LENGTH,
  maxTestAllowedCidrs,
  SECURITY_GROUP_INBOUND_RULES,
  TASK_DEFINITION_MAX_BYTES,
  TASK_DEFINITION_RESERVED_BYTES,
} from '../../lib/config';
import { addEcsCanaryStacks } from '../../lib/ecs-canary-app';
import { testApp } from '../lib/fixtures';
import { scratchDir } from '../scratch';

const ROOT = path.join(__dirname, '../..');
const REGION = 'eu-west-1';
const CERTIFICATE = `arn:aws:acm:${REGION}:123456789012:certificate/0b5a5c1e-1111-2222-3333-444455556666`;
const LONGEST_NAME = `a${'b'.repeat(MAX_SERVICE_NAME_LENGTH - 2)}c`;

function servicesDir(files: Record<string, string>): string {
  const dir = scratchDir('ecs-canary-limits-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** `count` distinct /32 CIDRs. */
const cidrs = (count: number): string[] => Array.from({ length: count }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.1/32`);

/** An environment of `bytes` bytes as ECS counts it, in one variable. */
function environmentOf(bytes: number): Record<string, string> {
  return { BIG: 'x'.repeat(bytes - environmentBytes({ BIG: '' })) };
}

const yaml = (lines: string[]) => `${lines.join('\n')}\n`;
const minimal = (...extra: string[]) => yaml(['name: orders', 'image: public.ecr.aws/nginx/nginx:1.27', ...extra]);

/** The problem lines of loading `dir` and building its stacks in eu-west-1; [] when it builds. */
function problemLines(dir: string): string[] {
  try {
    addEcsCanaryStacks(testApp(), loadServiceConfigs(dir), { region: REGION });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.message).not.toMatch(/\n\s+at /);
    expect(error.message).toBe(`Invalid service configuration (1 problem):\n  ${error.problems.map((p) => p.line).join('\n  ')}`);
    return error.problems.map((p) => p.line);
  }
}

describe('AWS limits', () => {
  it('derives the service name limit from the hook function name: 27 characters', () => {
    expect(MAX_SERVICE_NAME_LENGTH).toBe(27);
    expect(BINDING_NAME_RULE.id).toBe('lambda-hook-name');
    expect(`CodeDeployHook_${LONGEST_NAME}-AfterAllowTestTraffic`).toHaveLength(64);
  });

  it('lists every derived-name rule in docs/configuration-limits.md', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/configuration-limits.md'), 'utf8');
    for (const rule of DERIVED_NAME_RULES)
      expect({ rule: rule.id, listed: doc.includes(`| \`${rule.id}\` |`) }).toEqual({ rule: rule.id, listed: true });
  });

  describe('the largest file the schema accepts', () => {
    let stack: Stack;
    let template: Record<string, any>;
    let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
    const environment = environmentOf(MAX_ENVIRONMENT_BYTES);
    beforeAll(() => {
      const dir = servicesDir({
        'big.yaml': yaml([
          `name: ${LONGEST_NAME}`,
          // A long image reference: the task definition must still fit with the largest environment.
          `image: registry.example.com:5000/${'team/'.repeat(20)}app:${'v'.repeat(100)}`,
          `environment: ${JSON.stringify(environment)}`,
          `listener: { certificateArn: "${CERTIFICATE}", testAllowedCidrs: ${JSON.stringify(cidrs(maxTestAllowedCidrs(true)))} }`,
          'notifications: { emails: [oncall@example.com, Team@example.com] }',
        ]),
      });
      const { services } = addEcsCanaryStacks(testApp(), loadServiceConfigs(dir), { region: REGION });
      stack = services[0];
      template = Template.fromStack(stack).toJSON();
      resources = template.Resources;
    });

    it('gives every derived name the value the table derives, within its AWS limit', () => {
      for (const rule of DERIVED_NAME_RULES) {
        const found =
          rule.resourceType === 'AWS::CloudFormation::Stack' ? [stack.stackName] : valuesOf(resources, rule.resourceType, rule.property);
        expect({ rule: rule.id, found }).toEqual({ rule: rule.id, found: expect.arrayContaining([...rule.derive(LONGEST_NAME)]) });
        for (const name of found.filter((value) => value.includes(LONGEST_NAME))) {
          expect({ rule: rule.id, name, length: name.length <= rule.maxLength, allowed: rule.allowed?.test(name) ?? true }).toEqual({
            rule: rule.id,
            name,
            length: true,
            allowed: true,
          });
        }
      }
    });

    it('derives no name the table does not list', () => {
      const derived = new Set(DERIVED_NAME_RULES.flatMap((rule) => rule.derive(LONGEST_NAME)));
      const unlisted = Object.entries(resources).flatMap(([id, resource]) =>
        namedStrings(resource.Properties)
          .filter(([, value]) => value.includes(LONGEST_NAME) && !derived.has(value))
          .map(([key, value]) => `${resource.Type} ${id}.${key} = ${value}`),
      );
      expect(unlisted).toEqual([]);
    });

    it('leaves the short-limited names (target groups 32, state machine 80, …) to CloudFormation', () => {
      const set = GENERATED_NAME_PROPERTIES.flatMap(({ resourceType, property, maxLength }) =>
        valuesOf(resources, resourceType, property)
          .filter((value) => value.length > maxLength || value.includes(LONGEST_NAME))
          .map((value) => `${resourceType}.${property} = ${value}`),
      );
      expect(set).toEqual([]);
    });

    it('holds at most 60 inbound rules on the load balancer security group', () => {
      const [groupId] = Object.keys(resources).filter(
        (id) => id.includes('LoadBalancerSecurityGroup') && resources[id].Type === 'AWS::EC2::SecurityGroup',
      );
      const inline = resources[groupId].Properties.SecurityGroupIngress ?? [];
      const separate = Object.values(resources).filter(
        (r) => r.Type === 'AWS::EC2::SecurityGroupIngress' && JSON.stringify(r.Properties.GroupId).includes(groupId),
      );
      expect(inline.length + separate.length).toBe(SECURITY_GROUP_INBOUND_RULES);
    });

    it('keeps the task definition within 64 KiB, the rest of it within the reserved 4 KiB', () => {
      const taskDefinition = Object.values(resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition')!;
      // Each intrinsic stands for the longest value it can take: a 512-character name or a role ARN.
      const resolved = JSON.stringify(taskDefinition.Properties, (_key, value) => {
        if (value && typeof value === 'object' && ('Ref' in value || 'Fn::GetAtt' in value))
          return 'Fn::GetAtt' in value ? `arn:aws:iam::123456789012:role/${'r'.repeat(64)}` : 'l'.repeat(512);
        if (value && typeof value === 'object' && 'Fn::Join' in value) return 'j'.repeat(600);
        return value;
      });
      const total = Buffer.byteLength(resolved, 'utf8');
      expect(total).toBeLessThanOrEqual(TASK_DEFINITION_MAX_BYTES);
      expect(total - environmentBytes(environment)).toBeLessThan(TASK_DEFINITION_RESERVED_BYTES);
    });
  });

  // One step past each limit, with the one line it must produce. `F` is the file as shown.
  const longEnvironment = { LARGE: 'x'.repeat(70_000) };
  it.each<[string, Record<string, string>, (f: string) => string]>([
    [
      'a service name one character too long',
      { 'orders.yaml': yaml([`name: ${LONGEST_NAME}d`, 'image: nginx']) },
      (f) =>
        `${f}: name: got "${LONGEST_NAME}d" (28 characters); accepted: at most 27 characters: the CodeDeploy hook function name CodeDeployHook_<name>-AfterAllowTestTraffic must fit AWS's 64-character limit`,
    ],
    [
      'a service name with an underscore',
      { 'orders.yaml': yaml(['name: my_orders', 'image: nginx']) },
      (f) =>
        `${f}: name: got "my_orders"; accepted: a name of 2 to 27 lowercase letters, digits and -, starting with a letter and ending with a letter or digit`,
    ],
    [
      'a duplicate e-mail address',
      { 'orders.yaml': minimal('notifications: { emails: [oncall@example.com, team@example.com, OnCall@example.com] }') },
      (f) =>
        `${f}: notifications.emails[2]: got "OnCall@example.com"; accepted: an address not already listed (it is emails[0]); each address is subscribed once`,
    ],
    [
      'a 70 KB environment value',
      { 'orders.yaml': minimal(`environment: ${JSON.stringify({ LOG_LEVEL: 'info', ...longEnvironment })}`) },
      (f) =>
        `${f}: environment: got 70,065 bytes in 2 variables (the largest, LARGE, 70,000 bytes); accepted: at most 61,440 bytes: ECS refuses a task definition over 65,536 bytes (64 KiB) and 4,096 are kept for the rest of it; put large settings in S3 or SSM and pass their location`,
    ],
    [
      'an environment one byte over',
      { 'orders.yaml': minimal(`environment: ${JSON.stringify(environmentOf(MAX_ENVIRONMENT_BYTES + 1))}`) },
      (f) =>
        `${f}: environment: got 61,441 bytes in 1 variable (the largest, BIG, 61,414 bytes); accepted: at most 61,440 bytes: ECS refuses a task definition over 65,536 bytes (64 KiB) and 4,096 are kept for the rest of it; put large settings in S3 or SSM and pass their location`,
    ],
    [
      'one test CIDR more than the security group holds (HTTP)',
      { 'orders.yaml': minimal(`listener: { testAllowedCidrs: ${JSON.stringify(cidrs(60))} }`) },
      (f) =>
        `${f}: listener.testAllowedCidrs: got 60 distinct CIDRs; accepted: at most 59: the load balancer's security group takes one inbound rule per CIDR plus 1 for the production listener, and AWS allows 60 inbound rules per security group (default VPC quota)`,
    ],
    [
      'one test CIDR more than the security group holds (HTTPS)',
      { 'orders.yaml': minimal(`listener: { certificateArn: "${CERTIFICATE}", testAllowedCidrs: ${JSON.stringify(cidrs(59))} }`) },
      (f) =>
        `${f}: listener.testAllowedCidrs: got 59 distinct CIDRs; accepted: at most 58: the load balancer's security group takes one inbound rule per CIDR plus 2 for the production listener and the HTTP redirect, and AWS allows 60 inbound rules per security group (default VPC quota)`,
    ],
    [
      'a certificate from another region than the stack',
      { 'orders.yaml': minimal('listener: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123" }') },
      (f) =>
        `${f}: listener.certificateArn: got a certificate in us-east-1 (arn:aws:acm:us-east-1:123456789012:certificate/abc-123); accepted: a certificate in eu-west-1, the stack's region (a load balancer uses ACM certificates of its own region; request or import one there)`,
    ],
    [
      'a 5 MB file of 70,000 variables',
      { 'orders.yaml': hugeFile(70_000) },
      (f) =>
        `${f}: got ${fs.statSync(f).size.toLocaleString('en-US')} bytes; accepted: a service file of at most 131,072 bytes (128 KiB; its largest part, environment, is limited to 60 KiB by ECS)`,
    ],
    [
      'a file just under the size cap, of thousands of small variables',
      { 'orders.yaml': smallVariables(MAX_SERVICE_FILE_BYTES) },
      (f) =>
        expect.stringMatching(
          new RegExp(
            `^${escape(f)}: environment: got [\\d,]+ bytes in [\\d,]+ variables \\(the largest, V0, 1 bytes\\); accepted: at most 61,440 bytes`,
          ),
        ) as unknown as string,
    ],
    // Target group health checks (ELBv2 CreateTargetGroup): a path of 1 to 1024 characters, 5 to 300 seconds, thresholds 2 to 10.
    [
      'a health check path one character over 1024',
      { 'orders.yaml': minimal(`healthCheck: { path: "/${'p'.repeat(1024)}" }`) },
      (f) => `${f}: healthCheck.path: got "/${'p'.repeat(77)}…; accepted: a URL path of at most 1024 characters`,
    ],
    [
      'a smoke check path one character over 1024',
      { 'orders.yaml': minimal(`smokeChecks: [{ path: "/${'p'.repeat(1024)}" }]`) },
      (f) => `${f}: smokeChecks[0].path: got "/${'p'.repeat(77)}…; accepted: a URL path of at most 1024 characters`,
    ],
    [
      'a health check interval of 301 seconds',
      { 'orders.yaml': minimal('healthCheck: { intervalSeconds: 301 }') },
      (f) => `${f}: healthCheck.intervalSeconds: got 301; accepted: whole seconds from 5 to 300`,
    ],
    [
      'a health check interval of 4 seconds',
      { 'orders.yaml': minimal('healthCheck: { intervalSeconds: 4 }') },
      (f) => `${f}: healthCheck.intervalSeconds: got 4; accepted: whole seconds from 5 to 300`,
    ],
    [
      'a healthy threshold of 11',
      { 'orders.yaml': minimal('healthCheck: { healthyThreshold: 11 }') },
      (f) => `${f}: healthCheck.healthyThreshold: got 11; accepted: a whole number from 2 to 10`,
    ],
    [
      'an unhealthy threshold of 1',
      { 'orders.yaml': minimal('healthCheck: { unhealthyThreshold: 1 }') },
      (f) => `${f}: healthCheck.unhealthyThreshold: got 1; accepted: a whole number from 2 to 10`,
    ],
    [
      'a port of 65536',
      { 'orders.yaml': minimal('containerPort: 65536') },
      (f) => `${f}: containerPort: got 65536; accepted: a port number from 1 to 65535`,
    ],
    [
      'a header name of 41 characters',
      { 'orders.yaml': minimal(`canaryHeader: { name: X-${'c'.repeat(39)} }`) },
      (f) =>
        `${f}: canaryHeader.name: got "X-${'c'.repeat(39)}"; accepted: an HTTP header name such as X-Canary: 1 to 40 letters, digits and !#$%&'+.^_\`|~- (no wildcard * or ?), not Host`,
    ],
  ])('fails with one line for %s', (_name, files, expected) => {
    const dir = servicesDir(files);
    expect(problemLines(dir)).toEqual([expected(path.join(dir, Object.keys(files)[0]))]);
  });

  it.each<[string, string]>([
    ['a health check path of exactly 1024 characters', `healthCheck: { path: "/${'p'.repeat(1023)}" }`],
    ['a health check interval of 5 and of 300 seconds', 'healthCheck: { intervalSeconds: 5, healthyThreshold: 10, unhealthyThreshold: 2 }'],
    ['a header name of exactly 40 characters and a value of 128', `canaryHeader: { name: X-${'c'.repeat(38)}, value: ${'v'.repeat(128)} }`],
    ['a port of 65535', 'containerPort: 65535'],
  ])('accepts %s, at the limit', (_name, line) => {
    expect(problemLines(servicesDir({ 'orders.yaml': minimal(line) }))).toEqual([]);
  });

  describe('through the CDK app', () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        'a duplicate e-mail',
        minimal('notifications: { emails: [a@example.com, a@example.com] }'),
        /orders\.yaml: notifications\.emails\[1\]: got "a@example\.com"; accepted: an address not already listed/,
      ],
      [
        'a 70 KB environment value',
        minimal(`environment: ${JSON.stringify(longEnvironment)}`),
        /orders\.yaml: environment: got 70,029 bytes in 1 variable .*accepted: at most 61,440 bytes/,
      ],
      ['a 5 MB file', hugeFile(70_000), /orders\.yaml: got [\d,]+ bytes; accepted: a service file of at most 131,072 bytes/],
      [
        'a service name one character too long',
        yaml([`name: ${LONGEST_NAME}d`, 'image: nginx']),
        /orders\.yaml: name: got "a\w+" \(28 characters\); accepted: at most 27 characters/,
      ],
    ];
    // One run of the app for every case (each in its own file): a run costs seconds, the wiring is the same.
    it(`bin/app.ts prints one clean line for each of: ${cases.map(([name]) => name).join('; ')}`, () => {
      // Each service its own name, so that no file's problem is another's duplicate name.
      const files = Object.fromEntries(cases.map(([, text], i) => [`case-${i}.yaml`, text.replace(/^name: orders$/m, `name: case-${i}`)]));
      const dir = servicesDir(files);
      const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bin/app.ts'], {
        cwd: ROOT,
        env: { ...process.env, ECS_CANARY_SERVICES_DIR: dir, CDK_OUTDIR: scratchDir('ecs-canary-out-') },
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        `Invalid service configuration (${cases.length} problems):`,
        ...cases.map(([, , line], i) => expect.stringMatching(new RegExp(line.source.replace('orders\\.yaml', `case-${i}\\.yaml`)))),
      ]);
    });

    it('npx cdk synth prints the line and no stack trace for a certificate of another region', () => {
      const dir = servicesDir({
        'orders.yaml': minimal('listener: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123" }'),
      });
      const run = spawnSync(
        'npx',
        ['cdk', 'synth', '--no-notices', '-c', `servicesDir=${dir}`, '-c', `region=${REGION}`, '-o', scratchDir('ecs-canary-out-')],
        {
          cwd: ROOT,
          env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
          encoding: 'utf8',
        },
      );
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`${path.join(dir, 'orders.yaml')}: listener.certificateArn: got a certificate in us-east-1`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  });
});

/** A file of `count` variables of ~80 bytes each: 5.5 MB, the example. */
function hugeFile(count: number): string {
  return yaml([
    'name: orders',
    'image: nginx',
    'environment:',
    ...Array.from({ length: count }, (_, i) => `  VARIABLE_${i}: ${'v'.repeat(60)}`),
  ]);
}

/** A file of as many one-character variables as fit in `bytes`. */
function smallVariables(bytes: number): string {
  const lines = ['name: orders', 'image: nginx', 'environment:'];
  let size = Buffer.byteLength(yaml(lines));
  for (let i = 0; ; i++) {
    const line = `  V${i}: 1`;
    if (size + line.length + 1 > bytes) break;
    lines.push(line);
    size += line.length + 1;
  }
  return yaml(lines);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every string value under `property` (dotted; `[]` walks a list) of the resources of `type`. */
function valuesOf(resources: Record<string, { Type: string; Properties: Record<string, any> }>, type: string, property: string): string[] {
  const walk = (value: any, parts: string[]): unknown[] => {
    if (parts.length === 0) return [value];
    const [head, ...rest] = parts;
    if (head.endsWith('[]')) return ((value?.[head.slice(0, -2)] ?? []) as unknown[]).flatMap((item) => walk(item, rest));
    return value?.[head] === undefined ? [] : walk(value[head], rest);
  };
  return Object.values(resources)
    .filter((r) => r.Type === type)
    .flatMap((r) => walk(r.Properties, property.split('.')))
    .filter((v): v is string => typeof v === 'string');
}

/** `[key, value]` of every string under a key that names something (`…Name`, `Family`), at any depth. */
function namedStrings(value: unknown, key = ''): Array<[string, string]> {
  if (typeof value === 'string') return /Name$|^Family$/.test(key) ? [[key, value]] : [];
  if (Array.isArray(value)) return value.flatMap((item) => namedStrings(item, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => namedStrings(v, k));
  return [];
}
