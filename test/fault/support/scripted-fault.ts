/**
 * A scripted fault: the campaign world's engine calls go through a fault injector that draws no
 * random faults. `failFirstGuard` fails the chosen calls of one deployment's first guard invocation
 * only (a timeout, after the SDK's own retries), so Lambda's retry of the event runs unharmed;
 * `failEngine` fails every engine invocation of a deployment from then on (its guard and its ticks
 * never act, as when a release created meanwhile beats them). The trace says what was failed, and
 * `injector.writes` which invocation wrote what.
 */
import { FaultInjector, type InvocationRecord } from './injector';
import { SeededRandom } from './random';
import { type CampaignWorld, GUARD_FUNCTION } from './world';

export interface ScriptedCall {
  readonly command: string;
  readonly input: unknown;
}

export function scriptedFaults(cw: CampaignWorld) {
  const { world, service } = cw;
  const trace: string[] = [];
  const injector = FaultInjector.forWorld(
    world,
    service.metadata.auditTableName!,
    new SeededRandom(1),
    { perCall: 0, perInvocation: 0 },
    (line) => trace.push(line),
  ).attach(world);
  /** The guard invocations by deployment, in order. */
  const guards = (deploymentId: string): InvocationRecord[] =>
    injector.invocations.filter((i) => i.functionName === GUARD_FUNCTION && i.deploymentId === deploymentId);

  /** Faults by deployment: the calls `matches` picks of its first guard invocation, or of all its invocations. */
  const faults = new Map<string, { readonly all: boolean; readonly matches: (call: ScriptedCall) => boolean }>();
  injector.block = (call, invocation) => {
    const fault = invocation.deploymentId ? faults.get(invocation.deploymentId) : undefined;
    const hit = fault?.all || (invocation.functionName === GUARD_FUNCTION && invocation === guards(invocation.deploymentId!)[0]);
    if (!fault || !hit || !fault.matches(call)) return undefined;
    return Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError', $metadata: {} });
  };
  const failFirstGuard = (deploymentId: string, matches: (call: ScriptedCall) => boolean) =>
    faults.set(deploymentId, { all: false, matches });
  const failEngine = (deploymentId: string) => faults.set(deploymentId, { all: true, matches: () => true });
  return { injector, trace, guards, failFirstGuard, failEngine };
}

/** A DescribeListeners call of the given listener. */
export const readsListener = (listenerArn: string) => (call: ScriptedCall) =>
  call.command === 'DescribeListenersCommand' && (call.input as { ListenerArns?: string[] }).ListenerArns?.[0] === listenerArn;
