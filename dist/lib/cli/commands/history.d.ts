/**
 * `canary history <service> [--deployment <id>] [--limit n] [--format text|json|csv] [--verify]`:
 * the audit trail newest first, with reasons and figures, and its verification (docs/audit.md):
 * the hash chain, every record's signature with the service key's public key (one
 * kms:GetPublicKey) and the table against the S3 Object Lock anchors. A break is loud and exits 1.
 */
import type { Command } from 'commander';
import type { AuditRecord } from '../../../lambdas/core/audit-chain';
import { type RecordVerdict, type TrailVerification } from '../../../lambdas/core/audit-trail';
import type { CliDeps } from '../context';
export declare function registerHistory(program: Command, deps: CliDeps): void;
/** The records to show: of one deployment if asked, newest first, at most `limit` (pure). */
export declare function selectRecords(chain: readonly AuditRecord[], deploymentId: string | undefined, limit: number): AuditRecord[];
/** Lines for one record (pure). */
export declare function renderRecord(record: AuditRecord, verdict?: RecordVerdict): string[];
/** The verdict on the trail, loud when broken (pure). */
export declare function renderVerification(verification: TrailVerification): string[];
/** The records as CSV (RFC 4180 quoting), one row per record with its verification (pure). */
export declare function renderCsv(records: readonly AuditRecord[], verdicts: ReadonlyMap<number, RecordVerdict>): string;
