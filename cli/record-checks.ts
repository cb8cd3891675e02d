/**
 * Verifies the audit records `canary status` quotes before it quotes them (docs/audit.md): each
 * on its own, against the trust root `canary history` uses — CANARY_AUDIT_TRUST_ROOT when set
 * (checked against the metadata parameter), else what the parameter names. The key is read once,
 * on the first screen that quotes a record.
 */
import { checkAuditRecords } from '../lambdas/aws/audit-record-check';
import type { AuditRecord } from '../lambdas/core/audit-chain';
import type { RecordCheck } from '../lambdas/core/audit-record-check';
import type { DeploymentMetadata } from '../lambdas/core/metadata';
import { type ResolvedRoot, resolveRoot, TRUST_ROOT_ENV, trustRootFromEnv } from './commands/history';
import type { AwsClients, CliDeps } from './context';

export interface RecordChecker {
  /** Whether the trust root is pinned (CANARY_AUDIT_TRUST_ROOT). */
  readonly pinned: boolean;
  check(records: readonly AuditRecord[]): Promise<Map<unknown, RecordCheck>>;
}

/** A malformed CANARY_AUDIT_TRUST_ROOT is a usage error here, before any AWS call, as in `canary history`. */
export function recordChecker(clients: AwsClients, metadata: DeploymentMetadata, deps: CliDeps): RecordChecker {
  const envPin = deps.env[TRUST_ROOT_ENV];
  const pin = envPin ? trustRootFromEnv(envPin) : undefined;
  let root: Promise<ResolvedRoot> | undefined;
  return {
    pinned: pin !== undefined,
    async check(records) {
      if (records.length === 0) return new Map();
      root ??= resolveRoot(clients, metadata, pin, `/ecs-canary/${metadata.service}/deployment`, false);
      const trust = await root;
      return checkAuditRecords(
        clients.s3,
        { service: metadata.service, trust, now: () => deps.now().getTime() },
        records as unknown as ReadonlyArray<Record<string, unknown>>,
      );
    },
  };
}
