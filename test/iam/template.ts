/**
 * The role policies of the synthesized service stack (the shipped demo configuration under the
 * fake's service name), with every intrinsic (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select,
 * Fn::Split, Fn::ImportValue) resolved to the physical names and ARNs of the fake account, so the
 * recorded calls can be simulated against exactly what `cdk deploy` would create.
 */
import * as path from 'node:path';

import { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

import { loadServiceConfigs, type ServiceConfig } from '../../lib/config';
import { addEcsCanaryStacks } from '../../lib/ecs-canary-app';
import type { PlatformStack } from '../../lib/platform-stack';
import type { RolloutEngine } from '../../lib/rollout-engine';
import type { ServiceStack } from '../../lib/service-stack';
import { ACCOUNT, REGION } from '../support';

/** A policy document as iam-simulate takes it. */
export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: Statement[];
}
export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** Physical values of the stack's resources in the fake account: `Ref` and each `Fn::GetAtt` attribute. */
export type Physical = Record<string, { readonly Ref?: string; readonly [attribute: string]: string | undefined }>;

export interface SynthesizedStacks {
  /** Undefined for a service that names its own network. */
  readonly platform: PlatformStack | undefined;
  readonly stack: ServiceStack;
  readonly template: Template;
  readonly platformTemplate: Template | undefined;
  readonly engine: RolloutEngine;
}

/** The demo's configuration (services/demo.yaml) with the fake's service name and `overrides`. */
export function synthesize(serviceName: string, overrides: Partial<ServiceConfig> = {}): SynthesizedStacks {
  const [demo] = loadServiceConfigs(path.join(__dirname, '..', '..', 'services'));
  // Bundling the Lambda code and CloudFormation's validation (test/app.test.ts runs it) are irrelevant to IAM and take seconds.
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
  const { platform, services } = addEcsCanaryStacks(app, [{ ...demo, ...overrides, name: serviceName }], { region: REGION });
  const stack = services[0];
  const engine = stack.canaryService.node.findChild('RolloutEngine') as RolloutEngine;
  return { platform, stack, template: Template.fromStack(stack), platformTemplate: platform && Template.fromStack(platform), engine };
}

/** The logical id of a construct's CloudFormation resource (following default children, e.g. a custom resource's). */
export const logicalId = (construct: IConstruct): string => {
  let element: IConstruct | undefined = construct;
  while (element && !CfnElement.isCfnElement(element)) element = element.node.defaultChild;
  if (!element) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return (element as CfnElement).stack.resolve((element as CfnElement).logicalId) as string;
};

/**
 * The role's whole identity policy: its AWS::IAM::Policy resources and inline policies, resolved.
 * A managed policy cannot be simulated here (its document is not in the template), so it fails.
 */
export function rolePolicy(synth: SynthesizedStacks, role: IConstruct, physical: Physical): PolicyDocument {
  const roleId = logicalId(role);
  const resources = synth.template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const roleResource = resources[roleId];
  if (roleResource?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role of ${synth.stack.stackName}`);
  if (roleResource.Properties.ManagedPolicyArns)
    throw new Error(
      `${roleId} has managed policies ${JSON.stringify(roleResource.Properties.ManagedPolicyArns)}: their documents are not in the template, so its calls cannot be simulated`,
    );
  const documents = [
    ...(roleResource.Properties.Policies ?? []).map((p: { PolicyDocument: unknown }) => p.PolicyDocument),
    ...Object.values(resources)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::Policy' &&
          (r.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId })),
      )
      .map((r) => r.Properties.PolicyDocument),
  ];
  const resolver = new Resolver(synth, physical);
  const statements = documents.flatMap((d) => (resolver.resolve(d) as { Statement: Statement[] }).Statement);
  return { Version: '2012-10-17', Statement: statements };
}

/** Resolves CloudFormation intrinsics against `physical`, the pseudo parameters of the fake account, and the platform's exports. */
export class Resolver {
  private readonly exports = new Map<string, unknown>();

  constructor(
    private readonly synth: SynthesizedStacks,
    private readonly physical: Physical,
  ) {
    const outputs = (synth.platformTemplate?.toJSON().Outputs ?? {}) as Record<string, { Value: unknown; Export?: { Name: string } }>;
    for (const output of Object.values(outputs)) if (output.Export) this.exports.set(output.Export.Name, output.Value);
  }

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const node = value as Record<string, any>;
    if ('Ref' in node) return this.ref(node.Ref);
    if ('Fn::GetAtt' in node) return this.attribute(node['Fn::GetAtt'][0], node['Fn::GetAtt'][1]);
    if ('Fn::Join' in node) return (this.resolve(node['Fn::Join'][1]) as string[]).join(node['Fn::Join'][0]);
    if ('Fn::Select' in node) return (this.resolve(node['Fn::Select'][1]) as string[])[Number(node['Fn::Select'][0])];
    if ('Fn::Split' in node) return (this.resolve(node['Fn::Split'][1]) as string).split(node['Fn::Split'][0]);
    if ('Fn::ImportValue' in node) {
      const name = this.resolve(node['Fn::ImportValue']) as string;
      if (!this.exports.has(name))
        throw new Error(
          `Fn::ImportValue ${name}: no such export of ${this.synth.platform?.stackName ?? 'the platform stack, which this app has not'}`,
        );
      return this.resolve(this.exports.get(name));
    }
    if ('Fn::Sub' in node) {
      const [text, vars] = Array.isArray(node['Fn::Sub']) ? node['Fn::Sub'] : [node['Fn::Sub'], {}];
      return (text as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
        if (vars[name] !== undefined) return this.resolve(vars[name]) as string;
        const [id, attribute] = name.split('.');
        return (attribute ? this.attribute(id, attribute) : this.ref(id)) as string;
      });
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, this.resolve(v)]));
  }

  private ref(id: string): unknown {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    if (pseudo[id]) return pseudo[id];
    return this.lookup(id, 'Ref');
  }

  private attribute(id: string, attribute: string): unknown {
    return this.lookup(id, attribute);
  }

  private lookup(id: string, attribute: string): string {
    const known = this.physical[id]?.[attribute];
    if (known !== undefined) return known;
    return synthetic(id, attribute, this.typeOf(id));
  }

  private typeOf(id: string): string | undefined {
    for (const template of [this.synth.template, this.synth.platformTemplate]) {
      if (!template) continue;
      const resource = (template.toJSON().Resources as Record<string, { Type: string }>)[id];
      if (resource) return resource.Type;
    }
    return undefined;
  }
}

/**
 * Names for resources the fake has no counterpart of (log groups, roles, subnets, security groups):
 * stable per logical id, in the ARN format of their type, so modelled platform calls can use them.
 */
export function synthetic(id: string, attribute: string, type: string | undefined): string {
  switch (`${type}.${attribute}`) {
    case 'AWS::Logs::LogGroup.Ref':
      return `/ecs-canary/${id}`;
    case 'AWS::Logs::LogGroup.Arn':
      return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs-canary/${id}:*`;
    case 'AWS::IAM::Role.Arn':
      return `arn:aws:iam::${ACCOUNT}:role/${id}`;
    case 'AWS::IAM::Role.Ref':
      return id;
    case 'AWS::EC2::Subnet.Ref':
      return `subnet-${id.toLowerCase().slice(-12)}`;
    case 'AWS::EC2::SecurityGroup.GroupId':
      return `sg-${id.toLowerCase().slice(-12)}`;
    case 'AWS::Lambda::Function.Ref':
      return id;
    case 'AWS::Lambda::Function.Arn':
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`;
    case 'AWS::S3::Bucket.Ref':
      return id.toLowerCase();
    case 'AWS::S3::Bucket.Arn':
      return `arn:aws:s3:::${id.toLowerCase()}`;
    case 'AWS::KMS::Key.Ref':
      return id.toLowerCase();
    case 'AWS::KMS::Key.Arn':
      return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id.toLowerCase()}`;
    default:
      throw new Error(
        `no physical value for ${id}.${attribute} (${type ?? 'unknown type'}): add it to the fake's physical map in test/iam`,
      );
  }
}
