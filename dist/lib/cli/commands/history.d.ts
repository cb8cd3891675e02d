/**
 * `canary history <service> [--deployment <id>] [--limit n]`: the audit trail newest first, with
 * reasons and figures; verifies the service's whole hash chain and says loudly when it is broken.
 */
import type { Command } from 'commander';
import { type AuditRecord, type ChainVerification } from '../../../lambdas/core/audit-chain';
import type { CliDeps } from '../context';
export declare function registerHistory(program: Command, deps: CliDeps): void;
/** The records to show: of one deployment if asked, newest first, at most `limit` (pure). */
export declare function selectRecords(chain: readonly AuditRecord[], deploymentId: string | undefined, limit: number): AuditRecord[];
/** Lines for one record (pure). */
export declare function renderRecord(record: AuditRecord): string[];
/** The verdict on the chain, loud when broken (pure). */
export declare function renderVerification(verification: ChainVerification): string[];
