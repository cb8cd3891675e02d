/**
 * Which attacker can make which write, simulated with @cloud-copilot/iam-simulate against the
 * synthesized service stack's own policies: the audit table's resource policy, the anchor
 * bucket's policy and the signing key's policy (with their `aws:PrincipalArn` conditions), for an
 * administrator (`*` on `*`, no kms:Sign by the key policy), an engine role (the tick's synthesized
 * policy) and the break-glass path (CDK's CloudFormation execution role). The red-team tests
 * tamper only as these results allow. The account's root user is not simulated: it can always
 * delete the table's and the bucket's resource policies (docs/audit.md).
 */
import { type Principal, simulate } from '../iam/simulate';
import {
  logicalId,
  type Physical,
  type PolicyDocument,
  Resolver,
  rolePolicy,
  synthesize,
  type SynthesizedStacks,
  synthetic,
} from '../iam/template';
import { ACCOUNT, REGION } from '../support';

jest.setTimeout(120_000);

type Who = 'admin' | 'engine' | 'breakGlass';
const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/svc-audit`;

let synth: SynthesizedStacks;
let principals: Record<Who, Principal>;
let policies: { table: unknown; bucket: unknown; key: unknown };
let bucketArn: string;
let keyArn: string;

beforeAll(() => {
  synth = synthesize('svc');
  const { engine } = synth;
  const resources = synth.template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  // The table by its fake name; resources this test does not look at (listeners, groups, topics) by a stand-in ARN.
  const known: Physical = { [logicalId(engine.auditTable)]: { Ref: 'svc-audit', Arn: TABLE } };
  const physical = new Proxy(known, {
    get: (target, id: string) =>
      target[id] ??
      new Proxy(
        {},
        {
          get: (_t, attribute: string) => {
            try {
              return synthetic(id, attribute, resources[id]?.Type);
            } catch {
              return `arn:aws:stand-in:${REGION}:${ACCOUNT}:${id}/${attribute}`;
            }
          },
        },
      ),
  }) as Physical;
  const resolver = new Resolver(synth, physical);
  const bucketId = logicalId(engine.auditAnchors.bucket);
  const bucketPolicy = Object.values(resources).find(
    (r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
  )!;
  policies = {
    table: resolver.resolve(resources[logicalId(engine.auditTable)].Properties.ResourcePolicy.PolicyDocument),
    bucket: resolver.resolve(bucketPolicy.Properties.PolicyDocument),
    key: resolver.resolve(resources[logicalId(engine.auditSigningKey.key)].Properties.KeyPolicy),
  };
  bucketArn = resolver.resolve({ 'Fn::GetAtt': [bucketId, 'Arn'] }) as string;
  keyArn = resolver.resolve({ 'Fn::GetAtt': [logicalId(engine.auditSigningKey.key), 'Arn'] }) as string;
  const everything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  principals = {
    admin: { name: 'admin', roleArn: `arn:aws:iam::${ACCOUNT}:role/Administrator`, policy: everything },
    engine: {
      name: 'engine-tick',
      roleArn: resolver.resolve({ 'Fn::GetAtt': [logicalId(engine.tickFunction.role!), 'Arn'] }) as string,
      policy: rolePolicy(synth, engine.tickFunction.role!, physical),
    },
    breakGlass: {
      name: 'break-glass',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`,
      policy: everything,
    },
  };
});

async function can(who: Who, action: string, resource: string, resourcePolicy: unknown): Promise<boolean> {
  const principal = principals[who];
  return (await simulate(principal, { action, resource, resourcePolicy, context: { 'aws:PrincipalArn': principal.roleArn } })).allowed;
}

describe('red team: who can make which write, under the synthesized policies', () => {
  it.each([
    ['dynamodb:PutItem', false, true, false],
    ['dynamodb:GetItem', true, true, true],
    ['dynamodb:UpdateItem', false, false, false],
    ['dynamodb:DeleteItem', false, false, false],
    ['dynamodb:BatchWriteItem', false, false, false],
    ['dynamodb:PartiQLInsert', false, false, false],
    ['dynamodb:PartiQLUpdate', false, false, false],
    ['dynamodb:PartiQLDelete', false, false, false],
    ['dynamodb:UpdateTimeToLive', false, false, true],
    ['dynamodb:PutResourcePolicy', false, false, true],
    ['dynamodb:DeleteResourcePolicy', false, false, true],
  ])('the audit table: %s — admin %s, engine role %s, break-glass %s', async (action, admin, engine, breakGlass) => {
    expect(await can('admin', action, TABLE, policies.table)).toBe(admin);
    expect(await can('engine', action, TABLE, policies.table)).toBe(engine);
    expect(await can('breakGlass', action, TABLE, policies.table)).toBe(breakGlass);
  });

  it('the signing key: only the engine role signs; the administrator can read the public key', async () => {
    expect(await can('admin', 'kms:Sign', keyArn, policies.key)).toBe(false);
    expect(await can('engine', 'kms:Sign', keyArn, policies.key)).toBe(true);
    expect(await can('admin', 'kms:GetPublicKey', keyArn, policies.key)).toBe(true);
    // Changing the key policy is an administrator's right (CloudTrail records PutKeyPolicy): docs/audit.md.
    expect(await can('admin', 'kms:PutKeyPolicy', keyArn, policies.key)).toBe(true);
  });

  it('the anchor bucket: only the engine role puts anchors, nobody deletes them, only break-glass changes lifecycle and policy', async () => {
    const anchor = `${bucketArn}/svc/000000000001/d-1/anchor`;
    expect(await can('admin', 's3:PutObject', anchor, policies.bucket)).toBe(false);
    expect(await can('engine', 's3:PutObject', anchor, policies.bucket)).toBe(true);
    for (const who of ['admin', 'engine', 'breakGlass'] as const) {
      expect(await can(who, 's3:DeleteObject', anchor, policies.bucket)).toBe(false);
      expect(await can(who, 's3:DeleteObjectVersion', anchor, policies.bucket)).toBe(false);
    }
    for (const action of [
      's3:PutLifecycleConfiguration',
      's3:PutBucketPolicy',
      's3:DeleteBucketPolicy',
      's3:PutBucketVersioning',
      's3:PutBucketObjectLockConfiguration',
    ]) {
      expect(await can('admin', action, bucketArn, policies.bucket)).toBe(false);
      expect(await can('engine', action, bucketArn, policies.bucket)).toBe(false);
      expect(await can('breakGlass', action, bucketArn, policies.bucket)).toBe(true);
    }
  });

  it('the stack outputs the trust root to pin: the signing key and the anchor bucket', () => {
    const outputs = synth.template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;
    const [root] = Object.entries(outputs)
      .filter(([id]) => id.includes('AuditTrustRoot'))
      .map(([, o]) => o);
    expect(root.Description).toMatch(/canary history --trust-root/);
    expect(root.Value).toEqual({
      'Fn::Join': [
        ',',
        [{ 'Fn::GetAtt': [logicalId(synth.engine.auditSigningKey.key), 'Arn'] }, { Ref: logicalId(synth.engine.auditAnchors.bucket) }],
      ],
    });
  });

  it('the metadata parameter: the administrator can rewrite it (why verification trusts the pin, not the parameter)', async () => {
    const parameter = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/ecs-canary/svc/deployment`;
    expect(await can('admin', 'ssm:PutParameter', parameter, undefined)).toBe(true);
    expect(await can('admin', 'ssm:DeleteParameter', parameter, undefined)).toBe(true);
    expect(await can('engine', 'ssm:PutParameter', parameter, undefined)).toBe(false);
  });
});
