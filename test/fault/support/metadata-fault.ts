/**
 * The campaign's deployment-metadata fault: in the middle of a release the SSM parameter every
 * engine function reads at a cold start becomes unusable — corrupted, the wrong shape, deleted,
 * denied to the engine's roles, or throttled for minutes — and every function's container is
 * replaced, so each reads it again. The invariants then require every hook still to be answered
 * (9: never CodeDeploy's hook timeout) and production back on the original (4). The parameter is
 * repaired when the release is over (or, throttled, after its minutes).
 */
import { parameterNames } from '../../../lambdas/core/metadata';
import type { FaultInjector } from './injector';
import type { SeededRandom } from './random';
import type { CampaignWorld } from './world';

export const METADATA_FAULTS = ['corrupt', 'shape', 'deleted', 'denied', 'throttled'] as const;
export type MetadataFaultKind = (typeof METADATA_FAULTS)[number];

/** Share of the releases with the engine's hooks and no operator disruption that get a metadata fault. */
export const METADATA_FAULT_SHARE = 0.08;

export interface MetadataFault {
  readonly kind: MetadataFaultKind;
  /** Minutes after the release's creation. */
  readonly atMinute: number;
  /** How long a throttled parameter stays throttled. */
  readonly throttledMinutes: number;
}

/**
 * Drawn from a random stream of its own, the same number of draws per release whether it is
 * eligible or not: a seed's other draws (and so its runs without this fault) stay as they were.
 */
export function planMetadataFault(random: SeededRandom, eligible: boolean): MetadataFault | undefined {
  const hit = random.chance(METADATA_FAULT_SHARE);
  const fault = { kind: random.pick(METADATA_FAULTS), atMinute: random.int(2, 70), throttledMinutes: random.int(1, 8) };
  return eligible && hit ? fault : undefined;
}

export const describeMetadataFault = (fault: MetadataFault): string =>
  fault.kind === 'throttled' ? `metadata throttled for ${fault.throttledMinutes} min` : `metadata ${fault.kind}`;

/** Schedules the fault for the release; returns the repair, for when the release is over. */
export function scheduleMetadataFault(
  cw: CampaignWorld,
  injector: FaultInjector,
  deploymentId: string,
  fault: MetadataFault,
  log: (line: string) => void,
): () => void {
  const { world, service } = cw;
  const parameter = parameterNames(service.metadata.service).deployment;
  const written = world.ssm.parameters.get(parameter)!.value;
  const put = (value: string) => world.ssm.putParameter({ Name: parameter, Value: value, Type: 'String', Overwrite: true });
  const isRead = (call: { command: string; input: unknown }) =>
    call.command === 'GetParameterCommand' && (call.input as { Name?: string }).Name === parameter;
  let broken = false;
  const repair = () => {
    if (!broken) return;
    broken = false;
    injector.block = undefined;
    put(written);
    log(`deployment metadata ${parameter} repaired`);
  };
  world.clock.schedule(
    fault.atMinute * 60_000,
    () => {
      if (['Succeeded', 'Failed', 'Stopped'].includes(world.codedeploy.deployment(deploymentId).status)) return;
      broken = true;
      switch (fault.kind) {
        case 'corrupt':
          put(written.slice(0, Math.floor(written.length / 2)));
          break;
        case 'shape': {
          const { targetGroups: _dropped, ...rest } = JSON.parse(written) as Record<string, unknown>;
          put(JSON.stringify(rest));
          break;
        }
        case 'deleted':
          world.ssm.deleteParameter({ Name: parameter });
          break;
        case 'denied':
          injector.block = (call) => (isRead(call) ? accessDenied(parameter) : undefined);
          break;
        case 'throttled':
          injector.block = (call) => (isRead(call) ? throttled() : undefined);
          world.clock.schedule(fault.throttledMinutes * 60_000, repair, 'metadata repaired');
          break;
      }
      cw.coldStart();
      log(`${describeMetadataFault(fault)} (${deploymentId}); every function's container is cold`);
    },
    'metadata fault',
  );
  return repair;
}

function accessDenied(parameter: string): Error {
  return Object.assign(
    new Error(
      `User: arn:aws:sts::111111111111:assumed-role/engine/fn is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:111111111111:parameter${parameter} because no identity-based policy allows the ssm:GetParameter action`,
    ),
    { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 }, $fault: 'client' },
  );
}

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 }, $fault: 'client' });
}
