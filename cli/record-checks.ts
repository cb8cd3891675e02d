/**
 * Verifies the audit records `canary status` (and a failed `canary deploy`'s last line) quote
 * before quoting them (docs/audit.md): each
 * on its own, against the trust root `canary history` uses — CANARY_AUDIT_TRUST_ROOT when set
 * (checked against the metadata parameter), else what the parameter names. The key is read once,
 * on the first screen that quotes a record.
 */
import { checkAuditRecords } from '../lambdas/aws/audit-record-check';
import type { AuditRecord, TrustRoot } from '../lambdas/core/audit-chain';
import { type RecordCheck, unverifiedReasonText } from '../lambdas/core/audit-record-check';
import type { DeploymentMetadata } from '../lambdas/core/metadata';
import { type ResolvedRoot, resolveRoot, TRUST_ROOT_ENV, trustRootFromEnv } from './commands/history';
import type { AwsClients, CliDeps } from './context';

export interface RecordChecker {
  /** Whether the trust root is pinned (CANARY_AUDIT_TRUST_ROOT). */
  readonly pinned: boolean;
  check(records: readonly AuditRecord[]): Promise<Map<unknown, RecordCheck>>;
}

/** CANARY_AUDIT_TRUST_ROOT, or undefined; malformed, a usage error: read it before any AWS call, as `canary history` does. */
export function trustPin(env: CliDeps['env']): TrustRoot | undefined {
  const value = env[TRUST_ROOT_ENV];
  return value ? trustRootFromEnv(value) : undefined;
}

export function recordChecker(clients: AwsClients, metadata: DeploymentMetadata, deps: CliDeps, pin: TrustRoot | undefined): RecordChecker {
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

/**
 * The reason of `record` when it verifies; otherwise what the screen says instead (the verifier's
 * code, and where to look); undefined without a record.
 */
export async function verifiedReason(
  checker: RecordChecker,
  record: AuditRecord | undefined,
  what: string,
  service: string,
): Promise<string | undefined> {
  if (!record) return undefined;
  const check = (await checker.check([record])).get(record.sk);
  return check?.ok ? record.reason : unverifiedReasonText(what, record.sk, check ?? { ok: false }, service);
}
