/**
 * What each CodeDeploy hook decides before it hands over to the rollout execution (or answers at
 * once). Pure: no AWS imports, `now` is an argument; the handlers gather the inputs and perform
 * the returned actions in order (audit record first).
 */
import type { AuditDraft } from './audit-chain';
import type { HookName } from './rollout-plan';
import type { Action } from './rollout-state';

export interface SmokeResult {
  readonly url: string;
  readonly expectStatus: number;
  readonly status?: number;
  readonly error?: string;
}

export interface GateInput {
  readonly deploymentId: string;
  readonly hook: HookName;
  readonly service: string;
  /** The freeze switch; only AfterAllowTestTraffic checks it. */
  readonly freeze?: { readonly frozen: boolean; readonly reason?: string; readonly by?: string; readonly at?: string };
  readonly smoke: readonly SmokeResult[];
  readonly replacementHealth?: { readonly healthy: number; readonly unhealthy: number };
  /** Whether the plan gives this hook's window any step (or a post-traffic bake). */
  readonly windowHasWork: boolean;
  readonly canaryHeader: boolean;
  /** Reads that failed after their retries, e.g. `freeze: DeployConfigError …`. A failed read fails the gate. */
  readonly errors: readonly string[];
  /**
   * Whether the deployment's target groups could be read. Without them nothing can be restored:
   * the hook still answers `Failed`, and CodeDeploy's rollback reroutes production to the original.
   * @default true
   */
  readonly targetsKnown?: boolean;
}

export interface GateDecision {
  readonly passed: boolean;
  readonly reason: string;
  /** Actions to perform now; when `startExecution` is true the execution is started after them. */
  readonly actions: readonly Action[];
  readonly startExecution: boolean;
}

/** Why the gate fails, or undefined when it passes. Freeze first: nothing else matters then. */
export function gateProblem(input: GateInput): string | undefined {
  if (input.freeze?.frozen) {
    const who = input.freeze.by ? ` by ${input.freeze.by}` : '';
    const when = input.freeze.at ? ` at ${input.freeze.at}` : '';
    return `deployments of ${input.service} are frozen${who}${when}: ${input.freeze.reason ?? 'no reason given'}; no production traffic was shifted`;
  }
  if (input.errors.length > 0) return `cannot check the replacement before production traffic: ${input.errors.join('; ')}`;
  const failedSmoke = input.smoke.filter((s) => s.status !== s.expectStatus);
  if (failedSmoke.length > 0) {
    return `smoke checks failed through the test listener: ${failedSmoke.map((s) => `GET ${s.url} → ${s.status ?? s.error} (expected ${s.expectStatus})`).join('; ')}`;
  }
  const health = input.replacementHealth;
  if (health !== undefined && health.healthy < 1) {
    return `the replacement target group has no healthy target (${health.healthy} healthy, ${health.unhealthy} unhealthy)`;
  }
  return undefined;
}

export function decideHook(input: GateInput): GateDecision {
  const problem = gateProblem(input);
  const base = { kind: 'decision' as const, deploymentId: input.deploymentId, hook: input.hook, actor: 'engine' };
  const figures = {
    smoke: input.smoke.map((s) => ({
      url: s.url,
      status: s.status ?? null,
      expect: s.expectStatus,
      ...(s.error ? { error: s.error } : {}),
    })),
    ...(input.replacementHealth ? { canaryTargets: input.replacementHealth } : {}),
    ...(input.freeze ? { frozen: input.freeze.frozen } : {}),
  };
  const notify = (severity: 'info' | 'critical', message: string): Action => ({
    kind: 'notify',
    severity,
    subject: `[${severity}] ${input.service} ${input.deploymentId} ${input.hook}`,
    message,
  });
  const header: Action[] = input.canaryHeader ? [{ kind: 'removeHeaderRule' }] : [];
  if (problem) {
    const targetsKnown = input.targetsKnown ?? true;
    const action = targetsKnown
      ? 'restore 100% to the original and report Failed'
      : "report Failed without a restore (the target groups are unknown); CodeDeploy's rollback reroutes production to the original";
    const draft: AuditDraft = { ...base, verdict: 'fail', action, reason: problem, figures };
    return {
      passed: false,
      reason: problem,
      startExecution: false,
      actions: [
        { kind: 'audit', draft },
        ...header,
        ...(targetsKnown ? [{ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 } as const] : []),
        { kind: 'reportHook', status: 'Failed' },
        notify('critical', `${input.hook} failed: ${problem}`),
      ],
    };
  }
  if (!input.windowHasWork) {
    const reason = `${input.hook}: the plan has no step in this window; weights stay as the previous window left them`;
    return {
      passed: true,
      reason,
      startExecution: false,
      actions: [
        { kind: 'audit', draft: { ...base, verdict: 'succeed', action: 'report Succeeded', reason, figures } },
        ...header,
        { kind: 'reportHook', status: 'Succeeded' },
        notify('info', reason),
      ],
    };
  }
  const reason = `${input.hook}: checks passed (${input.smoke.length} smoke checks${input.replacementHealth ? `, ${input.replacementHealth.healthy} healthy replacement targets` : ''}); starting the rollout execution`;
  return {
    passed: true,
    reason,
    startExecution: true,
    actions: [{ kind: 'audit', draft: { ...base, verdict: 'start', action: 'start the rollout execution', reason, figures } }],
  };
}
