/** SSM adapter: the service's deployment metadata and freeze switch (contracts.md). */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { DeploymentMetadata } from '../core/metadata';
import { ParameterError } from './errors';

async function readJson(client: SSMClient, name: string): Promise<unknown> {
  let value: string | undefined;
  try {
    value = (await client.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (error) {
    throw new ParameterError(`cannot read SSM parameter ${name}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(value ?? '');
  } catch (error) {
    throw new ParameterError(`SSM parameter ${name} is ${JSON.stringify(value)}; accepted: a JSON document`, { cause: error });
  }
}

const REQUIRED: ReadonlyArray<keyof DeploymentMetadata> = [
  'service', 'deploymentGroupName', 'productionListenerArn', 'testListenerPort', 'loadBalancerDnsName',
  'loadBalancerFullName', 'targetGroups', 'plan', 'thresholds', 'smokeChecks', 'freezeParameterName',
];

export async function readMetadata(client: SSMClient, name: string): Promise<DeploymentMetadata> {
  const metadata = (await readJson(client, name)) as DeploymentMetadata;
  const missing = REQUIRED.filter((key) => metadata?.[key] === undefined);
  if (missing.length > 0) throw new ParameterError(`SSM parameter ${name} lacks ${missing.join(', ')}; accepted: the DeploymentMetadata document the service stack writes`);
  if (metadata.version !== 1) throw new ParameterError(`SSM parameter ${name} has version ${JSON.stringify(metadata.version)}; accepted: 1`);
  if (!Array.isArray(metadata.targetGroups) || metadata.targetGroups.length !== 2) {
    throw new ParameterError(`SSM parameter ${name} has targetGroups ${JSON.stringify(metadata.targetGroups)}; accepted: exactly two target groups`);
  }
  return metadata;
}

export interface FreezeSwitch { readonly frozen: boolean; readonly reason?: string; readonly by?: string; readonly at?: string }

export async function readFreeze(client: SSMClient, name: string): Promise<FreezeSwitch> {
  const value = (await readJson(client, name)) as FreezeSwitch;
  if (typeof value?.frozen !== 'boolean') throw new ParameterError(`SSM parameter ${name} is ${JSON.stringify(value)}; accepted: {"frozen": true|false, …}`);
  return value;
}
