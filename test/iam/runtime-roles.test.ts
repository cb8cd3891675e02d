/**
 * The roles the service file's runtime fields add to: the task execution role (ECS reads the
 * secrets and parameters, and decrypts with their keys, at task start) and the task role (the
 * application's own statements, ECS Exec). The requests AWS makes for them are simulated with
 * @cloud-copilot/iam-simulate against the synthesized policies: each is allowed, each grant is
 * needed by one of them, and a neighbouring secret, parameter or key is denied.
 */
import { loadServiceConfigFile, type ServiceConfig } from '../../lib/config';
import { FULL_SERVICE_FILE } from '../fixtures/full-service';
import { ACCOUNT, REGION } from '../support';
import type { IamRequest } from './actions';
import { denials, type Principal, simulate, unusedGrants } from './simulate';
import { logicalId, rolePolicy, synthesize, type SynthesizedStacks } from './template';

const logs = (group: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}`;
const ssmParameter = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;
/** The default key policy of a customer managed key: the account's IAM policies decide. */
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};

/**
 * The full service file in the fake's account. The task role's managed policy is left out: its
 * document is AWS's, not in the template, so the role could not be simulated with it.
 */
function fullService(): SynthesizedStacks {
  const full = loadServiceConfigFile(FULL_SERVICE_FILE);
  const secrets = {
    DB_PASSWORD: { secretsManager: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:orders-db-AbCdEf`, jsonKey: 'password' },
    API_KEY: { ssmParameter: '/orders/api-key', kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
  };
  const overrides: Partial<ServiceConfig> = {
    ...full,
    image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/orders:1.4.2`,
    secrets,
    taskRole: {
      managedPolicyArns: [],
      statements: [
        {
          effect: 'Allow',
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          resources: [`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`],
        },
      ],
    },
  };
  return synthesize('svc', overrides);
}

describe('IAM: the roles of a service with every runtime field', () => {
  let synth: SynthesizedStacks;
  let execution: Principal;
  let task: Principal;
  let logGroup: string;
  beforeAll(() => {
    synth = fullService();
    const taskDefinition = synth.stack.canaryService.taskDefinition;
    const principal = (name: string, role: NonNullable<typeof taskDefinition.executionRole>): Principal => ({
      name,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      policy: rolePolicy(synth, role, {}),
    });
    execution = principal('execution-role', taskDefinition.executionRole!);
    task = principal('task-role', taskDefinition.taskRole);
    logGroup = `/ecs-canary/${logicalId(synth.stack.canaryService.node.findChild('Logs'))}`;
  });

  /** What ECS asks as the execution role when it starts a task: image pull, log stream, every secret. */
  const executionRequests = (): IamRequest[] => [
    { action: 'ecr:GetAuthorizationToken', resource: '*' },
    ...['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'].map((action) => ({
      action,
      resource: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/orders`,
    })),
    { action: 'logs:CreateLogStream', resource: `${logs(logGroup)}:log-stream:orders/orders/1` },
    { action: 'logs:PutLogEvents', resource: `${logs(logGroup)}:log-stream:orders/orders/1` },
    { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:orders-db-AbCdEf` },
    { action: 'ssm:GetParameters', resource: ssmParameter('/orders/api-key') },
    { action: 'ssm:GetParameters', resource: ssmParameter('/orders/splunk-token') },
    {
      action: 'kms:Decrypt',
      resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      resourcePolicy: DEFAULT_KEY_POLICY,
    },
  ];

  /** What the application and ECS Exec ask as the task role. */
  const taskRequests = (): IamRequest[] => [
    { action: 'dynamodb:GetItem', resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders` },
    { action: 'dynamodb:PutItem', resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders` },
    ...[
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
    ].map((action) => ({ action, resource: '*' })),
    { action: 'logs:DescribeLogGroups', resource: '*' },
    { action: 'logs:DescribeLogStreams', resource: `${logs(logGroup)}:*` },
    { action: 'logs:CreateLogStream', resource: `${logs(logGroup)}:log-stream:ecs-execute-command-0123` },
    { action: 'logs:PutLogEvents', resource: `${logs(logGroup)}:log-stream:ecs-execute-command-0123` },
  ];

  it('allows every request ECS makes as the execution role at task start', async () => {
    expect(await denials(execution, executionRequests())).toEqual([]);
  });

  it('allows every request of the application and of ECS Exec as the task role', async () => {
    expect(await denials(task, taskRequests())).toEqual([]);
  });

  it('grants nothing those requests do not need', async () => {
    expect(await unusedGrants(execution, executionRequests())).toEqual([]);
    expect(await unusedGrants(task, taskRequests())).toEqual([]);
  });

  it.each([
    ['another secret', 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:payments-db-XyZ123`],
    ['another parameter', 'ssm:GetParameters', ssmParameter('/orders/other')],
    ['a parameter under the same path', 'ssm:GetParameters', ssmParameter('/orders/api-key/old')],
    ['another key', 'kms:Decrypt', `arn:aws:kms:${REGION}:${ACCOUNT}:key/ffffffff-12ab-34cd-56ef-1234567890ab`],
    ["the secret's write action", 'secretsmanager:PutSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:orders-db-AbCdEf`],
  ])('denies the execution role %s', async (_what, action, resource) => {
    expect(
      (await simulate(execution, { action, resource, ...(action.startsWith('kms:') ? { resourcePolicy: DEFAULT_KEY_POLICY } : {}) }))
        .allowed,
    ).toBe(false);
  });

  it.each([
    ['another table', 'dynamodb:GetItem', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/payments`],
    ['another log group', 'logs:PutLogEvents', `${logs('/other')}:log-stream:x`],
    [
      "the service's secrets (only the execution role reads them)",
      'secretsmanager:GetSecretValue',
      `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:orders-db-AbCdEf`,
    ],
  ])('denies the task role %s', async (_what, action, resource) => {
    expect((await simulate(task, { action, resource })).allowed).toBe(false);
  });
});
