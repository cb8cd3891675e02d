/**
 * The runtime fields of a service file (secrets, taskRole, scaling, network, sidecars,
 * cpuArchitecture, capacity, enableExecuteCommand, logRetentionDays): what a full file becomes,
 * and the one line each malformed value gets.
 */
import { loadServiceConfigFile, parseServiceConfig } from '../../lib/config';
import { FULL_SERVICE_FILE } from '../fixtures/full-service';

const FILE = 'services/orders.yaml';
const VALID = 'name: orders\nimage: public.ecr.aws/nginx/nginx:1.27\n';

function problemLines(yaml: string): string[] {
  const result = parseServiceConfig(yaml, FILE);
  return result.success ? [] : result.problems.map((p) => p.line);
}

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf';
const NETWORK =
  '{ vpcId: vpc-0a1b2c3d, vpcCidrBlock: 10.0.0.0/16, availabilityZones: [eu-west-1a, eu-west-1b], publicSubnetIds: [subnet-0a1b2c3d, subnet-0a1b2c3e], privateSubnetIds: [subnet-0b1b2c3d, subnet-0b1b2c3e], clusterName: prod }';

describe('runtime fields of the service file', () => {
  it('applies their defaults to a minimal file', () => {
    const result = parseServiceConfig(VALID, FILE);
    if (!result.success) throw new Error(result.problems[0].line);
    expect(result.config).toMatchObject({
      secrets: {},
      sidecars: [],
      cpuArchitecture: 'x86_64',
      enableExecuteCommand: false,
      logRetentionDays: 30,
    });
    expect(result.config.taskRole).toBeUndefined();
    expect(result.config.scaling).toBeUndefined();
    expect(result.config.network).toBeUndefined();
    expect(result.config.capacity).toBeUndefined();
  });

  it('reads a file that uses every field', () => {
    const config = loadServiceConfigFile(FULL_SERVICE_FILE);
    expect(config.secrets.DB_PASSWORD).toEqual({ secretsManager: SECRET_ARN, jsonKey: 'password' });
    expect(config.taskRole?.statements[0]).toEqual({
      effect: 'Allow',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'],
    });
    expect(config.scaling).toEqual({ minTasks: 2, maxTasks: 20, cpuPercent: 60, requestsPerTarget: 1000 });
    expect(config.network?.clusterName).toBe('prod');
    expect(config.sidecars[0]).toMatchObject({
      name: 'log-router',
      essential: true,
      memoryMiB: 64,
      environment: { FLB_LOG_LEVEL: 'info' },
    });
    expect(config.capacity).toEqual({ spot: { weight: 3 }, onDemand: { base: 1, weight: 1 } });
    expect(config.enableExecuteCommand).toBe(true);
  });

  // Each row: a field added to the minimal file, and the one line it must produce.
  it.each([
    [
      'secrets: []',
      'secrets: got an empty list; accepted: a mapping of NAME: { secretsManager: <secret ARN>, jsonKey?: <key> } or NAME: { ssmParameter: <name> }',
    ],
    [
      'secrets: { 1X: { ssmParameter: /a } }',
      'secrets.1X: got key "1X"; accepted: a variable name of letters, digits and _, not starting with a digit',
    ],
    [
      'secrets: { A: { secretsManager: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db" } }',
      'secrets.A.secretsManager: got "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db"; accepted: a complete Secrets Manager secret ARN with its 6-character suffix',
    ],
    [
      'secrets: { A: {} }',
      'secrets.A: got a mapping {}; accepted: exactly one of secretsManager (a secret ARN) or ssmParameter (a parameter name or ARN)',
    ],
    [`secrets: { A: { secretsManager: "${SECRET_ARN}", ssmParameter: /a } }`, 'secrets.A: got a mapping'],
    [
      'secrets: { A: { ssmParameter: /a, jsonKey: password } }',
      'secrets.A.jsonKey: got "password"; accepted: jsonKey only with secretsManager (an SSM parameter has no JSON keys)',
    ],
    [
      'secrets: { A: { ssmParameter: orders/key } }',
      'secrets.A.ssmParameter: got "orders/key"; accepted: an SSM parameter name starting with "/"',
    ],
    ['secrets: { A: { ssmParameter: /a, kmsKeyArn: alias/aws/ssm } }', 'secrets.A.kmsKeyArn: got "alias/aws/ssm"; accepted: a KMS key ARN'],
    [
      'secrets: { A: { ssmParameter: /a, vault: x } }',
      'secrets.A: unknown key vault; accepted keys: secretsManager, jsonKey, ssmParameter, kmsKeyArn',
    ],
    [
      'taskRole: { managedPolicyArns: [AmazonS3ReadOnlyAccess] }',
      'taskRole.managedPolicyArns[0]: got "AmazonS3ReadOnlyAccess"; accepted: a managed policy ARN such as arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    ],
    [
      'taskRole: { statements: [{ actions: [GetItem], resources: ["*"] }] }',
      'taskRole.statements[0].actions[0]: got "GetItem"; accepted: an IAM action such as dynamodb:GetItem',
    ],
    [
      'taskRole: { statements: [{ actions: [s3:GetObject], resources: [my-bucket] }] }',
      'taskRole.statements[0].resources[0]: got "my-bucket"; accepted: a resource ARN',
    ],
    [
      'taskRole: { statements: [{ actions: [], resources: ["*"] }] }',
      'taskRole.statements[0].actions: got an empty list; accepted: a list of at least one IAM action',
    ],
    [
      'taskRole: { statements: [{ effect: Permit, actions: [s3:GetObject], resources: ["*"] }] }',
      'taskRole.statements[0].effect: got "Permit"; accepted: Allow or Deny',
    ],
    [
      'scaling: { minTasks: 2, maxTasks: 10 }',
      'scaling: got a mapping {"minTasks":2,"maxTasks":10}; accepted: at least one target among cpuPercent, memoryPercent and requestsPerTarget',
    ],
    ['scaling: { minTasks: 4, maxTasks: 3, cpuPercent: 60 }', 'scaling.maxTasks: got 3; accepted: at least minTasks (4)'],
    ['scaling: { minTasks: 0, maxTasks: 3, cpuPercent: 60 }', 'scaling.minTasks: got 0; accepted: a whole number of tasks from 1 to 1000'],
    ['scaling: { minTasks: 1, maxTasks: 3, cpuPercent: 95 }', 'scaling.cpuPercent: got 95; accepted: a whole percentage from 10 to 90'],
    [
      'scaling: { minTasks: 1, maxTasks: 3, requestsPerTarget: 0 }',
      'scaling.requestsPerTarget: got 0; accepted: a whole number of requests per task per minute',
    ],
    [
      `network: ${NETWORK.replace('vpc-0a1b2c3d', 'vpc-1')}`,
      'network.vpcId: got "vpc-1"; accepted: a VPC ID such as vpc-0a1b2c3d4e5f60718',
    ],
    [`network: ${NETWORK.replace('10.0.0.0/16', '10.0.0.0')}`, 'network.vpcCidrBlock: got "10.0.0.0"; accepted: the VPC\'s IPv4 CIDR'],
    [
      `network: ${NETWORK.replace('[eu-west-1a, eu-west-1b]', '[eu-west-1a]')}`,
      'network.availabilityZones: got a list ["eu-west-1a"]; accepted: at least 2 Availability Zones',
    ],
    [
      `network: ${NETWORK.replace('[subnet-0a1b2c3d, subnet-0a1b2c3e]', '[subnet-0a1b2c3d]')}`,
      'network.publicSubnetIds: got 1 subnets; accepted: one subnet per Availability Zone, in the same order (2)',
    ],
    [
      `network: ${NETWORK.replace('[subnet-0b1b2c3d, subnet-0b1b2c3e]', '[sn-1, subnet-0b1b2c3e]')}`,
      'network.privateSubnetIds[0]: got "sn-1"; accepted: a subnet ID',
    ],
    [
      `network: ${NETWORK.replace('clusterName: prod', 'clusterName: "prod cluster"')}`,
      'network.clusterName: got "prod cluster"; accepted: an ECS cluster name',
    ],
    [
      'sidecars: { name: x }',
      'sidecars: got a mapping {"name":"x"}; accepted: a list of { name, image, essential, cpu, memoryMiB, environment, secrets }',
    ],
    ['sidecars: [{ name: "log router", image: fluent/fluent-bit }]', 'sidecars[0].name: got "log router"; accepted: a container name'],
    ['sidecars: [{ name: agent, image: "Fluent Bit" }]', 'sidecars[0].image: got "Fluent Bit"; accepted: a container image reference'],
    [
      'sidecars: [{ name: agent, image: fluent/fluent-bit, memoryMiB: 4 }]',
      'sidecars[0].memoryMiB: got 4; accepted: a hard memory limit in MiB from 6 to 122880',
    ],
    [
      'sidecars: [{ name: agent, image: fluent/fluent-bit, essential: maybe }]',
      'sidecars[0].essential: got "maybe"; accepted: true or false',
    ],
    [
      'sidecars: [{ name: agent, image: fluent/fluent-bit, secrets: { T: { ssmParameter: x } } }]',
      'sidecars[0].secrets.T.ssmParameter: got "x"; accepted: an SSM parameter name',
    ],
    ['cpuArchitecture: aarch64', 'cpuArchitecture: got "aarch64"; accepted: x86_64 or arm64'],
    ['capacity: {}', 'capacity: got a mapping {}; accepted: spot, onDemand or both, each { weight, base? }'],
    [
      'capacity: { spot: { weight: 0 } }',
      'capacity: got a mapping {"spot":{"weight":0}}; accepted: a weight above 0 on at least one provider',
    ],
    [
      'capacity: { spot: { weight: 1, base: 1 }, onDemand: { weight: 1, base: 1 } }',
      'capacity.spot.base: got 1; accepted: base on one provider only',
    ],
    ['capacity: { spot: { weight: 1001 } }', 'capacity.spot.weight: got 1001; accepted: a whole weight from 0 to 1000'],
    ['enableExecuteCommand: "yes"', 'enableExecuteCommand: got "yes"; accepted: true or false'],
    ['logRetentionDays: 31', 'logRetentionDays: got 31; accepted: one of 1, 3, 5, 7, 14, 30, 60, 90'],
  ])('refuses %s in one line', (field, expected) => {
    const lines = problemLines(`${VALID}${field}\n`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${FILE}: ${expected}`);
  });

  // Checks across fields, as ECS would refuse the result.
  it.each([
    [
      'cpuArchitecture: arm64\ncapacity: { spot: { weight: 1 } }',
      'capacity.spot: got a mapping {"weight":1}; accepted: no spot with cpuArchitecture: arm64 (Fargate Spot runs X86_64 tasks only)',
    ],
    [
      'desiredCount: 2\nscaling: { minTasks: 3, maxTasks: 5, cpuPercent: 50 }',
      'desiredCount: got 2; accepted: a count from scaling.minTasks to scaling.maxTasks (3 to 5)',
    ],
    ['environment: { A: x }\nsecrets: { A: { ssmParameter: /a } }', 'secrets.A: got "A"; accepted: a name not also set in environment'],
    [
      'sidecars: [{ name: orders, image: fluent/fluent-bit }]',
      'sidecars[0].name: got "orders"; accepted: a name other than the service\'s container (orders) and the other sidecars',
    ],
    [
      'sidecars: [{ name: a, image: fluent/fluent-bit }, { name: a, image: fluent/fluent-bit }]',
      'sidecars[1].name: got "a"; accepted: a name other than',
    ],
    [
      'sidecars: [{ name: a, image: fluent/fluent-bit, memoryMiB: 512 }]',
      "sidecars: got 512 MiB in all; accepted: sidecar memoryMiB adding up to less than the task's memoryMiB (512)",
    ],
    [
      'sidecars: [{ name: a, image: fluent/fluent-bit, cpu: 256 }]',
      "sidecars: got 256 CPU units in all; accepted: sidecar cpu adding up to less than the task's cpu (256)",
    ],
    [
      'sidecars: [{ name: a, image: fluent/fluent-bit, environment: { T: x }, secrets: { T: { ssmParameter: /t } } }]',
      'sidecars[0].secrets.T: got "T"; accepted: a name not also set in this sidecar\'s environment',
    ],
  ])('refuses %s, which ECS would refuse', (fields, expected) => {
    const lines = problemLines(`${VALID}${fields}\n`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${FILE}: ${expected}`);
  });

  it("reports those checks together with the file's other problems, all at once", () => {
    expect(
      problemLines(
        `${VALID}containerPort: 0\ncpuArchitecture: arm64\ncapacity: { spot: { weight: 1 } }\nenvironment: { A: x }\nsecrets: { A: { ssmParameter: /a } }\n`,
      ),
    ).toEqual([
      `${FILE}: containerPort: got 0; accepted: a port number from 1 to 65535`,
      `${FILE}: capacity.spot: got a mapping {"weight":1}; accepted: no spot with cpuArchitecture: arm64 (Fargate Spot runs X86_64 tasks only); drop capacity.spot or use x86_64`,
      `${FILE}: secrets.A: got "A"; accepted: a name not also set in environment (one variable, one source)`,
    ]);
  });

  it('accepts arm64 with on-demand capacity only, and a spot provider of weight 0 is no spot', () => {
    expect(problemLines(`${VALID}cpuArchitecture: arm64\ncapacity: { onDemand: { weight: 1 } }\n`)).toEqual([]);
    expect(problemLines(`${VALID}cpuArchitecture: arm64\ncapacity: { spot: { weight: 0 }, onDemand: { weight: 1 } }\n`)).toEqual([]);
  });
});
