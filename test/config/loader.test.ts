import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  ConfigError,
  formatPath,
  loadServiceConfigFile,
  loadServiceConfigs,
  parseServiceConfig,
  validateServiceConfig,
} from '../../lib/config';
import { scratchDir } from '../scratch';

const FILE = 'services/orders.yaml';
const VALID = 'name: orders\nimage: public.ecr.aws/nginx/nginx:1.27\n';
/** A plan whose worst case (7 + 7 min windows, 5 min termination wait, 10 min CodeDeploy) fits a cdk deploy's wait. */
const SHORT_PLAN = 'rollout: { steps: [{ weight: 10, bakeMinutes: 5 }], holdLimitMinutes: 2, postTrafficBakeMinutes: 5 }';

/** The problem lines of a YAML text (empty when it is valid). */
function problemLines(yaml: string): string[] {
  const result = parseServiceConfig(yaml, FILE);
  return result.success ? [] : result.problems.map((p) => p.line);
}

/** The valid minimal file with one top-level field added or replaced. */
function withField(field: string): string {
  const key = field.split(':')[0];
  const kept = VALID.split('\n').filter((line) => line && !line.startsWith(`${key}:`));
  return `${[...kept, field].join('\n')}\n`;
}

function tempDir(files: Record<string, string>): string {
  const dir = scratchDir('ecs-canary-config-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('service config', () => {
  describe('parseServiceConfig', () => {
    it('applies every default to a minimal file', () => {
      const result = parseServiceConfig(VALID, FILE);
      expect(result).toEqual({
        success: true,
        name: 'orders',
        config: {
          name: 'orders',
          image: 'public.ecr.aws/nginx/nginx:1.27',
          containerPort: 80,
          healthCheck: { path: '/', intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 3 },
          cpu: 256,
          memoryMiB: 512,
          desiredCount: 2,
          environment: {},
          listener: { port: 80, testPort: 9000, testAllowedCidrs: [] },
          rollout: {
            steps: [
              { weight: 5, bakeMinutes: 5 },
              { weight: 25, bakeMinutes: 10 },
              { weight: 50, bakeMinutes: 15 },
            ],
            postTrafficBakeMinutes: 15,
            holdLimitMinutes: 10,
          },
          thresholds: { maxErrorRatePercent: 1, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 },
          smokeChecks: [{ path: '/', expectStatus: 200 }],
          notifications: { emails: [] },
          auditRetentionDays: 90,
          deployOnCdkDeploy: 'start',
          secrets: {},
          sidecars: [],
          cpuArchitecture: 'x86_64',
          enableExecuteCommand: false,
          logRetentionDays: 30,
        },
      });
    });

    it.each([
      [
        'a certificate switches the production port to 443',
        'listener: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123" }',
        (c: any) => c.listener.port,
        443,
      ],
      [
        'numbers in environment become strings',
        'environment: { WORKERS: 4, DEBUG: false }',
        (c: any) => c.environment,
        { WORKERS: '4', DEBUG: 'false' },
      ],
      ['a canary header takes its defaults', 'canaryHeader: {}', (c: any) => c.canaryHeader, { name: 'X-Canary', value: 'always' }],
      ['a canary cookie takes its defaults', 'canaryCookie: {}', (c: any) => c.canaryCookie, { name: 'canary', value: 'always' }],
      [
        'a canary cookie with its own name and value',
        'canaryCookie: { name: tester, value: "beta-2" }',
        (c: any) => c.canaryCookie,
        { name: 'tester', value: 'beta-2' },
      ],
      [
        'a Slack channel',
        'notifications: { slack: { workspaceId: T0123ABCD, channelId: C0123ABCD } }',
        (c: any) => c.notifications,
        { emails: [], slack: { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' } },
      ],
      [
        'a Teams channel',
        `notifications: { teams: { teamId: ${'8f0e3c2a-1b4d-4e6f-9a7b-0c1d2e3f4a5b'}, channelId: "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2", tenantId: 11111111-2222-3333-4444-555555555555 } }`,
        (c: any) => c.notifications.teams,
        {
          teamId: '8f0e3c2a-1b4d-4e6f-9a7b-0c1d2e3f4a5b',
          channelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
          tenantId: '11111111-2222-3333-4444-555555555555',
        },
      ],
      [
        'smoke checks default to the health check path',
        'healthCheck: { path: /healthz }',
        (c: any) => c.smokeChecks,
        [{ path: '/healthz', expectStatus: 200 }],
      ],
      [
        'a smoke check status defaults to 200',
        'smokeChecks: [{ path: /ping }]',
        (c: any) => c.smokeChecks,
        [{ path: '/ping', expectStatus: 200 }],
      ],
      [
        'wait is accepted with a plan that fits the hour',
        `deployOnCdkDeploy: wait\n${SHORT_PLAN}`,
        (c: any) => c.deployOnCdkDeploy,
        'wait',
      ],
      ['off needs no particular plan', 'deployOnCdkDeploy: "off"', (c: any) => c.deployOnCdkDeploy, 'off'],
      ['an image of exactly 255 characters', `image: registry.example.com/${'a'.repeat(230)}:1.0`, (c: any) => c.image.length, 255],
      ['a canary header named like Host but longer', 'canaryHeader: { name: X-Host }', (c: any) => c.canaryHeader.name, 'X-Host'],
      [
        'an image pinned by digest is accepted',
        `image: registry.example.com:5000/team/app@sha256:${'a'.repeat(64)}`,
        (c: any) => c.image,
        `registry.example.com:5000/team/app@sha256:${'a'.repeat(64)}`,
      ],
    ])('accepts a file where %s', (_name, extra, pick, expected) => {
      const result = parseServiceConfig(withField(extra), FILE);
      if (!result.success) throw new Error(result.problems.map((p) => p.line).join('\n'));
      expect(pick(result.config)).toEqual(expected);
    });

    // Each bad file, with the one line it must produce (file, field, value, what is accepted).
    it.each([
      [
        'an unknown top-level key',
        'replicas: 3',
        'services/orders.yaml: (top level): unknown key replicas; accepted keys: name, image, containerPort,',
      ],
      [
        'an unknown nested key',
        'listener: { tlsPort: 443 }',
        'services/orders.yaml: listener: unknown key tlsPort; accepted keys: port, certificateArn, testPort, testAllowedCidrs',
      ],
      [
        'a string where a number belongs',
        'containerPort: "8080"',
        'services/orders.yaml: containerPort: got "8080"; accepted: a port number from 1 to 65535',
      ],
      [
        'a port out of range',
        'containerPort: 70000',
        'services/orders.yaml: containerPort: got 70000; accepted: a port number from 1 to 65535',
      ],
      [
        'a test port out of range',
        'listener: { testPort: 0 }',
        'services/orders.yaml: listener.testPort: got 0; accepted: a port number from 1 to 65535',
      ],
      [
        'a test port equal to the production port',
        'listener: { port: 8080, testPort: 8080 }',
        "services/orders.yaml: listener.testPort: got 8080; accepted: a port other than the production listener's 8080",
      ],
      [
        'port 80 with a certificate',
        'listener: { port: 80, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }',
        'services/orders.yaml: listener.port: got 80; accepted: a port other than 80 when certificateArn is set',
      ],
      [
        'a malformed certificate ARN',
        'listener: { certificateArn: "my-cert" }',
        'services/orders.yaml: listener.certificateArn: got "my-cert"; accepted: an ACM certificate ARN',
      ],
      [
        'a bad CIDR',
        'listener: { testAllowedCidrs: [10.0.0.0/33] }',
        'services/orders.yaml: listener.testAllowedCidrs[0]: got "10.0.0.0/33"; accepted: an IPv4 CIDR such as 10.0.0.0/16',
      ],
      [
        'weights not strictly increasing',
        'rollout: { steps: [{ weight: 25, bakeMinutes: 5 }, { weight: 25, bakeMinutes: 5 }] }',
        "services/orders.yaml: rollout.steps[1].weight is 25, not above the previous step's 25; weights must increase strictly",
      ],
      [
        'a weight of 100',
        'rollout: { steps: [{ weight: 100, bakeMinutes: 5 }] }',
        'services/orders.yaml: rollout.steps[0].weight is 100; accepted: a whole percentage greater than 0 and less than 100',
      ],
      [
        'a weight of 0',
        'rollout: { steps: [{ weight: 0, bakeMinutes: 5 }] }',
        'services/orders.yaml: rollout.steps[0].weight is 0; accepted: a whole percentage greater than 0 and less than 100',
      ],
      [
        'a bake under a minute',
        'rollout: { steps: [{ weight: 5, bakeMinutes: 0.5 }] }',
        'services/orders.yaml: rollout.steps[0].bakeMinutes is 0.5; accepted: at least 1 minute',
      ],
      ['no steps', 'rollout: { steps: [] }', 'services/orders.yaml: rollout.steps is empty; give at least one step'],
      [
        'a step longer than a hook window',
        'rollout: { steps: [{ weight: 5, bakeMinutes: 50 }] }',
        'services/orders.yaml: rollout.steps[0] takes up to 60 min (bake 50 + hold limit 10), more than one CodeDeploy hook window of 55 min',
      ],
      [
        'a plan that does not fit two hook windows',
        'rollout: { steps: [{ weight: 5, bakeMinutes: 30 }, { weight: 10, bakeMinutes: 30 }, { weight: 20, bakeMinutes: 30 }] }',
        'services/orders.yaml: rollout.steps take up to 120 min in the worst case',
      ],
      [
        'a post-traffic bake longer than its window',
        'rollout: { postTrafficBakeMinutes: 50 }',
        'services/orders.yaml: rollout.postTrafficBakeMinutes 50 + holdLimitMinutes 10 = 60 min exceeds the 55 min AfterAllowTraffic hook window',
      ],
      [
        'an uppercase name',
        'name: Orders',
        'services/orders.yaml: name: got "Orders"; accepted: a name of 2 to 27 lowercase letters, digits and -',
      ],
      ['a missing image', null, 'services/orders.yaml: image: missing; accepted: a container image reference'],
      [
        'an invalid image reference',
        'image: "nginx:latest:extra"',
        'services/orders.yaml: image: got "nginx:latest:extra"; accepted: a container image reference',
      ],
      ['an uppercase repository', 'image: Nginx', 'services/orders.yaml: image: got "Nginx"; accepted: a container image reference'],
      [
        'an unsupported Fargate cpu',
        'cpu: 300',
        'services/orders.yaml: cpu: got 300; accepted: one of 256, 512, 1024, 2048, 4096, 8192, 16384 (Fargate CPU units)',
      ],
      [
        'memory that does not fit the cpu',
        'memoryMiB: 4096',
        'services/orders.yaml: memoryMiB: got 4096; accepted: for cpu 256, 512, 1024, 2048 MiB',
      ],
      [
        'a bad environment variable name',
        'environment: { 1ST: x }',
        'services/orders.yaml: environment.1ST: got key "1ST"; accepted: a variable name of letters, digits and _',
      ],
      [
        'a bad email',
        'notifications: { emails: [oncall] }',
        'services/orders.yaml: notifications.emails[0]: got "oncall"; accepted: an email address',
      ],
      [
        'a cookie name with a wildcard',
        'canaryCookie: { name: "can*ary" }',
        'services/orders.yaml: canaryCookie.name: got "can*ary"; accepted: a cookie name of letters, digits and',
      ],
      [
        'a cookie value with a semicolon',
        'canaryCookie: { value: "a;b" }',
        'services/orders.yaml: canaryCookie.value: got "a;b"; accepted: a cookie value of printable characters without spaces',
      ],
      [
        'a cookie value with a ?',
        'canaryCookie: { value: "yes?" }',
        'services/orders.yaml: canaryCookie.value: got "yes?"; accepted: a cookie value',
      ],
      [
        'a cookie pair too long for one ALB condition value',
        `canaryCookie: { name: canary, value: ${'v'.repeat(119)} }`,
        `services/orders.yaml: canaryCookie: got "canary=${'v'.repeat(119)}" (126 characters); accepted: name=value of at most 125 characters`,
      ],
      [
        'a canary header on Host, which ALB rules match with a host condition only',
        'canaryHeader: { name: Host }',
        'services/orders.yaml: canaryHeader.name: got "Host"; accepted: an HTTP header name such as X-Canary: 1 to 40 letters, digits and',
      ],
      [
        'a canary header on host, in any case',
        'canaryHeader: { name: hOsT }',
        'services/orders.yaml: canaryHeader.name: got "hOsT"; accepted: an HTTP header name',
      ],
      [
        'a canary header name with a wildcard',
        'canaryHeader: { name: "X-Can*" }',
        'services/orders.yaml: canaryHeader.name: got "X-Can*"; accepted: an HTTP header name such as X-Canary: 1 to 40 letters, digits and !#$%&\'+.^_`|~- (no wildcard * or ?), not Host',
      ],
      [
        'a canary header name with a ? wildcard',
        'canaryHeader: { name: "X-Canar?" }',
        'services/orders.yaml: canaryHeader.name: got "X-Canar?"; accepted: an HTTP header name',
      ],
      [
        // The load balancer reads * and ? in the value as wildcards: "*" would send any value to the replacement.
        'a canary header value of *, a wildcard',
        'canaryHeader: { value: "*" }',
        'services/orders.yaml: canaryHeader.value: got "*"; accepted: a header value of 1 to 128 characters, without * or ? (the load balancer reads them as wildcards)',
      ],
      [
        'a canary header value with a ?',
        'canaryHeader: { value: "yes?" }',
        'services/orders.yaml: canaryHeader.value: got "yes?"; accepted: a header value of 1 to 128 characters, without * or ?',
      ],
      [
        'a canary header value over 128 characters',
        `canaryHeader: { value: ${'v'.repeat(129)} }`,
        `services/orders.yaml: canaryHeader.value: got "${'v'.repeat(78)}…; accepted: a header value of 1 to 128 characters`,
      ],
      [
        'a canary header name over 40 characters',
        `canaryHeader: { name: X-${'c'.repeat(39)} }`,
        `services/orders.yaml: canaryHeader.name: got "X-${'c'.repeat(39)}"; accepted: an HTTP header name`,
      ],
      [
        'an image over the 255 characters ECS accepts',
        `image: registry.example.com/${'a'.repeat(260)}:1.0`,
        `services/orders.yaml: image: got "registry.example.com/${'a'.repeat(19)}…" (285 characters); accepted: an image reference of at most 255 characters (ECS ContainerDefinition image)`,
      ],
      [
        'an unknown cookie key',
        'canaryCookie: { path: / }',
        'services/orders.yaml: canaryCookie: unknown key path; accepted keys: name, value',
      ],
      [
        'a lowercase Slack workspace ID',
        'notifications: { slack: { workspaceId: t0123abcd, channelId: C0123ABCD } }',
        'services/orders.yaml: notifications.slack.workspaceId: got "t0123abcd"; accepted: the Slack workspace ID',
      ],
      [
        'a Slack channel name instead of its ID',
        'notifications: { slack: { workspaceId: T0123ABCD, channelId: "#on-call" } }',
        'services/orders.yaml: notifications.slack.channelId: got "#on-call"; accepted: the Slack channel ID',
      ],
      [
        'a Slack channel without its workspace',
        'notifications: { slack: { channelId: C0123ABCD } }',
        'services/orders.yaml: notifications.slack.workspaceId: missing; accepted: the Slack workspace ID',
      ],
      [
        'a Teams team ID that is not a UUID',
        'notifications: { teams: { teamId: my-team, channelId: "19%3aabc%40thread.tacv2", tenantId: 11111111-2222-3333-4444-555555555555 } }',
        'services/orders.yaml: notifications.teams.teamId: got "my-team"; accepted: the Microsoft Teams team ID',
      ],
      [
        'a Teams channel ID not URL-encoded',
        'notifications: { teams: { teamId: 11111111-2222-3333-4444-555555555555, channelId: "19:abc@thread.tacv2", tenantId: 11111111-2222-3333-4444-555555555555 } }',
        'services/orders.yaml: notifications.teams.channelId: got "19:abc@thread.tacv2"; accepted: the Microsoft Teams channel ID as Teams copies it, URL-encoded',
      ],
      [
        'an unknown notifications key',
        'notifications: { pagerduty: x }',
        'services/orders.yaml: notifications: unknown key pagerduty; accepted keys: emails, slack, teams',
      ],
      [
        'a smoke check path without a slash',
        'smokeChecks: [{ path: health }]',
        'services/orders.yaml: smokeChecks[0].path: got "health"; accepted: a URL path starting with "/"',
      ],
      [
        'a threshold of zero',
        'thresholds: { maxErrorRatePercent: 0 }',
        'services/orders.yaml: thresholds.maxErrorRatePercent: got 0; accepted: a percentage above 0 and at most 100',
      ],
      [
        'a latency ratio under 1',
        'thresholds: { maxLatencyRatio: 0.9 }',
        'services/orders.yaml: thresholds.maxLatencyRatio: got 0.9; accepted: a ratio of at least 1',
      ],
      [
        'a fractional desired count',
        'desiredCount: 1.5',
        'services/orders.yaml: desiredCount: got 1.5; accepted: a whole number from 1 to 100',
      ],
      [
        'a list where a mapping belongs',
        'healthCheck: [/health]',
        'services/orders.yaml: healthCheck: got a list ["/health"]; accepted: a mapping with the keys path, intervalSeconds, healthyThreshold, unhealthyThreshold',
      ],
      [
        'an audit retention of zero',
        'auditRetentionDays: 0',
        'services/orders.yaml: auditRetentionDays: got 0; accepted: whole days from 1 to 3650',
      ],
      [
        'an unknown deployOnCdkDeploy mode',
        'deployOnCdkDeploy: always',
        'services/orders.yaml: deployOnCdkDeploy: got "always"; accepted: wait, start, off',
      ],
      [
        'deployOnCdkDeploy wait with the default plan',
        'deployOnCdkDeploy: wait',
        'services/orders.yaml: deployOnCdkDeploy: got "wait"; accepted: "start" or "off" with this rollout plan, or "wait" with a plan that finishes within 50 min',
      ],
      [
        'deployOnCdkDeploy wait with the default plan (worst case named)',
        'deployOnCdkDeploy: wait',
        'this plan takes up to 110 min in the worst case (hook windows 85 + termination wait 15 + CodeDeploy steps 10)',
      ],
      [
        'deployOnCdkDeploy wait with a plan 2 min too long',
        'deployOnCdkDeploy: wait\nrollout: { steps: [{ weight: 10, bakeMinutes: 10 }], holdLimitMinutes: 5, postTrafficBakeMinutes: 11 }',
        'takes up to 52 min in the worst case (hook windows 31 + termination wait 11 + CodeDeploy steps 10); shorten rollout.steps[].bakeMinutes, rollout.holdLimitMinutes (counted once per step and once for the post-traffic bake) or rollout.postTrafficBakeMinutes (counted twice: bake and termination wait) by 2 min in total',
      ],
    ])('fails when the file has %s', (_name, extra, expected) => {
      const lines = problemLines(extra === null ? 'name: orders\n' : withField(extra));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(expected);
    });

    it('fails when a key is repeated, with its line and column', () => {
      expect(problemLines(`${VALID}name: again\n`)).toEqual([
        'services/orders.yaml:3:1: not valid YAML: key "name" appears twice in the same mapping; accepted: each key once',
      ]);
    });

    it('fails when the file is not a mapping', () => {
      expect(problemLines('- orders\n')).toEqual([
        'services/orders.yaml: got a list ["orders"]; accepted: a mapping with at least name and image',
      ]);
    });

    it('reports deployOnCdkDeploy wait that cannot fit even when other fields are wrong', () => {
      const lines = problemLines('name: orders\nimage: public.ecr.aws/nginx/nginx:1.27\ncontainerPort: 0\ndeployOnCdkDeploy: wait\n');
      expect(lines.map((line) => line.split(':')[1].trim())).toEqual(['containerPort', 'deployOnCdkDeploy']);
      expect(lines[1]).toContain('this plan takes up to 110 min');
    });

    it('reports every problem of a file at once', () => {
      const lines = problemLines(
        'name: Orders\nimage: public.ecr.aws/nginx/nginx:1.27\ncontainerPort: 0\nreplicas: 2\nmemoryMiB: 4096\nrollout: { steps: [{ weight: 50, bakeMinutes: 5 }, { weight: 25, bakeMinutes: 5 }] }\n',
      );
      expect(lines.map((line) => line.split(':')[1].trim())).toEqual(
        expect.arrayContaining([
          'name',
          'containerPort',
          '(top level)',
          'memoryMiB',
          "rollout.steps[1].weight is 25, not above the previous step's 50; weights must increase strictly",
        ]),
      );
      expect(lines).toHaveLength(5);
    });
  });

  describe('validateServiceConfig', () => {
    it('accepts its own output unchanged', () => {
      const config = validateServiceConfig({ name: 'orders', image: 'nginx', canaryHeader: {} }, 'test');
      expect(validateServiceConfig(config, 'test')).toEqual(config);
    });

    it('fails with a ConfigError naming the source', () => {
      expect(() => validateServiceConfig({ name: 'orders', image: 'nginx', containerPort: -1 }, 'App/Orders')).toThrow(
        new ConfigError([
          {
            file: 'App/Orders',
            field: 'containerPort',
            line: 'App/Orders: containerPort: got -1; accepted: a port number from 1 to 65535',
          },
        ]),
      );
    });
  });

  describe('loadServiceConfigs', () => {
    it('loads every yaml file of a directory in name order', () => {
      const dir = tempDir({ 'b.yaml': 'name: beta\nimage: nginx\n', 'a.yml': 'name: alpha\nimage: nginx\n', 'notes.txt': 'ignored' });
      expect(loadServiceConfigs(dir).map((c) => c.name)).toEqual(['alpha', 'beta']);
    });

    it('fails when two files use the same service name', () => {
      const dir = tempDir({ 'a.yaml': 'name: orders\nimage: nginx\n', 'b.yaml': 'name: orders\nimage: nginx\n' });
      expect(() => loadServiceConfigs(dir)).toThrow(
        /b\.yaml: name: got "orders", already used by .*a\.yaml; accepted: a name no other service file uses/,
      );
    });

    it('fails when two files use the same name even if one has other problems', () => {
      const dir = tempDir({ 'a.yaml': 'name: orders\nimage: nginx\n', 'b.yaml': 'name: orders\nimage: "Bad Image"\n' });
      expect(() => loadServiceConfigs(dir)).toThrow(
        expect.objectContaining({ problems: [expect.objectContaining({ field: 'image' }), expect.objectContaining({ field: 'name' })] }),
      );
    });

    it('reports the problems of every file together', () => {
      const dir = tempDir({ 'a.yaml': 'name: alpha\nimage: nginx\ncpu: 3\n', 'b.yaml': 'name: beta\n' });
      try {
        loadServiceConfigs(dir);
        throw new Error('expected a ConfigError');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems.map((p) => [path.basename(p.file), p.field])).toEqual([
          ['a.yaml', 'cpu'],
          ['b.yaml', 'image'],
        ]);
        expect((error as ConfigError).message).toMatch(/^Invalid service configuration \(2 problems\):\n {2}.*a\.yaml: cpu: got 3;/);
      }
    });

    it('fails when the directory has no service files', () => {
      expect(() => loadServiceConfigs(tempDir({}))).toThrow(/no service files; add one <name>\.yaml per service/);
    });

    it('fails when the directory does not exist', () => {
      expect(() => loadServiceConfigs('/nonexistent/services')).toThrow(/\/nonexistent\/services: no such directory/);
    });

    it.each<[string, () => string, RegExp]>([
      // ECS_CANARY_SERVICES_DIR= (set but empty) used to print ": no such directory", naming nothing.
      [
        'an empty path',
        () => '',
        /^Invalid service configuration \(1 problem\):\n {2}"": an empty path; create a directory and add one <name>\.yaml per service$/,
      ],
      ['a blank path', () => ' ', /\n {2}" ": an empty path;/],
      ['a file', () => path.join(tempDir({ 'a.yaml': 'name: a\n' }), 'a.yaml'), /a\.yaml: a file, not a directory; create a directory/],
    ])('fails naming %s given as the directory', (_what, dir, message) => {
      expect(() => loadServiceConfigs(dir())).toThrow(message);
    });
  });

  describe('loadServiceConfigFile', () => {
    it('loads the shipped demo service', () => {
      expect(loadServiceConfigFile(path.join(__dirname, '../../services/demo.yaml')).image).toBe('public.ecr.aws/nginx/nginx:1.27');
    });
  });

  describe('formatPath', () => {
    it.each([
      [['rollout', 'steps', 1, 'weight'], 'rollout.steps[1].weight'],
      [['name'], 'name'],
      [[], ''],
    ])('formats %j as %s', (segments, expected) => {
      expect(formatPath(segments)).toBe(expected);
    });
  });
});
