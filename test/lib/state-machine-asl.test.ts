/**
 * Every Step Functions state machine the stacks synthesize (the rollout loop, and the provider
 * framework's waiter of `deployOnCdkDeploy: wait`) is valid Amazon States Language according to
 * asl-validator, a validator we did not write: its JSON schema, transitions, terminal states, paths
 * and ARNs. The template's Fn::Join is resolved with placeholder ARNs first.
 */
import { Template } from 'aws-cdk-lib/assertions';

import { validateServiceConfig } from '../../lib/config';
import { addEcsCanaryStacks } from '../../lib/ecs-canary-app';
import { testApp } from './fixtures';

interface AslResult {
  readonly isValid: boolean;
  readonly errors: ReadonlyArray<{ readonly message?: string }>;
  errorsText(separator?: string): string;
}
// asl-validator ships no types; its main export is `(definition, options?) => result`, loaded untyped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => AslResult;

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** The ARN CloudFormation would return for `Fn::GetAtt [id, Arn]`, with a made-up physical name. */
function placeholderArn(resources: Resources, id: string): string {
  const type = resources[id]?.Type;
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id.slice(0, 64)}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${id.slice(0, 80)}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${ACCOUNT}:role/${id.slice(0, 64)}`;
    default:
      throw new Error(`no placeholder ARN for Fn::GetAtt ${id}.Arn (${type}); add one`);
  }
}

/** Resolves the intrinsics a definition string uses; anything else fails the test by name. */
function resolve(value: unknown, resources: Resources): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(part, resources)).join(delimiter);
  }
  if (node['Fn::GetAtt']) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    if (attribute !== 'Arn') throw new Error(`unexpected Fn::GetAtt ${id}.${attribute} in a state machine definition`);
    return placeholderArn(resources, id);
  }
  if (node.Ref) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const ref = node.Ref as string;
    if (pseudo[ref]) return pseudo[ref];
    if (resources[ref]?.Type === 'AWS::Lambda::Function') return ref;
    throw new Error(`unexpected Ref ${ref} in a state machine definition`);
  }
  throw new Error(`unexpected intrinsic in a state machine definition: ${JSON.stringify(value).slice(0, 120)}`);
}

/** Every state machine of every stack of the app built from `configs`: stack/logical id → definition. */
function stateMachineDefinitions(configs: Record<string, unknown>[]): Map<string, unknown> {
  const app = testApp();
  const { platform, services } = addEcsCanaryStacks(
    app,
    configs.map((c) => validateServiceConfig(c, 'test')),
    { region: REGION },
  );
  const definitions = new Map<string, unknown>();
  for (const stack of [...(platform ? [platform] : []), ...services]) {
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    for (const [id, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
      definitions.set(`${stack.stackName}/${id}`, JSON.parse(resolve(resource.Properties?.DefinitionString, resources)));
    }
  }
  return definitions;
}

describe('state machine definitions (asl-validator)', () => {
  let definitions: Map<string, unknown>;
  beforeAll(() => {
    definitions = stateMachineDefinitions([
      { name: 'orders', image: 'public.ecr.aws/nginx/nginx:1.27' },
      // `wait` adds the custom resource provider's waiter state machine.
      {
        name: 'payments',
        image: 'nginx',
        deployOnCdkDeploy: 'wait',
        rollout: { steps: [{ weight: 10, bakeMinutes: 5 }], holdLimitMinutes: 2, postTrafficBakeMinutes: 5 },
      },
    ]);
  });

  it('finds the rollout loop of each service and the cdk-deploy waiter', () => {
    const ids = [...definitions.keys()];
    expect(
      ids
        .filter((id) => id.includes('RolloutLoop'))
        .map((id) => id.split('/')[0])
        .sort(),
    ).toEqual(['EcsCanary-orders', 'EcsCanary-payments']);
    expect(ids.filter((id) => id.startsWith('EcsCanary-payments/') && !id.includes('RolloutLoop'))).toHaveLength(1);
  });

  it('validates every definition', () => {
    const invalid = [...definitions]
      .map(([id, definition]) => [id, aslValidator(definition)] as const)
      .filter(([, result]) => !result.isValid);
    expect(invalid.map(([id, result]) => `${id}: ${result.errorsText('; ')}`)).toEqual([]);
  });

  it('rejects a definition whose state points to a missing state (so the check above can fail)', () => {
    const [, loop] = [...definitions].find(([id]) => id.includes('RolloutLoop'))!;
    const broken = JSON.parse(JSON.stringify(loop)) as { States: Record<string, { Next?: string }> };
    broken.States.Wait.Next = 'No such state';
    const result = aslValidator(broken);
    expect(result.isValid).toBe(false);
    expect(result.errorsText('; ')).toContain('No such state');
  });

  it('rejects a task whose resource is not an ARN', () => {
    const [, loop] = [...definitions].find(([id]) => id.includes('RolloutLoop'))!;
    const broken = JSON.parse(JSON.stringify(loop)) as { StartAt: string; States: Record<string, { Resource?: string }> };
    broken.States[broken.StartAt].Resource = 'Tick';
    expect(aslValidator(broken).isValid).toBe(false);
  });
});
