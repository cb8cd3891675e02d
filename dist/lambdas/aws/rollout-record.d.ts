import type { RolloutContext } from '../core/judge-input';
import type { AuditTable } from './dynamodb';
/** The rollout record, or null when no window has written one yet. */
export declare function readRolloutRecord(table: AuditTable, deploymentId: string): Promise<RolloutContext | null>;
/** Writes the record unless one exists (first writer wins); returns the record that stands. */
export declare function writeRolloutRecord(table: AuditTable, deploymentId: string, rollout: RolloutContext, now: number): Promise<RolloutContext>;
