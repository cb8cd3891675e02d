import type { AuditRecord } from '../../lambdas/core/audit-chain';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { type DeploymentSnapshot } from '../deploy/observe';
import type { AwsClients } from './context';
import { type ProgressState } from './progress/model';
export interface Observation {
    readonly snapshot: DeploymentSnapshot;
    readonly records: readonly AuditRecord[];
    readonly progress: ProgressState;
    readonly terminal: boolean;
    /** The progress again at a later time, without reading AWS (for a ticking countdown). */
    readonly at: (now: Date) => ProgressState;
}
export declare function observeDeployment(clients: AwsClients, metadata: DeploymentMetadata, deploymentId: string, now: () => Date): Promise<Observation>;
/** The active deployment of the service, if any. */
export declare function currentDeployment(clients: AwsClients, metadata: DeploymentMetadata): Promise<string | undefined>;
/** The active deployment, else the most recent one; fails when the group has none. */
export declare function currentOrLastDeployment(clients: AwsClients, metadata: DeploymentMetadata): Promise<string>;
/** The active deployment, or a `CommandFailedError` saying there is nothing to act on. */
export declare function requireActiveDeployment(clients: AwsClients, metadata: DeploymentMetadata, command: string): Promise<string>;
