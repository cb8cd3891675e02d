/**
 * Verifies the few audit records whose reasons a screen quotes (`canary status`, the cdk-deploy
 * resource's failure), each on its own (`core/audit-record-check.ts`): one kms:GetPublicKey per
 * trust root and one s3:ListBucketVersions of the record's own sequence number per record, never
 * the whole trail (`canary history --verify` reads that).
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { AnchorObject } from '../core/audit-anchor';
import { isSequenceNumber, type TrustRoot } from '../core/audit-chain';
import { type RecordCheck, unverifiedReasonText, verifyRecordAlone } from '../core/audit-record-check';
import type { VerifiedRoot } from '../core/audit-trail';
import { listAnchors } from './audit-anchors';
import { newestAuditRecords } from './audit-records';
import { auditPublicKey } from './audit-signing';

/** The trust root to verify against, with its public key, or why there is none. */
export interface CheckRoot {
  readonly root?: VerifiedRoot;
  readonly problems: readonly string[];
}

/** Reads the public key of a trust root the caller already trusts (set by the stack, or a pin); a failure is a problem, never a throw. */
export async function readTrustRoot(kms: KMSClient, root: TrustRoot | undefined): Promise<CheckRoot> {
  if (!root) return { problems: ['no signing key and anchor bucket are configured to verify against'] };
  try {
    return { root: { ...root, publicKeyDer: await auditPublicKey(kms, root.keyArn) }, problems: [] };
  } catch (error) {
    return { problems: [`the signing key ${root.keyArn} cannot be read (${(error as Error).message}): no signature can be checked`] };
  }
}

/**
 * Each record (by sort key) verified on its own against `trust`. A record the engine appends
 * just before its anchor has none yet: a `no-anchor` is checked once more against a new listing.
 */
export async function checkAuditRecords(
  s3: S3Client,
  request: { readonly service: string; readonly trust: CheckRoot; readonly now: () => number },
  records: ReadonlyArray<Record<string, unknown>>,
): Promise<Map<unknown, RecordCheck>> {
  const checks = new Map<unknown, RecordCheck>();
  const { root } = request.trust;
  for (const record of records) {
    if (checks.has(record.sk)) continue;
    const check = async (): Promise<RecordCheck> => {
      let anchors: AnchorObject[] = [];
      const problems = [...request.trust.problems];
      if (root && isSequenceNumber(record.sk)) {
        try {
          anchors = await listAnchors(s3, root.bucket, request.service, record.sk);
        } catch (error) {
          problems.push(`the anchor bucket ${root.bucket} cannot be listed (${(error as Error).message}): no anchor can be checked`);
        }
      }
      return verifyRecordAlone({
        service: request.service,
        record,
        anchors,
        ...(root && problems.length === request.trust.problems.length ? { root } : {}),
        rootProblems: problems,
        now: request.now(),
      });
    };
    let verdict = await check();
    if (verdict.first?.code === 'no-anchor') verdict = await check();
    checks.set(record.sk, verdict);
  }
  return checks;
}

/**
 * The newest audit record's reason for one deployment when that record verifies; otherwise a
 * sentence saying it does not (with the verifier's problem code) and where to look; undefined
 * when the deployment has no record.
 */
export async function newestVerifiedReason(
  clients: { readonly ddb: DynamoDBDocumentClient; readonly s3: S3Client; readonly kms: KMSClient },
  request: {
    readonly tableName: string;
    readonly service: string;
    readonly deploymentId: string;
    readonly trustRoot?: TrustRoot;
    readonly now: () => number;
  },
): Promise<string | undefined> {
  const { tableName, service, deploymentId } = request;
  const [newest] = (await newestAuditRecords(clients.ddb, { tableName, service, deploymentId, limit: 1 })) as unknown as Array<
    Record<string, unknown>
  >;
  if (!newest) return undefined;
  const trust = await readTrustRoot(clients.kms, request.trustRoot);
  const check = (await checkAuditRecords(clients.s3, { service, trust, now: request.now }, [newest])).get(newest.sk)!;
  if (check.ok && typeof newest.reason === 'string') return newest.reason;
  return unverifiedReasonText(`the newest audit record of ${deploymentId}`, newest.sk, check, service);
}
